/** S3's Content-MD5 check of a request body, for providers that receive the bytes themselves. */
import { type ErrorContext, PartCopyError } from '../errors/part-copy-error.js';

/**
 * Fails when the caller's `stated` Content-MD5 (base64, as S3's header carries it) differs from
 * `actualMD5Base64`, the base64 MD5 of the bytes received, with S3's `BadDigest` (400); nothing
 * stated, nothing to check. (S3's `InvalidDigest` is for a malformed Content-MD5.)
 */
export function checkContentMD5(
  stated: string | undefined,
  actualMD5Base64: string,
  context: ErrorContext = {},
): void {
  if (stated === undefined || stated === actualMD5Base64) return;
  throw new PartCopyError(
    'BadDigest',
    'The Content-MD5 you specified did not match what we received.',
    context,
  );
}
