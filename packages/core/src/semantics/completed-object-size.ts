/** S3's size rules for the object a CompleteMultipartUpload would make. */
import { type ErrorContext, PartCopyError } from '../errors/part-copy-error.js';

/**
 * Checks the size of the object the listed parts make (`size`, their sum) as S3 does on
 * completion: larger than `maxObjectSize` is `EntityTooLarge`; a caller-stated size
 * (`mpObjectSize`, S3's `x-amz-mp-object-size`) that differs is `InvalidRequest`.
 */
export function checkCompletedObjectSize(
  size: number,
  maxObjectSize: number,
  statedSize: number | undefined,
  context: ErrorContext = {},
): void {
  if (size > maxObjectSize) {
    throw new PartCopyError(
      'EntityTooLarge',
      `Your proposed upload exceeds the maximum allowed object size (${maxObjectSize} bytes)`,
      context,
    );
  }
  if (statedSize !== undefined && statedSize !== size) {
    throw new PartCopyError(
      'InvalidRequest',
      `The provided 'x-amz-mp-object-size' header value ${statedSize} does not match what was computed: ${size}`,
      context,
    );
  }
}
