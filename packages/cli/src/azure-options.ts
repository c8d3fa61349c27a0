import { first } from './option-layers.js';
import type { OptionLayers, ResolvedOptions } from './provider-options.js';
import { refuseTlsFlags } from './tls-options.js';
import { UsageError } from './usage-error.js';

/** `az://` options: the first way in that the settings allow (see the README). */
export async function azureOptions({ flags, env, remote }: OptionLayers): Promise<ResolvedOptions> {
  const r = remote?.config ?? {};
  refuseTlsFlags('az', flags, r);
  const endpoint = first(flags.endpoint, env.AZURE_STORAGE_BLOB_ENDPOINT, r.endpoint);
  const connectionString = first(env.AZURE_STORAGE_CONNECTION_STRING, r.connectionString);
  const accountName = first(env.AZURE_STORAGE_ACCOUNT, r.accountName);
  const accountKey = first(env.AZURE_STORAGE_KEY, r.accountKey);
  const sasToken = first(env.AZURE_STORAGE_SAS_TOKEN, r.sasToken);
  const sasUrl = first(env.AZURE_STORAGE_SAS_URL, r.sasUrl);
  const summary = { endpoint, account: accountName, remote: remote?.name };
  // The SDK's own ways in, in the order az storage uses them: connection string, account key,
  // SAS, then Microsoft Entra ID through @azure/identity's DefaultAzureCredential.
  if (connectionString && !flags.endpoint)
    return { options: { connectionString }, summary: { ...summary, credentials: 'connection string' } };
  if (accountKey && (accountName || endpoint))
    return {
      options: { url: endpoint, accountName, accountKey },
      summary: { ...summary, credentials: 'account key' },
    };
  if (sasUrl)
    return {
      options: { url: sasUrl },
      summary: { ...summary, endpoint: stripQuery(sasUrl), credentials: 'SAS URL' },
    };
  if (sasToken && (accountName || endpoint))
    return {
      options: { url: endpoint, accountName, sasToken },
      summary: { ...summary, credentials: 'SAS token' },
    };
  if (accountName || endpoint) {
    const { DefaultAzureCredential } = await importIdentity();
    return {
      options: { url: endpoint, accountName, credential: new DefaultAzureCredential() },
      summary: { ...summary, credentials: 'DefaultAzureCredential (@azure/identity)' },
    };
  }
  throw new UsageError(
    'az:// needs an account: set AZURE_STORAGE_CONNECTION_STRING, or AZURE_STORAGE_ACCOUNT (with AZURE_STORAGE_KEY, AZURE_STORAGE_SAS_TOKEN or an Entra ID login), AZURE_STORAGE_SAS_URL, or add a remote with "partcopy config add"',
  );
}

// Loaded only for Entra ID sign-in: it is large and the other ways in do not need it.
async function importIdentity(): Promise<typeof import('@azure/identity')> {
  return import('@azure/identity');
}

function stripQuery(url: string): string {
  const at = url.indexOf('?');
  return at === -1 ? url : url.slice(0, at);
}
