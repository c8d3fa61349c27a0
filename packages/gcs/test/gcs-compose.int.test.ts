/**
 * composeObject on fake-gcs-server through the engine: more than 32 whole objects composed on the
 * server (a two-level tree, calls bounded by ceil((N-1)/31) + depth), a failure half-way up the
 * tree and an abort leave no staging object or intermediate composite, and ranged pieces are
 * refused before anything is written when client streaming is off.
 */
import { createHash, randomBytes } from 'node:crypto';
import { composeObject, PartCopyClient, PartCopyError } from '@partcopy/core';
import type { Provider } from '@partcopy/core/provider';
import { wrapProvider } from '@partcopy/core/testing';
import { describe, expect, it } from 'vitest';
import type { GcsProvider } from '../src/index.js';
import { newBucket, serverProvider } from './support/gcs-server.js';

async function leftovers(provider: GcsProvider, bucket: string): Promise<unknown[]> {
  const listed = await provider.native.api.json<{ items?: unknown[] }>('GET', `/b/${bucket}/o`, {
    query: { prefix: provider.names.prefix, versions: true },
    signal: new AbortController().signal,
  });
  return listed.items ?? [];
}

async function seed(client: PartCopyClient, bucket: string, count: number) {
  const bodies: Buffer[] = [];
  for (let i = 0; i < count; i++) {
    const body = randomBytes(1 + (i % 50));
    bodies.push(body);
    await client.putObject({ bucket, key: `seg-${i}`, body });
  }
  return bodies;
}

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

describe('composeObject on GCS (fake-gcs-server)', () => {
  it('composes 70 whole objects on the server with a two-level tree and leaves nothing', async () => {
    const provider = serverProvider();
    const client = new PartCopyClient(provider, { env: {} });
    const bucket = await newBucket(provider);
    const bodies = await seed(client, bucket, 70);
    const result = await composeObject({
      client,
      destination: { bucket, key: 'joined' },
      sources: bodies.map((_, i) => ({ bucket, key: `seg-${i}` })),
    });
    const got = Buffer.from(await (await client.getObject({ bucket, key: 'joined' })).body.bytes());
    expect(sha(got)).toBe(sha(Buffer.concat(bodies)));
    expect(result.strategy).toBe('native');
    expect(result.bytesClientStreamed).toBe(0);
    expect(result.groups).toEqual([expect.objectContaining({ strategy: 'compose', pieces: 70 })]);
    // One read per source (the pin), compose calls within ceil((N-1)/31) + depth, and each
    // intermediate composite deleted.
    const calls = result.providerRequests?.compose ?? 0;
    expect(calls).toBeLessThanOrEqual(Math.ceil(69 / 31) + 2);
    expect(result.providerRequests).toEqual({ get: 70, compose: calls, delete: calls - 1 });
    expect(await leftovers(provider, bucket)).toEqual([]);
  });

  it('a failure half-way up the tree leaves no intermediate composite or staging object', async () => {
    const provider = serverProvider();
    const plain = new PartCopyClient(provider, { env: {} });
    const bucket = await newBucket(provider);
    const bodies = await seed(plain, bucket, 40);
    // Ranged pieces are staged, then the second compose call of the tree is made to fail.
    let composes = 0;
    const api = provider.native.api;
    const original = api.json.bind(api);
    api.json = (async (method: string, path: string, options: Parameters<typeof api.json>[2]) => {
      if (path.endsWith('/compose') && ++composes === 2)
        throw new PartCopyError('InternalError', 'injected failure');
      return original(method, path, options);
    }) as typeof api.json;
    const client = new PartCopyClient(provider as Provider, { env: {}, retry: false });
    const error = await composeObject({
      client,
      destination: { bucket, key: 'joined' },
      sources: bodies.map((_, i) => ({
        bucket,
        key: `seg-${i}`,
        ...(i % 3 === 0 ? { range: { start: 0, end: 0 } } : {}),
      })),
    }).catch((e: unknown) => e);
    api.json = original;
    expect(composes).toBeGreaterThanOrEqual(2);
    expect(PartCopyError.hasCode(error, 'InternalError')).toBe(true);
    await expect(plain.headObject({ bucket, key: 'joined' })).rejects.toMatchObject({ code: 'NoSuchKey' });
    expect(await leftovers(provider, bucket)).toEqual([]);
  });

  it('an abort while pieces are being staged leaves nothing', async () => {
    const inner = serverProvider();
    const plain = new PartCopyClient(inner, { env: {} });
    const bucket = await newBucket(inner);
    const bodies = await seed(plain, bucket, 10);
    const stop = new AbortController();
    let calls = 0;
    const api = inner.native.api;
    const original = api.json.bind(api);
    api.json = (async (method: string, path: string, options: Parameters<typeof api.json>[2]) => {
      if (path.endsWith('/compose') && ++calls === 1) stop.abort(new Error('stopped'));
      return original(method, path, options);
    }) as typeof api.json;
    const error = await composeObject({
      client: new PartCopyClient(
        wrapProvider(inner, (_m, _r, _c, next) => next()),
        { env: {} },
      ),
      destination: { bucket, key: 'joined' },
      sources: bodies.map((_, i) => ({ bucket, key: `seg-${i}`, range: { start: 0, end: 0 } })),
      signal: stop.signal,
    }).catch((e: unknown) => e);
    api.json = original;
    expect(PartCopyError.isInstance(error)).toBe(true);
    await expect(plain.headObject({ bucket, key: 'joined' })).rejects.toMatchObject({ code: 'NoSuchKey' });
    expect(await leftovers(inner, bucket)).toEqual([]);
  });

  it('ranged pieces with client streaming off → Unsupported before anything is written', async () => {
    const provider = serverProvider();
    const client = new PartCopyClient(provider, { env: {}, capabilities: { clientStreamedRanges: false } });
    const bucket = await newBucket(provider);
    await client.putObject({ bucket, key: 'a', body: randomBytes(100) });
    const error = await composeObject({
      client,
      destination: { bucket, key: 'joined' },
      sources: [
        { bucket, key: 'a' },
        { bucket, key: 'a', range: { start: 1, end: 5 } },
      ],
    }).catch((e: unknown) => e);
    expect(PartCopyError.hasCode(error, 'Unsupported')).toBe(true);
    await expect(client.headObject({ bucket, key: 'joined' })).rejects.toMatchObject({ code: 'NoSuchKey' });
    expect(await leftovers(provider, bucket)).toEqual([]);
  });
});
