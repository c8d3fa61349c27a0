import { compareKeys } from '@partcopy/core/provider';
import { describe, expect, it } from 'vitest';

describe('compareKeys', () => {
  it('orders keys by their UTF-8 bytes, as S3 lists them, not by UTF-16 code units', () => {
    const astral = '\u{1F600}'; // UTF-16 starts 0xD83D, UTF-8 starts 0xF0
    const privateUse = '\uE000'; // UTF-16 0xE000, UTF-8 starts 0xEE
    expect(astral < privateUse).toBe(true); // JavaScript's order
    expect(compareKeys(astral, privateUse)).toBeGreaterThan(0); // S3's order
    expect(['b', 'a/b', privateUse, 'a', astral, 'A'].sort(compareKeys)).toEqual([
      'A',
      'a',
      'a/b',
      'b',
      privateUse,
      astral,
    ]);
    expect(compareKeys('same', 'same')).toBe(0);
  });
});
