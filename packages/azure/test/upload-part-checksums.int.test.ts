// Every block uploadPart stages carries its MD5 as a transactional Content-MD5, and the store
// checks it: the capability `uploadPartChecksBlocks` a transfer relies on instead of hashing the
// part a second time. The block's id names that MD5, so the completion, in whichever process,
// copies each block checked against it. Checked on the requests themselves and by bytes changed
// after hashing.
import { createHash } from 'node:crypto';
import type { RequestPolicy, RequestPolicyFactory, WebResource } from '@azure/storage-blob';
import { PartCopyError } from '@partcopy/core';
import { collectBytes, toPayload } from '@partcopy/core/provider';
import { describe, expect, it } from 'vitest';
import { azuriteProvider, ctx, patternBytes, withContainer } from './azurite-setup.js';

const BLOCK = 64 * 1024;

/** Records each Put Block's Content-MD5 and body; `corrupt` flips a byte after the digest was set. */
function putBlockSpy(corrupt: boolean) {
  const seen: Array<{ md5: string | undefined; body: Uint8Array }> = [];
  const copies: Array<{ range: string | undefined; sourceMd5: string | undefined }> = [];
  const factory: RequestPolicyFactory = {
    create(next: RequestPolicy): RequestPolicy {
      return {
        sendRequest(request: WebResource) {
          const url = new URL(request.url);
          const block = url.searchParams.get('comp') === 'block';
          const putBlock = block && request.headers.get('x-ms-copy-source') === undefined;
          if (block && !putBlock)
            copies.push({
              range: request.headers.get('x-ms-source-range'),
              sourceMd5: request.headers.get('x-ms-source-content-md5'),
            });
          if (putBlock && request.body instanceof Uint8Array) {
            let body = request.body;
            if (corrupt) {
              body = Uint8Array.from(body);
              body[0] = (body[0] as number) ^ 0xff;
              request.body = body;
            }
            seen.push({ md5: request.headers.get('content-md5'), body: Uint8Array.from(request.body) });
          }
          return next.sendRequest(request);
        },
      };
    },
  };
  return { factory, seen, copies };
}

function streamed(bytes: Uint8Array) {
  async function* chunks() {
    for (let offset = 0; offset < bytes.length; offset += 10_000)
      yield bytes.subarray(offset, offset + 10_000);
  }
  return toPayload(chunks(), bytes.length);
}

describe('uploadPart block digests on Azurite', () => {
  it('declares uploadPartChecksBlocks and sends each block with the MD5 of its bytes', async () => {
    const spy = putBlockSpy(false);
    const provider = azuriteProvider({ maxUploadBlockSize: BLOCK, requestPolicies: [spy.factory] });
    expect(provider.capabilities.uploadPartChecksBlocks).toBe(true);
    await withContainer(provider, async (bucket) => {
      const bytes = patternBytes(2 * BLOCK + 100, 4);
      const { uploadId } = await provider.createMultipartUpload({ bucket, key: 'k' }, ctx());
      await provider.uploadPart({ bucket, key: 'k', uploadId, partNumber: 1, body: streamed(bytes) }, ctx());
      expect(spy.seen).toHaveLength(3);
      for (const block of spy.seen)
        expect(block.md5).toBe(createHash('md5').update(block.body).digest('base64'));
    });
  });

  it('completion copies block by block with each block’s MD5 for the store to check (x-ms-source-content-md5)', async () => {
    const spy = putBlockSpy(false);
    const provider = azuriteProvider({ maxUploadBlockSize: BLOCK, requestPolicies: [spy.factory] });
    await withContainer(provider, async (bucket) => {
      const bytes = patternBytes(2 * BLOCK + 100, 6);
      const { uploadId } = await provider.createMultipartUpload({ bucket, key: 'k' }, ctx());
      const part = await provider.uploadPart(
        { bucket, key: 'k', uploadId, partNumber: 1, body: streamed(bytes) },
        ctx(),
      );
      await provider.completeMultipartUpload(
        { bucket, key: 'k', uploadId, parts: [{ partNumber: 1, etag: part.etag }] },
        ctx(),
      );
      expect(spy.copies.map((c) => c.range).sort()).toEqual(
        [
          `bytes=0-${BLOCK - 1}`,
          `bytes=${BLOCK}-${2 * BLOCK - 1}`,
          `bytes=${2 * BLOCK}-${2 * BLOCK + 99}`,
        ].sort(),
      );
      expect(spy.copies.map((c) => c.sourceMd5).sort()).toEqual(spy.seen.map((b) => b.md5).sort());
      const copy = await provider.getObject({ bucket, key: 'k' }, ctx());
      expect(Buffer.from(await collectBytes(copy.body)).equals(Buffer.from(bytes))).toBe(true);
    });
  });

  it('a completion by another instance (another process) copies with each block’s MD5 too, and says so', async () => {
    const staging = azuriteProvider({ maxUploadBlockSize: BLOCK });
    const spy = putBlockSpy(false);
    // A fresh provider knows nothing of the blocks but what the store lists.
    const completing = azuriteProvider({ maxUploadBlockSize: BLOCK, requestPolicies: [spy.factory] });
    await withContainer(staging, async (bucket) => {
      const bytes = patternBytes(3 * BLOCK + 7, 8);
      const { uploadId } = await staging.createMultipartUpload({ bucket, key: 'k' }, ctx());
      // One part of four blocks (parts but the last must be 5 MiB or more).
      const part = await staging.uploadPart(
        { bucket, key: 'k', uploadId, partNumber: 1, body: streamed(bytes) },
        ctx(),
      );
      const parts = [{ partNumber: 1, etag: part.etag }];
      const done = await completing.completeMultipartUpload({ bucket, key: 'k', uploadId, parts }, ctx());
      expect(done.blocksChecked).toBe(true);
      const blockMd5 = (from: number, to: number) =>
        createHash('md5').update(bytes.subarray(from, to)).digest('base64');
      expect(spy.copies.map((c) => c.sourceMd5).sort()).toEqual(
        [
          blockMd5(0, BLOCK),
          blockMd5(BLOCK, 2 * BLOCK),
          blockMd5(2 * BLOCK, 3 * BLOCK),
          blockMd5(3 * BLOCK, 3 * BLOCK + 7),
        ].sort(),
      );
      const copy = await completing.getObject({ bucket, key: 'k' }, ctx());
      expect(Buffer.from(await collectBytes(copy.body)).equals(Buffer.from(bytes))).toBe(true);
    });
  });

  it('a block whose bytes changed after its digest was computed is refused: BadDigest, and the part is not stored', async () => {
    const spy = putBlockSpy(true);
    const provider = azuriteProvider({ maxUploadBlockSize: BLOCK, requestPolicies: [spy.factory] });
    await withContainer(provider, async (bucket) => {
      const bytes = patternBytes(BLOCK, 5);
      const { uploadId } = await provider.createMultipartUpload({ bucket, key: 'k' }, ctx());
      const error = await provider
        .uploadPart({ bucket, key: 'k', uploadId, partNumber: 1, body: streamed(bytes) }, ctx())
        .catch((e: unknown) => e);
      expect(PartCopyError.hasCode(error, 'BadDigest')).toBe(true);
      const listed = await provider.listParts({ bucket, key: 'k', uploadId }, ctx());
      expect(listed.parts).toEqual([]);
    });
  });
});
