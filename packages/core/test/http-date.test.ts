import { PartCopyError } from '@partcopy/core';
import { formatHttpDate, parseHttpDate } from '@partcopy/core/provider';
import { describe, expect, it } from 'vitest';

describe('HTTP dates', () => {
  const expected = Date.UTC(1994, 10, 6, 8, 49, 37);
  it.each([
    'Sun, 06 Nov 1994 08:49:37 GMT',
    'Sunday, 06-Nov-94 08:49:37 GMT',
    'Sun Nov  6 08:49:37 1994',
    '1994-11-06T08:49:37Z',
  ])('parses %j', (text) => {
    expect(parseHttpDate(text, 'f').getTime()).toBe(expected);
  });

  it('rejects garbage with InvalidArgument naming the field', () => {
    try {
      parseHttpDate('yesterday', 'copySourceIfModifiedSince');
      expect.unreachable();
    } catch (error) {
      expect(PartCopyError.hasCode(error, 'InvalidArgument')).toBe(true);
      expect((error as Error).message).toMatch(/copySourceIfModifiedSince/);
    }
  });

  it('formats IMF-fixdate', () => {
    expect(formatHttpDate(new Date(expected))).toBe('Sun, 06 Nov 1994 08:49:37 GMT');
  });
});
