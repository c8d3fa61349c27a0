/**
 * Every SDK call goes through here: the AbortSignal is passed to `client.send`, errors are mapped
 * by the one table, and copy/complete answers that carried an error inside a 200 are retried with
 * bounded, jittered backoff that stops as soon as the signal fires.
 */
import { type ErrorContext, PartCopyError, sleep, throwIfAborted } from '@partcopy/core/provider';
import { isEmbeddedError, mapS3Error } from './s3-error-map.js';

/** Retries of errors S3 returned inside a 200 answer (on top of the SDK's own retries). */
export interface EmbeddedErrorRetry {
  /** Total attempts, the first included. Default 4. */
  attempts?: number;
  /** First back-off delay; doubles each time, with full jitter. Default 100 ms. */
  baseDelayMs?: number;
  /** Longest single delay. Default 2000 ms. */
  maxDelayMs?: number;
}

const DEFAULT_RETRY: Required<EmbeddedErrorRetry> = { attempts: 4, baseDelayMs: 100, maxDelayMs: 2000 };

/** Runs one SDK call with the signal, mapping whatever it throws. */
export async function callS3<T>(
  signal: AbortSignal,
  context: ErrorContext,
  call: (abortSignal: AbortSignal) => Promise<T>,
): Promise<T> {
  throwIfAborted(signal, context);
  try {
    return await call(signal);
  } catch (error) {
    throw mapS3Error(error, { ...context, signal });
  }
}

/** True for a retryable error that S3 sent inside a 200 answer. */
export function isEmbeddedRetryable(error: unknown): boolean {
  return PartCopyError.isInstance(error) && error.retryable && isEmbeddedError(error);
}

/**
 * Like {@link callS3}, retrying errors that came inside a 200 answer (S3's "special errors" of
 * UploadPartCopy and CompleteMultipartUpload), up to `retry.attempts` in total.
 */
export async function callS3RetryingEmbedded<T>(
  signal: AbortSignal,
  context: ErrorContext,
  retry: EmbeddedErrorRetry | undefined,
  call: (abortSignal: AbortSignal) => Promise<T>,
): Promise<T> {
  const policy = { ...DEFAULT_RETRY, ...retry };
  for (let attempt = 1; ; attempt++) {
    try {
      return await callS3(signal, context, call);
    } catch (error) {
      if (attempt >= policy.attempts || !isEmbeddedRetryable(error)) throw error;
      const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
      // core's sleep rejects with RequestAborted as soon as the signal fires; add where it was.
      await sleep(Math.random() * ceiling, signal).catch((aborted: unknown) => {
        throw PartCopyError.isInstance(aborted) ? aborted.withContext(context) : aborted;
      });
    }
  }
}
