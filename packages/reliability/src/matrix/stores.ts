/**
 * The stores of the fault matrix: for each, its dialect, the server's address, a provider that
 * talks through the fault proxy, one that talks to the server directly (set-up, checks and
 * clean-up are never faulted), and what counts as a leftover there.
 */
import { createAzureProvider } from '@partcopy/azure';
import type { Provider } from '@partcopy/core/provider';
import { createGcsProvider } from '@partcopy/gcs';
import { S3Provider } from '@partcopy/s3';
import { requireServerEnv } from '@partcopy/test-servers';
import type { Dialect } from '../faults/dialect-errors.ts';

export type StoreName = 'minio' | 'azurite' | 'gcs';

export interface MatrixStore {
  name: StoreName;
  /** What the store is, as the table prints it. */
  label: string;
  dialect: Dialect;
  /** The server, `http://host:port`. */
  upstream(): string;
  /** A provider whose every request goes to `endpoint` (the fault proxy's address). */
  provider(endpoint: string): Provider;
  /** Objects the store's emulation keeps beside user objects (staging blobs, manifests, parts). */
  stagingLeftovers(direct: Provider, bucket: string): Promise<string[]>;
}

const minio: MatrixStore = {
  name: 'minio',
  label: 'MinIO',
  dialect: 's3',
  upstream: () => requireServerEnv('minio').PARTCOPY_MINIO_ENDPOINT,
  provider(endpoint) {
    const env = requireServerEnv('minio');
    return new S3Provider({
      endpoint,
      credentials: {
        accessKeyId: env.PARTCOPY_MINIO_ACCESS_KEY,
        secretAccessKey: env.PARTCOPY_MINIO_SECRET_KEY,
      },
      compatibility: { checkUploadBeforeAbort: true },
    });
  },
  // In-progress uploads are the only place S3 keeps staged bytes; the runner counts them for
  // every store through listMultipartUploads.
  stagingLeftovers: async () => [],
};

const azurite: MatrixStore = {
  name: 'azurite',
  label: 'Azurite',
  dialect: 'azure',
  upstream: () => new URL(requireServerEnv('azurite').PARTCOPY_AZURITE_BLOB_ENDPOINT).origin,
  provider(endpoint) {
    const env = requireServerEnv('azurite');
    return createAzureProvider({
      url: `${endpoint}/${env.PARTCOPY_AZURITE_ACCOUNT}`,
      accountName: env.PARTCOPY_AZURITE_ACCOUNT,
      accountKey: env.PARTCOPY_AZURITE_KEY,
      capabilities: { versionedSources: false },
      stagingTier: 'Hot',
    });
  },
  async stagingLeftovers(direct, bucket) {
    const native = (direct as ReturnType<typeof createAzureProvider>).native;
    const names: string[] = [];
    const container = native.serviceClient.getContainerClient(bucket);
    for await (const blob of container.listBlobsFlat({
      prefix: '.partcopy/',
      includeUncommitedBlobs: true,
    })) {
      names.push(blob.name);
    }
    return names;
  },
};

const gcs: MatrixStore = {
  name: 'gcs',
  label: 'fake-gcs-server',
  dialect: 'gcs',
  upstream: () => requireServerEnv('gcs').PARTCOPY_GCS_ENDPOINT,
  provider(endpoint) {
    return createGcsProvider({
      apiEndpoint: endpoint,
      projectId: requireServerEnv('gcs').PARTCOPY_GCS_PROJECT,
    });
  },
  async stagingLeftovers(direct, bucket) {
    const api = (direct as ReturnType<typeof createGcsProvider>).native.api;
    const page = await api.json<{ items?: { name: string }[] }>('GET', `/b/${encodeURIComponent(bucket)}/o`, {
      query: { prefix: '.partcopy/', versions: 'true' },
      signal: AbortSignal.timeout(60_000),
    });
    return (page.items ?? []).map((item) => item.name);
  },
};

export const STORES: Record<StoreName, MatrixStore> = { minio, azurite, gcs };
