import { describe, expect, it } from 'vitest';
import { planComposeTree, runComposeTree } from '../src/gcs-compose-tree.js';

function ceilLog32(n: number): number {
  let depth = 0;
  for (let capacity = 1; capacity < n; capacity *= 32) depth++;
  return depth;
}

/** Simulates a plan on labelled sources and returns the final concatenation order. */
function simulate(count: number): { order: number[]; maxSources: number } {
  const plan = planComposeTree(count);
  let items: number[][] = Array.from({ length: count }, (_, i) => [i]);
  let maxSources = 0;
  for (const level of plan.levels) {
    expect(level.inputs).toBe(items.length);
    const next: number[][] = [];
    let cursor = 0;
    for (const group of level.groups) {
      expect(group.start).toBeGreaterThanOrEqual(cursor);
      next.push(...items.slice(cursor, group.start));
      expect(group.count).toBeGreaterThanOrEqual(1);
      maxSources = Math.max(maxSources, group.count);
      next.push(items.slice(group.start, group.start + group.count).flat());
      cursor = group.start + group.count;
    }
    next.push(...items.slice(cursor));
    items = next;
  }
  expect(items).toHaveLength(1);
  return { order: items[0] as number[], maxSources };
}

describe('planComposeTree', () => {
  const counts = [1, 2, 31, 32, 33, 63, 64, 100, 993, 1023, 1024, 1025, 5000, 9999, 10_000, 32_768, 32_769];
  for (const count of counts) {
    it(`plans ${count} sources: depth ceil(log32 N), calls within ceil((N-1)/31) + depth, order kept`, () => {
      const plan = planComposeTree(count);
      const depth = Math.max(1, ceilLog32(count));
      expect(plan.depth).toBe(depth);
      expect(plan.levels).toHaveLength(depth);
      expect(plan.calls).toBeLessThanOrEqual(Math.ceil((count - 1) / 31) + depth);
      // Never fewer than the information-theoretic minimum: each call removes at most 31 objects.
      expect(plan.calls).toBeGreaterThanOrEqual(Math.max(1, Math.ceil((count - 1) / 31)));
      const { order, maxSources } = simulate(count);
      expect(maxSources).toBeLessThanOrEqual(32);
      expect(order).toEqual(Array.from({ length: count }, (_, i) => i));
      expect(plan.levels.at(-1)?.groups).toEqual([{ start: 0, count: plan.levels.at(-1)?.inputs }]);
    });
  }

  it('reaches the minimum call count for S3-sized uploads', () => {
    expect(planComposeTree(10_000)).toMatchObject({ depth: 3, calls: 323 });
    expect(planComposeTree(1024)).toMatchObject({ depth: 2, calls: 33 });
    expect(planComposeTree(33)).toMatchObject({ depth: 2, calls: 2 });
    expect(planComposeTree(32)).toMatchObject({ depth: 1, calls: 1 });
    expect(planComposeTree(1)).toMatchObject({ depth: 1, calls: 1 });
  });

  it('rejects empty plans', () => {
    expect(() => planComposeTree(0)).toThrow(RangeError);
  });
});

describe('runComposeTree', () => {
  it('runs the calls of a level concurrently, within the bound, levels in sequence', async () => {
    let inFlight = 0;
    let maxInFlight = 0;
    const levelsSeen: number[] = [];
    const { result, report } = await runComposeTree(
      planComposeTree(1024),
      Array.from({ length: 1024 }, (_, i) => String(i)),
      async (sources, level) => {
        levelsSeen.push(level);
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
        await new Promise((resolve) => setTimeout(resolve, 2));
        inFlight--;
        return sources.join(',');
      },
      { concurrency: 8, signal: new AbortController().signal },
    );
    expect(result.split(',').map(Number)).toEqual(Array.from({ length: 1024 }, (_, i) => i));
    expect(report).toMatchObject({
      parts: 1024,
      depth: 2,
      calls: 33,
      callsPerLevel: [32, 1],
      maxConcurrentPerLevel: [8, 1],
    });
    expect(maxInFlight).toBe(8);
    // Level 2 starts only after every call of level 1 finished.
    expect(levelsSeen.indexOf(2)).toBe(32);
  });

  it('stops launching calls after a failure and reports it', async () => {
    let calls = 0;
    await expect(
      runComposeTree(
        planComposeTree(1024),
        Array.from({ length: 1024 }, (_, i) => i),
        async () => {
          calls++;
          if (calls === 3) throw new Error('boom');
          await new Promise((resolve) => setTimeout(resolve, 1));
          return 0;
        },
        { concurrency: 2, signal: new AbortController().signal },
      ),
    ).rejects.toThrow('boom');
    expect(calls).toBeLessThan(6);
  });
});
