/**
 * Validation of the bucket versioning calls: the state set by PutBucketVersioning and the
 * paging fields of ListObjectVersions, with S3's defaults and limits.
 */
import type * as V from '../contract/bucket-versioning.js';
import { describeValue, PartCopyError } from '../errors/part-copy-error.js';
import type * as In from './inputs.js';
import { checkBucket, requireString } from './validate.js';

/** S3 lists at most 1,000 entries per page, and that many when asked for more or for none. */
export const MAX_VERSION_KEYS = 1000;

const STATUSES: readonly V.BucketVersioningStatus[] = ['Enabled', 'Suspended'];

export function normalisePutBucketVersioning(
  input: In.PutBucketVersioningInput,
): V.PutBucketVersioningRequest {
  const bucket = checkBucket(input.bucket);
  if (!STATUSES.includes(input.status)) {
    throw new PartCopyError(
      'InvalidArgument',
      `status must be "Enabled" or "Suspended" (got ${describeValue(input.status)})`,
    );
  }
  return { bucket, status: input.status };
}

export function normaliseListObjectVersions(input: In.ListObjectVersionsInput): V.ListObjectVersionsRequest {
  const request: V.ListObjectVersionsRequest = {
    bucket: checkBucket(input.bucket),
    maxKeys: Math.min(input.maxKeys ?? MAX_VERSION_KEYS, MAX_VERSION_KEYS),
  };
  // Empty strings are S3's "not given" for every one of these query parameters.
  if (input.prefix) request.prefix = input.prefix;
  if (input.delimiter) request.delimiter = input.delimiter;
  if (input.keyMarker) request.keyMarker = input.keyMarker;
  if (input.versionIdMarker !== undefined && input.versionIdMarker !== '') {
    if (request.keyMarker === undefined) {
      throw new PartCopyError(
        'InvalidArgument',
        'A version-id marker cannot be specified without a key marker.',
      );
    }
    request.versionIdMarker = requireString(input.versionIdMarker, 'versionIdMarker');
  }
  return request;
}
