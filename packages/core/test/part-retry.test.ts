/**
 * A streamed part's retries (engine/transfer/part-retry.ts): read and sent again after a
 * retryable failure, later after a store asked to slow down. Timers are faked: no test waits.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { withPartRetries } from '../src/engine/transfer/part-retry.js';
import { PartCopyError } from '../src/index.js';

/** Fails `failures` times with `code`, then answers; records the fake clock at each attempt. */
function scripted(code: 'SlowDown' | 'InternalError', failures: number) {
  const at: number[] = [];
  const attempt = async () => {
    at.push(Date.now());
    if (at.length <= failures) throw new PartCopyError(code, 'scripted', { retryable: true });
    return 'done';
  };
  return { at, attempt };
}

describe('withPartRetries', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: 0 });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('tries again after 200 and 400 ms, five times that after SlowDown', async () => {
    for (const [code, waits] of [
      ['InternalError', [200, 400]],
      ['SlowDown', [1000, 2000]],
    ] as const) {
      const run = scripted(code, 2);
      const done = withPartRetries(new AbortController().signal, run.attempt);
      await vi.runAllTimersAsync();
      await expect(done).resolves.toBe('done');
      const at = run.at.map((t) => t - (run.at[0] as number));
      expect(at).toEqual([0, waits[0], waits[0] + waits[1]]);
    }
  });

  it('gives up after three attempts with the last error', async () => {
    const run = scripted('SlowDown', 5);
    const done = withPartRetries(new AbortController().signal, run.attempt);
    const failure = done.catch((error: unknown) => error);
    await vi.runAllTimersAsync();
    expect(PartCopyError.hasCode(await failure, 'SlowDown')).toBe(true);
    expect(run.at).toHaveLength(3);
  });
});
