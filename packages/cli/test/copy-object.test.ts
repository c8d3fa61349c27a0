import { type CapabilityOverrides, copyObject, PartCopyClient, PartCopyError } from '@partcopy/core';
import type { UploadPartCopyRequest } from '@partcopy/core/provider';
import { wrapProvider } from '@partcopy/core/testing';
import { createMemoryProvider } from '@partcopy/memory';
import { describe, expect, it } from 'vitest';
import { patternBytes } from './cli-harness.js';

const data = patternBytes(10_000, 21);

/** A fresh memory store with 1 KiB parts allowed, its calls recorded, and `src/a` written. */
async function setup(capabilities: CapabilityOverrides = {}) {
  const calls: Array<{ method: string; request: unknown }> = [];
  const provider = wrapProvider(
    createMemoryProvider({ minPartSize: 1024, capabilities }),
    (method, request, _ctx, next) => {
      calls.push({ method, request });
      return next();
    },
  );
  const client = new PartCopyClient(provider);
  await client.createBucket({ bucket: 'src' });
  await client.createBucket({ bucket: 'dst' });
  await client.putObject({
    bucket: 'src',
    key: 'a',
    body: data,
    contentType: 'text/x-demo',
    metadata: { origin: 'test' },
  });
  calls.length = 0;
  return { client, calls };
}

const copies = (calls: Array<{ method: string; request: unknown }>) =>
  calls.filter((c) => c.method === 'uploadPartCopy').map((c) => c.request as UploadPartCopyRequest);

describe('copyObject', () => {
  it('pins every part to the source ETag, copies the settings and reports the parts it made', async () => {
    const { client, calls } = await setup();
    const parts: number[] = [];
    const result = await copyObject({
      client,
      source: { bucket: 'src', key: 'a' },
      destination: { bucket: 'dst', key: 'b' },
      partSize: 4096,
      concurrency: 2,
      onPart: (part) => parts.push(part.partNumber),
    });
    const head = await client.headObject({ bucket: 'src', key: 'a' });
    expect(result).toMatchObject({
      size: 10_000,
      partsCount: 3,
      partSize: 4096,
      sourceEtag: head.etag,
      transfer: 'server-side',
    });
    expect(parts.sort()).toEqual([1, 2, 3]);
    const sorted = copies(calls).sort((x, y) => x.partNumber - y.partNumber);
    expect(sorted.map((r) => [r.partNumber, r.range, r.conditions.ifMatch])).toEqual([
      [1, { start: 0, end: 4095 }, [head.etag]],
      [2, { start: 4096, end: 8191 }, [head.etag]],
      [3, { start: 8192, end: 9999 }, [head.etag]],
    ]);
    const copy = await client.getObject({ bucket: 'dst', key: 'b' });
    expect(Buffer.from(await copy.body.bytes())).toEqual(Buffer.from(data));
    expect(copy).toMatchObject({ contentType: 'text/x-demo', metadata: { origin: 'test' } });
  });

  it('never has more than `concurrency` part copies in flight', async () => {
    let inFlight = 0;
    let peak = 0;
    const provider = wrapProvider(
      createMemoryProvider({ minPartSize: 1024 }),
      async (method, _request, _ctx, next) => {
        if (method !== 'uploadPartCopy') return next();
        inFlight++;
        peak = Math.max(peak, inFlight);
        await new Promise((resolve) => setTimeout(resolve, 5));
        try {
          return await next();
        } finally {
          inFlight--;
        }
      },
    );
    const client = new PartCopyClient(provider);
    await client.createBucket({ bucket: 'src' });
    await client.putObject({ bucket: 'src', key: 'a', body: data });
    await copyObject({
      client,
      source: { bucket: 'src', key: 'a' },
      destination: { bucket: 'src', key: 'b' },
      partSize: 1024,
      concurrency: 3,
    });
    expect(peak).toBe(3);
  });

  it('copies a whole object in one part without a range on stores that copy only whole objects', async () => {
    // Without the optional whole-object copy (which the planner would prefer on such a store).
    const { client, calls } = await setup({
      rangedCopy: 'whole-object-only',
      clientStreamedRanges: false,
      wholeObjectCopy: false,
    } as CapabilityOverrides);
    const result = await copyObject({
      client,
      source: { bucket: 'src', key: 'a' },
      destination: { bucket: 'dst', key: 'b' },
    });
    expect(result).toMatchObject({ partsCount: 1, size: 10_000 });
    expect(copies(calls).map((r) => r.range)).toEqual([undefined]);
  });

  it('refuses ranged parts on such stores before creating an upload', async () => {
    const { client, calls } = await setup({ rangedCopy: 'whole-object-only', clientStreamedRanges: false });
    const attempt = copyObject({
      client,
      source: { bucket: 'src', key: 'a' },
      destination: { bucket: 'dst', key: 'b' },
      range: { start: 0, end: 99 },
    });
    await expect(attempt).rejects.toSatisfy((error) => PartCopyError.hasCode(error, 'Unsupported'));
    expect(calls.map((c) => c.method)).toEqual(['headObject']);
  });

  it('refuses to pin on a store without copySourceIfMatch unless asked not to pin', async () => {
    const { client } = await setup({ copySourceIfMatch: false });
    const { client: c2, calls } = await setup({ copySourceIfMatch: false });
    const pinned = copyObject({
      client: c2,
      source: { bucket: 'src', key: 'a' },
      destination: { bucket: 'dst', key: 'b' },
    });
    await expect(pinned).rejects.toSatisfy((error) => PartCopyError.hasCode(error, 'Unsupported'));
    expect(calls.map((c) => c.method)).toEqual(['headObject']);
    const result = await copyObject({
      client,
      source: { bucket: 'src', key: 'a' },
      destination: { bucket: 'dst', key: 'b' },
      pinSource: false,
    });
    expect(result.size).toBe(10_000);
  });

  it('stops at once when the signal has already fired', async () => {
    const { client, calls } = await setup();
    const controller = new AbortController();
    controller.abort(new Error('stop'));
    const attempt = copyObject({
      client,
      source: { bucket: 'src', key: 'a' },
      destination: { bucket: 'dst', key: 'b' },
      signal: controller.signal,
    });
    await expect(attempt).rejects.toSatisfy((error) => PartCopyError.hasCode(error, 'RequestAborted'));
    expect(calls).toEqual([]);
  });
});
