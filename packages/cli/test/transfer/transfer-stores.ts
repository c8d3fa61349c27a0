/**
 * The five kinds of store a transfer runs between, on the servers the test-servers package
 * starts: fs (a temporary root), memory (in-process), MinIO, Azurite and fake-gcs-server. Each
 * comes with a fresh bucket. Azurite reads only from itself, so its foreign-URL pull is off.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAzureProvider } from '@partcopy/azure';
import { PartCopyClient } from '@partcopy/core';
import { createFsProvider } from '@partcopy/fs';
import { createGcsProvider } from '@partcopy/gcs';
import { createMemoryProvider, MemoryStore } from '@partcopy/memory';
import { S3Provider } from '@partcopy/s3';
import { requireServerEnv } from '@partcopy/test-servers';

export type StoreKind = 'fs' | 'memory' | 'minio' | 'azurite' | 'fake-gcs';
export const STORE_KINDS: readonly StoreKind[] = ['fs', 'memory', 'minio', 'azurite', 'fake-gcs'];

export interface TestStore {
  kind: StoreKind;
  client: PartCopyClient;
  bucket: string;
  close(): Promise<void>;
}

export async function openStore(kind: StoreKind): Promise<TestStore> {
  const bucket = `pc-tr-${randomBytes(5).toString('hex')}`;
  let cleanup = async () => {};
  let client: PartCopyClient;
  switch (kind) {
    case 'fs': {
      const root = await mkdtemp(join(tmpdir(), 'partcopy-transfer-fs-'));
      client = new PartCopyClient(createFsProvider({ root }));
      cleanup = () => rm(root, { recursive: true, force: true });
      break;
    }
    case 'memory':
      client = new PartCopyClient(createMemoryProvider({ store: new MemoryStore() }));
      break;
    case 'minio': {
      const env = requireServerEnv('minio');
      client = new PartCopyClient(
        new S3Provider({
          endpoint: env.PARTCOPY_MINIO_ENDPOINT,
          credentials: {
            accessKeyId: env.PARTCOPY_MINIO_ACCESS_KEY,
            secretAccessKey: env.PARTCOPY_MINIO_SECRET_KEY,
          },
        }),
      );
      break;
    }
    case 'azurite': {
      const env = requireServerEnv('azurite');
      client = new PartCopyClient(
        createAzureProvider({
          url: env.PARTCOPY_AZURITE_BLOB_ENDPOINT,
          accountName: env.PARTCOPY_AZURITE_ACCOUNT,
          accountKey: env.PARTCOPY_AZURITE_KEY,
          capabilities: { versionedSources: false, uploadPartFromForeignUrl: false },
          stagingTier: 'Hot',
        }),
      );
      break;
    }
    case 'fake-gcs': {
      const env = requireServerEnv('gcs');
      client = new PartCopyClient(
        createGcsProvider({ apiEndpoint: env.PARTCOPY_GCS_ENDPOINT, projectId: env.PARTCOPY_GCS_PROJECT }),
      );
      break;
    }
  }
  await client.createBucket({ bucket });
  return {
    kind,
    client,
    bucket,
    async close() {
      await emptyBucket(client, bucket).catch(() => {});
      await client.deleteBucket({ bucket }).catch(() => {});
      await client.close();
      await cleanup();
    },
  };
}

async function emptyBucket(client: PartCopyClient, bucket: string): Promise<void> {
  const uploads = await client.listMultipartUploads({ bucket });
  for (const upload of uploads.uploads)
    await client.abortMultipartUpload({ bucket, key: upload.key, uploadId: upload.uploadId }).catch(() => {});
  for (;;) {
    const page = await client.listObjects({ bucket });
    for (const object of page.objects) await client.deleteObject({ bucket, key: object.key });
    if (!page.isTruncated) return;
  }
}

/** Deterministic bytes that do not repeat within a part. */
export function patternBytes(length: number, seed = 1): Uint8Array {
  const out = new Uint8Array(length);
  let x = seed * 2654435761;
  for (let i = 0; i < length; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}
