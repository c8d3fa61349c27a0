/**
 * Providers for the real servers the test-servers package starts (MinIO over http and TLS, and
 * the second S3 implementation), read from its environment contract. A missing server throws
 * (requireServerEnv): integration tests fail loudly, never skip.
 */
import { readFileSync } from 'node:fs';
import { Agent } from 'node:https';
import { S3Provider, type S3ProviderOptions } from '../../src/index.js';

// The variables of the test-servers environment contract. Read here rather than through
// @partcopy/test-servers' requireServerEnv because that package's sources use `.ts` import
// specifiers this package's compiler settings reject; the failure is just as loud.
const SERVERS = {
  minio: ['PARTCOPY_MINIO_ENDPOINT', 'PARTCOPY_MINIO_ACCESS_KEY', 'PARTCOPY_MINIO_SECRET_KEY'],
  'minio-tls': [
    'PARTCOPY_MINIO_TLS_ENDPOINT',
    'PARTCOPY_MINIO_TLS_CA_FILE',
    'PARTCOPY_MINIO_ACCESS_KEY',
    'PARTCOPY_MINIO_SECRET_KEY',
  ],
  s3alt: [
    'PARTCOPY_S3ALT_ENDPOINT',
    'PARTCOPY_S3ALT_ACCESS_KEY',
    'PARTCOPY_S3ALT_SECRET_KEY',
    'PARTCOPY_S3ALT_NAME',
  ],
} as const;

type ServerVars<N extends keyof typeof SERVERS> = Record<(typeof SERVERS)[N][number], string>;

/** The server's variables, or an error naming what is missing: integration tests never skip. */
export function requireServerEnv<N extends keyof typeof SERVERS>(name: N): ServerVars<N> {
  const names = SERVERS[name] as readonly string[];
  const missing = names.filter((v) => !process.env[v]);
  if (missing.length > 0) {
    throw new Error(
      `@partcopy/s3 integration tests need the "${name}" test server, but ${missing.join(', ')} ` +
        'not set. Run them through vitest from the repository root (its global set-up starts the servers) ' +
        'or start them with `node packages/test-servers/src/cli.ts start`.',
    );
  }
  return Object.fromEntries(names.map((v) => [v, process.env[v] as string])) as ServerVars<N>;
}

/** MinIO over plain http. */
export function minioProvider(options: S3ProviderOptions = {}): S3Provider {
  const env = requireServerEnv('minio');
  return new S3Provider({
    endpoint: env.PARTCOPY_MINIO_ENDPOINT,
    credentials: {
      accessKeyId: env.PARTCOPY_MINIO_ACCESS_KEY,
      secretAccessKey: env.PARTCOPY_MINIO_SECRET_KEY,
    },
    env: {},
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
    env: {},
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
    env: {},
    ...options,
  });
}

/** A random bucket name valid everywhere. */
export function randomBucket(prefix = 'pc-s3-'): string {
  return `${prefix}${Math.random().toString(36).slice(2, 10)}${Date.now().toString(36)}`;
}
