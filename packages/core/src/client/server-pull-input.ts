/**
 * Validation of a server-side pull's two calls (sign a read URL; stage a part from a URL). The
 * URL is a secret: no message here quotes it, so a refusal can name the field and no more.
 */
import type * as P from '../contract/provider-contract.js';
import { describeValue, PartCopyError } from '../errors/part-copy-error.js';
import type { CapabilityGate } from '../pipeline/capability-gate.js';
import { parseByteRange } from '../semantics/byte-range.js';
import type * as In from './inputs.js';
import { checkBucket, checkKey, checkPartNumber, requireString } from './validate.js';

/** The longest a signed read URL may live: S3's and Azure's limit for a signature, 7 days. */
export const MAX_PRESIGN_SECONDS = 7 * 24 * 60 * 60;

/** A read URL's request: the object, its version (if versions exist here), range and lifetime. */
export function normalisePresignGet(
  input: In.PresignGetObjectInput,
  gate: CapabilityGate,
): P.PresignGetObjectRequest {
  const bucket = checkBucket(input.bucket);
  const request: P.PresignGetObjectRequest = {
    bucket,
    key: checkKey(input.key),
    expiresInSeconds: checkExpiry(input.expiresInSeconds),
  };
  if (input.versionId !== undefined) {
    request.versionId = requireString(input.versionId, 'versionId');
    gate.require(bucket, 'versionedSources', 'signing a read of a version (versionId)');
  }
  if (input.range !== undefined) request.range = parseByteRange(input.range, 'range');
  return request;
}

/** A part staged from a URL: the upload, the part number, the URL (http or https) and its range. */
export function normaliseUploadFromUrl(
  input: In.UploadPartFromUrlInput,
  gate: CapabilityGate,
): P.UploadPartFromUrlRequest {
  const bucket = checkBucket(input.bucket);
  const request: P.UploadPartFromUrlRequest = {
    bucket,
    key: checkKey(input.key),
    uploadId: requireString(input.uploadId, 'uploadId'),
    partNumber: checkPartNumber(input.partNumber, gate.for(bucket).maxParts),
    sourceUrl: checkSourceUrl(input.sourceUrl),
    range: parseByteRange(requireRange(input.range), 'range'),
  };
  if (input.sourceIfMatch !== undefined)
    request.sourceIfMatch = requireString(input.sourceIfMatch, 'sourceIfMatch');
  return request;
}

function checkExpiry(value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > MAX_PRESIGN_SECONDS) {
    throw new PartCopyError(
      'InvalidArgument',
      `expiresInSeconds must be an integer from 1 to ${MAX_PRESIGN_SECONDS} (7 days) (got ${describeValue(value)})`,
    );
  }
  return value;
}

function requireRange(value: unknown): In.UploadPartFromUrlInput['range'] {
  if (value === undefined) throw new PartCopyError('InvalidArgument', 'range is required');
  return value as In.UploadPartFromUrlInput['range'];
}

// The message never quotes the value: a URL that fails here may still carry a signature.
function checkSourceUrl(value: unknown): string {
  const bad = new PartCopyError('InvalidArgument', 'sourceUrl must be an absolute http or https URL');
  if (typeof value !== 'string') throw bad;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw bad;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw bad;
  return value;
}
