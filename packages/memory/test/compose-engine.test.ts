/**
 * The compose engine on the reference store: both strategies (native in the store, and S3's
 * multipart rules forced with `mode: 'multipart'`), bad input refused before anything exists,
 * pins, destination conditions, clean-up after a failure, and a resumable multipart compose that
 * copies only the missing parts.
 */
import { createHash, randomBytes } from 'node:crypto';
import {
  type ComposeSource,
  composeObject,
  MemorySessionStore,
  PartCopyClient,
  PartCopyError,
} from '@partcopy/core';
import { wrapProvider } from '@partcopy/core/testing';
import { describe, expect, it } from 'vitest';
import { createMemoryProvider, MemoryStore } from '../src/index.js';

const MIN = 1024;
const BUCKET = 'compose';

type Hook = (method: string, request: unknown) => Promise<void> | void;

function clientFor(store: MemoryStore, hook: Hook = () => {}) {
  const calls: string[] = [];
  const provider = wrapProvider(
    createMemoryProvider({ store, minPartSize: MIN }),
    async (method, request, _ctx, next) => {
      calls.push(method);
      await hook(method, request);
      return next();
    },
  );
  return { client: new PartCopyClient(provider, { env: {}, retry: false }), calls };
}

async function setUp(sizes: Record<string, number>) {
  const store = new MemoryStore();
  const { client, calls } = clientFor(store);
  await client.createBucket({ bucket: BUCKET });
  const objects = new Map<string, Buffer>();
  for (const [key, size] of Object.entries(sizes)) {
    const bytes = randomBytes(size);
    objects.set(key, bytes);
    await client.putObject({ bucket: BUCKET, key, body: bytes });
  }
  return { store, client, calls, objects };
}

function expected(objects: Map<string, Buffer>, sources: ComposeSource[]): Buffer {
  return Buffer.concat(
    sources.map((s) => {
      const bytes = objects.get(s.key) as Buffer;
      if (s.range === undefined) return bytes;
      const r = s.range as { start: number; end: number };
      return bytes.subarray(r.start, r.end + 1);
    }),
  );
}

async function read(client: PartCopyClient, key: string): Promise<Buffer> {
  const got = await client.getObject({ bucket: BUCKET, key });
  return Buffer.from(await got.body.bytes());
}

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

const MIXED: Record<string, number> = {
  big: 5 * MIN + 17,
  mid: 2 * MIN,
  tiny: 1,
  empty: 0,
  edge: MIN,
  under: MIN - 1,
};
function mixedSources(): ComposeSource[] {
  return [
    { bucket: BUCKET, key: 'tiny' },
    { bucket: BUCKET, key: 'big' },
    { bucket: BUCKET, key: 'empty' },
    { bucket: BUCKET, key: 'big', range: { start: 100, end: 100 + 3 * MIN } },
    { bucket: BUCKET, key: 'under' },
    { bucket: BUCKET, key: 'edge' },
    { bucket: BUCKET, key: 'big', range: { start: 50, end: 2 * MIN } },
    { bucket: BUCKET, key: 'tiny' },
    { bucket: BUCKET, key: 'mid', range: { start: 0, end: MIN - 2 } },
    { bucket: BUCKET, key: 'mid' },
  ];
}

describe.each(['auto', 'multipart'] as const)('composeObject on memory (mode %s)', (mode) => {
  it('joins mixed pieces (0-byte, 1-byte, at and around the part minimum, overlapping, repeated) exactly', async () => {
    const { client, objects, calls } = await setUp(MIXED);
    const sources = mixedSources();
    const result = await composeObject({
      client,
      destination: { bucket: BUCKET, key: 'out' },
      sources,
      mode,
    });
    const want = expected(objects, sources);
    expect(sha(await read(client, 'out'))).toBe(sha(want));
    expect(result.size).toBe(want.length);
    expect(result.strategy).toBe(mode === 'auto' ? 'native' : 'multipart');
    expect(result.bytesServerSide + result.bytesClientStreamed).toBeGreaterThanOrEqual(want.length);
    expect(result.bytesClientStreamed).toBeGreaterThanOrEqual(result.clientBytesLowerBound);
    // One HEAD per distinct source, not per piece.
    expect(calls.filter((c) => c === 'headObject').length).toBe(new Set(sources.map((s) => s.key)).size);
    expect((await client.listMultipartUploads({ bucket: BUCKET })).uploads).toEqual([]);
  });

  it('refuses bad input with typed errors before anything is created', async () => {
    const { client, calls } = await setUp({ a: 10 });
    const destination = { bucket: BUCKET, key: 'out' };
    const refuse = async (sources: ComposeSource[], code: string) => {
      calls.length = 0;
      const error = await composeObject({ client, destination, sources, mode }).catch((e: unknown) => e);
      expect(PartCopyError.hasCode(error, code as never)).toBe(true);
      expect(calls.filter((c) => c !== 'headObject')).toEqual([]);
    };
    await refuse([], 'InvalidArgument');
    await refuse([{ bucket: BUCKET, key: 'a', range: { start: 5, end: 10 } }], 'InvalidArgument');
    await refuse([{ bucket: BUCKET, key: 'missing' }], 'NoSuchKey');
    await refuse([{ bucket: BUCKET, key: 'a', ifMatch: '"nope"' }], 'PreconditionFailed');
    const big = new PartCopyClient(
      createMemoryProvider({ minPartSize: MIN, capabilities: { maxObjectSize: 15 } }),
      {
        env: {},
      },
    );
    await big.createBucket({ bucket: BUCKET });
    await big.putObject({ bucket: BUCKET, key: 'a', body: new Uint8Array(10) });
    const tooBig = await composeObject({
      client: big,
      destination,
      sources: [
        { bucket: BUCKET, key: 'a' },
        { bucket: BUCKET, key: 'a' },
      ],
      mode,
    }).catch((e: unknown) => e);
    expect(PartCopyError.hasCode(tooBig, 'EntityTooLarge')).toBe(true);
    await expect(big.headObject({ bucket: BUCKET, key: 'out' })).rejects.toMatchObject({ code: 'NoSuchKey' });
  });

  it('publishes only under the destination conditions', async () => {
    const { client } = await setUp({ a: 3 * MIN, b: 10 });
    const sources = [
      { bucket: BUCKET, key: 'a' },
      { bucket: BUCKET, key: 'b' },
    ];
    await composeObject({
      client,
      destination: { bucket: BUCKET, key: 'out', ifNoneMatch: '*' },
      sources,
      mode,
    });
    const error = await composeObject({
      client,
      destination: { bucket: BUCKET, key: 'out', ifNoneMatch: '*' },
      sources: [
        { bucket: BUCKET, key: 'b' },
        { bucket: BUCKET, key: 'a' },
      ],
      mode,
    }).catch((e: unknown) => e);
    expect(PartCopyError.hasCode(error, 'PreconditionFailed')).toBe(true);
    expect((await read(client, 'out')).length).toBe(3 * MIN + 10);
    expect((await client.listMultipartUploads({ bucket: BUCKET })).uploads).toEqual([]);
  });

  it('fails with PreconditionFailed when a source changes mid-compose, leaving nothing behind', async () => {
    const store = new MemoryStore();
    let changed = false;
    const { client } = clientFor(store, async (method) => {
      if (!changed && (method === 'uploadPartCopy' || method === 'getObject' || method === 'composeObject')) {
        changed = true;
        await plain.putObject({ bucket: BUCKET, key: 'b', body: randomBytes(2 * MIN) });
      }
    });
    const plain = new PartCopyClient(createMemoryProvider({ store, minPartSize: MIN }), { env: {} });
    await plain.createBucket({ bucket: BUCKET });
    await plain.putObject({ bucket: BUCKET, key: 'a', body: randomBytes(10) });
    await plain.putObject({ bucket: BUCKET, key: 'b', body: randomBytes(2 * MIN) });
    const sources = [
      { bucket: BUCKET, key: 'b' },
      { bucket: BUCKET, key: 'a' },
      { bucket: BUCKET, key: 'b' },
    ];
    const error = await composeObject({
      client,
      destination: { bucket: BUCKET, key: 'out' },
      sources,
      mode,
    }).catch((e: unknown) => e);
    expect(changed).toBe(true);
    expect(PartCopyError.hasCode(error, 'PreconditionFailed')).toBe(true);
    await expect(plain.headObject({ bucket: BUCKET, key: 'out' })).rejects.toMatchObject({
      code: 'NoSuchKey',
    });
    expect((await plain.listMultipartUploads({ bucket: BUCKET })).uploads).toEqual([]);
  });

  it('makes an empty object out of empty pieces', async () => {
    const { client } = await setUp({ e: 0 });
    const result = await composeObject({
      client,
      destination: { bucket: BUCKET, key: 'out' },
      sources: [
        { bucket: BUCKET, key: 'e' },
        { bucket: BUCKET, key: 'e' },
      ],
      mode,
    });
    expect(result.strategy).toBe('empty-put');
    expect((await read(client, 'out')).length).toBe(0);
  });
});

describe('resumable multipart compose on memory', () => {
  it('keeps the session when interrupted and a second run copies only the missing parts', async () => {
    const store = new MemoryStore();
    const sessions = new MemorySessionStore();
    const controller = new AbortController();
    let copies = 0;
    const first = clientFor(store, (method) => {
      if (method === 'uploadPartCopy' && ++copies === 3) controller.abort();
    });
    const { client } = first;
    await client.createBucket({ bucket: BUCKET });
    const bytes = randomBytes(20 * MIN);
    await client.putObject({ bucket: BUCKET, key: 'a', body: bytes });
    const sources: ComposeSource[] = Array.from({ length: 6 }, (_, i) => ({
      bucket: BUCKET,
      key: 'a',
      range: { start: i * 3 * MIN, end: i * 3 * MIN + 3 * MIN - 1 },
    }));
    const base = {
      destination: { bucket: BUCKET, key: 'out' },
      sources,
      mode: 'multipart' as const,
      concurrency: 1,
    };
    const error = await composeObject({
      ...base,
      client,
      session: { store: sessions },
      signal: controller.signal,
    }).catch((e: unknown) => e);
    expect(PartCopyError.hasCode(error, 'RequestAborted')).toBe(true);
    expect((await client.listMultipartUploads({ bucket: BUCKET })).uploads).toHaveLength(1);
    const second = clientFor(store);
    const result = await composeObject({ ...base, client: second.client, session: { store: sessions } });
    expect(result.session?.resumed).toBe(true);
    expect(result.session?.partsReused).toBe(2);
    expect(second.calls.filter((c) => c === 'uploadPartCopy')).toHaveLength(4);
    expect(sha(await read(second.client, 'out'))).toBe(sha(bytes.subarray(0, 18 * MIN)));
    expect(await sessions.list()).toEqual([]);
  });

  it('a source changed since the session began ends it with PreconditionFailed and a clean abort', async () => {
    const store = new MemoryStore();
    const sessions = new MemorySessionStore();
    const controller = new AbortController();
    const { client } = clientFor(store, (method) => {
      if (method === 'uploadPartCopy') controller.abort();
    });
    await client.createBucket({ bucket: BUCKET });
    await client.putObject({ bucket: BUCKET, key: 'a', body: randomBytes(8 * MIN) });
    const sources: ComposeSource[] = [
      { bucket: BUCKET, key: 'a', range: { start: 0, end: 3 * MIN } },
      { bucket: BUCKET, key: 'a' },
    ];
    const base = {
      destination: { bucket: BUCKET, key: 'out' },
      sources,
      mode: 'multipart' as const,
      concurrency: 1,
    };
    await composeObject({ ...base, client, session: { store: sessions }, signal: controller.signal }).catch(
      () => {},
    );
    await client.putObject({ bucket: BUCKET, key: 'a', body: randomBytes(8 * MIN) });
    const error = await composeObject({
      ...base,
      client: clientFor(store).client,
      session: { store: sessions },
    }).catch((e: unknown) => e);
    expect(PartCopyError.hasCode(error, 'PreconditionFailed')).toBe(true);
    expect((await client.listMultipartUploads({ bucket: BUCKET })).uploads).toEqual([]);
    expect(await sessions.list()).toEqual([]);
  });
});

describe('a lost answer to the multipart compose creation', () => {
  it('aborts the upload the store made, so nothing is left', async () => {
    const { store, objects } = await setUp({ big: 5 * MIN + 17, tiny: 1 });
    // The store creates the upload, then the answer is lost (a reset after forwarding).
    const { client } = clientFor(store, () => {});
    const lossy = new PartCopyClient(
      wrapProvider(
        createMemoryProvider({ store, minPartSize: MIN }),
        async (method, _request, _ctx, next) => {
          const answer = await next();
          if (method === 'createMultipartUpload')
            throw new PartCopyError('InternalError', 'connection reset after the request was forwarded', {
              status: 500,
            });
          return answer;
        },
      ),
      { env: {}, retry: false },
    );
    const sources: ComposeSource[] = [
      { bucket: BUCKET, key: 'big' },
      { bucket: BUCKET, key: 'tiny' },
    ];
    const error = await composeObject({
      client: lossy,
      destination: { bucket: BUCKET, key: 'out' },
      sources,
      mode: 'multipart',
    }).catch((e: unknown) => e);
    expect(PartCopyError.hasCode(error, 'InternalError')).toBe(true);
    expect((await client.listMultipartUploads({ bucket: BUCKET })).uploads).toEqual([]);
    expect(objects.size).toBe(2);
  });
});
