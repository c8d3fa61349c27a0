/**
 * The test stores by label, as a worker resolves them: each process builds its own clients from
 * the test servers' environment, so no credential ever travels in a job.
 */
import { createAzureProvider } from '@partcopy/azure';
import { PartCopyClient, type Provider } from '@partcopy/core';
import { createGcsProvider } from '@partcopy/gcs';
import { S3Provider } from '@partcopy/s3';
import { requireServerEnv } from '@partcopy/test-servers';

export type StoreLabel = 'minio' | 'azurite' | 'gcs';

export function providerFor(label: string): Provider {
  switch (label) {
    case 'minio': {
      const env = requireServerEnv('minio');
      return new S3Provider({
        endpoint: env.PARTCOPY_MINIO_ENDPOINT,
        credentials: {
          accessKeyId: env.PARTCOPY_MINIO_ACCESS_KEY,
          secretAccessKey: env.PARTCOPY_MINIO_SECRET_KEY,
        },
      });
    }
    case 'azurite':
      return createAzureProvider({
        connectionString: requireServerEnv('azurite').PARTCOPY_AZURITE_CONNECTION_STRING,
      });
    case 'gcs': {
      const env = requireServerEnv('gcs');
      return createGcsProvider({
        apiEndpoint: env.PARTCOPY_GCS_ENDPOINT,
        projectId: env.PARTCOPY_GCS_PROJECT,
      });
    }
    default:
      throw new Error(`no test store labelled ${label}`);
  }
}

export function clientFor(label: string): PartCopyClient {
  return new PartCopyClient(providerFor(label));
}

export function randomBucket(prefix = 'fleet-'): string {
  return `${prefix}${Math.random().toString(36).slice(2, 10)}${Date.now().toString(36)}`;
}
