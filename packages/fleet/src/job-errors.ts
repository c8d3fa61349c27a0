/**
 * Which failures a job retries: a PartCopyError the store calls permanent (a changed source, a
 * vanished upload, denied access) becomes BullMQ's UnrecoverableError, so it fails the job (and
 * its session) at once; anything else is retried with backoff up to the job's attempts.
 */
import { PartCopyError, redactSecrets } from '@partcopy/core';
import { type Job, UnrecoverableError } from 'bullmq';

export function permanentOrRetry(error: unknown): Error {
  if (PartCopyError.isInstance(error) && !error.retryable) {
    return new UnrecoverableError(`${error.code}: ${error.message}`);
  }
  return error instanceof Error ? error : new Error(String(error));
}

/**
 * True when BullMQ will not run the job again after this failure: an unrecoverable error, the
 * last attempt, or a job that stalled (its workers died) more often than `maxStalledCount`.
 */
export function isFinalFailure(job: Job, error: Error): boolean {
  return (
    error instanceof UnrecoverableError ||
    error.name === 'UnrecoverableError' ||
    /stalled more than allowable limit/.test(error.message) ||
    job.attemptsMade >= (job.opts.attempts ?? 1)
  );
}

/** One line for records and reports, without secrets. */
export function errorText(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return redactSecrets(text).split('\n')[0] ?? '';
}
