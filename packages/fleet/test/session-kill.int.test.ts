/**
 * Four worker processes copy one multi-part object on MinIO through a real redis-server; one of
 * them is SIGKILLed while provably in the middle of a part job (the store copied the part, the
 * queue never heard back). BullMQ's stalled-job check hands that part to another worker; the
 * copy completes exactly once with the source's bytes, and no upload is left behind.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MiB } from '@partcopy/core/provider';
import { requireServerEnv } from '@partcopy/test-servers';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FleetClient } from '../src/index.js';
import { bundleWorker, WorkerProcess } from './support/fleet-harness.js';
import { clientFor, randomBucket } from './support/stores.js';

const redisUrl = requireServerEnv('redis').PARTCOPY_REDIS_URL;
const PART = 5 * MiB;
const PARTS = 12;

describe('a fleet session on MinIO with a worker SIGKILLed mid-job', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fleet-session-'));
  const queue = `q${Math.random().toString(36).slice(2, 10)}`;
  const client = clientFor('minio');
  const bucket = randomBucket();
  const source = randomBytes(PARTS * PART - 123);
  const workers: WorkerProcess[] = [];
  const redis = new Redis(redisUrl);
  let fleet: FleetClient;
  let script: string;

  beforeAll(async () => {
    script = await bundleWorker(dir);
    await client.createBucket({ bucket });
    await client.putObject({ bucket, key: 'src.bin', body: source });
    fleet = new FleetClient({ redisUrl, queue });
  });

  afterAll(async () => {
    await Promise.all(workers.map((w) => w.stop()));
    await fleet?.close();
    redis.disconnect();
    rmSync(dir, { recursive: true, force: true });
  });

  const start = (env: Record<string, string> = {}) => {
    const worker = new WorkerProcess(script, { FLEET_QUEUE: queue, ...env });
    workers.push(worker);
    return worker;
  };

  it('completes once with identical bytes and nothing left', async () => {
    // The victim alone first, so it certainly takes a part; it holds after copying it.
    const victim = start({
      FLEET_HOLD_METHOD: 'uploadPartCopy',
      FLEET_HOLD_AFTER: '1',
      FLEET_CONCURRENCY: '1',
    });
    await victim.waitFor(/^ready$/);
    const id = await fleet.submitCopy({
      client,
      store: 'minio',
      source: { bucket, key: 'src.bin' },
      destination: { bucket, key: 'dst.bin' },
      partSize: PART,
    });
    const held = await victim.waitFor(/^held uploadPartCopy \d+$/);
    const heldPart = Number(held.split(' ')[2]);
    const others = [start(), start(), start()];
    await Promise.all(others.map((w) => w.waitFor(/^ready$/)));
    // Mid-way: the others copied parts while the victim still holds its own.
    await until(async () => (await fleet.progress(id)).partsDone >= 3);
    victim.kill('SIGKILL');
    expect((await victim.exited).signal).toBe('SIGKILL');

    const done = await fleet.waitForSession(id, { intervalMs: 200 });
    expect(done.state, done.error).toBe('completed');
    expect(done.partsDone).toBe(PARTS);
    expect(done.bytesDone).toBe(source.length);
    expect(done.serverSideBytes + done.clientBytes).toBe(source.length);

    const copy = await (await client.getObject({ bucket, key: 'dst.bin' })).body.bytes();
    expect(Buffer.from(copy).equals(source)).toBe(true);

    const calls = await redis.hgetall(`fleet-test:${queue}:calls`);
    const parts = await redis.hgetall(`fleet-test:${queue}:parts`);
    // Exactly one completion succeeded, across all four workers.
    expect(Number(calls.completeMultipartUpload)).toBe(1);
    // The held part was copied by the victim and again after its job was re-delivered.
    expect(Number(parts[String(heldPart)])).toBeGreaterThanOrEqual(2);
    for (let n = 1; n <= PARTS; n++) expect(Number(parts[String(n)])).toBeGreaterThanOrEqual(1);
    expect((await client.listMultipartUploads({ bucket })).uploads).toEqual([]);
    // Nothing left in the queue either: no job waiting, running, delayed or failed.
    const jobs = await fleet.queue.getJobCounts('waiting', 'active', 'delayed', 'failed', 'waiting-children');
    expect(jobs).toEqual({ waiting: 0, active: 0, delayed: 0, failed: 0, 'waiting-children': 0 });
  }, 180_000);
});

/** Polls `check` until it holds: the test waits for evidence, never for a fixed time. */
async function until(check: () => Promise<boolean>): Promise<void> {
  while (!(await check())) await new Promise((resolve) => setTimeout(resolve, 100));
}
