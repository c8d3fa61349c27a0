import { resolveGetObjectRange } from '@partcopy/core/provider';
import { thrownPartCopyError } from '@partcopy/core/testing';
import { describe, expect, it } from 'vitest';

describe('resolveGetObjectRange', () => {
  it('serves a range inside the object as asked and cuts one ending past the end', () => {
    expect(resolveGetObjectRange({ start: 2, end: 5 }, 10)).toEqual({ start: 2, end: 5 });
    expect(resolveGetObjectRange({ start: 9, end: 9 }, 10)).toEqual({ start: 9, end: 9 });
    expect(resolveGetObjectRange({ start: 4, end: 1000 }, 10)).toEqual({ start: 4, end: 9 });
  });

  it('refuses a range starting at or past the end, and any range of an empty object (416)', () => {
    for (const [range, size] of [
      [{ start: 10, end: 12 }, 10],
      [{ start: 0, end: 0 }, 0],
    ] as const) {
      const error = thrownPartCopyError(() => resolveGetObjectRange(range, size, { bucket: 'b', key: 'k' }));
      expect([error.code, error.status, error.key]).toEqual(['InvalidRange', 416, 'k']);
    }
  });
});
