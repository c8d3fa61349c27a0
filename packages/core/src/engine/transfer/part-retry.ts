/**
 * Retries of one streamed part. The client's pipeline retries calls it can replay; a part upload
 * whose body is a stream is sent once (the stream is spent). The transfer can replay it: the part
 * is a range of the pinned source, so a retryable failure (a reset connection, a 503) reads the
 * range again and uploads it again, a bounded number of times (after 200 and 400 ms; after 1 and 2
 * s when the store asked to slow down). Anything else, and an abort, fails at once.
 */
import { PartCopyError } from '../../errors/part-copy-error.js';
import { isThrottling, sleep, THROTTLED_BACKOFF_FACTOR } from '../../pipeline/retry-policy.js';

/** Attempts per streamed part, the first included. */
export const STREAMED_PART_ATTEMPTS = 3;
const BASE_DELAY_MS = 200;

export async function withPartRetries<T>(
  signal: AbortSignal,
  attempt: () => Promise<T>,
  onRetry: (error: PartCopyError) => void = () => {},
): Promise<T> {
  for (let n = 1; ; n++) {
    try {
      return await attempt();
    } catch (error) {
      const again =
        n < STREAMED_PART_ATTEMPTS &&
        PartCopyError.isInstance(error) &&
        error.retryable &&
        error.code !== 'RequestAborted' &&
        !signal.aborted;
      if (!again) throw error;
      onRetry(error);
      const base = isThrottling(error) ? BASE_DELAY_MS * THROTTLED_BACKOFF_FACTOR : BASE_DELAY_MS;
      await sleep(base * 2 ** (n - 1), signal);
    }
  }
}
