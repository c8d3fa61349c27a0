/**
 * The listing of a bulk copy is held back by the queue: it fetches a page, and adds it only while
 * at most `highWater` jobs wait. With no worker running it stops; the submitter never holds more
 * than one page, and Redis never more than highWater + one page of waiting jobs. A worker started
 * later drains the queue and the listing goes on to the end.
 */
import { PartCopyClient } from '@partcopy/core';
import { wrapProvider } from '@partcopy/core/testing';
import { createMemoryProvider } from '@partcopy/memory';
import { requireServerEnv } from '@partcopy/test-servers';
import { afterAll, describe, expect, it } from 'vitest';
import { FleetClient, type FleetWorker, startFleetWorker } from '../src/index.js';

const KEYS = 1200;
const PAGE = 100;
const HIGH_WATER = 300;

describe('bulk copy listing under back-pressure', () => {
  const redisUrl = requireServerEnv('redis').PARTCOPY_REDIS_URL;
  const queue = `bp${Math.random().toString(36).slice(2, 10)}`;
  const fleet = new FleetClient({ redisUrl, queue });
  const waitingAtList: number[] = [];
  const client = new PartCopyClient(
    wrapProvider(createMemoryProvider(), async (method, _request, _ctx, next) => {
      if (method === 'listObjects') waitingAtList.push(await fleet.queue.getWaitingCount());
      return next();
    }),
  );
  let worker: FleetWorker | undefined;

  afterAll(async () => {
    await worker?.close();
    await fleet.close();
  });

  it('keeps at most highWater + one page waiting, and copies everything once drained', async () => {
    await client.createBucket({ bucket: 'bp' });
    for (let i = 0; i < KEYS; i += 50) {
      await Promise.all(
        Array.from({ length: 50 }, (_, j) =>
          client.putObject({ bucket: 'bp', key: `in/${i + j}`, body: `${i + j}` }),
        ),
      );
    }
    const submitted = fleet.submitBulk({
      client,
      store: 'memory',
      source: { bucket: 'bp', prefix: 'in/' },
      destination: { bucket: 'bp', prefix: 'out/' },
      pageSize: PAGE,
      highWater: HIGH_WATER,
    });
    // No worker yet: the listing fills the queue to the high-water mark and waits there.
    await until(async () => (await fleet.queue.getWaitingCount()) >= HIGH_WATER + PAGE);
    expect(waitingAtList.length).toBeLessThan(KEYS / PAGE);
    worker = startFleetWorker({ redisUrl, queue, concurrency: 16, resolveClient: () => client });
    const id = await submitted;
    const report = await fleet.waitForBulk(id, { intervalMs: 100 });
    expect({ copied: report.copied, failed: report.failed, listed: report.listed }).toEqual({
      copied: KEYS,
      failed: 0,
      listed: KEYS,
    });
    expect(Math.max(...waitingAtList)).toBeLessThanOrEqual(HIGH_WATER + PAGE);
    expect((await fleet.queue.getWaitingCount()) + (await fleet.queue.getActiveCount())).toBe(0);
  }, 180_000);
});

async function until(check: () => Promise<boolean>): Promise<void> {
  while (!(await check())) await new Promise((resolve) => setTimeout(resolve, 50));
}
