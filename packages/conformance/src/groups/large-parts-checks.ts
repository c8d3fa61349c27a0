/**
 * large-parts: parts of exactly minPartSize (S3: 5 MiB) and one byte more, made by uploadPartCopy
 * from sources of those sizes, complete and read back with the right SHA-256. Sources are
 * streamed from a seeded generator and verified by streaming digest, never held twice.
 */
import { checkEqual } from '../assertions.js';
import type { CheckContext } from '../check-context.js';
import { complete, copyPart } from '../check-helpers.js';
import { defineChecks } from '../define-checks.js';
import { randomSeed, seededChunks, sha256OfStreams } from '../test-data.js';

/** Writes `size` seeded bytes at a random key by streaming them. */
async function putSeeded(t: CheckContext, seed: number, size: number): Promise<string> {
  const key = t.key('large-source');
  await t.client.putObject({ bucket: t.bucket, key, body: seededChunks(seed, size), contentLength: size });
  return key;
}

async function objectDigest(t: CheckContext, key: string): Promise<{ hex: string; size: number }> {
  const result = await t.client.getObject({ bucket: t.bucket, key });
  return sha256OfStreams(result.body);
}

export const largePartsChecks = defineChecks('large-parts', [
  {
    id: 'large-parts.exact-min-size',
    title: 'two parts each copied whole from a source of exactly minPartSize complete with the right SHA-256',
    slow: true,
    async run(t) {
      const size = t.capabilities.minPartSize;
      const seed = randomSeed();
      const key = await putSeeded(t, seed, size);
      const upload = await t.createUpload(t.key('dest'));
      const p1 = await copyPart(t, upload, 1, { bucket: t.bucket, key });
      const p2 = await copyPart(t, upload, 2, { bucket: t.bucket, key });
      checkEqual(p1.bytesCopied, size, 'bytesCopied of part 1');
      await complete(t, upload, [
        { partNumber: 1, etag: p1.copyPartResult.etag },
        { partNumber: 2, etag: p2.copyPartResult.etag },
      ]);
      const expected = await sha256OfStreams(seededChunks(seed, size), seededChunks(seed, size));
      const actual = await objectDigest(t, upload.key);
      checkEqual(actual.size, expected.size, 'size of the completed object');
      checkEqual(actual.hex, expected.hex, 'SHA-256 of the completed object');
    },
  },
  {
    id: 'large-parts.min-size-plus-one',
    title:
      'a first part of minPartSize + 1 copied whole, then a ranged last part, complete with the right SHA-256',
    slow: true,
    async run(t) {
      const size = t.capabilities.minPartSize + 1;
      const seed = randomSeed();
      const key = await putSeeded(t, seed, size);
      const upload = await t.createUpload(t.key('dest'));
      const p1 = await copyPart(t, upload, 1, { bucket: t.bucket, key });
      checkEqual(p1.bytesCopied, size, 'bytesCopied of part 1');
      const tail = t.capabilities.rangedCopy === 'native' || t.capabilities.clientStreamedRanges;
      // Part 2: the source's last byte when sub-ranges can be copied, the whole source otherwise.
      const p2 = tail
        ? await copyPart(
            t,
            upload,
            2,
            { bucket: t.bucket, key },
            { copySourceRange: `bytes=${size - 1}-${size - 1}` },
          )
        : await copyPart(t, upload, 2, { bucket: t.bucket, key });
      await complete(t, upload, [
        { partNumber: 1, etag: p1.copyPartResult.etag },
        { partNumber: 2, etag: p2.copyPartResult.etag },
      ]);
      const expected = await sha256OfStreams(
        seededChunks(seed, size),
        tail ? seededChunks(seed, 1, size - 1) : seededChunks(seed, size),
      );
      const actual = await objectDigest(t, upload.key);
      checkEqual(actual.size, expected.size, 'size of the completed object');
      checkEqual(actual.hex, expected.hex, 'SHA-256 of the completed object');
    },
  },
]);
