import { abortedError } from '@partcopy/core';

/** How a bounded parallel run went: the most calls that were in flight at once. */
export interface ConcurrencyStats {
  maxInFlight: number;
}

/**
 * Maps `items` through `fn` with at most `limit` calls in flight, results in input order. On
 * the first failure no new call starts; the calls in flight finish, then the failure is thrown.
 */
export async function mapWithConcurrency<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
  signal: AbortSignal,
  stats: ConcurrencyStats = { maxInFlight: 0 },
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  let inFlight = 0;
  let failure: { error: unknown } | undefined;
  async function worker(): Promise<void> {
    while (failure === undefined && next < items.length) {
      if (signal.aborted) {
        failure = { error: abortedError(signal) };
        return;
      }
      const index = next++;
      inFlight++;
      stats.maxInFlight = Math.max(stats.maxInFlight, inFlight);
      try {
        results[index] = await fn(items[index] as T, index);
      } catch (error) {
        failure ??= { error };
      } finally {
        inFlight--;
      }
    }
  }
  const workers = Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, () => worker());
  await Promise.all(workers);
  if (failure !== undefined) throw failure.error;
  return results;
}
