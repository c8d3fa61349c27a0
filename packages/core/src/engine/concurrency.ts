/** Bounded parallelism for providers and tools that run many requests for one operation. */
import { abortedError } from '../errors/part-copy-error.js';

/** How a bounded parallel run went: the most calls that were in flight at once. */
export interface ConcurrencyStats {
  maxInFlight: number;
}

/**
 * Maps `items` through `fn` with at most `limit` calls in flight; results come back in input
 * order. A `limit` below 1 (or not a number) runs one call at a time; `Infinity` runs all at once.
 *
 * On the first failure no new call starts and the signal handed to `fn` fires (with that
 * failure as its reason) so the calls in flight can stop early; once they have settled the first
 * failure is thrown (the others are mostly the aborts it caused). A `signal` that fires stops
 * new calls the same way, and the run throws `RequestAborted` unless a call failed first.
 * `stats`, when given, records the most calls in flight at once.
 */
export async function mapWithConcurrency<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number, signal: AbortSignal) => Promise<R>,
  signal?: AbortSignal,
  stats: ConcurrencyStats = { maxInFlight: 0 },
): Promise<R[]> {
  const stop = new AbortController();
  const linked = signal === undefined ? stop.signal : AbortSignal.any([signal, stop.signal]);
  const results = new Array<R>(items.length);
  let next = 0;
  let inFlight = 0;
  let failure: { error: unknown } | undefined;
  const fail = (error: unknown): void => {
    if (failure !== undefined) return;
    failure = { error };
    stop.abort(error);
  };
  const worker = async (): Promise<void> => {
    while (failure === undefined && next < items.length) {
      if (signal?.aborted) return fail(abortedError(signal));
      const index = next++;
      inFlight++;
      stats.maxInFlight = Math.max(stats.maxInFlight, inFlight);
      try {
        results[index] = await fn(items[index] as T, index, linked);
      } catch (error) {
        fail(error);
      } finally {
        inFlight--;
      }
    }
  };
  await Promise.all(Array.from({ length: workerCount(limit, items.length) }, worker));
  if (failure !== undefined) throw failure.error;
  return results;
}

function workerCount(limit: number, items: number): number {
  const width = Number.isNaN(limit) ? 1 : Math.floor(Math.min(limit, items));
  return Math.max(1, width);
}
