/**
 * A gateway over a store, listening on a free port, and an AWS SDK S3 client pointed at it:
 * what every test of this package talks to. Stores come from the real servers of the
 * test-servers package (a missing server fails loudly) or from memory and a temporary folder.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import { createAzureProvider } from '@partcopy/azure';
import { PartCopyClient, type Provider } from '@partcopy/core';
import { FsProvider } from '@partcopy/fs';
import { createGcsProvider } from '@partcopy/gcs';
import { createMemoryProvider } from '@partcopy/memory';
import { requireServerEnv } from '@partcopy/test-servers';
import {
  createS3Gateway,
  type RequestLogEntry,
  type S3Gateway,
  type S3GatewayOptions,
} from '../../src/index.js';

export const ACCESS_KEY = 'GATEWAYTESTKEY';
export const SECRET_KEY = 'gateway-test-secret-key-0123456789';

export type BackendName = 'memory' | 'fs' | 'azurite' | 'fake-gcs';

export interface RunningGateway {
  gateway: S3Gateway;
  url: string;
  s3: S3Client;
  client: PartCopyClient;
  log: RequestLogEntry[];
  close(): Promise<void>;
}

/** A provider of the named backend and a clean-up for it. */
export async function openBackend(
  name: BackendName,
): Promise<{ provider: Provider; cleanup(): Promise<void> }> {
  switch (name) {
    case 'memory':
      return { provider: createMemoryProvider(), cleanup: async () => {} };
    case 'fs': {
      const root = await mkdtemp(join(tmpdir(), 'pc-gateway-'));
      return {
        provider: new FsProvider({ root }),
        cleanup: () => rm(root, { recursive: true, force: true }),
      };
    }
    case 'azurite': {
      const env = requireServerEnv('azurite');
      const provider = createAzureProvider({
        url: env.PARTCOPY_AZURITE_BLOB_ENDPOINT,
        accountName: env.PARTCOPY_AZURITE_ACCOUNT,
        accountKey: env.PARTCOPY_AZURITE_KEY,
        capabilities: { versionedSources: false },
        stagingTier: 'Hot',
      });
      return { provider, cleanup: async () => {} };
    }
    case 'fake-gcs': {
      const env = requireServerEnv('gcs');
      const provider = createGcsProvider({
        apiEndpoint: env.PARTCOPY_GCS_ENDPOINT,
        projectId: env.PARTCOPY_GCS_PROJECT,
      });
      return { provider, cleanup: async () => {} };
    }
  }
}

export async function startGateway(
  backend: BackendName | Provider,
  options: Partial<S3GatewayOptions> = {},
): Promise<RunningGateway> {
  const opened =
    typeof backend === 'string' ? await openBackend(backend) : { provider: backend, cleanup: async () => {} };
  const client = new PartCopyClient(opened.provider);
  const log: RequestLogEntry[] = [];
  const gateway = createS3Gateway({
    client,
    credentials: [{ accessKeyId: ACCESS_KEY, secretAccessKey: SECRET_KEY }],
    onRequest: (entry) => log.push(entry),
    ...options,
  });
  const url = await gateway.listen();
  const s3 = s3ClientFor(url);
  return {
    gateway,
    url,
    s3,
    client,
    log,
    async close() {
      s3.destroy();
      await gateway.close(1000);
      await client.close();
      await opened.cleanup();
    },
  };
}

export function s3ClientFor(
  url: string,
  credentials = { accessKeyId: ACCESS_KEY, secretAccessKey: SECRET_KEY },
): S3Client {
  return new S3Client({
    endpoint: url,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials,
    maxAttempts: 1,
  });
}

export function randomBucket(prefix = 'gw-'): string {
  return `${prefix}${Math.random().toString(36).slice(2, 10)}${Date.now().toString(36)}`;
}

/** Deterministic bytes of a given length. */
export function patternBytes(length: number, seed = 7): Uint8Array {
  const out = new Uint8Array(length);
  let x = seed * 2654435761;
  for (let i = 0; i < length; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}
