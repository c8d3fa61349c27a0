/** S3's largest-part rules, for providers that receive or copy the bytes of a part themselves. */
import { type ErrorContext, PartCopyError } from '../errors/part-copy-error.js';

/**
 * A request body (UploadPart, or a single PutObject) larger than `maxPartSize` (S3: 5 GiB) is
 * `EntityTooLarge`, as S3 answers it.
 */
export function checkBodySize(size: number, maxPartSize: number, context: ErrorContext = {}): void {
  if (size <= maxPartSize) return;
  throw new PartCopyError(
    'EntityTooLarge',
    `Your proposed upload exceeds the maximum allowed size (${size} bytes, at most ${maxPartSize} in one request)`,
    context,
  );
}

/**
 * UploadPartCopy of more than `maxPartSize` bytes (S3: 5 GiB) into one part: S3 refuses it with
 * `InvalidRequest` ("The specified copy source is larger than the maximum allowable size for a
 * copy source"), not `EntityTooLarge`.
 */
export function checkCopySourceSize(length: number, maxPartSize: number, context: ErrorContext = {}): void {
  if (length <= maxPartSize) return;
  throw new PartCopyError(
    'InvalidRequest',
    `The specified copy source is larger than the maximum allowable size for a copy source: ${maxPartSize}`,
    context,
  );
}
