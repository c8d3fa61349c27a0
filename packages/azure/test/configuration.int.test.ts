// Every way of configuring the provider reaches the same account and copies on the server.
import {
  BlobServiceClient,
  ContainerSASPermissions,
  generateBlobSASQueryParameters,
  StorageSharedKeyCredential,
} from '@azure/storage-blob';
import { collectBytes } from '@partcopy/core';
import { toPayload } from '@partcopy/core/provider';
import { describe, expect, it } from 'vitest';
import { type AzureProviderOptions, azureProviderFactory, createAzureProvider } from '../src/index.js';
import { azuriteOptions, azuriteProvider, ctx, requireAzuriteEnv, withContainer } from './azurite-setup.js';

async function copiesOnServer(options: AzureProviderOptions, bucket: string): Promise<string> {
  const provider = createAzureProvider(options);
  const up = await provider.createMultipartUpload({ bucket, key: 'out' }, ctx());
  const part = await provider.uploadPartCopy(
    {
      bucket,
      key: 'out',
      uploadId: up.uploadId,
      partNumber: 1,
      source: { bucket, key: 'src' },
      range: { start: 2, end: 5 },
      conditions: {},
    },
    ctx(),
  );
  await provider.completeMultipartUpload(
    { bucket, key: 'out', uploadId: up.uploadId, parts: [{ partNumber: 1, etag: part.copyPartResult.etag }] },
    ctx(),
  );
  return Buffer.from(
    await collectBytes((await provider.getObject({ bucket, key: 'out' }, ctx())).body),
  ).toString();
}

describe('azure provider configuration on Azurite', () => {
  it('works from a connection string, an injected client, the registry factory and account + key', async () => {
    const env = requireAzuriteEnv();
    const connectionString =
      `DefaultEndpointsProtocol=http;AccountName=${env.PARTCOPY_AZURITE_ACCOUNT};` +
      `AccountKey=${env.PARTCOPY_AZURITE_KEY};BlobEndpoint=${env.PARTCOPY_AZURITE_BLOB_ENDPOINT};`;
    const seed = azuriteProvider();
    await withContainer(seed, async (bucket) => {
      await seed.putObject({ bucket, key: 'src', body: toPayload('0123456789') }, ctx());
      expect(await copiesOnServer({ connectionString }, bucket)).toBe('2345');
      const injected = new BlobServiceClient(
        env.PARTCOPY_AZURITE_BLOB_ENDPOINT,
        new StorageSharedKeyCredential(env.PARTCOPY_AZURITE_ACCOUNT, env.PARTCOPY_AZURITE_KEY),
      );
      expect(await copiesOnServer({ serviceClient: injected }, bucket)).toBe('2345');
      expect(await copiesOnServer(azuriteOptions(), bucket)).toBe('2345');
      const fromFactory = await azureProviderFactory.create(
        {},
        { AZURE_STORAGE_CONNECTION_STRING: connectionString },
      );
      expect(fromFactory.name).toBe('azure');
      expect((await fromFactory.listObjects({ bucket }, ctx())).objects.map((o) => o.key)).toEqual([
        'out',
        'src',
      ]);
      // A SAS client: the source URL inherits the client's SAS. A container SAS is used because
      // Azurite 3.37.0 has no account-SAS permission entry for Put Block From URL (it answers 500).
      const containerSas = generateBlobSASQueryParameters(
        {
          containerName: bucket,
          permissions: ContainerSASPermissions.parse('racwdl'),
          expiresOn: new Date(Date.now() + 600_000),
        },
        new StorageSharedKeyCredential(env.PARTCOPY_AZURITE_ACCOUNT, env.PARTCOPY_AZURITE_KEY),
      ).toString();
      const sasUrl = `${env.PARTCOPY_AZURITE_BLOB_ENDPOINT}?${containerSas}`;
      expect(createAzureProvider({ url: sasUrl }).native.sourceAuth).toBe('sas');
      expect(await copiesOnServer({ url: sasUrl }, bucket)).toBe('2345');
    });
  });
});
