import { abortedError } from '../errors/part-copy-error.js';

/** Retry policy of the facade for errors marked `retryable`. */
export interface RetryOptions {
  /** Attempts in all, including the first. 1 turns retrying off. Default 3. */
  maxAttempts?: number;
  /** First backoff in milliseconds. Default 100 (five times that after `SlowDown`). */
  baseDelayMs?: number;
  /** Largest backoff in milliseconds. Default 5000. */
  maxDelayMs?: number;
}

export const DEFAULT_RETRY: Required<RetryOptions> = { maxAttempts: 3, baseDelayMs: 100, maxDelayMs: 5000 };

/**
 * How much longer a store that asks to slow down (`SlowDown`: S3's 503 SlowDown, MinIO's
 * SlowDownRead, Azure's ServerBusy, 429) is left alone before the next attempt: the AWS SDKs back
 * off from 500 ms for throttling errors and from 100 ms for others. A busy store is not helped by
 * three attempts within a few hundred milliseconds.
 */
export const THROTTLED_BACKOFF_FACTOR = 5;

/** An answer that asks the client to send less: backed off {@link THROTTLED_BACKOFF_FACTOR} times longer. */
export function isThrottling(error: { code: string }): boolean {
  return error.code === 'SlowDown';
}

/**
 * Exponential backoff with full jitter (AWS's recommendation) for attempt 1, 2, ..., from a base
 * {@link THROTTLED_BACKOFF_FACTOR} times larger after a throttling error.
 */
export function backoffDelay(
  attempt: number,
  options: Required<RetryOptions>,
  random: () => number = Math.random,
  throttled = false,
): number {
  const base = throttled ? options.baseDelayMs * THROTTLED_BACKOFF_FACTOR : options.baseDelayMs;
  const ceiling = Math.min(options.maxDelayMs, base * 2 ** (attempt - 1));
  return Math.floor(random() * ceiling);
}

/** Waits `ms`, or rejects with `RequestAborted` as soon as the signal fires. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(abortedError(signal));
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortedError(signal));
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
