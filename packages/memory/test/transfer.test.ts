/**
 * The cross-store transfer on two in-process stores: streamed parts with their MD5s checked,
 * the strategies and their refusals, the source pin, verification, and sessions that resume
 * from the parts the destination already holds.
 */
import { createHash } from 'node:crypto';
import {
  CopySessionError,
  collectBytes,
  MemorySessionStore,
  PartCopyClient,
  PartCopyError,
  transferObject,
} from '@partcopy/core';
import { wrapProvider } from '@partcopy/core/testing';
import { describe, expect, it } from 'vitest';
import { createMemoryProvider, MemoryStore } from '../src/index.js';
import { fivePartRoute, transferInterrupted } from './helpers.js';

const MiB = 1024 * 1024;

function store(minPartSize = 5 * MiB): PartCopyClient {
  return new PartCopyClient(createMemoryProvider({ store: new MemoryStore(), minPartSize }));
}

function bytes(length: number, seed = 7): Uint8Array {
  const out = new Uint8Array(length);
  let x = seed;
  for (let i = 0; i < length; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}

const sha = (data: Uint8Array) => createHash('sha256').update(data).digest('hex');

async function pair(data: Uint8Array) {
  const source = store();
  const destination = store();
  await source.createBucket({ bucket: 'src' });
  await destination.createBucket({ bucket: 'dst' });
  await source.putObject({ bucket: 'src', key: 'a', body: data });
  return { source, destination };
}

async function read(client: PartCopyClient, key = 'b'): Promise<Uint8Array> {
  return collectBytes((await client.getObject({ bucket: 'dst', key })).body);
}

describe('transferObject between two stores', () => {
  it.each([0, 1, 5 * MiB - 1, 5 * MiB + 1, 12 * MiB + 3])(
    'streams %i bytes with identical SHA-256',
    async (size) => {
      const data = bytes(size);
      const { source, destination } = await pair(data);
      const result = await transferObject({
        source: { client: source, bucket: 'src', key: 'a' },
        destination: { client: destination, bucket: 'dst', key: 'b' },
        partSize: 5 * MiB,
      });
      expect(sha(await read(destination))).toBe(sha(data));
      expect(result.size).toBe(size);
      expect(result.bytesClientStreamed).toBe(size);
      expect(result.bytesServerSide).toBe(0);
      if (size === 0) {
        expect(result.strategy).toBe('empty-put');
        return;
      }
      expect(result.strategy).toBe('stream');
      expect(result.transfer).toBe('client-streamed');
      expect(result.partsCount).toBe(Math.ceil(size / (5 * MiB)));
      expect(result.verification.checks).toContain('part-md5');
      expect(result.verification.checks).toContain(result.partsCount > 1 ? 'multipart-etag' : 'source-md5');
      expect(result.metrics.source.requests.getObject).toBe(result.partsCount);
      expect(result.metrics.destination.requests.uploadPart).toBe(result.partsCount);
    },
  );

  it('transfers a range and reads it back when asked', async () => {
    const data = bytes(11 * MiB);
    const { source, destination } = await pair(data);
    const result = await transferObject({
      source: { client: source, bucket: 'src', key: 'a', range: 'bytes=100-7340132' },
      destination: { client: destination, bucket: 'dst', key: 'b' },
      verify: 'read-back',
    });
    expect(sha(await read(destination))).toBe(sha(data.subarray(100, 7340133)));
    expect(result.sourceRange).toBe('bytes=100-7340132');
    expect(result.verification.checks).toContain('read-back-sha256');
    expect(result.verification.bytesRead).toBe(2 * (7340133 - 100));
  });

  it('refuses a server-side pull the stores cannot do, before creating anything', async () => {
    const { source, destination } = await pair(bytes(10));
    const error = await transferObject({
      source: { client: source, bucket: 'src', key: 'a' },
      destination: { client: destination, bucket: 'dst', key: 'b' },
      strategy: 'server-pull',
    }).catch((e: unknown) => e);
    expect(PartCopyError.hasCode(error, 'Unsupported')).toBe(true);
    expect(String((error as Error).message)).toMatch(/cannot sign a read URL/);
    expect((await destination.listMultipartUploads({ bucket: 'dst' })).uploads).toEqual([]);
  });

  it('refuses bad input with typed errors', async () => {
    const { source, destination } = await pair(bytes(10));
    const base = {
      source: { client: source, bucket: 'src', key: 'a' },
      destination: { client: destination, bucket: 'dst', key: 'b' },
    };
    for (const bad of [
      { ...base, strategy: 'teleport' as never },
      { ...base, partSize: 0 },
      { ...base, source: { ...base.source, client: {} as never } },
      { ...base, source: { ...base.source, range: 'bytes=5-1' } },
    ]) {
      const error = await transferObject(bad).catch((e: unknown) => e);
      expect(PartCopyError.hasCode(error, 'InvalidArgument'), String(error)).toBe(true);
    }
    const past = await transferObject({ ...base, source: { ...base.source, range: 'bytes=5-100' } }).catch(
      (e: unknown) => e,
    );
    expect(PartCopyError.hasCode(past, 'InvalidArgument')).toBe(true);
    expect((await destination.listMultipartUploads({ bucket: 'dst' })).uploads).toEqual([]);
  });

  it('refuses a destination that cannot hold the size before creating anything', async () => {
    const source = store();
    const destination = new PartCopyClient(
      createMemoryProvider({ store: new MemoryStore(), capabilities: { maxObjectSize: 1000 } }),
    );
    await source.createBucket({ bucket: 'src' });
    await destination.createBucket({ bucket: 'dst' });
    await source.putObject({ bucket: 'src', key: 'a', body: bytes(2000) });
    const error = await transferObject({
      source: { client: source, bucket: 'src', key: 'a' },
      destination: { client: destination, bucket: 'dst', key: 'b' },
    }).catch((e: unknown) => e);
    expect(PartCopyError.hasCode(error, 'EntityTooLarge')).toBe(true);
    expect((await destination.listMultipartUploads({ bucket: 'dst' })).uploads).toEqual([]);
  });

  it('fails with PreconditionFailed and leaves nothing when the source changes mid-transfer', async () => {
    const { source, destination } = await pair(bytes(12 * MiB));
    let parts = 0;
    const error = await transferObject({
      source: { client: source, bucket: 'src', key: 'a' },
      destination: { client: destination, bucket: 'dst', key: 'b' },
      partSize: 5 * MiB,
      concurrency: 1,
      onProgress: async (progress) => {
        if (progress.partsDone === 1 && parts++ === 0)
          await source.putObject({ bucket: 'src', key: 'a', body: bytes(12 * MiB, 99) });
      },
    }).catch((e: unknown) => e);
    expect(PartCopyError.hasCode(error, 'PreconditionFailed')).toBe(true);
    expect((await destination.listMultipartUploads({ bucket: 'dst' })).uploads).toEqual([]);
    await expect(destination.headObject({ bucket: 'dst', key: 'b' })).rejects.toMatchObject({
      code: 'NoSuchKey',
    });
  });

  it('reads a part again when its streamed upload fails with a retryable error', async () => {
    const data = bytes(12 * MiB);
    const source = store();
    await source.createBucket({ bucket: 'src' });
    await source.putObject({ bucket: 'src', key: 'a', body: data });
    let failures = 0;
    const destination = new PartCopyClient(
      wrapProvider(
        createMemoryProvider({ store: new MemoryStore() }),
        async (method, request, _ctx, next) => {
          if (
            method === 'uploadPart' &&
            (request as { partNumber: number }).partNumber === 2 &&
            failures++ === 0
          ) {
            // Half the body is read, then the connection drops: the stream is spent.
            let seen = 0;
            for await (const chunk of (
              request as { body: { chunks(): AsyncIterable<Uint8Array> } }
            ).body.chunks()) {
              seen += chunk.length;
              if (seen > MiB) break;
            }
            throw new PartCopyError('ServiceUnavailable', 'connection reset', { retryable: true });
          }
          return next();
        },
      ),
    );
    await destination.createBucket({ bucket: 'dst' });
    const result = await transferObject({
      source: { client: source, bucket: 'src', key: 'a' },
      destination: { client: destination, bucket: 'dst', key: 'b' },
      partSize: 5 * MiB,
    });
    expect(failures).toBe(2);
    expect(result.metrics.source.requests.getObject).toBe(4);
    expect(sha(await read(destination))).toBe(sha(data));
  });

  it('reads a part again when its source read ends short', async () => {
    const data = bytes(12 * MiB);
    let cut = 0;
    const source = new PartCopyClient(
      wrapProvider(
        createMemoryProvider({ store: new MemoryStore() }),
        async (method, request, _ctx, next) => {
          const answer = await next();
          const range = (request as { range?: { start: number } }).range;
          if (method !== 'getObject' || range?.start !== 5 * MiB || cut++ > 0) return answer;
          // The connection closes cleanly 1 MiB into part 2's range: the body just ends.
          const read = answer as { body: AsyncIterable<Uint8Array> };
          async function* shortened(full: AsyncIterable<Uint8Array>) {
            let seen = 0;
            for await (const chunk of full) {
              if (seen >= MiB) return;
              const piece = chunk.subarray(0, MiB - seen);
              seen += piece.length;
              yield piece;
            }
          }
          return { ...read, body: shortened(read.body) };
        },
      ),
    );
    await source.createBucket({ bucket: 'src' });
    await source.putObject({ bucket: 'src', key: 'a', body: data });
    const destination = store();
    await destination.createBucket({ bucket: 'dst' });
    const result = await transferObject({
      source: { client: source, bucket: 'src', key: 'a' },
      destination: { client: destination, bucket: 'dst', key: 'b' },
      partSize: 5 * MiB,
    });
    expect(cut).toBe(2);
    expect(result.metrics.source.requests.getObject).toBe(4);
    expect(sha(await read(destination))).toBe(sha(data));
  });

  it('does not retry a part whose failure is permanent', async () => {
    const source = store();
    await source.createBucket({ bucket: 'src' });
    await source.putObject({ bucket: 'src', key: 'a', body: bytes(6 * MiB) });
    let attempts = 0;
    const destination = new PartCopyClient(
      wrapProvider(
        createMemoryProvider({ store: new MemoryStore() }),
        async (method, _request, _ctx, next) => {
          if (method === 'uploadPart') {
            attempts++;
            throw new PartCopyError('AccessDenied', 'no');
          }
          return next();
        },
      ),
    );
    await destination.createBucket({ bucket: 'dst' });
    const error = await transferObject({
      source: { client: source, bucket: 'src', key: 'a' },
      destination: { client: destination, bucket: 'dst', key: 'b' },
      partSize: 5 * MiB,
      concurrency: 1,
    }).catch((e: unknown) => e);
    expect(PartCopyError.hasCode(error, 'AccessDenied')).toBe(true);
    expect(attempts).toBe(1);
    expect((await destination.listMultipartUploads({ bucket: 'dst' })).uploads).toEqual([]);
  });

  it('resumes an interrupted session from the parts the destination holds', async () => {
    const data = bytes(16 * MiB);
    const { source, destination } = await pair(data);
    const sessions = new MemorySessionStore();
    const request = { ...fivePartRoute(source, destination), session: { store: sessions } };
    const first = await transferInterrupted(request, 2);
    expect(PartCopyError.hasCode(first, 'RequestAborted')).toBe(true);
    expect(await sessions.list()).toHaveLength(1);
    const second = await transferObject(request);
    expect(second.session).toMatchObject({ resumed: true, partsReused: 2 });
    expect(second.metrics.destination.requests.uploadPart).toBe(2);
    expect(sha(await read(destination))).toBe(sha(data));
    expect(await sessions.list()).toEqual([]);
  });

  it('abandons a session whose source changed: upload aborted, typed error', async () => {
    const { source, destination } = await pair(bytes(16 * MiB));
    const sessions = new MemorySessionStore();
    const request = { ...fivePartRoute(source, destination), session: { store: sessions } };
    await transferInterrupted(request, 1);
    await source.putObject({ bucket: 'src', key: 'a', body: bytes(16 * MiB, 3) });
    const error = await transferObject(request).catch((e: unknown) => e);
    expect(CopySessionError.isSessionError(error, 'source-changed')).toBe(true);
    expect((await destination.listMultipartUploads({ bucket: 'dst' })).uploads).toEqual([]);
    expect(await sessions.list()).toEqual([]);
  });
});

describe('a lost answer to the transfer destination upload creation', () => {
  it('aborts the upload the destination made, so nothing is left', async () => {
    const data = bytes(6 * MiB);
    const source = store();
    const destinationStore = new MemoryStore();
    const plain = new PartCopyClient(createMemoryProvider({ store: destinationStore, minPartSize: 5 * MiB }));
    // The destination creates the upload, then the answer is lost (a reset after forwarding).
    const destination = new PartCopyClient(
      wrapProvider(
        createMemoryProvider({ store: destinationStore, minPartSize: 5 * MiB }),
        async (method, _request, _ctx, next) => {
          const answer = await next();
          if (method === 'createMultipartUpload')
            throw new PartCopyError('InternalError', 'connection reset after the request was forwarded', {
              status: 500,
            });
          return answer;
        },
      ),
      { retry: false },
    );
    await source.createBucket({ bucket: 'src' });
    await plain.createBucket({ bucket: 'dst' });
    await source.putObject({ bucket: 'src', key: 'a', body: data });
    const error = await transferObject({
      source: { client: source, bucket: 'src', key: 'a' },
      destination: { client: destination, bucket: 'dst', key: 'b' },
      partSize: 5 * MiB,
    }).catch((e: unknown) => e);
    expect(PartCopyError.hasCode(error, 'InternalError')).toBe(true);
    expect((await plain.listMultipartUploads({ bucket: 'dst' })).uploads).toEqual([]);
  });
});
