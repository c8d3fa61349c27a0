/**
 * The jobs of a session: a part copy (idempotent: pinned to the source's ETag, so re-running it
 * writes the same bytes into the same part number) and the completion (a flow's parent, so
 * BullMQ runs it once, after every part; a re-delivered completion recognises its own finished
 * object instead of failing on the vanished upload).
 */
import { isPublishedUpload, PartCopyError } from '@partcopy/core';
import { DelayedError, type Job, UnrecoverableError } from 'bullmq';
import type { CompleteJobData, FleetSessionRecord, PartJobData } from './fleet-types.js';
import { errorText, permanentOrRetry } from './job-errors.js';
import type { WorkerContext } from './worker-context.js';

export async function runPartJob(
  ctx: WorkerContext,
  job: Job<PartJobData>,
  token: string | undefined,
): Promise<{ part: number; etag: string }> {
  const { session: id, part } = job.data;
  const { session, etag: known } = await ctx.state.sessionAndPart(id, part);
  if (!session) throw new UnrecoverableError(`session ${id} is not in this queue's Redis`);
  if (session.state === 'paused') return waitWhilePaused(ctx, job, token);
  if (session.state !== 'running') throw new UnrecoverableError(`session ${id} is ${session.state}`);
  // A part already counted (its job re-delivered after the worker died later on) is not copied again.
  if (known !== undefined) return { part, etag: known };
  const { record } = session;
  const client = await ctx.client(record.store);
  let result: Awaited<ReturnType<typeof client.uploadPartCopy>>;
  try {
    result = await client.uploadPartCopy({
      bucket: record.destination.bucket,
      key: record.destination.key,
      uploadId: record.uploadId,
      partNumber: part,
      copySource: sourceOf(record),
      ...(record.ranged ? { copySourceRange: { start: job.data.start, end: job.data.end } } : {}),
      copySourceIfMatch: record.source.etag,
      copySourceHint: {
        size: record.source.size,
        etag: record.source.etag,
        lastModified: new Date(record.source.lastModified),
        ...(record.source.versionId === undefined ? {} : { versionId: record.source.versionId }),
      },
    });
  } catch (error) {
    throw permanentOrRetry(error);
  }
  const etag = result.copyPartResult.etag;
  await ctx.state.recordPart(id, part, etag, result.bytesCopied, result.transfer);
  return { part, etag };
}

export async function runCompleteJob(
  ctx: WorkerContext,
  job: Job<CompleteJobData>,
  token: string | undefined,
): Promise<{ etag: string }> {
  const id = job.data.session;
  const session = await ctx.state.session(id);
  if (!session) throw new UnrecoverableError(`session ${id} is not in this queue's Redis`);
  const { record, state } = session;
  if (state === 'paused') return waitWhilePaused(ctx, job, token);
  if (state === 'cancelled' || state === 'failed') {
    await abortOnce(ctx, record);
    throw new UnrecoverableError(`session ${id} is ${state}`);
  }
  const key = ctx.state.keys.session(id);
  // Re-delivered after the session completed: that completion's ETag is the answer (the key may
  // hold a later writer's object by now).
  const finished = state === 'completed' ? await ctx.state.redis.hget(key, 'etag') : null;
  if (finished) return { etag: finished };
  const client = await ctx.client(record.store);
  const parts = await recordedParts(ctx, id, record);
  if (state !== 'completed') {
    await ctx.state.transition(key, 'completing', ['running', 'completing']);
    // The first delivery's send time, kept across re-deliveries: what the store published after it
    // may be this completion's; what was there before cannot be.
    await ctx.state.redis.hsetnx(key, 'completionSentAt', Date.now());
    try {
      await client.completeMultipartUpload({
        ...record.destination,
        uploadId: record.uploadId,
        multipartUpload: { parts },
      });
    } catch (error) {
      // A completion re-delivered after its worker died: the store may have finished it the first
      // time; the object must then be the one these parts make, as the engine recognises it.
      if (!(PartCopyError.isInstance(error) && error.code === 'NoSuchUpload')) throw permanentOrRetry(error);
    }
  }
  const head = await client.headObject(record.destination);
  const sentAt = Number((await ctx.state.redis.hget(key, 'completionSentAt')) ?? 0);
  if (!isPublishedUpload(client, record.destination.bucket, parts, head, record.totalBytes, sentAt)) {
    throw new UnrecoverableError(
      `${record.destination.bucket}/${record.destination.key} is not the object session ${id} completed ` +
        `(${head.size} bytes, ETag ${head.etag}; the parts make ${record.totalBytes} bytes): another writer replaced it, or the upload was aborted`,
    );
  }
  if (
    await ctx.state.transition(key, 'completed', ['completing', 'completed'], {
      etag: head.etag,
      finishedAt: Date.now(),
    })
  ) {
    await ctx.state.setLedger(
      ledgerKey(record.store, record.destination),
      `${record.source.etag} ${head.etag}`,
    );
  }
  return { etag: head.etag };
}

// Every part's ETag as recorded by the part jobs, in part order; all of them or the job fails.
async function recordedParts(ctx: WorkerContext, id: string, record: FleetSessionRecord) {
  const etags = await ctx.state.partEtags(id);
  if (etags.size !== record.partsCount) {
    throw new UnrecoverableError(`session ${id} has ${etags.size} of ${record.partsCount} parts recorded`);
  }
  return [...etags].sort(([a], [b]) => a - b).map(([partNumber, etag]) => ({ partNumber, etag }));
}

/** Marks the session failed (unless it already ended) and aborts its upload, once. */
export async function failSession(ctx: WorkerContext, id: string, error: unknown): Promise<void> {
  const session = await ctx.state.session(id);
  if (!session) return;
  const key = ctx.state.keys.session(id);
  const reason = { error: errorText(error), finishedAt: Date.now() };
  await ctx.state.transition(key, 'failed', ['running', 'paused', 'completing'], reason);
  if (['failed', 'cancelled'].includes((await ctx.state.session(id))?.state ?? '')) {
    await abortOnce(ctx, session.record);
  }
}

async function abortOnce(ctx: WorkerContext, record: FleetSessionRecord): Promise<void> {
  const first = await ctx.state.redis.hsetnx(ctx.state.keys.session(record.id), 'aborted', Date.now());
  if (first !== 1) return;
  const client = await ctx.client(record.store);
  await client
    .abortMultipartUpload({ ...record.destination, uploadId: record.uploadId })
    .catch((error: unknown) => {
      if (!(PartCopyError.isInstance(error) && error.code === 'NoSuchUpload')) throw error;
    });
}

/** A paused session's job goes back to the queue, delayed, and is looked at again later. */
async function waitWhilePaused(ctx: WorkerContext, job: Job, token: string | undefined): Promise<never> {
  await job.moveToDelayed(Date.now() + ctx.pausedRecheckMs, token);
  throw new DelayedError();
}

function sourceOf(record: FleetSessionRecord) {
  const { bucket, key, versionId } = record.source;
  return versionId === undefined ? { bucket, key } : { bucket, key, versionId };
}

/** The ledger's key for a destination object of a store. */
export function ledgerKey(store: string, destination: { bucket: string; key: string }): string {
  return `${store}\n${destination.bucket}\n${destination.key}`;
}
