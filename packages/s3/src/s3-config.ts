/**
 * Provider options and S3 client creation. Callers either inject their own `S3Client` (any
 * configuration, middleware or credentials provider they like) or pass plain configuration.
 */
import { S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';
import type { CapabilityOverrides } from '@partcopy/core/provider';

/** Static credentials, or the SDK's credentials provider (a function returning them). */
export type S3Credentials = NonNullable<S3ClientConfig['credentials']>;

/** Options of {@link createS3Provider}: a ready `client`, or plain configuration to make one. */
export interface S3ProviderOptions {
  /**
   * A ready client. When given, region/endpoint/credentials/forcePathStyle/clientConfig are
   * ignored, and the client keeps its own retry settings: give it `maxAttempts: 1`, or pass
   * `retry: false` to the PartCopyClient, so that attempts do not multiply.
   */
  client?: S3Client;
  /** AWS Region; `us-east-1` when an endpoint is given without one (MinIO, Ceph), else the SDK's default chain. */
  region?: string;
  /** S3-compatible endpoint, e.g. `http://127.0.0.1:9000` or `https://ACCOUNT.r2.cloudflarestorage.com`. */
  endpoint?: string;
  /** Access key pair or a credentials provider; the SDK's default chain when absent. */
  credentials?: S3Credentials;
  /**
   * Path-style addressing (`endpoint/bucket/key`). Defaults to `true` when `endpoint` is set
   * (MinIO, Ceph and most S3-compatible servers need it) and `false` for AWS. Directory buckets
   * cannot be addressed path-style.
   */
  forcePathStyle?: boolean;
  /**
   * Any other `S3ClientConfig` (request handler with a custom CA, logger, ...). `maxAttempts`
   * defaults to 1: `PartCopyClient` is the one retry owner, and SDK retries under it would
   * multiply its attempts and hide them from its events.
   */
  clientConfig?: S3ClientConfig;
  /** Capability changes for an S3-compatible server that lacks a feature (see README). */
  capabilities?: CapabilityOverrides;
  /** Capability changes applied to directory buckets (`--x-s3`) on top of their own table. */
  directoryBucketCapabilities?: CapabilityOverrides;
  /** Work-arounds for S3-compatible servers that answer differently from S3 (see README). */
  compatibility?: S3Compatibility;
  /** Provider name in errors and events. Default `s3`. */
  name?: string;
}

/** Opt-in work-arounds for S3-compatible servers, each costing what its comment says. */
export interface S3Compatibility {
  /**
   * Check that the upload exists before AbortMultipartUpload, so an unknown, aborted or
   * completed upload fails with `NoSuchUpload` as on S3, and look at the key afterwards, so an
   * abort that lost a race with a completion of the same upload says so (`NoSuchUpload`) instead
   * of success. For servers that answer 204 instead (MinIO). Costs a ListMultipartUploads
   * (prefix = key), ListParts (one per 1,000 parts) and a HEAD per abort. Default: on when
   * `endpoint` is set and is not Amazon's (`*.amazonaws.com`), off otherwise; `false` turns it
   * off for a server known to answer as S3 does.
   */
  checkUploadBeforeAbort?: boolean;
}

const ignore = (): void => {};
const silentLogger = { trace: ignore, debug: ignore, info: ignore, warn: ignore, error: ignore };

/** Builds the client from plain configuration, or returns the injected one. */
export function createS3Client(options: S3ProviderOptions): { client: S3Client; owned: boolean } {
  if (options.client) return { client: options.client, owned: false };
  const config: S3ClientConfig = { ...options.clientConfig };
  const region = options.region ?? config.region ?? (options.endpoint ? 'us-east-1' : undefined);
  if (region !== undefined) config.region = region;
  if (options.endpoint !== undefined) config.endpoint = options.endpoint;
  if (options.credentials !== undefined) config.credentials = options.credentials;
  const pathStyle = options.forcePathStyle ?? config.forcePathStyle ?? options.endpoint !== undefined;
  config.forcePathStyle = pathStyle;
  // One retry owner: the PartCopyClient's pipeline retries (and reports) every attempt.
  config.maxAttempts ??= 1;
  // The SDK logs nothing by default, except one line it prints to the console itself when a
  // streamed body's request fails ("non-retryable streaming request"): with the pipeline as the
  // retry owner that line is wrong, and it is noise in a user's terminal. A logger of its own
  // that drops everything keeps the SDK's default silence everywhere.
  config.logger ??= silentLogger;
  return { client: new S3Client(config), owned: true };
}

/**
 * A second client of the same configuration that adds no checksum of its own to requests that do
 * not require one (`requestChecksumCalculation: 'WHEN_REQUIRED'`), for streamed parts whose MD5
 * the caller checks against the part ETag (`md5CheckedByCaller`): the SDK's default CRC32 would
 * be a second pass over every byte. None for an injected client, whose configuration is its
 * owner's.
 */
export function createClientWithoutDefaultChecksum(options: S3ProviderOptions): S3Client | undefined {
  if (options.client) return undefined;
  const clientConfig: S3ClientConfig = {
    ...options.clientConfig,
    requestChecksumCalculation: 'WHEN_REQUIRED',
  };
  return createS3Client({ ...options, clientConfig }).client;
}
