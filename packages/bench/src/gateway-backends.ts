// The stores the gateway bench measures, each as the gateway opens it (`serve s3 --backend`, with
// the environment that reaches the store) and as this process opens it directly.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { createAzureProvider } from '@partcopy/azure';
import { createFsProvider } from '@partcopy/fs';
import { createGcsProvider } from '@partcopy/gcs';
import { createMemoryProvider } from '@partcopy/memory';
import type { AzuriteEnv, GcsEnv } from '@partcopy/test-servers';
import type { GatewayBackend } from './gateway-throughput.ts';
import { partcopyAzureEnv, partcopyGcsEnv } from './stores.ts';

export function gatewayBackends(workDir: string, azurite: AzuriteEnv, gcs: GcsEnv): GatewayBackend[] {
  const root = join(workDir, 'gateway-store');
  mkdirSync(root, { recursive: true });
  return [
    { name: 'fs', url: `file://${root}`, bucket: 'bench', open: () => createFsProvider({ root }) },
    {
      name: 'memory',
      url: 'memory:',
      bucket: 'bench',
      open: () => createMemoryProvider(),
      separateStore: true,
    },
    {
      name: 'azurite',
      url: 'az://bench-gateway',
      bucket: 'bench-gateway',
      env: partcopyAzureEnv(azurite),
      open: () =>
        createAzureProvider({
          url: azurite.PARTCOPY_AZURITE_BLOB_ENDPOINT,
          accountName: azurite.PARTCOPY_AZURITE_ACCOUNT,
          accountKey: azurite.PARTCOPY_AZURITE_KEY,
          stagingTier: 'Hot',
        }),
    },
    {
      name: 'fake-gcs',
      url: 'gs://bench-gateway',
      bucket: 'bench-gateway',
      // Ranges GCS cannot copy on the server stream through the gateway, as they do directly.
      env: partcopyGcsEnv(gcs, gcs.PARTCOPY_GCS_ENDPOINT, true),
      open: () =>
        createGcsProvider({ apiEndpoint: gcs.PARTCOPY_GCS_ENDPOINT, projectId: gcs.PARTCOPY_GCS_PROJECT }),
    },
  ];
}
