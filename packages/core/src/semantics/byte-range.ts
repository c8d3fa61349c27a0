import type { ByteRange } from '../contract/types.js';
import { describeValue, type ErrorContext, PartCopyError } from '../errors/part-copy-error.js';

/** What users may write for a copy range: S3's `bytes=first-last`, or `{ start, end }` (inclusive). */
export type ByteRangeInput = string | { start: number; end: number };

const RANGE_PATTERN = /^bytes=(\d+)-(\d+)$/;

/**
 * Parses and checks a copy range's syntax the way S3 does for `x-amz-copy-source-range`:
 * exactly one closed, inclusive, zero-based range. Suffix (`bytes=-N`), open (`bytes=N-`) and
 * multiple ranges are rejected, as are end < start and non-integers: all `InvalidArgument`.
 */
export function parseByteRange(input: ByteRangeInput, field = 'copySourceRange'): ByteRange {
  if (typeof input === 'string') {
    const match = RANGE_PATTERN.exec(input.trim());
    if (!match) {
      throw new PartCopyError(
        'InvalidArgument',
        `${field}: "${input}" is not a single closed range of the form bytes=first-last (suffix, open and multiple ranges are not allowed)`,
      );
    }
    return checkBounds(Number(match[1]), Number(match[2]), field);
  }
  if (typeof input !== 'object' || input === null) {
    throw new PartCopyError('InvalidArgument', `${field}: expected "bytes=first-last" or { start, end }`);
  }
  return checkBounds(input.start, input.end, field);
}

function checkBounds(start: number, end: number, field: string): ByteRange {
  for (const [name, value] of [
    ['start', start],
    ['end', end],
  ] as const) {
    if (!Number.isSafeInteger(value) || value < 0) {
      throw new PartCopyError(
        'InvalidArgument',
        `${field}: ${name} must be a non-negative integer, got ${describeValue(value)}`,
      );
    }
  }
  if (end < start) {
    throw new PartCopyError(
      'InvalidArgument',
      `${field}: the last byte (${end}) is before the first byte (${start})`,
    );
  }
  return { start, end };
}

/** Formats a range as S3's header value. */
export function formatByteRange(range: ByteRange): string {
  return `bytes=${range.start}-${range.end}`;
}

/** Number of bytes in an inclusive range. */
export function rangeLength(range: ByteRange): number {
  return range.end - range.start + 1;
}

/**
 * The bytes a part copy will take from a source of `size` bytes: the range itself, or the
 * whole source when no range was given (`undefined` for an empty source). A range reaching past
 * the end fails as S3 does: `InvalidArgument`, naming the source size.
 */
export function resolveCopyRange(
  range: ByteRange | undefined,
  size: number,
  context: ErrorContext = {},
): ByteRange | undefined {
  if (range === undefined) return size === 0 ? undefined : { start: 0, end: size - 1 };
  if (range.end >= size) {
    throw new PartCopyError(
      'InvalidArgument',
      `Range specified is not valid for source object of size: ${size}`,
      context,
    );
  }
  return range;
}

/** Bytes a resolved copy range covers (0 for an empty source). */
export function copyLength(range: ByteRange | undefined): number {
  return range === undefined ? 0 : rangeLength(range);
}
