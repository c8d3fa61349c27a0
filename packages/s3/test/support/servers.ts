/**
 * Providers for the real servers the test-servers package starts (MinIO over http and TLS, and
 * the second S3 implementation), read from its environment contract. A missing server throws
 * (`requireServerEnv` of @partcopy/test-servers): integration tests fail loudly, never skip.
 */
import { readFileSync } from 'node:fs';
import { Agent } from 'node:https';
import { requireServerEnv } from '@partcopy/test-servers';
import { S3Provider, type S3ProviderOptions } from '../../src/index.js';

/** MinIO over plain http. */
export function minioProvider(options: S3ProviderOptions = {}): S3Provider {
  const env = requireServerEnv('minio');
  return new S3Provider({
    endpoint: env.PARTCOPY_MINIO_ENDPOINT,
    credentials: {
      accessKeyId: env.PARTCOPY_MINIO_ACCESS_KEY,
      secretAccessKey: env.PARTCOPY_MINIO_SECRET_KEY,
    },
    ...options,
  });
}

/** MinIO over TLS (SSE-C needs it), trusting the test CA. */
export function minioTlsProvider(options: S3ProviderOptions = {}): S3Provider {
  const env = requireServerEnv('minio-tls');
  const ca = readFileSync(env.PARTCOPY_MINIO_TLS_CA_FILE);
  return new S3Provider({
    endpoint: env.PARTCOPY_MINIO_TLS_ENDPOINT,
    credentials: {
      accessKeyId: env.PARTCOPY_MINIO_ACCESS_KEY,
      secretAccessKey: env.PARTCOPY_MINIO_SECRET_KEY,
    },
    clientConfig: { requestHandler: { httpsAgent: new Agent({ ca, keepAlive: true }) } },
    ...options,
  });
}

/** The second S3 implementation (moto). */
export function s3altProvider(options: S3ProviderOptions = {}): S3Provider {
  const env = requireServerEnv('s3alt');
  return new S3Provider({
    endpoint: env.PARTCOPY_S3ALT_ENDPOINT,
    credentials: {
      accessKeyId: env.PARTCOPY_S3ALT_ACCESS_KEY,
      secretAccessKey: env.PARTCOPY_S3ALT_SECRET_KEY,
    },
    ...options,
  });
}

/** A random bucket name valid everywhere. */
export function randomBucket(prefix = 'pc-s3-'): string {
  return `${prefix}${Math.random().toString(36).slice(2, 10)}${Date.now().toString(36)}`;
}
