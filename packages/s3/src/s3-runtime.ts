/**
 * What every operation of the S3 provider shares: the client, the options, the checksum
 * algorithm of each upload, the per-bucket capabilities the directory-bucket guard reads, and
 * the error context of an operation.
 */
import type { S3Client } from '@aws-sdk/client-s3';
import type { Capabilities, ErrorContext, OperationName, UploadRef } from '@partcopy/core/provider';
import type { S3ProviderOptions } from './s3-config.js';
import type { UploadChecksumAlgorithms } from './upload-checksum-algorithms.js';

export interface S3Runtime {
  client: S3Client;
  /** The same client without the SDK's default request checksum (s3-config.ts); absent for an injected client. */
  clientWithoutDefaultChecksum?: S3Client | undefined;
  /** Provider name in errors and events. */
  name: string;
  options: S3ProviderOptions;
  algorithms: UploadChecksumAlgorithms;
  /** The provider's {@link S3Provider.capabilitiesFor} (directory buckets differ). */
  capabilitiesFor(bucket: string): Readonly<Capabilities>;
}

/** Error context for an operation. */
export function contextOf(rt: S3Runtime, operation: OperationName, extra: ErrorContext): ErrorContext {
  return { provider: rt.name, operation, ...extra };
}

/** Error context for an operation on one upload (and part). */
export function uploadContextOf(
  rt: S3Runtime,
  operation: OperationName,
  request: UploadRef,
  partNumber?: number,
  extra: ErrorContext = {},
): ErrorContext {
  return contextOf(rt, operation, {
    bucket: request.bucket,
    key: request.key,
    uploadId: request.uploadId,
    partNumber,
    ...extra,
  });
}
