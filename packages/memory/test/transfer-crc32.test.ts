/**
 * A transfer into a store that answers each stored part's CRC32 (S3 and MinIO do for a part sent
 * with the SDK's CRC32): after the first answer, parts are checked by CRC32 alone, without an MD5
 * of their bytes, and a CRC32 that differs from the bytes sent fails the transfer with BadDigest.
 * A store that declares `uploadPartAnswersCrc32` checks the CRC32 sent with each part itself:
 * from the first part on nothing is hashed here, the answer is the check, and parts found on
 * resume count as checked when the store lists them with their CRC32.
 */
import { createHash } from 'node:crypto';
import {
  collectBytes,
  MemorySessionStore,
  PartCopyClient,
  PartCopyError,
  transferObject,
} from '@partcopy/core';
import {
  createChecksummer,
  type ListPartsResult,
  type Payload,
  toPayload,
  type UploadPartRequest,
} from '@partcopy/core/provider';
import { wrapProvider } from '@partcopy/core/testing';
import { describe, expect, it } from 'vitest';
import { createMemoryProvider, MemoryStore } from '../src/index.js';
import { fivePartRoute, transferInterrupted } from './helpers.js';

const MiB = 1024 * 1024;

function bytes(length: number, seed = 11): Uint8Array {
  const out = new Uint8Array(length);
  let x = seed;
  for (let i = 0; i < length; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}

const sha = (data: Uint8Array) => createHash('sha256').update(data).digest('hex');

/** The CRC32 of what passes through `payload`, known once it was read to the end. */
function crcOf(payload: Payload): { payload: Payload; crc32: () => string } {
  const crc = createChecksummer('CRC32');
  async function* counted() {
    for await (const chunk of payload.chunks()) {
      crc.update(chunk);
      yield chunk;
    }
  }
  return { payload: toPayload(counted(), payload.length), crc32: () => crc.digestBase64() };
}

/**
 * A memory store whose uploadPart answers the CRC32 of the bytes it stored (or `wrong`), and that
 * records each part request as the transfer sent it.
 */
function crcAnsweringStore(
  wrong?: string,
  options: { declared?: boolean; answers?: boolean; listsCrc32?: boolean } = {},
) {
  const parts: Array<{ partNumber: number; md5CheckedByCaller?: boolean }> = [];
  const answered = new Map<number, string>();
  const provider = createMemoryProvider({
    store: new MemoryStore(),
    ...(options.declared ? { capabilities: { uploadPartAnswersCrc32: true } } : {}),
  });
  const client = new PartCopyClient(
    wrapProvider(provider, async (method, request, _ctx, next) => {
      if (method === 'listParts' && options.listsCrc32) {
        // As S3 lists them: each part with the CRC32 it was stored with.
        const listed = (await next()) as ListPartsResult;
        const withCrc = (p: ListPartsResult['parts'][number]) => {
          const crc = answered.get(p.partNumber);
          return crc === undefined ? p : { ...p, checksumCRC32: crc };
        };
        return { ...listed, parts: listed.parts.map(withCrc) };
      }
      if (method !== 'uploadPart') return next();
      const part = request as UploadPartRequest;
      parts.push({
        partNumber: part.partNumber,
        ...(part.md5CheckedByCaller === undefined ? {} : { md5CheckedByCaller: part.md5CheckedByCaller }),
      });
      const counted = crcOf(part.body);
      part.body = counted.payload;
      const answer = (await next()) as Record<string, unknown>;
      if (options.answers === false) return answer;
      answered.set(part.partNumber, wrong ?? counted.crc32());
      return { ...answer, checksumCRC32: wrong ?? counted.crc32() };
    }),
  );
  return { client, parts };
}

async function source(data: Uint8Array): Promise<PartCopyClient> {
  const client = new PartCopyClient(createMemoryProvider({ store: new MemoryStore() }));
  await client.createBucket({ bucket: 'src' });
  await client.putObject({ bucket: 'src', key: 'a', body: data });
  return client;
}

describe('transferObject into a store that answers each part CRC32', () => {
  it('checks later parts by CRC32 alone and the whole by the multipart ETag of the checked parts', async () => {
    const data = bytes(16 * MiB + 5);
    const from = await source(data);
    const to = crcAnsweringStore();
    await to.client.createBucket({ bucket: 'dst' });
    const result = await transferObject(fivePartRoute(from, to.client));
    const copy = await collectBytes((await to.client.getObject({ bucket: 'dst', key: 'b' })).body);
    expect(sha(copy)).toBe(sha(data));
    expect(result.partsCount).toBe(4);
    // Part 1 was hashed both ways; parts 2-4 had only their CRC32 computed, so no part-md5.
    expect(result.verification.checks).toEqual(['part-crc32', 'multipart-etag']);
    // No part asked the store to leave out its own checksum: that CRC32 is what is checked.
    expect(to.parts.map((p) => p.md5CheckedByCaller)).toEqual([undefined, undefined, undefined, undefined]);
  });

  it('checks a single part both ways and against the source MD5 ETag', async () => {
    const data = bytes(MiB);
    const from = await source(data);
    const to = crcAnsweringStore();
    await to.client.createBucket({ bucket: 'dst' });
    const result = await transferObject({
      source: { client: from, bucket: 'src', key: 'a' },
      destination: { client: to.client, bucket: 'dst', key: 'b' },
    });
    expect(result.verification.checks).toEqual(['part-md5', 'part-crc32', 'multipart-etag', 'source-md5']);
  });

  it('computes no MD5 from the first part on when the store declares uploadPartAnswersCrc32', async () => {
    const data = bytes(16 * MiB + 5);
    const from = await source(data);
    // The store declares that it answers each part's CRC32, then never does: the first part went
    // without its MD5 (nothing checked it), so it is sent again with its MD5, and MD5 stays the check.
    const to = crcAnsweringStore(undefined, { declared: true, answers: false });
    await to.client.createBucket({ bucket: 'dst' });
    const result = await transferObject(fivePartRoute(from, to.client));
    const copy = await collectBytes((await to.client.getObject({ bucket: 'dst', key: 'b' })).body);
    expect(sha(copy)).toBe(sha(data));
    expect(to.parts.map((p) => p.partNumber)).toEqual([1, 1, 2, 3, 4]);
    expect(result.verification.checks).toEqual(['part-md5', 'multipart-etag']);

    // The same store answering the CRC32s: every part sent once, checked by CRC32 alone.
    const honest = crcAnsweringStore(undefined, { declared: true });
    await honest.client.createBucket({ bucket: 'dst' });
    const checked = await transferObject(fivePartRoute(from, honest.client));
    expect(honest.parts.map((p) => p.partNumber)).toEqual([1, 2, 3, 4]);
    expect(checked.verification.checks).toEqual(['part-crc32', 'multipart-etag']);
  });

  it.each([
    { listsCrc32: true, checks: ['part-crc32', 'multipart-etag'] },
    { listsCrc32: false, checks: ['multipart-etag'] },
  ])(
    'keeps part-crc32 on resume only when the store lists each earlier part with its CRC32 (listed: $listsCrc32)',
    async ({ listsCrc32, checks }) => {
      const data = bytes(16 * MiB + 5);
      const from = await source(data);
      const to = crcAnsweringStore(undefined, { declared: true, listsCrc32 });
      await to.client.createBucket({ bucket: 'dst' });
      const request = { ...fivePartRoute(from, to.client), session: { store: new MemorySessionStore() } };
      const first = await transferInterrupted(request, 2);
      expect(PartCopyError.hasCode(first, 'RequestAborted')).toBe(true);
      const resumed = await transferObject(request);
      expect(resumed.session).toMatchObject({ resumed: true, partsReused: 2 });
      const copy = await collectBytes((await to.client.getObject({ bucket: 'dst', key: 'b' })).body);
      expect(sha(copy)).toBe(sha(data));
      expect(to.parts.map((p) => p.partNumber)).toEqual([1, 2, 3, 4]);
      expect(resumed.verification.checks).toEqual(checks);
    },
  );

  it('fails with BadDigest, and leaves no upload, when the answered CRC32 is not the bytes sent', async () => {
    const from = await source(bytes(11 * MiB));
    const to = crcAnsweringStore('AAAAAA==');
    await to.client.createBucket({ bucket: 'dst' });
    const failure = await transferObject({
      source: { client: from, bucket: 'src', key: 'a' },
      destination: { client: to.client, bucket: 'dst', key: 'b' },
      partSize: 5 * MiB,
    }).catch((error: unknown) => error);
    expect(PartCopyError.hasCode(failure, 'BadDigest')).toBe(true);
    expect((failure as Error).message).toMatch(/CRC32 \(AAAAAA==\) differs from the bytes sent/);
    const uploads = await to.client.listMultipartUploads({ bucket: 'dst' });
    expect(uploads.uploads).toEqual([]);
    await expect(to.client.headObject({ bucket: 'dst', key: 'b' })).rejects.toThrow();
  });
});
