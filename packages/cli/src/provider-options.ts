import { readFileSync } from 'node:fs';
import { Agent } from 'node:https';
import { resolve } from 'node:path';
import { PartCopyError } from '@partcopy/core';
import type { RemoteConfig } from './config-file.js';
import { UsageError } from './usage-error.js';

/**
 * Where a store points and how it authenticates, from three layers: the command's flags, then
 * the environment, then the named remote in the config file (first defined value wins). Each
 * store's credentials then come from its SDK's own providers; nothing here re-implements a chain.
 */
export interface StoreSettings {
  endpoint?: string | undefined;
  region?: string | undefined;
  profile?: string | undefined;
  /** False for `--no-verify-ssl`. */
  verifySsl?: boolean | undefined;
  caBundle?: string | undefined;
}

/** The global flags that configure a store (`--endpoint-url`, `--region`, ...). */
export type FlagSettings = StoreSettings;

export interface OptionLayers {
  flags: FlagSettings;
  env: Record<string, string | undefined>;
  /** The remote a URL named (`minio:bucket/key`), with its name. */
  remote?: { name: string; config: RemoteConfig } | undefined;
  /** Folder relative paths (a CA bundle, a key file) are resolved against. */
  cwd: string;
}

/** Provider options, and what `--debug` may say about them (sources and endpoints, no secrets). */
export interface ResolvedOptions {
  options: Record<string, unknown>;
  summary: Record<string, unknown>;
}

/** The kind of store a provider name or scheme is (`az` and `azure` are Azure). */
export function storeKind(name: string): 's3' | 'azure' | 'gcs' | undefined {
  if (name === 's3') return 's3';
  if (name === 'az' || name === 'azure') return 'azure';
  if (name === 'gs' || name === 'gcs') return 'gcs';
  return undefined;
}

/** The provider options for a store of `kind` (a third-party scheme gets its remote's `options`). */
export async function providerOptions(kind: string, layers: OptionLayers): Promise<ResolvedOptions> {
  const store = storeKind(kind);
  if (store === 's3') return s3Options(layers);
  if (store === 'azure') return azureOptions(layers);
  if (store === 'gcs') return gcsOptions(layers);
  const options = { ...(layers.remote?.config.options ?? {}) };
  return { options, summary: { remote: layers.remote?.name, options: Object.keys(options) } };
}

// First defined, non-empty value.
function first<T>(...values: Array<T | undefined>): T | undefined {
  return values.find((value) => value !== undefined && value !== '');
}

async function s3Options({ flags, env, remote, cwd }: OptionLayers): Promise<ResolvedOptions> {
  const r = remote?.config ?? {};
  const endpoint = first(
    flags.endpoint,
    env.PARTCOPY_S3_ENDPOINT,
    env.AWS_ENDPOINT_URL_S3,
    env.AWS_ENDPOINT_URL,
    r.endpoint,
  );
  const region = first(
    flags.region,
    env.PARTCOPY_S3_REGION,
    env.AWS_REGION,
    env.AWS_DEFAULT_REGION,
    r.region,
  );
  const options: Record<string, unknown> = {};
  const clientConfig: Record<string, unknown> = {};
  if (endpoint) options.endpoint = endpoint;
  if (region) options.region = region;
  const pathStyle = first(env.PARTCOPY_S3_FORCE_PATH_STYLE, r.forcePathStyle?.toString());
  if (pathStyle) options.forcePathStyle = parseBoolean(pathStyle, 'PARTCOPY_S3_FORCE_PATH_STYLE');
  // aws-cli's order: an explicit --profile beats key variables; then keys from the environment,
  // then AWS_PROFILE, then the remote's keys or profile; else the SDK's default chain (SSO, IMDS, ...).
  let credentials: string;
  const envKeys = env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY;
  if (flags.profile) {
    clientConfig.profile = flags.profile;
    credentials = `profile ${flags.profile} (--profile)`;
  } else if (envKeys) {
    options.credentials = {
      accessKeyId: env.AWS_ACCESS_KEY_ID,
      secretAccessKey: env.AWS_SECRET_ACCESS_KEY,
      ...(env.AWS_SESSION_TOKEN ? { sessionToken: env.AWS_SESSION_TOKEN } : {}),
    };
    credentials = 'environment (AWS_ACCESS_KEY_ID)';
  } else if (env.AWS_PROFILE) {
    clientConfig.profile = env.AWS_PROFILE;
    credentials = `profile ${env.AWS_PROFILE} (AWS_PROFILE)`;
  } else if (r.accessKeyId && r.secretAccessKey) {
    options.credentials = {
      accessKeyId: r.accessKeyId,
      secretAccessKey: r.secretAccessKey,
      ...(r.sessionToken ? { sessionToken: r.sessionToken } : {}),
    };
    credentials = `remote ${remote?.name}`;
  } else if (r.profile) {
    clientConfig.profile = r.profile;
    credentials = `profile ${r.profile} (remote ${remote?.name})`;
  } else credentials = 'the AWS SDK default chain (environment, shared config and SSO, container, IMDS)';
  // A profile's endpoint_url is applied by the SDK itself, but the provider picks path-style
  // addressing (which S3-compatible servers need) only for an endpoint it is given: read it with
  // the SDK's own shared-config loader and pass it on.
  const profile = clientConfig.profile as string | undefined;
  if (!endpoint && profile) {
    const fromProfile = await profileEndpoint(profile, env);
    if (fromProfile) options.endpoint = fromProfile;
  }
  const tls = tlsSettings(flags, env.AWS_CA_BUNDLE, r, cwd);
  if (tls.agent) clientConfig.requestHandler = { httpsAgent: tls.agent };
  if (Object.keys(clientConfig).length > 0) options.clientConfig = clientConfig;
  return {
    options,
    summary: {
      endpoint: options.endpoint,
      region,
      profile: clientConfig.profile,
      credentials,
      tls: tls.summary,
      remote: remote?.name,
    },
  };
}

// `endpoint_url` of the profile, or of its `services` section for s3, as the SDK reads them.
async function profileEndpoint(
  profile: string,
  env: Record<string, string | undefined>,
): Promise<string | undefined> {
  const { loadSharedConfigFiles } = await import('@smithy/core/config');
  const files = await loadSharedConfigFiles({
    ...(env.AWS_SHARED_CREDENTIALS_FILE ? { filepath: env.AWS_SHARED_CREDENTIALS_FILE } : {}),
    ...(env.AWS_CONFIG_FILE ? { configFilepath: env.AWS_CONFIG_FILE } : {}),
  });
  const section = files.configFile?.[profile] ?? files.credentialsFile?.[profile];
  if (!section) return undefined;
  const services = section.services ? files.configFile?.[`services.${section.services}`] : undefined;
  return services?.['s3.endpoint_url'] ?? section.endpoint_url;
}

async function azureOptions({ flags, env, remote }: OptionLayers): Promise<ResolvedOptions> {
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

function gcsOptions({ flags, env, remote, cwd }: OptionLayers): ResolvedOptions {
  const r = remote?.config ?? {};
  refuseTlsFlags('gs', flags, r);
  const options: Record<string, unknown> = {};
  const endpoint = first(flags.endpoint, r.endpoint);
  if (endpoint) options.apiEndpoint = endpoint;
  const keyFile = first(r.keyFile, env.GOOGLE_APPLICATION_CREDENTIALS);
  if (r.keyFile) options.keyFilename = resolve(cwd, r.keyFile);
  // GOOGLE_CLOUD_PROJECT is read by the factory; otherwise the project named in the
  // credentials file, as gcloud and the SDK's ADC do. An emulator (STORAGE_EMULATOR_HOST, or an
  // endpoint without a key file) has no real projects, but the SDK builds no request without one:
  // it gets a fixed name rather than a failure.
  const emulator = env.STORAGE_EMULATOR_HOST;
  const local = Boolean(emulator || ((endpoint || env.PARTCOPY_GCS_ENDPOINT) && !keyFile));
  const project = first(
    env.PARTCOPY_GCS_PROJECT,
    env.GOOGLE_CLOUD_PROJECT,
    r.project,
    projectOfKeyFile(keyFile, cwd),
    local ? EMULATOR_PROJECT : undefined,
  );
  if (project) options.projectId = project;
  const streaming = env.PARTCOPY_GCS_CLIENT_STREAMING;
  if (streaming) options.allowClientStreaming = parseBoolean(streaming, 'PARTCOPY_GCS_CLIENT_STREAMING');
  return {
    options,
    summary: {
      endpoint: endpoint ?? env.PARTCOPY_GCS_ENDPOINT ?? emulator,
      project,
      credentials: local
        ? 'none (emulator / custom endpoint)'
        : keyFile
          ? `key file ${keyFile}`
          : 'Application Default Credentials',
      remote: remote?.name,
    },
  };
}

/** The project an emulator's buckets are made in when nothing names one. */
export const EMULATOR_PROJECT = 'partcopy-local';

function projectOfKeyFile(path: string | undefined, cwd: string): string | undefined {
  if (!path) return undefined;
  try {
    const parsed = JSON.parse(readFileSync(resolve(cwd, path), 'utf8')) as {
      project_id?: unknown;
      quota_project_id?: unknown;
    };
    const project = parsed.project_id ?? parsed.quota_project_id;
    return typeof project === 'string' ? project : undefined;
  } catch {
    return undefined; // the SDK reports an unreadable key file itself, in its own words
  }
}

interface Tls {
  agent?: Agent;
  summary?: string;
}

function tlsSettings(
  flags: FlagSettings,
  envBundle: string | undefined,
  remote: RemoteConfig,
  cwd: string,
): Tls {
  const verify = first(flags.verifySsl, remote.verifySsl) ?? true;
  const bundle = first(flags.caBundle, envBundle, remote.caBundle);
  if (verify && !bundle) return {};
  let ca: Buffer | undefined;
  if (bundle) {
    try {
      ca = readFileSync(resolve(cwd, bundle));
    } catch (error) {
      throw new UsageError(
        `--ca-bundle: cannot read ${bundle} (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
      );
    }
  }
  return {
    agent: new Agent({ keepAlive: true, rejectUnauthorized: verify, ...(ca ? { ca } : {}) }),
    summary: verify ? `CA bundle ${bundle}` : 'certificate not verified (--no-verify-ssl)',
  };
}

function refuseTlsFlags(scheme: string, flags: FlagSettings, remote: RemoteConfig): void {
  if (flags.verifySsl === false || flags.caBundle || remote.caBundle || remote.verifySsl === false) {
    throw new PartCopyError(
      'Unsupported',
      `--ca-bundle and --no-verify-ssl apply to s3:// only; for ${scheme}:// start partcopy with NODE_EXTRA_CA_CERTS=FILE to trust another CA`,
      { operation: 'resolve' },
    );
  }
}

function stripQuery(url: string): string {
  const at = url.indexOf('?');
  return at === -1 ? url : url.slice(0, at);
}

function parseBoolean(value: string, name: string): boolean {
  if (/^(1|true|yes|on)$/i.test(value)) return true;
  if (/^(0|false|no|off)$/i.test(value)) return false;
  throw new UsageError(`${name} must be true or false, got "${value}"`);
}
