import { PartCopyError } from '@partcopy/core';
import { formatByteRange, parseByteRange, resolveCopyRange } from '@partcopy/core/provider';
import { describe, expect, it } from 'vitest';

function code(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    return PartCopyError.isInstance(error) ? error.code : 'not-a-partcopy-error';
  }
  return undefined;
}

describe('parseByteRange', () => {
  it('accepts one closed inclusive range in both forms', () => {
    expect(parseByteRange('bytes=0-0')).toEqual({ start: 0, end: 0 });
    expect(parseByteRange('bytes=5-9')).toEqual({ start: 5, end: 9 });
    expect(parseByteRange({ start: 3, end: 7 })).toEqual({ start: 3, end: 7 });
  });

  it.each([
    'bytes=-5',
    'bytes=5-',
    'bytes=1-2,4-5',
    'bytes=5-1',
    'items=0-1',
    'bytes=a-b',
    '0-1',
    'bytes= 1-2',
    '',
  ])('rejects %j with InvalidArgument', (input) => {
    expect(code(() => parseByteRange(input))).toBe('InvalidArgument');
  });

  it.each([
    { start: -1, end: 3 },
    { start: 1.5, end: 3 },
    { start: 4, end: 3 },
    { start: 0, end: Number.NaN },
  ])('rejects %o with InvalidArgument', (input) => {
    expect(code(() => parseByteRange(input))).toBe('InvalidArgument');
  });

  it('formats as S3 does', () => {
    expect(formatByteRange({ start: 1, end: 2 })).toBe('bytes=1-2');
  });
});

describe('resolveCopyRange', () => {
  it('defaults to the whole source', () => {
    expect(resolveCopyRange(undefined, 10)).toEqual({ start: 0, end: 9 });
    expect(resolveCopyRange(undefined, 0)).toBeUndefined();
  });

  it('accepts the last byte and rejects one past it, naming the size', () => {
    expect(resolveCopyRange({ start: 9, end: 9 }, 10)).toEqual({ start: 9, end: 9 });
    try {
      resolveCopyRange({ start: 5, end: 10 }, 10);
      expect.unreachable();
    } catch (error) {
      expect(PartCopyError.hasCode(error, 'InvalidArgument')).toBe(true);
      expect((error as Error).message).toBe('Range specified is not valid for source object of size: 10');
    }
  });
});
