/**
 * The submitting side of a fleet: enqueues a session's parts or a bulk copy's objects, and
 * follows, pauses, resumes or cancels them from any machine that reaches the Redis.
 */
import { randomUUID } from 'node:crypto';
import {
  DEFAULT_COPY_CONCURRENCY,
  enginePartSize,
  type PartCopyClient,
  PartCopyError,
  planCopyParts,
} from '@partcopy/core';
import { FlowProducer, Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { type BulkCopyRequest, submitBulk } from './bulk-submit.js';
import { fleetKeys } from './fleet-keys.js';
import { bullConnection, type FleetConnectionOptions, queueName } from './fleet-options.js';
import { FleetState } from './fleet-state.js';
import type { BulkReport, FleetProgress, FleetSessionRecord } from './fleet-types.js';
import { type FleetRetryOptions, JOB, jobOptions } from './job-options.js';

export interface FleetCopyRequest {
  /** The submitter's client for the store: it reads the source and creates the upload. */
  client: PartCopyClient;
  /** The store's label as every worker knows it (a remote name, a scheme): never a secret. */
  store: string;
  source: { bucket: string; key: string; versionId?: string | undefined };
  destination: { bucket: string; key: string };
  /** Bytes per part; absent: the engine's choice for `workers` part copies in flight. */
  partSize?: number | undefined;
  /** Part copies expected in flight across the fleet, for the part size (default 4). */
  workers?: number | undefined;
  retry?: FleetRetryOptions | undefined;
}

export interface FollowOptions {
  /** Called at every poll with the aggregated progress. */
  onProgress?: ((progress: FleetProgress) => void) | undefined;
  /** Poll interval in ms (default 500). */
  intervalMs?: number | undefined;
  signal?: AbortSignal | undefined;
}

const FINAL = new Set(['completed', 'failed', 'cancelled']);

export class FleetClient {
  readonly queue: Queue;
  readonly state: FleetState;
  readonly #flow: FlowProducer;

  constructor(options: FleetConnectionOptions) {
    const connection = bullConnection(options);
    this.queue = new Queue(queueName(options), { connection });
    this.#flow = new FlowProducer({ connection });
    this.state = new FleetState(
      new Redis(options.redisUrl, { maxRetriesPerRequest: null }),
      fleetKeys(queueName(options)),
    );
  }

  /**
   * Plans a copy of one object in parts, creates its multipart upload, records the session in
   * Redis and enqueues one job per part under a completion job (a BullMQ flow): any worker runs
   * the parts, and the completion runs once, after the last part. Returns the session id.
   */
  async submitCopy(request: FleetCopyRequest): Promise<string> {
    const { client, source, destination } = request;
    const head = await client.headObject(source);
    if (head.size === 0) {
      throw new PartCopyError(
        'InvalidArgument',
        `${source.bucket}/${source.key} is empty: copy it with partcopy cp, not a fleet`,
      );
    }
    const caps = client.capabilitiesFor(destination.bucket);
    if (caps.rangedCopy !== 'native' && !caps.clientStreamedRanges) {
      throw new PartCopyError(
        'NotImplemented',
        `this store cannot copy source ranges into parts; copy ${source.key} with partcopy cp`,
      );
    }
    const workers = request.workers ?? DEFAULT_COPY_CONCURRENCY;
    const partSize = request.partSize ?? enginePartSize(head.size, caps, workers);
    const plan = planCopyParts({ start: 0, end: head.size - 1 }, { limits: caps, partSize });
    const upload = await client.createMultipartUpload(destination);
    const id = `s${randomUUID()}`;
    const record: FleetSessionRecord = {
      id,
      store: request.store,
      source: {
        bucket: source.bucket,
        key: source.key,
        ...(head.versionId === undefined ? {} : { versionId: head.versionId }),
        etag: head.etag,
        size: head.size,
        lastModified: head.lastModified.toISOString(),
      },
      destination: { bucket: destination.bucket, key: destination.key },
      uploadId: upload.uploadId,
      partSize: plan.partSize,
      partsCount: plan.parts.length,
      totalBytes: head.size,
      ranged: plan.parts.length > 1,
      createdAt: new Date().toISOString(),
    };
    try {
      await this.state.createSession(record);
      await this.#flow.add({
        name: JOB.complete,
        queueName: this.queue.name,
        data: { session: id },
        opts: jobOptions(`${id}.complete`, request.retry),
        children: plan.parts.map((part) => ({
          name: JOB.part,
          queueName: this.queue.name,
          data: { session: id, part: part.partNumber, start: part.range.start, end: part.range.end },
          // A part that fails for good fails its session (the completion never runs).
          opts: { ...jobOptions(`${id}.p${part.partNumber}`, request.retry), failParentOnFailure: true },
        })),
      });
    } catch (error) {
      // Nothing was enqueued: nothing may be left in the store either.
      await client.abortMultipartUpload({ ...destination, uploadId: upload.uploadId }).catch(() => {});
      await this.state.setFields(this.state.keys.session(id), {
        state: 'failed',
        error: 'could not enqueue',
      });
      throw error;
    }
    return id;
  }

  /** Enqueues one job per object of a prefix or manifest; see {@link BulkCopyRequest}. */
  async submitBulk(request: BulkCopyRequest): Promise<string> {
    return submitBulk(this.queue, this.state, request);
  }

  async progress(sessionId: string): Promise<FleetProgress> {
    const progress = await this.state.progress(sessionId);
    if (!progress) throw unknownSession(sessionId);
    return progress;
  }

  async bulkReport(bulkId: string): Promise<BulkReport> {
    const report = await this.state.bulkReport(bulkId);
    if (!report)
      throw new PartCopyError('InvalidArgument', `no bulk copy ${bulkId} in queue ${this.queue.name}`);
    return report;
  }

  /** Part jobs of a paused session wait (delayed) instead of running; those in flight finish. */
  async pause(sessionId: string): Promise<boolean> {
    return this.state.transition(this.state.keys.session(sessionId), 'paused', ['running']);
  }

  async resume(sessionId: string): Promise<boolean> {
    const resumed = await this.state.transition(this.state.keys.session(sessionId), 'running', ['paused']);
    // Waiting part jobs were delayed while paused: run them now rather than at their next check.
    if (resumed) await this.#promoteDelayed(sessionId);
    return resumed;
  }

  /**
   * Cancels a session: its remaining jobs fail without copying, and the first worker that sees
   * it aborts the upload (this machine needs no credentials for the store).
   */
  async cancel(sessionId: string): Promise<boolean> {
    const key = this.state.keys.session(sessionId);
    const cancelled = await this.state.transition(key, 'cancelled', ['running', 'paused', 'completing'], {
      error: 'cancelled',
      finishedAt: Date.now(),
    });
    if (cancelled) await this.#promoteDelayed(sessionId);
    return cancelled;
  }

  /** Object jobs of a paused bulk copy wait (delayed) instead of running; those in flight finish. */
  async pauseBulk(bulkId: string): Promise<boolean> {
    return this.state.setBulkPaused(bulkId, true);
  }

  async resumeBulk(bulkId: string): Promise<boolean> {
    const resumed = await this.state.setBulkPaused(bulkId, false);
    if (resumed) await this.#promoteDelayed(bulkId);
    return resumed;
  }

  async cancelBulk(bulkId: string): Promise<boolean> {
    return this.state.transition(this.state.keys.bulk(bulkId), 'cancelled', ['listing', 'running']);
  }

  /** Polls the session until it completed, failed or was cancelled; returns its last progress. */
  async waitForSession(sessionId: string, options: FollowOptions = {}): Promise<FleetProgress> {
    for (;;) {
      const progress = await this.progress(sessionId);
      options.onProgress?.(progress);
      if (FINAL.has(progress.state)) return progress;
      await pause(options.intervalMs ?? 500, options.signal);
    }
  }

  /** Polls the bulk copy until every listed object has an outcome (or it was cancelled). */
  async waitForBulk(
    bulkId: string,
    options: Omit<FollowOptions, 'onProgress'> & { onProgress?: (report: BulkReport) => void } = {},
  ): Promise<BulkReport> {
    for (;;) {
      const report = await this.bulkReport(bulkId);
      options.onProgress?.(report);
      if (report.done || report.state === 'cancelled') return report;
      await pause(options.intervalMs ?? 500, options.signal);
    }
  }

  async close(): Promise<void> {
    await Promise.allSettled([this.queue.close(), this.#flow.close()]);
    this.state.redis.disconnect();
  }

  /** Runs now the delayed jobs of a session or bulk copy (by its id). */
  async #promoteDelayed(sessionId: string): Promise<void> {
    const delayed = await this.queue.getDelayed();
    await Promise.all(
      delayed
        .filter((job) => {
          const data = job.data as { session?: string; bulk?: string };
          return data.session === sessionId || data.bulk === sessionId;
        })
        .map((job) => job.promote().catch(() => {})),
    );
  }
}

function unknownSession(id: string): PartCopyError {
  return new PartCopyError('InvalidArgument', `no fleet session ${id}: check the id and the --queue`);
}

function pause(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        reject(signal.reason);
      },
      { once: true },
    );
  });
}
