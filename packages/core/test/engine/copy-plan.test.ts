import {
  ENGINE_TARGET_PART_SIZE,
  ENGINE_WHOLE_OBJECT_MAX_ON_RANGED_STORES,
  GiB,
  MiB,
  type PlanCapabilities,
  planCopy,
} from '@partcopy/core';
import { describe, expect, it } from 'vitest';

const s3: PlanCapabilities = {
  rangedCopy: 'native',
  clientStreamedRanges: false,
  minPartSize: 5 * MiB,
  maxPartSize: 5 * GiB,
  maxParts: 10_000,
  maxObjectSize: 5 * 1024 * GiB,
};
const gcs: PlanCapabilities = { ...s3, rangedCopy: 'whole-object-only', clientStreamedRanges: true };

describe('planCopy', () => {
  it('copies big objects in parallel parts of the target size', () => {
    const plan = planCopy({ capabilities: s3, sourceSize: 6 * GiB });
    expect(plan).toMatchObject({
      strategy: 'part-copies',
      partSize: 128 * MiB,
      concurrency: 4,
      ranged: true,
    });
    expect(plan.parts).toHaveLength(48);
    expect(plan.expectedTransfer).toBe('server-side');
  });

  it('spreads a mid-size copy over the parts in flight, never below 8 MiB', () => {
    expect(planCopy({ capabilities: s3, sourceSize: 64 * MiB }).partSize).toBe(16 * MiB);
    expect(planCopy({ capabilities: s3, sourceSize: 20 * MiB }).partSize).toBe(8 * MiB);
    expect(planCopy({ capabilities: s3, sourceSize: 256 * MiB }).partSize).toBe(64 * MiB);
    expect(planCopy({ capabilities: s3, sourceSize: GiB }).parts).toHaveLength(8);
  });

  it('grows the part size when the part count demands it', () => {
    const plan = planCopy({ capabilities: { ...s3, maxParts: 10 }, sourceSize: 2 * GiB });
    expect(plan.partSize).toBeGreaterThan(ENGINE_TARGET_PART_SIZE);
    expect(plan.parts.length).toBeLessThanOrEqual(10);
  });

  it('on a store without ranged server copies, a whole object is one unranged part on the server (GCS)', () => {
    const plan = planCopy({ capabilities: gcs, sourceSize: 64 * MiB });
    expect(plan).toMatchObject({ strategy: 'single-part', ranged: false, expectedTransfer: 'server-side' });
    expect(plan.parts).toHaveLength(1);
  });

  it('streams only what the server cannot copy: a sub-range on GCS', () => {
    const plan = planCopy({ capabilities: gcs, sourceSize: 64 * MiB, range: { start: 0, end: MiB - 1 } });
    expect(plan).toMatchObject({ strategy: 'part-copies', expectedTransfer: 'client-streamed' });
  });

  it('uses the whole-object copy when the client has it and the copy is one whole object within its limit', () => {
    const caps = { ...s3, wholeObjectCopy: true, maxWholeObjectCopySize: 5 * GiB };
    expect(
      planCopy({ capabilities: caps, sourceSize: 64 * MiB, wholeObjectCopyAvailable: true }).strategy,
    ).toBe('whole-object');
    // Big objects go faster as parallel parts on a store with native ranges: above 64 MiB (not
    // at the 128 MiB part size) the whole-object copy gives way.
    expect(ENGINE_WHOLE_OBJECT_MAX_ON_RANGED_STORES).toBe(64 * MiB);
    for (const size of [64 * MiB + 1, 128 * MiB, GiB]) {
      expect(
        planCopy({ capabilities: caps, sourceSize: size, wholeObjectCopyAvailable: true }).strategy,
      ).toBe('part-copies');
    }
    // No facade method: the capability alone does not pick it.
    expect(planCopy({ capabilities: caps, sourceSize: 64 * MiB }).strategy).toBe('part-copies');
    // Any size on a store that cannot copy ranges, within the primitive's limit.
    const gcsWhole = { ...gcs, wholeObjectCopy: true, maxWholeObjectCopySize: 5 * 1024 * GiB };
    expect(
      planCopy({ capabilities: gcsWhole, sourceSize: 50 * GiB, wholeObjectCopyAvailable: true }).strategy,
    ).toBe('whole-object');
  });

  it('honours a part size the caller names, and plans an empty source as one put', () => {
    expect(planCopy({ capabilities: s3, sourceSize: 100 * MiB, partSize: 10 * MiB }).parts).toHaveLength(10);
    expect(planCopy({ capabilities: s3, sourceSize: 0 }).strategy).toBe('empty-put');
  });
});
