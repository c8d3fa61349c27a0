import {
  type CopyPartPlan,
  DEFAULT_COPY_PART_SIZE,
  GiB,
  MiB,
  PartCopyError,
  planCopyParts,
} from '@partcopy/core';
import { describe, expect, it } from 'vitest';

const s3 = { minPartSize: 5 * MiB, maxPartSize: 5 * GiB, maxParts: 10_000 };
const tiny = { minPartSize: 4, maxPartSize: 10, maxParts: 3 };

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    return PartCopyError.isInstance(error) ? error.code : `not a PartCopyError: ${String(error)}`;
  }
  return undefined;
}

/** The plan's parts tile the range exactly: contiguous, numbered 1..n, sizes add up. */
function expectTiles(plan: CopyPartPlan, start: number, end: number): void {
  expect(plan.parts[0]?.range.start).toBe(start);
  expect(plan.parts.at(-1)?.range.end).toBe(end);
  plan.parts.forEach((part, index) => {
    expect(part.partNumber).toBe(index + 1);
    expect(part.size).toBe(part.range.end - part.range.start + 1);
    if (index > 0) expect(part.range.start).toBe((plan.parts[index - 1]?.range.end ?? -2) + 1);
    if (index < plan.parts.length - 1) expect(part.size).toBe(plan.partSize);
  });
  expect(plan.parts.reduce((sum, part) => sum + part.size, 0)).toBe(end - start + 1);
  expect(plan.totalSize).toBe(end - start + 1);
}

describe('planCopyParts', () => {
  it('splits a range into equal parts with a smaller last part', () => {
    const plan = planCopyParts({ start: 0, end: 24 }, { limits: tiny, partSize: 10 });
    expect(plan.parts.map((p) => [p.partNumber, p.range.start, p.range.end])).toEqual([
      [1, 0, 9],
      [2, 10, 19],
      [3, 20, 24],
    ]);
    expectTiles(plan, 0, 24);
  });

  it('keeps offsets of a range that does not start at zero', () => {
    const plan = planCopyParts({ start: 100, end: 129 }, { limits: tiny, partSize: 10 });
    expect(plan.parts.map((p) => p.range)).toEqual([
      { start: 100, end: 109 },
      { start: 110, end: 119 },
      { start: 120, end: 129 },
    ]);
  });

  it('lets the last part be smaller than the minimum part size', () => {
    const plan = planCopyParts({ start: 0, end: 10 * MiB }, { limits: s3, partSize: 5 * MiB });
    expect(plan.parts).toHaveLength(3);
    expect(plan.parts[2]?.size).toBe(1);
    expectTiles(plan, 0, 10 * MiB);
  });

  it('copies a range smaller than the minimum in one part, whatever the part size', () => {
    const plan = planCopyParts({ start: 3, end: 3 }, { limits: s3, partSize: 1 });
    expect(plan.parts).toEqual([{ partNumber: 1, range: { start: 3, end: 3 }, size: 1 }]);
  });

  it('uses 8 MiB by default', () => {
    const plan = planCopyParts({ start: 0, end: 20 * MiB - 1 }, { limits: s3 });
    expect(plan.partSize).toBe(DEFAULT_COPY_PART_SIZE);
    expect(plan.parts.map((p) => p.size)).toEqual([8 * MiB, 8 * MiB, 4 * MiB]);
  });

  it('raises the default part size to the provider minimum', () => {
    const plan = planCopyParts(
      { start: 0, end: 100 * MiB - 1 },
      { limits: { ...s3, minPartSize: 32 * MiB } },
    );
    expect(plan.partSize).toBe(32 * MiB);
    expectTiles(plan, 0, 100 * MiB - 1);
  });

  it('grows the default part size in whole MiB until the parts fit maxParts', () => {
    const total = 100 * GiB;
    const plan = planCopyParts({ start: 0, end: total - 1 }, { limits: s3 });
    expect(plan.parts.length).toBeLessThanOrEqual(10_000);
    expect(plan.partSize % MiB).toBe(0);
    expect(plan.partSize).toBe(11 * MiB); // ceil(100 GiB / 10,000) = 10.24 MiB, rounded up
    expectTiles(plan, 0, total - 1);
  });

  it('caps the automatic part size at maxPartSize', () => {
    const limits = { minPartSize: 1, maxPartSize: 3 * MiB, maxParts: 4 };
    const plan = planCopyParts({ start: 0, end: 12 * MiB - 1 }, { limits });
    expect(plan.partSize).toBe(3 * MiB);
    expect(plan.parts).toHaveLength(4);
  });

  it('refuses an explicit part size below the minimum when several parts are needed', () => {
    expect(codeOf(() => planCopyParts({ start: 0, end: 24 }, { limits: tiny, partSize: 3 }))).toBe(
      'InvalidArgument',
    );
  });

  it('refuses a part size above maxPartSize', () => {
    expect(codeOf(() => planCopyParts({ start: 0, end: 24 }, { limits: tiny, partSize: 11 }))).toBe(
      'InvalidArgument',
    );
  });

  it('refuses an explicit part size that needs too many parts and names the smallest that works', () => {
    try {
      planCopyParts(
        { start: 0, end: 29 },
        { limits: { ...tiny, maxPartSize: 20, maxParts: 2 }, partSize: 10 },
      );
      expect.unreachable();
    } catch (error) {
      expect(PartCopyError.hasCode(error, 'InvalidArgument')).toBe(true);
      expect((error as Error).message).toContain('at least 15 bytes');
    }
  });

  it('fails with EntityTooLarge when no part size can fit', () => {
    expect(codeOf(() => planCopyParts({ start: 0, end: 30 }, { limits: tiny }))).toBe('EntityTooLarge');
    expect(codeOf(() => planCopyParts({ start: 0, end: 9 }, { limits: { ...tiny, maxObjectSize: 5 } }))).toBe(
      'EntityTooLarge',
    );
  });

  it('fits exactly maxParts × maxPartSize', () => {
    const plan = planCopyParts({ start: 0, end: 29 }, { limits: tiny });
    expect(plan.parts.map((p) => p.size)).toEqual([10, 10, 10]);
  });

  it.each([
    [{ start: 5, end: 4 }, 10],
    [{ start: -1, end: 4 }, 10],
    [{ start: 0, end: 1.5 }, 10],
    [{ start: 0, end: 9 }, 0],
    [{ start: 0, end: 9 }, 2.5],
  ])('rejects the range %j with part size %d', (range, partSize) => {
    expect(codeOf(() => planCopyParts(range, { limits: tiny, partSize }))).toBe('InvalidArgument');
  });

  it('rejects inconsistent limits', () => {
    expect(
      codeOf(() =>
        planCopyParts({ start: 0, end: 9 }, { limits: { minPartSize: 10, maxPartSize: 5, maxParts: 1 } }),
      ),
    ).toBe('InvalidArgument');
  });
});
