/**
 * The two completion rules that depend only on the caller's list (no store state): at least one
 * part, ascending part numbers. S3 checks them too; checking here gives the same code on
 * S3-compatible servers that answer differently (or accept an unordered list).
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_CompleteMultipartUpload.html
 */
import { type CompletedPart, type ErrorContext, PartCopyError } from '@partcopy/core';

/** Throws `MalformedXML` for an empty list and `InvalidPartOrder` for one not strictly ascending. */
export function checkPartList(parts: readonly CompletedPart[], context: ErrorContext): void {
  if (parts.length === 0) {
    throw new PartCopyError(
      'MalformedXML',
      'You must specify at least one part to complete a multipart upload',
      context,
    );
  }
  for (let i = 1; i < parts.length; i++) {
    if ((parts[i] as CompletedPart).partNumber <= (parts[i - 1] as CompletedPart).partNumber) {
      throw new PartCopyError(
        'InvalidPartOrder',
        'The list of parts was not in ascending order. Parts must be ordered by part number.',
        context,
      );
    }
  }
}
