// How each tool reaches each test server: the environment of a partcopy, rclone or aws child
// process, given the server's (or a counting proxy's) endpoint. Nothing is read from the user's
// own configuration: every tool gets explicit keys and an empty config.
import { fileURLToPath } from 'node:url';
import type { AzuriteEnv, GcsEnv, MinioEnv } from '@partcopy/test-servers';
import { AWS, RCLONE, rcloneEnv } from './tools.ts';

export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
/** The CLI as README's "run the CLI from the repository" says: built, then run with node. */
export const PARTCOPY_BIN = `${REPO_ROOT}packages/cli/dist/bin.js`;

export function partcopyArgv(args: readonly string[]): string[] {
  return [process.execPath, PARTCOPY_BIN, ...args];
}

/** The parent's environment without anything that would point a tool at another store or config. */
function cleanEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const name of Object.keys(env)) {
    if (/^(AWS_|RCLONE_|AZURE_|GOOGLE_|STORAGE_EMULATOR_HOST$|PARTCOPY_)/.test(name)) delete env[name];
  }
  delete env.NODE_OPTIONS;
  return env;
}

export interface S3Target {
  endpoint: string;
  accessKey: string;
  secretKey: string;
}

export function minioTarget(minio: MinioEnv, endpoint = minio.PARTCOPY_MINIO_ENDPOINT): S3Target {
  return { endpoint, accessKey: minio.PARTCOPY_MINIO_ACCESS_KEY, secretKey: minio.PARTCOPY_MINIO_SECRET_KEY };
}

export function partcopyS3Env(t: S3Target): NodeJS.ProcessEnv {
  return {
    ...cleanEnv(),
    PARTCOPY_S3_ENDPOINT: t.endpoint,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: t.accessKey,
    AWS_SECRET_ACCESS_KEY: t.secretKey,
  };
}

export function partcopyAzureEnv(azurite: AzuriteEnv, blobEndpoint = azurite.PARTCOPY_AZURITE_BLOB_ENDPOINT) {
  return {
    ...cleanEnv(),
    AZURE_STORAGE_CONNECTION_STRING:
      `DefaultEndpointsProtocol=http;AccountName=${azurite.PARTCOPY_AZURITE_ACCOUNT};` +
      `AccountKey=${azurite.PARTCOPY_AZURITE_KEY};BlobEndpoint=${blobEndpoint};`,
  };
}

export function partcopyGcsEnv(gcs: GcsEnv, endpoint = gcs.PARTCOPY_GCS_ENDPOINT, streaming = false) {
  return {
    ...cleanEnv(),
    PARTCOPY_GCS_ENDPOINT: endpoint,
    PARTCOPY_GCS_PROJECT: gcs.PARTCOPY_GCS_PROJECT,
    PARTCOPY_GCS_CLIENT_STREAMING: String(streaming),
  };
}

/** aws-cli with the keys in its environment and no config or credentials file of the user's. */
export function awsEnv(t: S3Target, emptyConfig: string): NodeJS.ProcessEnv {
  return {
    ...cleanEnv(),
    AWS_ACCESS_KEY_ID: t.accessKey,
    AWS_SECRET_ACCESS_KEY: t.secretKey,
    AWS_DEFAULT_REGION: 'us-east-1',
    AWS_CONFIG_FILE: emptyConfig,
    AWS_SHARED_CREDENTIALS_FILE: emptyConfig,
    AWS_PAGER: '',
  };
}

/** rclone's remote `bench:` (s3, MinIO flavour) configured by environment variables alone. */
export function rcloneS3Env(t: S3Target): NodeJS.ProcessEnv {
  return rcloneEnv({
    ...cleanEnv(),
    RCLONE_CONFIG_BENCH_TYPE: 's3',
    RCLONE_CONFIG_BENCH_PROVIDER: 'Minio',
    RCLONE_CONFIG_BENCH_ENV_AUTH: 'false',
    RCLONE_CONFIG_BENCH_ACCESS_KEY_ID: t.accessKey,
    RCLONE_CONFIG_BENCH_SECRET_ACCESS_KEY: t.secretKey,
    RCLONE_CONFIG_BENCH_ENDPOINT: t.endpoint,
    RCLONE_CONFIG_BENCH_REGION: 'us-east-1',
  });
}

/** The three managed copies compared, as argv for one source and destination key. */
export function copyCommands(bucket: string, src: string, dst: string, emptyConfig: string) {
  return {
    partcopy: (t: S3Target) => ({
      argv: partcopyArgv(['cp', `s3://${bucket}/${src}`, `s3://${bucket}/${dst}`, '--json']),
      env: partcopyS3Env(t),
    }),
    rclone: (t: S3Target) => ({
      argv: [RCLONE, '--config', emptyConfig, 'copyto', `bench:${bucket}/${src}`, `bench:${bucket}/${dst}`],
      env: rcloneS3Env(t),
    }),
    aws: (t: S3Target) => ({
      argv: [
        AWS,
        's3',
        'cp',
        '--only-show-errors',
        '--endpoint-url',
        t.endpoint,
        `s3://${bucket}/${src}`,
        `s3://${bucket}/${dst}`,
      ],
      env: awsEnv(t, emptyConfig),
    }),
  };
}
