/**
 * One object of a bulk copy: skipped when the destination already holds the same bytes (same
 * size, and the same ETag, or the ledger's record that this destination version was copied from
 * this source version), else copied by the engine (whole-object server-side copy or parts, as
 * the store is best at). A re-run after a crash copies the object again: same bytes, one outcome.
 */
import {
  copyObject,
  type ObjectInfo,
  type PartCopyClient,
  PartCopyError,
  transferObject,
} from '@partcopy/core';
import { DelayedError, type Job, UnrecoverableError } from 'bullmq';
import { finishBulkIfDone } from './fleet-state.js';
import type { BulkRecord, ObjectJobData } from './fleet-types.js';
import { errorText, permanentOrRetry } from './job-errors.js';
import { ledgerKey } from './session-jobs.js';
import type { WorkerContext } from './worker-context.js';

export async function runObjectJob(
  ctx: WorkerContext,
  job: Job<ObjectJobData>,
  token: string | undefined,
): Promise<'copied' | 'skipped'> {
  const { bulk: id, key } = job.data;
  const bulk = await ctx.state.bulk(id);
  if (!bulk) throw new UnrecoverableError(`bulk copy ${id} is not in this queue's Redis`);
  if (bulk.state === 'cancelled') throw new UnrecoverableError('the bulk copy was cancelled');
  if (bulk.paused) {
    await job.moveToDelayed(Date.now() + ctx.pausedRecheckMs, token);
    throw new DelayedError();
  }
  const { record } = bulk;
  if (!key.startsWith(record.source.prefix)) {
    throw new UnrecoverableError(`${key} is not under the source prefix ${record.source.prefix}`);
  }
  const destination = {
    bucket: record.destination.bucket,
    key: record.destination.prefix + key.slice(record.source.prefix.length),
  };
  const client = await ctx.client(record.store);
  const target = record.destinationStore === undefined ? client : await ctx.client(record.destinationStore);
  try {
    const source = await sourceInfo(client, record, job.data);
    const existing = await headOrUndefined(target, destination);
    const ledger = ledgerKey(record.destinationStore ?? record.store, destination);
    if (existing && (await identical(ctx, source, existing, ledger, record.destinationStore === undefined))) {
      await ctx.state.recordOutcome(id, key, 'skipped', source.size);
      return 'skipped';
    }
    const from = { bucket: record.source.bucket, key };
    // One object per job: the fleet's parallelism is its workers' concurrency.
    const result =
      target === client
        ? await copyObject({ client, source: from, destination, concurrency: 1 })
        : await transferObject({
            source: { client, ...from },
            destination: { client: target, ...destination },
            concurrency: 1,
          });
    await ctx.state.setLedger(ledger, `${source.etag} ${result.etag}`);
    await ctx.state.recordOutcome(id, key, 'copied', result.size, undefined, {
      serverSide: result.bytesServerSide,
      client: result.bytesClientStreamed,
    });
    return 'copied';
  } catch (error) {
    throw permanentOrRetry(error);
  } finally {
    await finishBulkIfDone(ctx.state, id);
  }
}

/** Records a failed object (after its last attempt) and closes the bulk copy if it was the last. */
export async function failObject(ctx: WorkerContext, data: ObjectJobData, error: unknown): Promise<void> {
  await ctx.state.recordOutcome(data.bulk, data.key, 'failed', 0, errorText(error));
  await finishBulkIfDone(ctx.state, data.bulk);
}

async function sourceInfo(client: PartCopyClient, record: BulkRecord, data: ObjectJobData) {
  // Listed keys came with size and ETag; manifest keys did not.
  if (data.size >= 0 && data.etag !== '') return { size: data.size, etag: data.etag };
  const head = await client.headObject({ bucket: record.source.bucket, key: data.key });
  return { size: head.size, etag: head.etag };
}

async function headOrUndefined(
  client: PartCopyClient,
  object: { bucket: string; key: string },
): Promise<ObjectInfo | undefined> {
  try {
    return await client.headObject(object);
  } catch (error) {
    if (PartCopyError.isInstance(error) && error.code === 'NoSuchKey') return undefined;
    throw error;
  }
}

async function identical(
  ctx: WorkerContext,
  source: { size: number; etag: string },
  target: ObjectInfo,
  ledger: string,
  sameStore: boolean,
): Promise<boolean> {
  if (source.size !== target.size) return false;
  // Equal ETags mean equal bytes only within one store (across stores they are different hashes).
  if (sameStore && source.etag === target.etag) return true;
  // Stores that give a copy its own ETag (Azure, GCS): trust our own record of the copy.
  return (await ctx.state.ledger(ledger)) === `${source.etag} ${target.etag}`;
}
