/**
 * A bulk copy of `count` small objects by four worker processes, one SIGKILLed while it is
 * provably inside an object job (its copy done at the store, its job not finished). Every
 * object must arrive with its bytes; a second run of the same bulk copy must skip them all.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { requireServerEnv } from '@partcopy/test-servers';
import { expect } from 'vitest';
import { FleetClient } from '../../src/index.js';
import { bundleWorker, WorkerProcess } from './fleet-harness.js';
import { clientFor, randomBucket } from './stores.js';

export async function runBulkScenario(store: 'azurite' | 'gcs', count: number): Promise<void> {
  const redisUrl = requireServerEnv('redis').PARTCOPY_REDIS_URL;
  const dir = mkdtempSync(join(tmpdir(), 'fleet-bulk-'));
  const queue = `q${Math.random().toString(36).slice(2, 10)}`;
  const client = clientFor(store);
  const bucket = randomBucket();
  const fleet = new FleetClient({ redisUrl, queue });
  const workers: WorkerProcess[] = [];
  const start = (env: Record<string, string> = {}) => {
    const worker = new WorkerProcess(script, { FLEET_QUEUE: queue, ...env });
    workers.push(worker);
    return worker;
  };
  const script = await bundleWorker(dir);
  try {
    await client.createBucket({ bucket });
    const bodies = await putObjects(client, bucket, count);

    const victim = start({ FLEET_HOLD_METHOD: 'copyObject', FLEET_HOLD_AFTER: '3', FLEET_CONCURRENCY: '1' });
    await victim.waitFor(/^ready$/);
    const id = await fleet.submitBulk({
      client,
      store,
      source: { bucket, prefix: 'in/' },
      destination: { bucket, prefix: 'out/' },
      pageSize: 250,
    });
    await victim.waitFor(/^held copyObject/);
    const others = [
      start({ FLEET_CONCURRENCY: '4' }),
      start({ FLEET_CONCURRENCY: '4' }),
      start({ FLEET_CONCURRENCY: '4' }),
    ];
    await Promise.all(others.map((w) => w.waitFor(/^ready$/)));
    await until(async () => {
      const r = await fleet.bulkReport(id);
      return r.copied + r.skipped + r.failed >= Math.min(count / 10, 50);
    });
    victim.kill('SIGKILL');
    expect((await victim.exited).signal).toBe('SIGKILL');

    const report = await fleet.waitForBulk(id, { intervalMs: 250 });
    expect(report.failures).toEqual([]);
    expect({
      copied: report.copied,
      skipped: report.skipped,
      failed: report.failed,
      listed: report.listed,
    }).toEqual({
      copied: count,
      skipped: 0,
      failed: 0,
      listed: count,
    });
    for (const [key, body] of bodies) {
      const copy = await (await client.getObject({ bucket, key: `out/${key}` })).body.bytes();
      expect(Buffer.from(copy).equals(body), key).toBe(true);
    }

    // The same bulk copy again: every destination already holds its source's bytes.
    const again = await fleet.waitForBulk(
      await fleet.submitBulk({
        client,
        store,
        source: { bucket, prefix: 'in/' },
        destination: { bucket, prefix: 'out/' },
      }),
      { intervalMs: 250 },
    );
    expect({ copied: again.copied, skipped: again.skipped, failed: again.failed }).toEqual({
      copied: 0,
      skipped: count,
      failed: 0,
    });

    // A manifest naming a key that does not exist: that one fails, with its reason, the rest is skipped.
    const manifest = await fleet.waitForBulk(
      await fleet.submitBulk({
        client,
        store,
        source: { bucket, prefix: 'in/' },
        destination: { bucket, prefix: 'out/' },
        manifest: ['in/0', 'in/missing', 'in/1'],
      }),
      { intervalMs: 250 },
    );
    expect({ copied: manifest.copied, skipped: manifest.skipped, failed: manifest.failed }).toEqual({
      copied: 0,
      skipped: 2,
      failed: 1,
    });
    expect(manifest.failures.map((f) => f.key)).toEqual(['in/missing']);
    expect(manifest.failures[0]?.error).toMatch(/NoSuchKey/);
    // The failed object's job is kept (bounded) for inspection; nothing else is left in the queue.
    const jobs = await fleet.queue.getJobCounts('waiting', 'active', 'delayed', 'failed');
    expect(jobs).toEqual({ waiting: 0, active: 0, delayed: 0, failed: 1 });
  } finally {
    await Promise.all(workers.map((w) => w.stop()));
    await fleet.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function putObjects(
  client: ReturnType<typeof clientFor>,
  bucket: string,
  count: number,
): Promise<Map<string, Buffer>> {
  const bodies = new Map<string, Buffer>();
  const keys = Array.from({ length: count }, (_, i) => String(i));
  // A few uploads at a time: the emulator is the bottleneck, not this loop.
  for (let i = 0; i < keys.length; i += 16) {
    await Promise.all(
      keys.slice(i, i + 16).map(async (key) => {
        const body = randomBytes(64 + (Number(key) % 37) * 31);
        bodies.set(key, body);
        await client.putObject({ bucket, key: `in/${key}`, body });
      }),
    );
  }
  return bodies;
}

async function until(check: () => Promise<boolean>): Promise<void> {
  while (!(await check())) await new Promise((resolve) => setTimeout(resolve, 100));
}
