/**
 * Field validators the facade runs once, before any provider call. Each throws a
 * `PartCopyError` with S3's code and a message naming the field.
 */
import type { Capabilities } from '../contract/capabilities.js';
import type { CopySourceConditions } from '../contract/types.js';
import { describeValue, PartCopyError } from '../errors/part-copy-error.js';
import { parseHttpDate } from '../semantics/http-date.js';
import { SseCustomerKey } from '../semantics/sse-customer-key.js';
import type { SseCustomerInput } from './inputs.js';

/** S3 keys are at most 1024 bytes of UTF-8. */
export const MAX_KEY_BYTES = 1024;

export function requireString(value: unknown, field: string): string {
  if (typeof value !== 'string' || value.length === 0) {
    throw new PartCopyError('InvalidArgument', `${field} must be a non-empty string`);
  }
  return value;
}

export function checkBucket(bucket: unknown, field = 'bucket'): string {
  const name = requireString(bucket, field);
  if (name.includes('\0')) throw new PartCopyError('InvalidBucketName', `${field} must not contain NUL`);
  return name;
}

/** Keys: non-empty, valid Unicode (they travel as UTF-8), at most 1024 bytes. */
export function checkKey(key: unknown, field = 'key'): string {
  const name = requireString(key, field);
  if (!name.isWellFormed()) {
    throw new PartCopyError(
      'InvalidArgument',
      `${field} is not valid Unicode (it contains a lone surrogate)`,
    );
  }
  const bytes = Buffer.byteLength(name, 'utf8');
  if (bytes > MAX_KEY_BYTES) {
    throw new PartCopyError(
      'KeyTooLongError',
      `${field} is ${bytes} bytes of UTF-8; the limit is ${MAX_KEY_BYTES}`,
    );
  }
  return name;
}

/** Part numbers: integers 1..maxParts (S3: 1..10000). */
export function checkPartNumber(value: unknown, maxParts: number, field = 'partNumber'): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > maxParts) {
    throw new PartCopyError(
      'InvalidArgument',
      `${field}: Part number must be an integer between 1 and ${maxParts}, inclusive (got ${describeValue(value)})`,
    );
  }
  return value;
}

export function checkOptionalPositiveInteger(value: unknown, field: string): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw new PartCopyError('InvalidArgument', `${field} must be a non-negative integer`);
  }
  return value;
}

function etagList(value: string | string[] | undefined, field: string): string[] | undefined {
  if (value === undefined) return undefined;
  const list = Array.isArray(value) ? value : [value];
  if (list.length === 0) throw new PartCopyError('InvalidArgument', `${field} must name at least one ETag`);
  for (const etag of list) requireString(etag, field);
  return [...list];
}

/** Normalises S3's four copy-source condition fields. */
export function normaliseConditions(input: {
  copySourceIfMatch?: string | string[];
  copySourceIfNoneMatch?: string | string[];
  copySourceIfModifiedSince?: Date | string;
  copySourceIfUnmodifiedSince?: Date | string;
}): CopySourceConditions {
  const conditions: CopySourceConditions = {};
  const ifMatch = etagList(input.copySourceIfMatch, 'copySourceIfMatch');
  const ifNoneMatch = etagList(input.copySourceIfNoneMatch, 'copySourceIfNoneMatch');
  if (ifMatch) conditions.ifMatch = ifMatch;
  if (ifNoneMatch) conditions.ifNoneMatch = ifNoneMatch;
  if (input.copySourceIfModifiedSince !== undefined) {
    conditions.ifModifiedSince = parseHttpDate(input.copySourceIfModifiedSince, 'copySourceIfModifiedSince');
  }
  if (input.copySourceIfUnmodifiedSince !== undefined) {
    conditions.ifUnmodifiedSince = parseHttpDate(
      input.copySourceIfUnmodifiedSince,
      'copySourceIfUnmodifiedSince',
    );
  }
  return conditions;
}

/** Builds an SSE-C key from S3's three fields, or undefined when none is given. */
export function sseKeyFrom(
  algorithm: string | undefined,
  key: string | Uint8Array | undefined,
  keyMD5: string | undefined,
  field: string,
): SseCustomerKey | undefined {
  if (key === undefined) {
    if (algorithm !== undefined || keyMD5 !== undefined) {
      throw new PartCopyError(
        'InvalidArgument',
        `${field}: the SSE-C algorithm and key MD5 need the key itself`,
      );
    }
    return undefined;
  }
  return SseCustomerKey.from(algorithm, key, keyMD5, field);
}

export function destinationSseKey(input: SseCustomerInput): SseCustomerKey | undefined {
  return sseKeyFrom(
    input.sseCustomerAlgorithm,
    input.sseCustomerKey,
    input.sseCustomerKeyMD5,
    'sseCustomerKey',
  );
}

/** Throws `Unsupported` when a capability flag is false. */
export function requireCapability(
  capabilities: Capabilities,
  flag: keyof Capabilities,
  what: string,
  provider: string,
): void {
  if (capabilities[flag] === false) {
    throw new PartCopyError(
      'Unsupported',
      `${provider} does not support ${what} (capability ${String(flag)} is false)`,
      {
        provider,
      },
    );
  }
}
