import { abortedError } from '../errors/part-copy-error.js';

/** Retry policy of the facade for errors marked `retryable`. */
export interface RetryOptions {
  /** Attempts in all, including the first. 1 turns retrying off. Default 3. */
  maxAttempts?: number;
  /** First backoff in milliseconds. Default 100. */
  baseDelayMs?: number;
  /** Largest backoff in milliseconds. Default 5000. */
  maxDelayMs?: number;
}

export const DEFAULT_RETRY: Required<RetryOptions> = { maxAttempts: 3, baseDelayMs: 100, maxDelayMs: 5000 };

/** Exponential backoff with full jitter (AWS's recommendation) for attempt 1, 2, ... */
export function backoffDelay(
  attempt: number,
  options: Required<RetryOptions>,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** (attempt - 1));
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
