/**
 * A session's life controlled from another machine (a second FleetClient), with in-process
 * workers on the memory store: pause and resume, cancel, a permanent failure (the source changed
 * under its pin) and a retried transient failure. A gate holds a chosen part copy, so every
 * step happens at a known point of the copy, never after a guessed time.
 */
import { randomBytes } from 'node:crypto';
import { PartCopyClient, PartCopyError } from '@partcopy/core';
import { wrapProvider } from '@partcopy/core/testing';
import { createMemoryProvider } from '@partcopy/memory';
import { requireServerEnv } from '@partcopy/test-servers';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FleetClient, type FleetWorker, startFleetWorker } from '../src/index.js';

const redisUrl = requireServerEnv('redis').PARTCOPY_REDIS_URL;
const PART = 1024;

/** Holds the next uploadPartCopy of `part` until released; reports when it is held. */
class Gate {
  part = 0;
  #release: (() => void) | undefined;
  #held: (() => void) | undefined;
  held = new Promise<void>(() => {});

  arm(part: number): Promise<void> {
    this.part = part;
    this.held = new Promise((resolve) => {
      this.#held = resolve;
    });
    return this.held;
  }

  async pass(part: number): Promise<void> {
    if (part !== this.part) return;
    this.part = 0;
    await new Promise<void>((resolve) => {
      this.#release = resolve;
      this.#held?.();
    });
  }

  release(): void {
    this.#release?.();
  }
}

describe('fleet session control across machines', () => {
  const queue = `ctl${Math.random().toString(36).slice(2, 10)}`;
  const gate = new Gate();
  const calls = new Map<string, number>();
  let failNext: { part: number; times: number } | undefined;
  const provider = wrapProvider(
    createMemoryProvider({ minPartSize: PART }),
    async (method, request, _ctx, next) => {
      const part = (request as { partNumber?: number }).partNumber;
      if (method === 'uploadPartCopy') {
        calls.set(`part${part}`, (calls.get(`part${part}`) ?? 0) + 1);
        await gate.pass(part as number);
        if (failNext && failNext.part === part && failNext.times > 0) {
          failNext.times--;
          throw new PartCopyError('ServiceUnavailable', 'injected: try again', { retryable: true });
        }
      }
      if (method === 'completeMultipartUpload') calls.set('complete', (calls.get('complete') ?? 0) + 1);
      return next();
    },
  );
  // One attempt per call: the job's own retries (BullMQ, with backoff) are under test here.
  const client = new PartCopyClient(provider, { retry: { maxAttempts: 1 } });
  const submitter = new FleetClient({ redisUrl, queue });
  const elsewhere = new FleetClient({ redisUrl, queue });
  let worker: FleetWorker;
  const source = randomBytes(6 * PART);
  let n = 0;

  beforeAll(async () => {
    await client.createBucket({ bucket: 'ctl' });
    worker = startFleetWorker({
      redisUrl,
      queue,
      concurrency: 1,
      resolveClient: () => client,
      pausedRecheckMs: 200,
    });
    await worker.ready();
  });

  afterEach(() => {
    gate.release();
    calls.clear();
    failNext = undefined;
  });

  afterAll(async () => {
    await worker.close();
    await Promise.all([submitter.close(), elsewhere.close()]);
  });

  const submit = async (retry?: { attempts: number; backoffMs: number }) => {
    const key = `src${++n}`;
    await client.putObject({ bucket: 'ctl', key, body: source });
    const id = await submitter.submitCopy({
      client,
      store: 'memory',
      source: { bucket: 'ctl', key },
      destination: { bucket: 'ctl', key: `dst${n}` },
      partSize: PART,
      retry,
    });
    return { id, key, destination: `dst${n}` };
  };

  const bytesOf = async (key: string) =>
    Buffer.from(await (await client.getObject({ bucket: 'ctl', key })).body.bytes());
  const uploads = async () => (await client.listMultipartUploads({ bucket: 'ctl' })).uploads;

  it('pauses from another machine (jobs wait, delayed) and resumes to the same bytes', async () => {
    const held = gate.arm(2);
    const { id, destination } = await submit();
    await held;
    expect(await elsewhere.pause(id)).toBe(true);
    gate.release();
    // Evidence of the pause: the next part job went back to the queue, delayed, uncopied.
    await until(async () => (await submitter.queue.getDelayedCount()) > 0);
    const paused = await elsewhere.progress(id);
    expect(paused.state).toBe('paused');
    expect(paused.partsDone).toBeLessThan(6);
    expect(await elsewhere.resume(id)).toBe(true);
    const done = await submitter.waitForSession(id, { intervalMs: 50 });
    expect(done.state).toBe('completed');
    expect(done.partsDone).toBe(6);
    expect((await bytesOf(destination)).equals(source)).toBe(true);
    expect(calls.get('complete')).toBe(1);
  });

  it('cancels from another machine: the upload is aborted by a worker, nothing is left', async () => {
    const held = gate.arm(2);
    const { id, destination } = await submit();
    await held;
    expect(await elsewhere.cancel(id)).toBe(true);
    gate.release();
    const done = await submitter.waitForSession(id, { intervalMs: 50 });
    expect(done.state).toBe('cancelled');
    await until(
      async () => (await submitter.state.redis.hget(submitter.state.keys.session(id), 'aborted')) !== null,
    );
    expect(await uploads()).toEqual([]);
    await expect(client.headObject({ bucket: 'ctl', key: destination })).rejects.toMatchObject({
      code: 'NoSuchKey',
    });
    expect(calls.get('complete')).toBeUndefined();
  });

  it('fails the session and aborts its upload when the source changes under its pin', async () => {
    const held = gate.arm(2);
    const { id, key, destination } = await submit();
    await held;
    await client.putObject({ bucket: 'ctl', key, body: randomBytes(6 * PART) });
    gate.release();
    const done = await submitter.waitForSession(id, { intervalMs: 50 });
    expect(done.state).toBe('failed');
    expect(done.error).toMatch(/PreconditionFailed/);
    await until(async () => (await uploads()).length === 0);
    await expect(client.headObject({ bucket: 'ctl', key: destination })).rejects.toMatchObject({
      code: 'NoSuchKey',
    });
    // A permanent failure is not retried: part 2 was tried once.
    expect(calls.get('part2')).toBe(1);
  });

  it('retries a transient failure of one part job with backoff, then completes', async () => {
    failNext = { part: 3, times: 2 };
    const { id, destination } = await submit({ attempts: 4, backoffMs: 20 });
    const done = await submitter.waitForSession(id, { intervalMs: 50 });
    expect(done.state, done.error).toBe('completed');
    expect(calls.get('part3')).toBe(3);
    expect((await bytesOf(destination)).equals(source)).toBe(true);
  });

  it('fails the session when a transient failure outlasts the attempts', async () => {
    failNext = { part: 1, times: 10 };
    const { id } = await submit({ attempts: 2, backoffMs: 20 });
    const done = await submitter.waitForSession(id, { intervalMs: 50 });
    expect(done.state).toBe('failed');
    expect(done.error).toMatch(/injected/);
    expect(calls.get('part1')).toBe(2);
    await until(async () => (await uploads()).length === 0);
  });
});

async function until(check: () => Promise<boolean>): Promise<void> {
  while (!(await check())) await new Promise((resolve) => setTimeout(resolve, 50));
}
