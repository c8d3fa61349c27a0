/**
 * A bulk copy paused and resumed from another machine (a second FleetClient), and cancelled:
 * object jobs of a paused copy go back to the queue, delayed, uncopied; after resume every
 * object arrives. A gate holds one object copy so the pause lands at a known point.
 */
import { PartCopyClient } from '@partcopy/core';
import { wrapProvider } from '@partcopy/core/testing';
import { createMemoryProvider } from '@partcopy/memory';
import { requireServerEnv } from '@partcopy/test-servers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FleetClient, type FleetWorker, startFleetWorker } from '../src/index.js';

describe('fleet bulk copy control across machines', () => {
  const redisUrl = requireServerEnv('redis').PARTCOPY_REDIS_URL;
  const queue = `bc${Math.random().toString(36).slice(2, 10)}`;
  let copies = 0;
  let hold: { at: number; held: () => void; release: Promise<void> } | undefined;
  const client = new PartCopyClient(
    wrapProvider(createMemoryProvider(), async (method, _request, _ctx, next) => {
      if (method === 'copyObject' && ++copies === hold?.at) {
        hold.held();
        await hold.release;
      }
      return next();
    }),
  );
  const submitter = new FleetClient({ redisUrl, queue });
  const elsewhere = new FleetClient({ redisUrl, queue });
  let worker: FleetWorker;

  beforeAll(async () => {
    await client.createBucket({ bucket: 'bc' });
    for (let i = 0; i < 30; i++)
      await client.putObject({ bucket: 'bc', key: `in/${i}`, body: `object ${i}` });
    worker = startFleetWorker({
      redisUrl,
      queue,
      concurrency: 1,
      resolveClient: () => client,
      pausedRecheckMs: 200,
    });
    await worker.ready();
  });

  afterAll(async () => {
    await worker.close();
    await Promise.all([submitter.close(), elsewhere.close()]);
  });

  it('pauses (jobs wait, delayed, uncopied) and resumes to every object', async () => {
    let release = () => {};
    const held = new Promise<void>((resolve) => {
      hold = { at: 3, held: resolve, release: new Promise((r) => (release = r)) };
    });
    const id = await submitter.submitBulk({
      client,
      store: 'memory',
      source: { bucket: 'bc', prefix: 'in/' },
      destination: { bucket: 'bc', prefix: 'out/' },
    });
    await held;
    expect(await elsewhere.pauseBulk(id)).toBe(true);
    release();
    await until(async () => (await submitter.queue.getDelayedCount()) > 0);
    const paused = await elsewhere.bulkReport(id);
    expect(paused.paused).toBe(true);
    expect(paused.copied).toBeLessThanOrEqual(3);
    expect(await elsewhere.resumeBulk(id)).toBe(true);
    const done = await submitter.waitForBulk(id, { intervalMs: 50 });
    expect({ copied: done.copied, failed: done.failed, paused: done.paused }).toEqual({
      copied: 30,
      failed: 0,
      paused: false,
    });
    for (let i = 0; i < 30; i++) {
      const body = await (await client.getObject({ bucket: 'bc', key: `out/${i}` })).body.bytes();
      expect(Buffer.from(body).toString()).toBe(`object ${i}`);
    }
  });

  it('cancels: the objects not yet copied fail as cancelled and the copy ends', async () => {
    copies = 0;
    let release = () => {};
    const held = new Promise<void>((resolve) => {
      hold = { at: 2, held: resolve, release: new Promise((r) => (release = r)) };
    });
    const id = await submitter.submitBulk({
      client,
      store: 'memory',
      source: { bucket: 'bc', prefix: 'in/' },
      destination: { bucket: 'bc', prefix: 'cancelled/' },
    });
    await held;
    expect(await elsewhere.cancelBulk(id)).toBe(true);
    release();
    await until(async () => {
      const r = await submitter.bulkReport(id);
      return r.copied + r.skipped + r.failed === 30;
    });
    const report = await submitter.bulkReport(id);
    expect(report.state).toBe('cancelled');
    expect(report.copied).toBeLessThanOrEqual(2);
    expect(report.failed).toBe(30 - report.copied);
    expect(report.failures[0]?.error).toMatch(/cancelled/);
  });
});

async function until(check: () => Promise<boolean>): Promise<void> {
  while (!(await check())) await new Promise((resolve) => setTimeout(resolve, 50));
}
