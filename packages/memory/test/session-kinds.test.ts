/**
 * One session store for every kind: a copy, a compose and a transfer interrupted into the same
 * store are listed together (kind, sources, destination, parts), each resumed from its record alone
 * by its kind, or aborted whatever its kind; records of the previous release (one format per kind,
 * version 1) are read; garbage collection keeps the uploads of every kind, including a session
 * killed while creating its upload.
 */
import { createHash, randomBytes } from 'node:crypto';
import {
  abortSession,
  CopySessionError,
  collectGarbage,
  composeObject,
  copyObject,
  listSessions,
  MemorySessionStore,
  PartCopyClient,
  PartCopyError,
  readSession,
  resumeCompose,
  resumeCopy,
  resumeTransfer,
  SESSION_FORMAT,
  transferObject,
} from '@partcopy/core';
import { wrapProvider } from '@partcopy/core/testing';
import { describe, expect, it } from 'vitest';
import { createMemoryProvider, MemoryStore } from '../src/index.js';

const MIN = 1024;
const MiB = 1024 * 1024;
const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

function clientFor(store: MemoryStore, minPartSize = MIN) {
  const calls: string[] = [];
  const provider = wrapProvider(
    createMemoryProvider({ store, minPartSize }),
    async (method, _r, _c, next) => {
      calls.push(method);
      return next();
    },
  );
  return { client: new PartCopyClient(provider, { env: {}, retry: false }), calls };
}

async function read(client: PartCopyClient, bucket: string, key: string): Promise<Buffer> {
  return Buffer.from(await (await client.getObject({ bucket, key })).body.bytes());
}

/** A copy, a compose (multipart) and a transfer, each stopped after its first part, in one store. */
async function threeInterrupted() {
  const local = new MemoryStore();
  const remote = new MemoryStore();
  const { client } = clientFor(local);
  const far = clientFor(remote, 5 * MiB).client;
  await client.createBucket({ bucket: 'b' });
  await far.createBucket({ bucket: 'far' });
  const data = randomBytes(8 * MIN);
  const big = randomBytes(12 * MiB);
  await client.putObject({ bucket: 'b', key: 'src', body: data });
  await client.putObject({ bucket: 'b', key: 'big', body: big });
  const sessions = new MemorySessionStore();
  const stopAfterFirst = () => {
    const stop = new AbortController();
    return {
      signal: stop.signal,
      onProgress: (p: { partsDone: number }) => p.partsDone >= 1 && stop.abort(),
    };
  };
  const copy = stopAfterFirst();
  await copyObject({
    client,
    source: { bucket: 'b', key: 'src' },
    destination: { bucket: 'b', key: 'copied' },
    partSize: MIN,
    concurrency: 1,
    session: { store: sessions, id: 'c1' },
    signal: copy.signal,
    onProgress: copy.onProgress,
  }).catch((e: unknown) => expect(PartCopyError.hasCode(e, 'RequestAborted')).toBe(true));
  const compose = stopAfterFirst();
  const pieces = [0, 1, 2, 3].map((i) => ({
    bucket: 'b',
    key: 'src',
    range: { start: i * 2 * MIN, end: i * 2 * MIN + 2 * MIN - 1 },
  }));
  await composeObject({
    client,
    destination: { bucket: 'b', key: 'composed' },
    sources: pieces,
    mode: 'multipart',
    concurrency: 1,
    settings: { contentType: 'text/x-joined' },
    session: { store: sessions, id: 'k1' },
    signal: compose.signal,
    onProgress: (p) => p.partsDone >= 1 && compose.onProgress(p),
  }).catch((e: unknown) => expect(PartCopyError.hasCode(e, 'RequestAborted')).toBe(true));
  const transfer = stopAfterFirst();
  await transferObject({
    source: { client, bucket: 'b', key: 'big', label: 'mem local' },
    destination: { client: far, bucket: 'far', key: 'moved', label: 'mem remote' },
    partSize: 5 * MiB,
    concurrency: 1,
    session: { store: sessions, id: 't1' },
    signal: transfer.signal,
    onProgress: transfer.onProgress,
  }).catch((e: unknown) => expect(PartCopyError.hasCode(e, 'RequestAborted')).toBe(true));
  return { local, remote, client, far, sessions, data, big };
}

describe('one session store for copy, compose and transfer', () => {
  it('lists every kind, resumes each from its record alone, and leaves nothing', async () => {
    const { local, remote, sessions, data, big } = await threeInterrupted();
    const entries = await listSessions(sessions);
    expect(entries.map((e) => [e.id, e.summary?.kind, e.summary?.state])).toEqual([
      ['c1', 'copy', 'copying'],
      ['k1', 'compose', 'copying'],
      ['t1', 'transfer', 'copying'],
    ]);
    const byId = new Map(entries.map((e) => [e.id, e.summary]));
    expect(byId.get('k1')).toMatchObject({
      sources: [{ key: 'src', range: { start: 0, end: 2 * MIN - 1 } }, {}, {}, {}],
      destination: { provider: 'memory', bucket: 'b', key: 'composed' },
      partsTotal: 4,
      totalSize: 8 * MIN,
      strategy: 'multipart',
    });
    expect(byId.get('t1')).toMatchObject({
      sources: [{ store: 'mem local', key: 'big' }],
      destination: { store: 'mem remote', bucket: 'far', key: 'moved' },
      partsTotal: 3,
    });
    for (const entry of entries)
      expect(JSON.stringify(entry.record)).toContain(`"format":"${SESSION_FORMAT}"`);

    // Each kind resumed by a fresh client: only the missing parts are written.
    const copy = clientFor(local);
    const copied = await resumeCopy({ client: copy.client, session: { store: sessions, id: 'c1' } });
    expect(copied.session).toMatchObject({ resumed: true, partsReused: 1 });
    expect(sha(await read(copy.client, 'b', 'copied'))).toBe(sha(data));

    const compose = clientFor(local);
    const composed = await resumeCompose({ client: compose.client, session: { store: sessions, id: 'k1' } });
    expect(composed.session).toMatchObject({ resumed: true, partsReused: 1 });
    expect(compose.calls.filter((c) => c === 'uploadPartCopy' || c === 'uploadPart')).toHaveLength(3);
    expect(sha(await read(compose.client, 'b', 'composed'))).toBe(sha(data));
    expect((await compose.client.headObject({ bucket: 'b', key: 'composed' })).contentType).toBe(
      'text/x-joined',
    );

    const moved = await resumeTransfer({
      source: clientFor(local).client,
      destination: clientFor(remote, 5 * MiB).client,
      session: { store: sessions, id: 't1' },
    });
    expect(moved.session).toMatchObject({ resumed: true, partsReused: 1 });
    expect(sha(await read(clientFor(remote, 5 * MiB).client, 'far', 'moved'))).toBe(sha(big));
    expect(await sessions.list()).toEqual([]);
  });

  it('aborts any kind with its upload, and refuses to resume one kind as another', async () => {
    const { client, far, sessions } = await threeInterrupted();
    const wrong = await resumeCompose({ client, session: { store: sessions, id: 'c1' } }).catch(
      (e: unknown) => e,
    );
    expect(CopySessionError.isSessionError(wrong, 'other-kind')).toBe(true);
    expect((wrong as Error).message).toMatch(/c1 is a copy session, not a compose session/);
    const wrongCopy = await resumeCopy({ client, session: { store: sessions, id: 'k1' } }).catch(
      (e: unknown) => e,
    );
    expect(CopySessionError.isSessionError(wrongCopy, 'other-kind')).toBe(true);

    expect(await abortSession({ client, session: { store: sessions, id: 'k1' } })).toMatchObject({
      kind: 'compose',
      uploadWasGone: false,
    });
    expect(await abortSession({ client: far, session: { store: sessions, id: 't1' } })).toMatchObject({
      kind: 'transfer',
      uploadWasGone: false,
    });
    expect(await abortSession({ client, session: { store: sessions, id: 'c1' } })).toMatchObject({
      kind: 'copy',
    });
    expect((await client.listMultipartUploads({ bucket: 'b' })).uploads).toEqual([]);
    expect((await far.listMultipartUploads({ bucket: 'far' })).uploads).toEqual([]);
    expect(await sessions.list()).toEqual([]);
  });

  it('reads the version 1 records of the previous release, and refuses an unknown version', async () => {
    const { client, sessions } = await threeInterrupted();
    const legacy = {
      copy: 'partcopy.copy-session',
      compose: 'partcopy.compose-session',
      transfer: 'partcopy.transfer-session',
    };
    for (const id of ['c1', 'k1', 't1']) {
      const { kind, ...record } = JSON.parse((await sessions.read(id)) as string) as Record<string, unknown>;
      await sessions.write(
        id,
        JSON.stringify({ ...record, format: legacy[kind as keyof typeof legacy], formatVersion: 1 }),
      );
      expect(await readSession(sessions, id)).toMatchObject({
        kind,
        format: SESSION_FORMAT,
        formatVersion: 2,
      });
    }
    const resumed = await resumeCompose({ client, session: { store: sessions, id: 'k1' } });
    expect(resumed.session).toMatchObject({ resumed: true, partsReused: 1 });

    const text = (await sessions.read('c1')) as string;
    await sessions.write(
      'c1',
      JSON.stringify({ ...JSON.parse(text), format: SESSION_FORMAT, formatVersion: 3 }),
    );
    const newer = await readSession(sessions, 'c1').catch((e: unknown) => e);
    expect(CopySessionError.isSessionError(newer, 'format-version')).toBe(true);
    expect((newer as Error).message).toMatch(/format version 3 .*abort it/);
  });

  it('garbage collection keeps the uploads of every kind, also those of sessions killed while creating them', async () => {
    const store = new MemoryStore();
    const { client } = clientFor(store);
    await client.createBucket({ bucket: 'b' });
    const sessions = new MemorySessionStore();
    const past = new Date(Date.now() - 60_000).toISOString();
    const envelope = (kind: string, id: string) => ({
      format: SESSION_FORMAT,
      formatVersion: 2,
      kind,
      id,
      createdAt: past,
      updatedAt: past,
    });
    // Killed in state `creating`: the records name no upload, the uploads exist.
    await sessions.write(
      'k-creating',
      JSON.stringify({
        ...envelope('compose', 'k-creating'),
        provider: 'memory',
        destination: { bucket: 'b', key: 'composed' },
        pieces: [{ bucket: 'b', key: 'x', etag: '"e"' }],
        plan: { partsCount: 1, totalSize: 1 },
        strategy: 'multipart',
        state: 'creating',
      }),
    );
    await sessions.write(
      't-creating',
      JSON.stringify({
        ...envelope('transfer', 't-creating'),
        source: { provider: 'memory', bucket: 'o', key: 'x', etag: '"e"', size: 1 },
        destination: { provider: 'memory', bucket: 'b', key: 'moved' },
        range: { start: 0, end: 0 },
        strategy: 'stream',
        plan: { partSize: 1, partsCount: 1, totalSize: 1 },
        state: 'creating',
      }),
    );
    const composeUpload = await client.createMultipartUpload({ bucket: 'b', key: 'composed' });
    const transferUpload = await client.createMultipartUpload({ bucket: 'b', key: 'moved' });
    const stray = await client.createMultipartUpload({ bucket: 'b', key: 'stray' });
    const report = await collectGarbage({
      client,
      buckets: ['b'],
      olderThanMs: 0,
      sessions,
      now: new Date(Date.now() + 1_000),
    });
    const byUpload = new Map(report.items.map((i) => [i.uploadId, i]));
    expect(byUpload.get(composeUpload.uploadId)).toMatchObject({
      action: 'kept',
      reason: 'session k-creating',
    });
    expect(byUpload.get(transferUpload.uploadId)).toMatchObject({
      action: 'kept',
      reason: 'session t-creating',
    });
    expect(byUpload.get(stray.uploadId)).toMatchObject({ action: 'removed' });
    // And `abortSession` finds the upload such a run left.
    expect(await abortSession({ client, session: { store: sessions, id: 'k-creating' } })).toMatchObject({
      uploadId: composeUpload.uploadId,
      uploadWasGone: false,
    });
  });
});
