/**
 * concurrency: parts copied and uploaded at the same time land as the right parts with the right
 * bytes, as they do on S3 where clients copy many parts in parallel.
 */
import { checkBytes, checkEqual } from '../assertions.js';
import { complete, copyPart, partSize, putSource } from '../check-helpers.js';
import { defineChecks, RANGED_COPY_NEEDS, rangedCopyGate } from '../define-checks.js';
import { concatBytes, randomData } from '../test-data.js';

const PARTS = 8;

export const concurrencyChecks = defineChecks('concurrency', [
  {
    id: 'concurrency.parallel-part-copies',
    title: `${PARTS} parts copied in parallel (each a different range) complete into the right bytes`,
    gate: rangedCopyGate,
    needs: RANGED_COPY_NEEDS,
    async run(t) {
      const size = partSize(t);
      // One source of size + PARTS - 1 bytes; part i copies bytes i..i+size-1, so each part differs.
      const source = await putSource(t, size + PARTS - 1);
      const upload = await t.createUpload(t.key('dest'));
      const results = await Promise.all(
        Array.from({ length: PARTS }, (_, i) =>
          copyPart(
            t,
            upload,
            i + 1,
            { bucket: source.bucket, key: source.key },
            { copySourceRange: `bytes=${i}-${i + size - 1}` },
          ),
        ),
      );
      await complete(
        t,
        upload,
        results.map((r, i) => ({ partNumber: i + 1, etag: r.copyPartResult.etag })),
      );
      const expected = concatBytes(
        ...Array.from({ length: PARTS }, (_, i) => source.bytes.subarray(i, i + size)),
      );
      checkBytes(await t.read(upload.key), expected, 'object of parallel copies');
    },
  },
  {
    id: 'concurrency.parallel-mixed',
    title: 'uploads and whole-object copies of different parts in parallel complete into the right bytes',
    async run(t) {
      const size = partSize(t);
      const source = await putSource(t, size);
      const bodies = Array.from({ length: PARTS / 2 }, () => randomData(size));
      const upload = await t.createUpload(t.key('dest'));
      const calls = [];
      for (let i = 0; i < PARTS; i++) {
        const partNumber = i + 1;
        calls.push(
          i % 2 === 0
            ? t.client.uploadPart({ ...upload, partNumber, body: bodies[i / 2]! }).then((r) => r.etag)
            : copyPart(t, upload, partNumber, { bucket: source.bucket, key: source.key }).then(
                (r) => r.copyPartResult.etag,
              ),
        );
      }
      const etags = await Promise.all(calls);
      if (t.capabilities.listParts) {
        const listed = await t.client.listParts(upload);
        checkEqual(listed.parts.length, PARTS, 'parts listed after parallel writes');
      }
      await complete(
        t,
        upload,
        etags.map((etag, i) => ({ partNumber: i + 1, etag })),
      );
      const expected = concatBytes(...bodies.flatMap((body) => [body, source.bytes]));
      checkBytes(await t.read(upload.key), expected, 'object of parallel uploads and copies');
    },
  },
  {
    id: 'concurrency.parallel-uploads-one-key',
    title: 'two uploads of one key in parallel: the one completed last wins, whole',
    async run(t) {
      const key = t.key('dest');
      const [a, b] = await Promise.all([t.createUpload(key), t.createUpload(key)]);
      const [bytesA, bytesB] = [randomData(30), randomData(31)];
      const [pa, pb] = await Promise.all([
        t.client.uploadPart({ ...a!, partNumber: 1, body: bytesA }),
        t.client.uploadPart({ ...b!, partNumber: 1, body: bytesB }),
      ]);
      await complete(t, a!, [{ partNumber: 1, etag: pa.etag }]);
      await complete(t, b!, [{ partNumber: 1, etag: pb.etag }]);
      checkBytes(await t.read(key), bytesB, 'object after both completions');
    },
  },
]);
