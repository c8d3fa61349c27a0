/** Checks of digests the caller sent with a body (S3 answers a mismatch with 400 BadDigest). */
import { createHash } from 'node:crypto';
import type { ErrorContext } from '@partcopy/core/provider';
import { checkContentMD5 as checkStatedContentMD5 } from '@partcopy/core/provider';

/**
 * Fails when `contentMD5` (base64 MD5, S3's Content-MD5) does not match the bytes, with core's
 * S3 answer. The MD5 is computed only when the caller stated one.
 */
export function checkContentMD5(
  bytes: Uint8Array,
  contentMD5: string | undefined,
  context: ErrorContext,
): void {
  if (contentMD5 === undefined) return;
  checkStatedContentMD5(contentMD5, createHash('md5').update(bytes).digest('base64'), context);
}
