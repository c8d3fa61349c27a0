/**
 * The managed copy engine on the reference store: strategies, sessions (interrupt, resume,
 * reconcile, pin, bad records, concurrent resumes), failure clean-up, verification and metrics.
 * Request counts come from a wrapper around the provider, so they are what the store received.
 */
import { randomBytes } from 'node:crypto';
import {
  abortCopySession,
  type CapabilityOverrides,
  CopySessionError,
  copyObject,
  listCopySessions,
  MemorySessionStore,
  PartCopyClient,
  PartCopyError,
  resumeCopy,
  SESSION_FORMAT_VERSION,
} from '@partcopy/core';
import type { UploadPartCopyRequest } from '@partcopy/core/provider';
import { wrapProvider } from '@partcopy/core/testing';
import { describe, expect, it } from 'vitest';
import { createMemoryProvider, MemoryStore } from '../src/index.js';

const SIZE = 10_000;
const PART = 1024;
const data = randomBytes(SIZE);

type Hook = (method: string, request: unknown) => Promise<void> | void;

/** A client over `store` (a second client over the same store is a second process). */
function clientFor(store: MemoryStore, hook: Hook = () => {}, capabilities: CapabilityOverrides = {}) {
  const calls: Array<{ method: string; request: unknown }> = [];
  const provider = wrapProvider(
    createMemoryProvider({ store, minPartSize: PART, capabilities }),
    async (method, request, _ctx, next) => {
      calls.push({ method, request });
      await hook(method, request);
      return next();
    },
  );
  return { client: new PartCopyClient(provider, { retry: { maxAttempts: 1 } }), calls };
}

const partNumbers = (calls: Array<{ method: string; request: unknown }>) =>
  calls
    .filter((c) => c.method === 'uploadPartCopy')
    .map((c) => (c.request as UploadPartCopyRequest).partNumber)
    .sort((a, b) => a - b);

async function setup() {
  const store = new MemoryStore();
  const { client } = clientFor(store);
  await client.createBucket({ bucket: 'src' });
  await client.createBucket({ bucket: 'dst' });
  await client.putObject({ bucket: 'src', key: 'a', body: data });
  return store;
}

const copyArgs = {
  source: { bucket: 'src', key: 'a' },
  destination: { bucket: 'dst', key: 'b' },
  partSize: PART,
  concurrency: 1,
};

/** Runs a resumable copy that is interrupted when part `stopAt` is requested. */
async function interruptedCopy(store: MemoryStore, sessions: MemorySessionStore, stopAt: number) {
  const stop = new AbortController();
  const { client } = clientFor(store, (method, request) => {
    if (method === 'uploadPartCopy' && (request as UploadPartCopyRequest).partNumber === stopAt)
      stop.abort(new Error('interrupted by SIGINT'));
  });
  const error = await copyObject({
    ...copyArgs,
    client,
    session: { store: sessions, id: 's1' },
    signal: stop.signal,
  }).catch((e: unknown) => e);
  expect(PartCopyError.hasCode(error, 'RequestAborted')).toBe(true);
}

async function destinationBytes(store: MemoryStore): Promise<Buffer> {
  const { client } = clientFor(store);
  const copy = await client.getObject({ bucket: 'dst', key: 'b' });
  return Buffer.from(await copy.body.bytes());
}

describe('copyObject: plan, verification, metrics', () => {
  it('copies ranged parts on the store, verifies by multipart ETag and counts requests from events', async () => {
    const store = await setup();
    // Without store-computed part checksums the multipart ETag is the content check
    // (copy-checksums.test.ts covers the checksums).
    const { client, calls } = clientFor(store, () => {}, { partCopyChecksums: false });
    const plans: string[] = [];
    const result = await copyObject({
      ...copyArgs,
      client,
      concurrency: 3,
      onStart: (s) => plans.push(s.plan.strategy),
    });
    expect(plans).toEqual(['part-copies']);
    expect(result).toMatchObject({
      strategy: 'part-copies',
      partsCount: 10,
      partSize: PART,
      transfer: 'server-side',
      bytesServerSide: SIZE,
      verification: { size: true, content: 'multipart-etag', bytesRead: 0 },
      plan: { partsCount: 10, partSize: PART, concurrency: 3 },
    });
    expect(result.metrics.requests).toEqual({
      headObject: 2,
      createMultipartUpload: 1,
      uploadPartCopy: 10,
      completeMultipartUpload: 1,
    });
    expect(partNumbers(calls)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(await destinationBytes(store)).toEqual(data);
  });

  it('read-back verification hashes both sides and counts the bytes', async () => {
    const store = await setup();
    const { client } = clientFor(store);
    const result = await copyObject({ ...copyArgs, client, verify: 'read-back' });
    expect(result.verification).toEqual({ size: true, content: 'read-back-sha256', bytesRead: 2 * SIZE });
    expect(result.metrics.bytesReadForVerification).toBe(2 * SIZE);
    expect(result.metrics.requests.getObject).toBe(2);
  });

  it('a copy in one part is verified by its multipart ETag', async () => {
    const store = await setup();
    const { client } = clientFor(store, () => {}, { partCopyChecksums: false });
    const result = await copyObject({ ...copyArgs, partSize: SIZE, client });
    expect(result).toMatchObject({ partsCount: 1, verification: { content: 'multipart-etag' } });
  });

  it('reports progress up to every byte and part', async () => {
    const store = await setup();
    const { client } = clientFor(store);
    const seen: Array<{ bytesDone: number; partsDone: number }> = [];
    await copyObject({
      ...copyArgs,
      client,
      onProgress: (p) => seen.push({ bytesDone: p.bytesDone, partsDone: p.partsDone }),
    });
    expect(seen.at(-1)).toEqual({ bytesDone: SIZE, partsDone: 10 });
    expect(seen.map((p) => p.bytesDone)).toEqual([...seen.map((p) => p.bytesDone)].sort((a, b) => a - b));
  });
});

describe('copyObject: the whole-object strategy', () => {
  it('copies a small whole object with one server-side copy, proven by the source ETag', async () => {
    const store = await setup();
    const { client, calls } = clientFor(store);
    const result = await copyObject({ ...copyArgs, partSize: undefined, client });
    expect(result).toMatchObject({
      strategy: 'whole-object',
      transfer: 'server-side',
      bytesServerSide: SIZE,
      verification: { content: 'source-etag' },
    });
    expect(calls.map((c) => c.method).filter((m) => m !== 'headObject')).toEqual(['copyObject']);
    expect(await destinationBytes(store)).toEqual(data);
    // A range is never a whole-object copy.
    const ranged = await copyObject({ ...copyArgs, range: { start: 0, end: 4999 }, client });
    expect(ranged.strategy).toBe('part-copies');
  });
});

describe('copyObject: a whole-object copy the store runs in rounds (GCS rewrite)', () => {
  it("keeps the round's resume token in the session; the resume continues from it", async () => {
    const store = await setup();
    const sessions = new MemorySessionStore();
    const stop = new AbortController();
    const first = clientFor(store);
    const interrupted = new PartCopyClient(
      wrapProvider(
        createMemoryProvider({ store, minPartSize: PART }),
        async (method, _request, ctx, next) => {
          if (method !== 'copyObject') return next();
          ctx.onResumeToken?.('round-1');
          stop.abort(new Error('interrupted by SIGTERM'));
          throw new PartCopyError('RequestAborted', 'interrupted');
        },
      ),
      { retry: { maxAttempts: 1 } },
    );
    const args = { ...copyArgs, partSize: undefined, session: { store: sessions, id: 'w1' } };
    const error = await copyObject({ ...args, client: interrupted, signal: stop.signal }).catch(
      (e: unknown) => e,
    );
    expect(PartCopyError.hasCode(error, 'RequestAborted')).toBe(true);
    const [entry] = await listCopySessions(sessions);
    expect(entry?.record).toMatchObject({ strategy: 'whole-object', resumeToken: 'round-1' });
    const { client, calls } = clientFor(store);
    const result = await resumeCopy({ client, session: { store: sessions, id: 'w1' } });
    expect(result.strategy).toBe('whole-object');
    const copies = calls.filter((c) => c.method === 'copyObject');
    expect(copies.map((c) => (c.request as { resumeToken?: string }).resumeToken)).toEqual(['round-1']);
    expect(await destinationBytes(store)).toEqual(data);
    expect(await listCopySessions(sessions)).toEqual([]);
    expect(first.calls).toEqual([]);
  });

  it('a whole-object copy that reports no token leaves no session behind', async () => {
    const store = await setup();
    const sessions = new MemorySessionStore();
    const { client } = clientFor(store);
    const result = await copyObject({
      ...copyArgs,
      partSize: undefined,
      client,
      session: { store: sessions },
    });
    expect(result.strategy).toBe('whole-object');
    expect(await listCopySessions(sessions)).toEqual([]);
  });
});

describe('copyObject with a session: interrupt, resume, abort', () => {
  it('an interrupt leaves the session and its upload; a resume in another client copies only the missing parts', async () => {
    const store = await setup();
    const sessions = new MemorySessionStore();
    await interruptedCopy(store, sessions, 4);
    const [entry] = await listCopySessions(sessions);
    expect(entry?.record).toMatchObject({
      id: 's1',
      formatVersion: SESSION_FORMAT_VERSION,
      state: 'copying',
    });
    expect(JSON.stringify(entry?.record)).not.toMatch(/secret|key"\s*:\s*"[A-Za-z0-9+/=]{40}/);

    const { client, calls } = clientFor(store);
    const result = await resumeCopy({ client, session: { store: sessions, id: 's1' }, concurrency: 2 });
    // Parts 1-3 were in the store (listParts is the truth); part 4 was stopped before the store saw it.
    expect(partNumbers(calls)).toEqual([4, 5, 6, 7, 8, 9, 10]);
    expect(calls.filter((c) => c.method === 'listParts')).toHaveLength(1);
    expect(result).toMatchObject({ session: { id: 's1', resumed: true, partsReused: 3 }, size: SIZE });
    expect(result.metrics).toMatchObject({ partsCopied: 7, partsReused: 3 });
    expect(await destinationBytes(store)).toEqual(data);
    expect(await sessions.list()).toEqual([]);
  });

  it('running the same copy again with the session resumes it (the id is derived from the copy)', async () => {
    const store = await setup();
    const sessions = new MemorySessionStore();
    const stop = new AbortController();
    const first = clientFor(store, (method, request) => {
      if (method === 'uploadPartCopy' && (request as UploadPartCopyRequest).partNumber === 6) stop.abort();
    });
    await expect(
      copyObject({ ...copyArgs, client: first.client, session: { store: sessions }, signal: stop.signal }),
    ).rejects.toThrow();
    expect(await sessions.list()).toHaveLength(1);
    const again = clientFor(store);
    const result = await copyObject({ ...copyArgs, client: again.client, session: { store: sessions } });
    expect(partNumbers(again.calls)).toEqual([6, 7, 8, 9, 10]);
    expect(result.session).toMatchObject({ resumed: true, partsReused: 5 });
    expect(await destinationBytes(store)).toEqual(data);
  });

  it('a source changed since the session started fails the resume with PreconditionFailed and cleans up', async () => {
    const store = await setup();
    const sessions = new MemorySessionStore();
    await interruptedCopy(store, sessions, 3);
    const { client, calls } = clientFor(store);
    await client.putObject({ bucket: 'src', key: 'a', body: randomBytes(SIZE) });
    const error = await resumeCopy({ client, session: { store: sessions, id: 's1' } }).catch(
      (e: unknown) => e,
    );
    expect(CopySessionError.isSessionError(error, 'source-changed')).toBe(true);
    expect((error as PartCopyError).code).toBe('PreconditionFailed');
    expect((error as Error).message).toMatch(/changed since session s1 started.*upload was aborted/);
    expect(partNumbers(calls)).toEqual([]);
    expect((await client.listMultipartUploads({ bucket: 'dst' })).uploads).toEqual([]);
    expect(await sessions.list()).toEqual([]);
  });

  it('a permanent part failure aborts the upload and drops the session, even for a resumable copy', async () => {
    const store = await setup();
    const sessions = new MemorySessionStore();
    const { client } = clientFor(store, (method, request) => {
      if (method === 'uploadPartCopy' && (request as UploadPartCopyRequest).partNumber === 2)
        throw new PartCopyError('AccessDenied', 'scripted: denied');
    });
    await expect(copyObject({ ...copyArgs, client, session: { store: sessions, id: 's1' } })).rejects.toThrow(
      /denied/,
    );
    expect((await client.listMultipartUploads({ bucket: 'dst' })).uploads).toEqual([]);
    expect(await sessions.list()).toEqual([]);
  });

  it('a crash after completion but before the record was removed is recognised on resume', async () => {
    const store = await setup();
    const sessions = new MemorySessionStore();
    const { client } = clientFor(store);
    const dying = new PartCopyClient(
      wrapProvider(
        createMemoryProvider({ store, minPartSize: PART }),
        async (method, _request, _ctx, next) => {
          const result = await next();
          if (method === 'completeMultipartUpload')
            throw new PartCopyError('RequestAborted', 'killed after completing');
          return result;
        },
      ),
      { retry: { maxAttempts: 1 } },
    );
    await expect(
      copyObject({ ...copyArgs, client: dying, session: { store: sessions, id: 's1' } }),
    ).rejects.toThrow(/killed/);
    const resumed = clientFor(store);
    const result = await resumeCopy({ client: resumed.client, session: { store: sessions, id: 's1' } });
    expect(partNumbers(resumed.calls)).toEqual([]);
    expect(result).toMatchObject({ size: SIZE, session: { resumed: true, partsReused: 10 } });
    expect(await destinationBytes(store)).toEqual(data);
    expect(await sessions.list()).toEqual([]);
    void client;
  });

  it('concurrent resumes of one session: one wins, the other gets a locked error', async () => {
    const store = await setup();
    const sessions = new MemorySessionStore();
    await interruptedCopy(store, sessions, 2);
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    let entered: () => void = () => {};
    const inside = new Promise<void>((resolve) => {
      entered = resolve;
    });
    const first = clientFor(store, async (method) => {
      if (method === 'uploadPartCopy') {
        entered();
        await gate;
      }
    });
    const winner = resumeCopy({ client: first.client, session: { store: sessions, id: 's1' } });
    await inside;
    const second = clientFor(store);
    const error = await resumeCopy({ client: second.client, session: { store: sessions, id: 's1' } }).catch(
      (e: unknown) => e,
    );
    expect(CopySessionError.isSessionError(error, 'locked')).toBe(true);
    expect((error as PartCopyError).code).toBe('ConditionalRequestConflict');
    expect(partNumbers(second.calls)).toEqual([]);
    release();
    await winner;
    expect(await destinationBytes(store)).toEqual(data);
  });

  it('a session id naming another copy is refused, not finished', async () => {
    const store = await setup();
    const sessions = new MemorySessionStore();
    await interruptedCopy(store, sessions, 3);
    const { client, calls } = clientFor(store);
    const error = await copyObject({
      ...copyArgs,
      destination: { bucket: 'dst', key: 'other' },
      client,
      session: { store: sessions, id: 's1' },
    }).catch((e: unknown) => e);
    expect(CopySessionError.isSessionError(error, 'other-copy')).toBe(true);
    expect(calls.map((c) => c.method)).toEqual([]);
    expect(await sessions.list()).toEqual(['s1']);
  });

  it('bad records get typed errors that say what to do, and abort still removes the upload', async () => {
    const store = await setup();
    const sessions = new MemorySessionStore();
    await interruptedCopy(store, sessions, 3);
    const { client } = clientFor(store);
    const good = JSON.parse((await sessions.read('s1')) as string) as Record<string, unknown>;

    await sessions.write('s1', JSON.stringify({ ...good, formatVersion: 99 }));
    const version = await resumeCopy({ client, session: { store: sessions, id: 's1' } }).catch(
      (e: unknown) => e,
    );
    expect(CopySessionError.isSessionError(version, 'format-version')).toBe(true);
    expect((version as Error).message).toMatch(/format version 99.*abort it/);

    await sessions.write('s1', JSON.stringify({ ...good, provider: 'azure' }));
    const other = await resumeCopy({ client, session: { store: sessions, id: 's1' } }).catch(
      (e: unknown) => e,
    );
    expect(CopySessionError.isSessionError(other, 'other-store')).toBe(true);

    await sessions.write('s1', `${JSON.stringify({ ...good, plan: 'x' })}`);
    const corrupt = await resumeCopy({ client, session: { store: sessions, id: 's1' } }).catch(
      (e: unknown) => e,
    );
    expect(CopySessionError.isSessionError(corrupt, 'corrupt')).toBe(true);
    expect((corrupt as Error).message).toMatch(/unreadable \(plan missing\); nothing was changed/);
    expect((await client.listMultipartUploads({ bucket: 'dst' })).uploads).toHaveLength(1);

    const aborted = await abortCopySession({ client, session: { store: sessions, id: 's1' } });
    expect(aborted).toMatchObject({ id: 's1', uploadId: good.uploadId, uploadWasGone: false });
    expect((await client.listMultipartUploads({ bucket: 'dst' })).uploads).toEqual([]);
    expect(await sessions.list()).toEqual([]);

    const missing = await resumeCopy({ client, session: { store: sessions, id: 's1' } }).catch(
      (e: unknown) => e,
    );
    expect(CopySessionError.isSessionError(missing, 'not-found')).toBe(true);
  });
});

describe('copyObject: capabilities of the buckets involved', () => {
  // A store whose bucket `nopin` cannot pin a copy source (capabilitiesFor), while the store's
  // general capabilities can: the engine must decide from the source bucket's, before creating
  // anything.
  it('refuses to pin from a source bucket that cannot, before any upload exists', async () => {
    const inner = createMemoryProvider({ minPartSize: 1024 });
    const noPin = { ...inner.capabilities, copySourceIfMatch: false };
    const calls: string[] = [];
    const provider = new Proxy(inner, {
      get(target, property, receiver) {
        if (property === 'capabilitiesFor')
          return (bucket: string) => (bucket === 'nopin' ? noPin : target.capabilities);
        const value = Reflect.get(target, property, receiver) as unknown;
        if (typeof value !== 'function') return value;
        return (...args: unknown[]) => {
          calls.push(String(property));
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      },
    });
    const client = new PartCopyClient(provider, { env: {} });
    await client.createBucket({ bucket: 'nopin' });
    await client.createBucket({ bucket: 'dst' });
    await client.putObject({ bucket: 'nopin', key: 'a', body: new Uint8Array(4096) });
    calls.length = 0;
    const error = await copyObject({
      client,
      source: { bucket: 'nopin', key: 'a' },
      destination: { bucket: 'dst', key: 'b' },
      partSize: 1024,
    }).catch((e: unknown) => e);
    expect(PartCopyError.hasCode(error, 'Unsupported')).toBe(true);
    expect(calls).not.toContain('createMultipartUpload');
    expect(calls).not.toContain('copyObject');
  });
});

describe('a lost answer to the completion', () => {
  it('recognises the object its completion published instead of failing or copying again', async () => {
    const store = new MemoryStore();
    const { client: plain } = clientFor(store);
    await plain.createBucket({ bucket: 'src' });
    await plain.createBucket({ bucket: 'dst' });
    await plain.putObject({ bucket: 'src', key: 'a', body: data });
    let completions = 0;
    // The store completes, then the answer is lost; the pipeline's repeat answers NoSuchUpload.
    const provider = wrapProvider(
      createMemoryProvider({ store, minPartSize: PART }),
      async (method, _request, _ctx, next) => {
        const attempt = method === 'completeMultipartUpload' ? ++completions : 0;
        const answer = await next();
        if (attempt === 1)
          throw new PartCopyError('InternalError', 'connection reset before the answer', {
            status: 500,
            retryable: true,
          });
        return answer;
      },
    );
    const client = new PartCopyClient(provider, { retry: { maxAttempts: 3, baseDelayMs: 1 } });
    const result = await copyObject({
      client,
      source: { bucket: 'src', key: 'a' },
      destination: { bucket: 'dst', key: 'b' },
      partSize: PART,
    });
    expect(completions).toBe(2);
    expect(result.partsCount).toBe(Math.ceil(SIZE / PART));
    const copy = await plain.getObject({ bucket: 'dst', key: 'b' });
    expect(Buffer.from(await copy.body.bytes()).equals(data)).toBe(true);
    expect(result.etag).toBe(copy.etag);
    expect((await plain.listMultipartUploads({ bucket: 'dst' })).uploads).toEqual([]);
  });

  it('still fails when the key holds another object (the upload was really gone)', async () => {
    const store = new MemoryStore();
    const { client: plain } = clientFor(store);
    await plain.createBucket({ bucket: 'src' });
    await plain.createBucket({ bucket: 'dst' });
    await plain.putObject({ bucket: 'src', key: 'a', body: data });
    await plain.putObject({ bucket: 'dst', key: 'b', body: randomBytes(SIZE) });
    const provider = wrapProvider(
      createMemoryProvider({ store, minPartSize: PART }),
      async (method, request, _ctx, next) => {
        // Someone else aborted the upload just before our completion.
        if (method === 'completeMultipartUpload')
          await plain.abortMultipartUpload(request as { bucket: string; key: string; uploadId: string });
        return next();
      },
    );
    const client = new PartCopyClient(provider, { retry: { maxAttempts: 1 } });
    const error = await copyObject({
      client,
      source: { bucket: 'src', key: 'a' },
      destination: { bucket: 'dst', key: 'b' },
      partSize: PART,
    }).catch((e: unknown) => e);
    expect(PartCopyError.hasCode(error, 'NoSuchUpload')).toBe(true);
  });
});
