/**
 * Enqueues a bulk copy: a prefix listed page by page (or a manifest read line by line), one job
 * per object, added a page at a time and held back while the queue is full, so the submitter's
 * memory stays flat however many keys there are.
 */
import { randomUUID } from 'node:crypto';
import type { PartCopyClient } from '@partcopy/core';
import type { Queue } from 'bullmq';
import { type FleetState, finishBulkIfDone } from './fleet-state.js';
import type { BulkRecord, ObjectJobData } from './fleet-types.js';
import { type FleetRetryOptions, JOB, jobOptions } from './job-options.js';

export interface BulkCopyRequest {
  /** The submitter's client: it lists the source (workers copy with their own). */
  client: PartCopyClient;
  /** The source store's label as every worker knows it: never a secret. */
  store: string;
  /**
   * The destination store's label, when it is another store: each object is then transferred
   * (`transferObject`: a server-side pull where the destination can fetch from the source,
   * streamed through the worker otherwise). Absent: the source's store.
   */
  destinationStore?: string | undefined;
  /** Every object whose key starts with `prefix` is copied to `destination.prefix` + the rest of its key. */
  source: { bucket: string; prefix: string };
  destination: { bucket: string; prefix: string };
  /** Copy these source keys instead of listing the prefix (each must start with `source.prefix`). */
  manifest?: AsyncIterable<string> | Iterable<string> | undefined;
  /** Keys listed per page (default 1000). */
  pageSize?: number | undefined;
  /** Jobs waiting in the queue above which the listing waits (default 20,000). */
  highWater?: number | undefined;
  retry?: FleetRetryOptions | undefined;
  /** Called after each page was enqueued, with the count so far. */
  onListed?: ((listed: number) => void) | undefined;
}

export async function submitBulk(queue: Queue, state: FleetState, request: BulkCopyRequest): Promise<string> {
  const id = `b${randomUUID()}`;
  const record: BulkRecord = {
    id,
    store: request.store,
    ...(request.destinationStore === undefined || request.destinationStore === request.store
      ? {}
      : { destinationStore: request.destinationStore }),
    source: request.source,
    destination: request.destination,
    createdAt: new Date().toISOString(),
  };
  await state.createBulk(record);
  let listed = 0;
  const pages = request.manifest
    ? manifestPages(request.manifest, request.pageSize ?? 1000)
    : listingPages(request, request.pageSize ?? 1000);
  for await (const page of pages) {
    await belowHighWater(queue, request.highWater ?? 20_000);
    if ((await state.bulk(id))?.state === 'cancelled') break;
    await queue.addBulk(
      page.map((object, i) => ({
        name: JOB.object,
        data: { bulk: id, ...object } satisfies ObjectJobData,
        opts: jobOptions(`${id}.o${listed + i}`, request.retry),
      })),
    );
    listed += page.length;
    await state.addListed(id, page.length);
    request.onListed?.(listed);
  }
  await state.transition(state.keys.bulk(id), 'running', ['listing']);
  // Every job may have finished before the listing ended: then nobody else closes the copy.
  await finishBulkIfDone(state, id);
  return id;
}

type Listed = Omit<ObjectJobData, 'bulk'>;

async function* listingPages(request: BulkCopyRequest, pageSize: number): AsyncGenerator<Listed[]> {
  let token: string | undefined;
  do {
    const page = await request.client.listObjects({
      bucket: request.source.bucket,
      prefix: request.source.prefix,
      maxKeys: pageSize,
      ...(token === undefined ? {} : { continuationToken: token }),
    });
    if (page.objects.length > 0) {
      yield page.objects.map((o) => ({ key: o.key, size: o.size, etag: o.etag }));
    }
    token = page.isTruncated ? page.nextContinuationToken : undefined;
  } while (token !== undefined);
}

/** Manifest keys carry no size or ETag: the worker reads them from the source. */
async function* manifestPages(
  manifest: AsyncIterable<string> | Iterable<string>,
  pageSize: number,
): AsyncGenerator<Listed[]> {
  let page: Listed[] = [];
  for await (const line of manifest) {
    const key = line.trim();
    if (key === '') continue;
    page.push({ key, size: -1, etag: '' });
    if (page.length >= pageSize) {
      yield page;
      page = [];
    }
  }
  if (page.length > 0) yield page;
}

async function belowHighWater(queue: Queue, highWater: number): Promise<void> {
  while ((await queue.getWaitingCount()) > highWater) {
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
