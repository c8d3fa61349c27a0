/**
 * A completion job delivered again after its worker died asks the engine's question (is the
 * object at the key the one these parts publish? completion-recognition.ts), not merely whether
 * it has the right size: an object of the same size that another writer put there (or that was
 * there before) must not be taken for the session's result.
 */
import { randomBytes } from 'node:crypto';
import { PartCopyClient } from '@partcopy/core';
import { createMemoryProvider } from '@partcopy/memory';
import { requireServerEnv } from '@partcopy/test-servers';
import type { Job } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { fleetKeys } from '../src/fleet-keys.js';
import { FleetState } from '../src/fleet-state.js';
import type { CompleteJobData, FleetSessionRecord } from '../src/fleet-types.js';
import { runCompleteJob } from '../src/session-jobs.js';

const PART = 1024;

describe('a re-delivered completion job', () => {
  const redis = new Redis(requireServerEnv('redis').PARTCOPY_REDIS_URL);
  afterAll(() => redis.disconnect());

  // A session whose two parts were copied and recorded, left in state `completing` as a worker
  // that died during the completion leaves it.
  async function completingSession() {
    const client = new PartCopyClient(createMemoryProvider({ minPartSize: PART }));
    await client.createBucket({ bucket: 'b' });
    const source = randomBytes(2 * PART);
    const put = await client.putObject({ bucket: 'b', key: 'src', body: source });
    const { uploadId } = await client.createMultipartUpload({ bucket: 'b', key: 'dst' });
    const state = new FleetState(redis, fleetKeys(`cr${randomBytes(4).toString('hex')}`));
    const record: FleetSessionRecord = {
      id: 's1',
      store: 'mem',
      source: {
        bucket: 'b',
        key: 'src',
        etag: put.etag,
        size: source.length,
        lastModified: new Date().toISOString(),
      },
      destination: { bucket: 'b', key: 'dst' },
      uploadId,
      partSize: PART,
      partsCount: 2,
      totalBytes: source.length,
      ranged: true,
      createdAt: new Date().toISOString(),
    };
    await state.createSession(record);
    const parts = [];
    for (const partNumber of [1, 2]) {
      const start = (partNumber - 1) * PART;
      const copied = await client.uploadPartCopy({
        bucket: 'b',
        key: 'dst',
        uploadId,
        partNumber,
        copySource: { bucket: 'b', key: 'src' },
        copySourceRange: { start, end: start + PART - 1 },
      });
      await state.recordPart('s1', partNumber, copied.copyPartResult.etag, PART, copied.transfer);
      parts.push({ partNumber, etag: copied.copyPartResult.etag });
    }
    await state.transition(state.keys.session('s1'), 'completing', ['running']);
    const ctx = { state, client: () => client, pausedRecheckMs: 1_000 };
    const job = { data: { session: 's1' } } as unknown as Job<CompleteJobData>;
    return { client, state, ctx, job, uploadId, parts };
  }

  it('recognises the object its first delivery published', async () => {
    const { client, state, ctx, job, uploadId, parts } = await completingSession();
    // The first delivery reached the store; its worker died before recording it.
    await state.redis.hset(state.keys.session('s1'), 'completionSentAt', Date.now());
    const done = await client.completeMultipartUpload({ bucket: 'b', key: 'dst', uploadId, parts });
    await expect(runCompleteJob(ctx, job, undefined)).resolves.toEqual({ etag: done.etag });
    expect((await state.session('s1'))?.state).toBe('completed');
  });

  it('refuses an object of the same size that its parts did not make', async () => {
    const { client, state, ctx, job, uploadId } = await completingSession();
    // The upload is gone (aborted by a collector) and another writer put an object of the same size.
    await client.abortMultipartUpload({ bucket: 'b', key: 'dst', uploadId });
    await client.putObject({ bucket: 'b', key: 'dst', body: randomBytes(2 * PART) });
    await expect(runCompleteJob(ctx, job, undefined)).rejects.toThrow(
      /is not the object session s1 completed/,
    );
    expect((await state.session('s1'))?.state).toBe('completing');
  });
});
