import { UsageError } from './usage-error.js';

/**
 * The provider options the CLI builds from its environment, per URL scheme. What is mapped is
 * what the provider would not otherwise take from the environment `runCli` was given (the cloud
 * SDKs read `process.env` themselves, which tests running the CLI in-process cannot set per
 * command). Each provider package also reads its own variables from that environment
 * (`AZURE_STORAGE_CONNECTION_STRING`, `PARTCOPY_GCS_ENDPOINT`, ...); all are listed in the README.
 */
export function providerOptionsFromEnv(
  scheme: string,
  env: Record<string, string | undefined>,
): Record<string, unknown> {
  if (scheme === 's3') return s3Options(env);
  if (scheme === 'gs' || scheme === 'gcs') return gcsOptions(env);
  return {};
}

// An endpoint from the environment means an S3-compatible server (MinIO, Ceph, R2, ...): handing
// it to the provider as an option lets the provider pick path-style addressing for it.
function s3Options(env: Record<string, string | undefined>): Record<string, unknown> {
  const options: Record<string, unknown> = {};
  const endpoint = env.PARTCOPY_S3_ENDPOINT || env.AWS_ENDPOINT_URL_S3 || env.AWS_ENDPOINT_URL;
  const region = env.PARTCOPY_S3_REGION || env.AWS_REGION;
  const pathStyle = env.PARTCOPY_S3_FORCE_PATH_STYLE;
  if (endpoint) options.endpoint = endpoint;
  if (region) options.region = region;
  if (pathStyle) options.forcePathStyle = parseBoolean(pathStyle, 'PARTCOPY_S3_FORCE_PATH_STYLE');
  if (env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY) {
    options.credentials = {
      accessKeyId: env.AWS_ACCESS_KEY_ID,
      secretAccessKey: env.AWS_SECRET_ACCESS_KEY,
      ...(env.AWS_SESSION_TOKEN ? { sessionToken: env.AWS_SESSION_TOKEN } : {}),
    };
  }
  return options;
}

function gcsOptions(env: Record<string, string | undefined>): Record<string, unknown> {
  const streaming = env.PARTCOPY_GCS_CLIENT_STREAMING;
  return streaming ? { allowClientStreaming: parseBoolean(streaming, 'PARTCOPY_GCS_CLIENT_STREAMING') } : {};
}

function parseBoolean(value: string, name: string): boolean {
  if (/^(1|true|yes|on)$/i.test(value)) return true;
  if (/^(0|false|no|off)$/i.test(value)) return false;
  throw new UsageError(`${name} must be true or false, got "${value}"`);
}
