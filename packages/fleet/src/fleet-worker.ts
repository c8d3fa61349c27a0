/**
 * A worker process's side of the fleet: a BullMQ worker that runs part, completion and object
 * jobs with this process's own clients. Any number of them, on any number of machines, share a
 * queue; a worker that dies mid-job loses its lock, and BullMQ's stalled-job check in the
 * others puts the job back in the queue.
 */
import { Job, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { fleetKeys } from './fleet-keys.js';
import { bullConnection, type FleetConnectionOptions, queueName } from './fleet-options.js';
import { FleetState } from './fleet-state.js';
import type { CompleteJobData, ObjectJobData, PartJobData } from './fleet-types.js';
import { isFinalFailure } from './job-errors.js';
import { JOB } from './job-options.js';
import { failObject, runObjectJob } from './object-job.js';
import { failSession, runCompleteJob, runPartJob } from './session-jobs.js';
import type { ClientResolver, WorkerContext } from './worker-context.js';

export interface FleetWorkerOptions extends FleetConnectionOptions {
  /** This worker's client for a store label found in a job. */
  resolveClient: ClientResolver;
  /** Jobs this process runs at once (default 4). */
  concurrency?: number | undefined;
  /**
   * How long a job's lock lasts without renewal, in ms (default 30,000): a worker that died is
   * noticed after about this long, and its job runs again elsewhere.
   */
  lockDurationMs?: number | undefined;
  /** How often this worker looks for stalled jobs, in ms (default: BullMQ's, 30,000). */
  stalledIntervalMs?: number | undefined;
  /** How often a job may stall (its worker died) before it fails (default 3). */
  maxStalledCount?: number | undefined;
  /** How long a paused session's job waits before it looks again, in ms (default 1000). */
  pausedRecheckMs?: number | undefined;
  /** Called when a job ends for good with a failure (after its last attempt). */
  onFailed?: ((job: Job, error: Error) => void) | undefined;
}

export interface FleetWorker {
  readonly worker: Worker;
  /** Resolves once the worker connected to Redis and takes jobs. */
  ready(): Promise<void>;
  /** Stops taking jobs, waits for those in flight, and disconnects. */
  close(): Promise<void>;
}

export function startFleetWorker(options: FleetWorkerOptions): FleetWorker {
  const name = queueName(options);
  const redis = new Redis(options.redisUrl, { maxRetriesPerRequest: null });
  const ctx: WorkerContext = {
    state: new FleetState(redis, fleetKeys(name)),
    client: options.resolveClient,
    pausedRecheckMs: options.pausedRecheckMs ?? 1000,
  };
  const worker = new Worker(
    name,
    async (job: Job, token?: string) => {
      switch (job.name) {
        case JOB.part:
          return runPartJob(ctx, job as Job<PartJobData>, token);
        case JOB.complete:
          return runCompleteJob(ctx, job as Job<CompleteJobData>, token);
        case JOB.object:
          return runObjectJob(ctx, job as Job<ObjectJobData>, token);
        default:
          throw new Error(`unknown fleet job "${job.name}"`);
      }
    },
    {
      connection: bullConnection(options),
      concurrency: options.concurrency ?? 4,
      lockDuration: options.lockDurationMs ?? 30_000,
      ...(options.stalledIntervalMs === undefined ? {} : { stalledInterval: options.stalledIntervalMs }),
      maxStalledCount: options.maxStalledCount ?? 3,
    },
  );
  worker.on('failed', (job, error) => {
    if (!job || !isFinalFailure(job, error)) return;
    void onFinalFailure(ctx, job, error)
      .catch(() => {})
      .finally(() => options.onFailed?.(job, error));
  });
  // A job that stalled more often than allowed is failed inside Redis by the stalled check, with
  // no 'failed' event: look at every stalled job, and treat one that ended failed as final.
  worker.on('stalled', (jobId) => {
    void onStalled(ctx, worker, jobId).catch(() => {});
  });
  // BullMQ reports connection trouble here; without a listener Node would crash the process.
  worker.on('error', () => {});
  return {
    worker,
    ready: () => worker.waitUntilReady().then(() => {}),
    close: async () => {
      await worker.close();
      redis.disconnect();
    },
  };
}

async function onStalled(ctx: WorkerContext, worker: Worker, jobId: string): Promise<void> {
  const job = await Job.fromId(worker, jobId);
  if (!job || !(await job.isFailed())) return;
  // Read again: BullMQ 6 defers a stalled job's failure to the next worker that takes it, so the
  // job may have failed after the first read, which then has no failedReason (the session was
  // failed with an empty error).
  const failed = (await Job.fromId(worker, jobId)) ?? job;
  const reason = failed.failedReason || `job ${jobId} stalled more often than allowed (maxStalledCount)`;
  await onFinalFailure(ctx, failed, new Error(reason));
}

async function onFinalFailure(ctx: WorkerContext, job: Job, error: Error): Promise<void> {
  if (job.name === JOB.object) return failObject(ctx, job.data as ObjectJobData, error);
  const id = (job.data as { session?: string }).session;
  if (id) await failSession(ctx, id, error);
}
