import { PartCopyError } from '@partcopy/core';
import { type ConcurrencyStats, mapWithConcurrency } from '@partcopy/core/provider';
import { describe, expect, it } from 'vitest';

/** A promise and the function that resolves it, to let calls finish when a test says so. */
function gate(): { promise: Promise<void>; open: () => void } {
  let open = (): void => {};
  const promise = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { promise, open };
}

const tick = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 1));

describe('mapWithConcurrency', () => {
  it('returns results in input order while calls finish in any order', async () => {
    const items = [30, 5, 20, 1, 10];
    const results = await mapWithConcurrency(items, 3, async (ms, index) => {
      await new Promise((resolve) => setTimeout(resolve, ms));
      return `${index}:${ms}`;
    });
    expect(results).toEqual(['0:30', '1:5', '2:20', '3:1', '4:10']);
  });

  it('keeps at most `limit` calls in flight and reports the most it saw', async () => {
    let inFlight = 0;
    let most = 0;
    const stats: ConcurrencyStats = { maxInFlight: 0 };
    await mapWithConcurrency(
      Array.from({ length: 20 }, (_, i) => i),
      4,
      async () => {
        inFlight++;
        most = Math.max(most, inFlight);
        await tick();
        inFlight--;
      },
      undefined,
      stats,
    );
    expect(most).toBe(4);
    expect(stats.maxInFlight).toBe(4);
  });

  it('runs one at a time for a limit below 1 or NaN, and all at once for Infinity', async () => {
    for (const [limit, expected] of [
      [0, 1],
      [-3, 1],
      [Number.NaN, 1],
      [Number.POSITIVE_INFINITY, 6],
      [2.7, 2],
    ] as const) {
      const stats: ConcurrencyStats = { maxInFlight: 0 };
      const results = await mapWithConcurrency(
        [1, 2, 3, 4, 5, 6],
        limit,
        async (n) => {
          await tick();
          return n * 2;
        },
        undefined,
        stats,
      );
      expect(results).toEqual([2, 4, 6, 8, 10, 12]);
      expect(stats.maxInFlight).toBe(expected);
    }
  });

  it('returns an empty list for no items without calling fn', async () => {
    let calls = 0;
    expect(await mapWithConcurrency([], 4, async () => calls++)).toEqual([]);
    expect(calls).toBe(0);
  });

  it('on the first failure starts nothing new, fires the signal for the calls in flight and throws that failure', async () => {
    const started: number[] = [];
    const sawAbort: number[] = [];
    const slow = gate();
    const run = mapWithConcurrency(
      Array.from({ length: 10 }, (_, i) => i),
      3,
      async (i, _index, signal) => {
        started.push(i);
        if (i === 1) throw new Error('part 1 failed');
        signal.addEventListener('abort', () => {
          sawAbort.push(i);
          slow.open();
        });
        await slow.promise;
        throw new Error(`aborted ${i}`);
      },
    );
    await expect(run).rejects.toThrow('part 1 failed');
    expect(started).toEqual([0, 1, 2]);
    expect(sawAbort.sort()).toEqual([0, 2]);
  });

  it('waits for the calls in flight before it throws', async () => {
    let settled = 0;
    const run = mapWithConcurrency([0, 1, 2], 3, async (i) => {
      if (i === 0) throw new Error('first');
      await tick();
      settled++;
    });
    await expect(run).rejects.toThrow('first');
    expect(settled).toBe(2);
  });

  it('stops starting calls when the caller aborts and throws RequestAborted', async () => {
    const controller = new AbortController();
    const started: number[] = [];
    const run = mapWithConcurrency(
      Array.from({ length: 10 }, (_, i) => i),
      2,
      async (i, _index, signal) => {
        started.push(i);
        if (i === 3) controller.abort(new Error('user cancelled'));
        expect(signal.aborted).toBe(i === 3);
        await tick();
      },
      controller.signal,
    );
    const error = await run.catch((e: unknown) => e);
    expect(PartCopyError.isInstance(error) && error.code).toBe('RequestAborted');
    expect(started).toEqual([0, 1, 2, 3]);
  });

  it('does not call fn at all when the signal has already fired', async () => {
    const controller = new AbortController();
    controller.abort();
    let calls = 0;
    const error = await mapWithConcurrency([1, 2], 2, async () => calls++, controller.signal).catch(
      (e: unknown) => e,
    );
    expect(PartCopyError.isInstance(error) && error.code).toBe('RequestAborted');
    expect(calls).toBe(0);
  });
});
