/** Checks of digests the caller sent with a body (S3 answers a mismatch with 400 BadDigest). */
import { createHash } from 'node:crypto';
import type { ErrorContext } from '@partcopy/core';
import { memoryError } from './memory-errors.js';

/**
 * Fails when `contentMD5` (base64 MD5, S3's Content-MD5) does not match the bytes. S3's code is
 * `BadDigest`; partcopy's closed set carries it as `InvalidDigest` with providerCode `BadDigest`.
 */
export function checkContentMD5(
  bytes: Uint8Array,
  contentMD5: string | undefined,
  context: ErrorContext,
): void {
  if (contentMD5 === undefined) return;
  const actual = createHash('md5').update(bytes).digest('base64');
  if (actual !== contentMD5) {
    throw memoryError(
      'InvalidDigest',
      'The Content-MD5 you specified did not match what we received.',
      context,
      {
        providerCode: 'BadDigest',
      },
    );
  }
}

/** Same failure for a flexible checksum the caller stated for a whole object. */
export function badChecksum(algorithm: string, context: ErrorContext) {
  return memoryError(
    'InvalidDigest',
    `The ${algorithm} you specified did not match the calculated checksum.`,
    context,
    {
      providerCode: 'BadDigest',
    },
  );
}
