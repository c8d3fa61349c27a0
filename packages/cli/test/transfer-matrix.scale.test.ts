/**
 * The scale tier of the cross-store transfer (`scripts/test.sh --scale`): every pair among fs,
 * memory, MinIO, Azurite and fake-gcs-server at 64 MiB, and one multi-GiB transfer (MinIO to fs,
 * streamed, default settings) with its peak RSS sampled and printed. All verified by SHA-256 of
 * what the destination serves; the big one is hashed while streaming, never held.
 */
import { createHash } from 'node:crypto';
import { type PartCopyClient, transferObject } from '@partcopy/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  openStore,
  patternBytes,
  STORE_KINDS,
  type StoreKind,
  type TestStore,
} from './transfer/transfer-stores.js';

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;
const SIZE = 64 * MiB + 17;
const BIG = 2 * GiB + 5;
const data = patternBytes(SIZE, 64);
const sha = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const stores = new Map<StoreKind, TestStore>();

async function shaOf(client: PartCopyClient, bucket: string, key: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of (await client.getObject({ bucket, key })).body) hash.update(chunk);
  return hash.digest('hex');
}

beforeAll(async () => {
  for (const kind of STORE_KINDS) {
    const store = await openStore(kind);
    stores.set(kind, store);
    await store.client.putObject({ bucket: store.bucket, key: 'src', body: data });
  }
}, 600_000);

afterAll(async () => {
  for (const store of stores.values()) await store.close();
}, 600_000);

describe.each(STORE_KINDS)('64 MiB transfer from %s', (from) => {
  it.each(STORE_KINDS)(
    'to %s, identical SHA-256',
    async (to) => {
      const source = stores.get(from) as TestStore;
      const destination = stores.get(to) as TestStore;
      const key = `from-${from}`;
      const result = await transferObject({
        source: { client: source.client, bucket: source.bucket, key: 'src' },
        destination: { client: destination.client, bucket: destination.bucket, key },
      });
      expect(await shaOf(destination.client, destination.bucket, key)).toBe(sha(data));
      expect(result.bytesServerSide + result.bytesClientStreamed).toBe(SIZE);
      await destination.client.deleteObject({ bucket: destination.bucket, key });
    },
    600_000,
  );
});

describe('a multi-GiB transfer', () => {
  it('streams 2 GiB from MinIO to fs at default settings, verified, with bounded memory', async () => {
    const source = stores.get('minio') as TestStore;
    const destination = stores.get('fs') as TestStore;
    const hash = createHash('sha256');
    const piece = patternBytes(8 * MiB, 5);
    async function* body() {
      for (let sent = 0; sent < BIG; sent += piece.length) {
        const chunk = piece.subarray(0, Math.min(piece.length, BIG - sent));
        hash.update(chunk);
        yield chunk;
      }
    }
    await source.client.putObject({ bucket: source.bucket, key: 'big', body: body(), contentLength: BIG });
    const expected = hash.digest('hex');
    let peak = 0;
    const sampler = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().rss);
    }, 50);
    const before = process.memoryUsage().rss;
    const started = performance.now();
    const result = await transferObject({
      source: { client: source.client, bucket: source.bucket, key: 'big' },
      destination: { client: destination.client, bucket: destination.bucket, key: 'big' },
    }).finally(() => clearInterval(sampler));
    const seconds = (performance.now() - started) / 1000;
    console.log(
      `[transfer scale] 2 GiB MinIO -> fs: ${result.strategy}, ${result.partsCount} parts of ${result.partSize / MiB} MiB, ${result.concurrency} in flight, ${(BIG / 1e6 / seconds).toFixed(1)} MB/s; test process RSS ${Math.round(before / MiB)} MiB before, peak ${Math.round(peak / MiB)} MiB; checks ${result.verification.checks.join(', ')}`,
    );
    expect(result.bytesClientStreamed).toBe(BIG);
    expect(result.verification.checks).toContain('multipart-etag');
    expect(await shaOf(destination.client, destination.bucket, 'big')).toBe(expected);
    // The test process holds vitest and five clients; the transfer itself adds well under 200 MiB.
    expect(peak - before).toBeLessThan(200 * MiB);
  }, 1_800_000);
});
