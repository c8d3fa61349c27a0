/** The BullMQ options every fleet job gets: retries with backoff, and bounded leftovers in Redis. */
import type { JobsOptions } from 'bullmq';

export interface FleetRetryOptions {
  /** Attempts per job, the first included (default 5). */
  attempts?: number | undefined;
  /** The first retry's delay in ms, doubled for each next one (default 1000). */
  backoffMs?: number | undefined;
}

export function jobOptions(jobId: string, retry: FleetRetryOptions = {}): JobsOptions {
  return {
    jobId,
    attempts: retry.attempts ?? 5,
    backoff: { type: 'exponential', delay: retry.backoffMs ?? 1000 },
    // The fleet's own records hold the results; finished jobs need not stay in Redis.
    removeOnComplete: true,
    removeOnFail: { count: 1000 },
  };
}

/** Job names: what a worker does with a job. */
export const JOB = { part: 'part', complete: 'complete', object: 'object' } as const;
