// The environment contract between these servers and every integration test. Adapters are
// written against these exact names: rename nothing.

/** The servers this package runs. `s3alt` is the second, independent S3 implementation (moto). */
export type ServerName = 'minio' | 'minio-tls' | 's3alt' | 'azurite' | 'gcs' | 'redis' | 'toxiproxy';

export const SERVER_NAMES: readonly ServerName[] = [
  'minio',
  'minio-tls',
  's3alt',
  'azurite',
  'gcs',
  'redis',
  'toxiproxy',
];

export interface MinioEnv {
  PARTCOPY_MINIO_ENDPOINT: string;
  PARTCOPY_MINIO_ACCESS_KEY: string;
  PARTCOPY_MINIO_SECRET_KEY: string;
}

export interface MinioTlsEnv {
  PARTCOPY_MINIO_TLS_ENDPOINT: string;
  PARTCOPY_MINIO_TLS_CA_FILE: string;
  PARTCOPY_MINIO_ACCESS_KEY: string;
  PARTCOPY_MINIO_SECRET_KEY: string;
}

export interface S3AltEnv {
  PARTCOPY_S3ALT_ENDPOINT: string;
  PARTCOPY_S3ALT_ACCESS_KEY: string;
  PARTCOPY_S3ALT_SECRET_KEY: string;
  PARTCOPY_S3ALT_NAME: string;
}

export interface AzuriteEnv {
  PARTCOPY_AZURITE_BLOB_ENDPOINT: string;
  PARTCOPY_AZURITE_ACCOUNT: string;
  PARTCOPY_AZURITE_KEY: string;
  PARTCOPY_AZURITE_CONNECTION_STRING: string;
}

export interface GcsEnv {
  PARTCOPY_GCS_ENDPOINT: string;
  PARTCOPY_GCS_PROJECT: string;
}

/** redis-server (the Debian package) for the fleet's job queue: `redis://127.0.0.1:PORT`. */
export interface RedisEnv {
  PARTCOPY_REDIS_URL: string;
}

/** Toxiproxy's HTTP API; the fault matrix creates its proxies there. */
export interface ToxiproxyEnv {
  PARTCOPY_TOXIPROXY_URL: string;
}

export interface ServerEnvMap {
  minio: MinioEnv;
  'minio-tls': MinioTlsEnv;
  s3alt: S3AltEnv;
  azurite: AzuriteEnv;
  gcs: GcsEnv;
  redis: RedisEnv;
  toxiproxy: ToxiproxyEnv;
}

/** Which variables each server provides (the TLS instance shares the plain one's credentials). */
export const SERVER_ENV_VARS: { readonly [K in ServerName]: readonly (keyof ServerEnvMap[K])[] } = {
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
  azurite: [
    'PARTCOPY_AZURITE_BLOB_ENDPOINT',
    'PARTCOPY_AZURITE_ACCOUNT',
    'PARTCOPY_AZURITE_KEY',
    'PARTCOPY_AZURITE_CONNECTION_STRING',
  ],
  gcs: ['PARTCOPY_GCS_ENDPOINT', 'PARTCOPY_GCS_PROJECT'],
  redis: ['PARTCOPY_REDIS_URL'],
  toxiproxy: ['PARTCOPY_TOXIPROXY_URL'],
};

const DESCRIPTIONS: { readonly [K in ServerName]: string } = {
  minio: 'MinIO (plain http)',
  'minio-tls': 'MinIO over TLS (needed for SSE-C)',
  s3alt: 'the second S3 implementation (moto server)',
  azurite: 'Azurite (Azure Blob emulator)',
  gcs: 'fake-gcs-server (GCS emulator)',
  redis: 'redis-server (the job queue of @partcopy/fleet)',
  toxiproxy: 'Toxiproxy (TCP fault injector of the fault matrix)',
};

export function describeServer(name: ServerName): string {
  return DESCRIPTIONS[name];
}

/** How to get servers, quoted by every "missing server" error. */
export const HOW_TO_START =
  'Run the tests through vitest from the repository root (its global set-up starts the servers; ' +
  'do not set PARTCOPY_SERVERS=off), or start them yourself with ' +
  '`eval "$(node packages/test-servers/src/cli.ts start)"` (after `node packages/test-servers/src/cli.ts install`).';

/**
 * Returns the variables for one server, or throws an error naming the server, the missing
 * variables and how to start it. Integration tests call this at the top so that a missing server
 * fails loudly instead of skipping.
 */
export function requireServerEnv<N extends ServerName>(
  name: N,
  env: NodeJS.ProcessEnv = process.env,
): ServerEnvMap[N] {
  const vars = SERVER_ENV_VARS[name] as readonly string[];
  if (!vars) {
    throw new Error(`requireServerEnv: unknown server "${String(name)}"; known: ${SERVER_NAMES.join(', ')}`);
  }
  const missing = vars.filter((v) => !env[v]);
  if (missing.length > 0) {
    throw new Error(
      `Integration test needs ${DESCRIPTIONS[name]} (server "${name}"), but ${missing.join(', ')} ` +
        `${missing.length === 1 ? 'is' : 'are'} not set. ${HOW_TO_START}`,
    );
  }
  const out: Record<string, string> = {};
  for (const v of vars) out[v] = env[v] as string;
  return out as unknown as ServerEnvMap[N];
}
