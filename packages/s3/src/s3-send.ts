/**
 * Every SDK call goes through here: the AbortSignal is passed to `client.send` and errors are
 * mapped by the one table. Nothing is retried here: an error S3 sent inside a 200 answer maps to
 * a retryable PartCopyError, and the PartCopyClient's pipeline (the one retry owner) tries again.
 */
import { type ErrorContext, throwIfAborted } from '@partcopy/core/provider';
import { mapS3Error } from './s3-error-map.js';

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
