/**
 * A part job whose worker dies more often than `maxStalledCount` allows is failed by BullMQ's
 * stalled check inside Redis, without a 'failed' event: the fleet still notices, fails the
 * session with the reason and aborts its upload.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MiB } from '@partcopy/core/provider';
import { requireServerEnv } from '@partcopy/test-servers';
import { afterAll, describe, expect, it } from 'vitest';
import { FleetClient } from '../src/index.js';
import { bundleWorker, WorkerProcess } from './support/fleet-harness.js';
import { clientFor, randomBucket } from './support/stores.js';

describe('a fleet session whose part stalls more often than allowed', () => {
  const redisUrl = requireServerEnv('redis').PARTCOPY_REDIS_URL;
  const dir = mkdtempSync(join(tmpdir(), 'fleet-stall-'));
  const queue = `st${Math.random().toString(36).slice(2, 10)}`;
  const client = clientFor('minio');
  const bucket = randomBucket();
  const fleet = new FleetClient({ redisUrl, queue });
  const workers: WorkerProcess[] = [];

  afterAll(async () => {
    await Promise.all(workers.map((w) => w.stop()));
    await fleet.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('fails the session and aborts the upload', async () => {
    const script = await bundleWorker(dir);
    await client.createBucket({ bucket });
    await client.putObject({ bucket, key: 'src.bin', body: randomBytes(10 * MiB) });
    const victim = new WorkerProcess(script, {
      FLEET_QUEUE: queue,
      FLEET_HOLD_METHOD: 'uploadPartCopy',
      FLEET_CONCURRENCY: '1',
    });
    workers.push(victim);
    await victim.waitFor(/^ready$/);
    const id = await fleet.submitCopy({
      client,
      store: 'minio',
      source: { bucket, key: 'src.bin' },
      destination: { bucket, key: 'dst.bin' },
      partSize: 5 * MiB,
    });
    await victim.waitFor(/^held uploadPartCopy/);
    victim.kill('SIGKILL');
    await victim.exited;
    // This worker's stalled check allows no stall at all: the dead worker's job fails for good.
    const checker = new WorkerProcess(script, { FLEET_QUEUE: queue, FLEET_MAX_STALLED: '0' });
    workers.push(checker);
    const done = await fleet.waitForSession(id, { intervalMs: 200 });
    expect(done.state).toBe('failed');
    expect(done.error).toMatch(/stalled/);
    await until(async () => (await client.listMultipartUploads({ bucket })).uploads.length === 0);
    await expect(client.headObject({ bucket, key: 'dst.bin' })).rejects.toMatchObject({ code: 'NoSuchKey' });
  }, 180_000);
});

async function until(check: () => Promise<boolean>): Promise<void> {
  while (!(await check())) await new Promise((resolve) => setTimeout(resolve, 100));
}
