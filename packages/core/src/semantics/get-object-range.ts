/** S3's rules for the range of a GetObject, for providers that serve bytes themselves. */

import type { ByteRange } from '../contract/types.js';
import { type ErrorContext, PartCopyError } from '../errors/part-copy-error.js';

/**
 * The bytes a GetObject with an inclusive `range` serves from an object of `size` bytes. As S3:
 * a range starting at or past the end (so any range of an empty object) is `InvalidRange` (416);
 * a range ending past the end is served up to the last byte.
 */
export function resolveGetObjectRange(range: ByteRange, size: number, context: ErrorContext = {}): ByteRange {
  if (range.start >= size) {
    throw new PartCopyError(
      'InvalidRange',
      `The requested range is not satisfiable (object size: ${size})`,
      context,
    );
  }
  return { start: range.start, end: Math.min(range.end, size - 1) };
}
