/**
 * lifecycle: the whole multipart life of an object made of uploaded and copied parts, the object
 * settings it carries, and the shape of its ETags.
 */
import { md5Etag, multipartEtag } from '@partcopy/core/provider';
import { checkBytes, checkEqual, checkQuotedEtag, expectError } from '../assertions.js';
import { complete, copyPart, partSize, putSource } from '../check-helpers.js';
import { defineChecks, RANGED_COPY_NEEDS, rangedCopyGate } from '../define-checks.js';
import { concatBytes, randomData } from '../test-data.js';

export const lifecycleChecks = defineChecks('lifecycle', [
  {
    id: 'lifecycle.upload-and-copy',
    title: 'create → uploadPart + uploadPartCopy → listParts → complete → the object has exactly those bytes',
    gate: rangedCopyGate,
    needs: RANGED_COPY_NEEDS,
    async run(t) {
      const size = partSize(t);
      const source = await putSource(t, 300);
      const uploaded = randomData(size);
      const upload = await t.createUpload(t.key('dest'));
      const part1 = await t.client.uploadPart({ ...upload, partNumber: 1, body: uploaded });
      const part2 = await copyPart(
        t,
        upload,
        2,
        { bucket: source.bucket, key: source.key },
        { copySourceRange: 'bytes=10-209' },
      );
      if (t.capabilities.listParts) {
        const listed = await t.client.listParts(upload);
        checkEqual(listed.parts.length, 2, 'listParts: number of parts');
        checkEqual(listed.parts[0]?.size, size, 'listParts: size of the uploaded part');
        checkEqual(listed.parts[1]?.size, 200, 'listParts: size of the copied part');
        checkEqual(listed.parts[0]?.etag, part1.etag, 'listParts: ETag of the uploaded part');
        checkEqual(listed.parts[1]?.etag, part2.copyPartResult.etag, 'listParts: ETag of the copied part');
      }
      const done = await complete(t, upload, [
        { partNumber: 1, etag: part1.etag },
        { partNumber: 2, etag: part2.copyPartResult.etag },
      ]);
      checkEqual(done.key, upload.key, 'completeMultipartUpload: key');
      checkBytes(
        await t.read(upload.key),
        concatBytes(uploaded, source.bytes.subarray(10, 210)),
        'completed object',
      );
      const head = await t.client.headObject({ bucket: t.bucket, key: upload.key });
      checkEqual(head.size, size + 200, 'headObject: size');
    },
  },
  {
    id: 'lifecycle.whole-source-copy',
    title: 'uploadPartCopy without a range copies the whole source; bytesCopied is its size',
    async run(t) {
      const source = await putSource(t, 1000);
      const upload = await t.createUpload(t.key('dest'));
      const copied = await copyPart(t, upload, 1, `${source.bucket}/${source.key}`);
      checkEqual(copied.bytesCopied, 1000, 'uploadPartCopy: bytesCopied');
      await complete(t, upload, [{ partNumber: 1, etag: copied.copyPartResult.etag }]);
      checkBytes(await t.read(upload.key), source.bytes, 'completed object');
    },
  },
  {
    id: 'lifecycle.transfer-mode',
    title:
      'uploadPartCopy reports transfer honestly, as rangedCopy says: server-side unless bytes streamed through the client',
    async run(t) {
      const { rangedCopy, clientStreamedRanges } = t.capabilities;
      const source = await putSource(t, 100);
      const upload = await t.createUpload(t.key('dest'));
      const whole = await copyPart(t, upload, 1, { bucket: source.bucket, key: source.key });
      const wholeMode = rangedCopy === 'client-streamed' ? 'client-streamed' : 'server-side';
      checkEqual(whole.transfer, wholeMode, `transfer of a whole-object copy (rangedCopy ${rangedCopy})`);
      checkEqual(whole.bytesCopied, 100, 'bytesCopied of a whole-object copy');
      if (rangedCopy === 'whole-object-only' && !clientStreamedRanges) return; // sub-ranges: lifecycle.sub-range-unsupported
      const ranged = await copyPart(
        t,
        upload,
        2,
        { bucket: source.bucket, key: source.key },
        { copySourceRange: 'bytes=1-2' },
      );
      const rangedMode = rangedCopy === 'native' ? 'server-side' : 'client-streamed';
      checkEqual(ranged.transfer, rangedMode, `transfer of a sub-range copy (rangedCopy ${rangedCopy})`);
      checkEqual(ranged.bytesCopied, 2, 'bytesCopied of a 2-byte range');
    },
  },
  {
    id: 'lifecycle.sub-range-unsupported',
    title:
      'a sub-range copy the provider cannot do on the server (and may not stream) fails with Unsupported',
    gate: ({ capabilities }) =>
      capabilities.rangedCopy !== 'native' && !capabilities.clientStreamedRanges
        ? undefined
        : 'the provider copies sub-ranges (rangedCopy native or clientStreamedRanges)',
    needs: "rangedCopy not 'native' and clientStreamedRanges false",
    async run(t) {
      const source = await putSource(t, 100);
      const upload = await t.createUpload(t.key('dest'));
      await expectError(
        copyPart(t, upload, 1, { bucket: source.bucket, key: source.key }, { copySourceRange: 'bytes=1-2' }),
        'Unsupported',
        'sub-range copy without clientStreamedRanges',
      );
    },
  },
  {
    id: 'lifecycle.object-settings',
    title: 'content type and metadata given at createMultipartUpload are carried to the completed object',
    async run(t) {
      const upload = await t.createUpload(t.key('dest'), {
        contentType: 'text/x-partcopy-conformance',
        metadata: { color: 'blue', 'made-by': 'conformance' },
      });
      const part = await t.client.uploadPart({ ...upload, partNumber: 1, body: randomData(10) });
      await complete(t, upload, [{ partNumber: 1, etag: part.etag }]);
      const head = await t.client.headObject({ bucket: t.bucket, key: upload.key });
      checkEqual(head.contentType, 'text/x-partcopy-conformance', 'headObject: contentType');
      checkEqual(head.metadata?.color, 'blue', 'headObject: metadata.color');
      checkEqual(head.metadata?.['made-by'], 'conformance', 'headObject: metadata["made-by"]');
    },
  },
  {
    id: 'lifecycle.etags-quoted',
    title: 'every ETag (put, uploadPart, uploadPartCopy, listParts, complete, head, listObjects) is quoted',
    async run(t) {
      const source = await putSource(t, 50);
      checkQuotedEtag(source.etag, 'putObject');
      const upload = await t.createUpload(t.key('dest'));
      const part1 = await t.client.uploadPart({ ...upload, partNumber: 1, body: randomData(partSize(t)) });
      checkQuotedEtag(part1.etag, 'uploadPart');
      const part2 = await copyPart(t, upload, 2, { bucket: source.bucket, key: source.key });
      checkQuotedEtag(part2.copyPartResult.etag, 'uploadPartCopy copyPartResult');
      if (t.capabilities.listParts) {
        for (const part of (await t.client.listParts(upload)).parts)
          checkQuotedEtag(part.etag, `listParts part ${part.partNumber}`);
      }
      const done = await complete(t, upload, [
        { partNumber: 1, etag: part1.etag },
        { partNumber: 2, etag: part2.copyPartResult.etag },
      ]);
      checkQuotedEtag(done.etag, 'completeMultipartUpload');
      const head = await t.client.headObject({ bucket: t.bucket, key: upload.key });
      checkQuotedEtag(head.etag, 'headObject');
      checkEqual(head.etag, done.etag, 'headObject ETag equals the completion ETag');
      for (const object of (await t.client.listObjects({ bucket: t.bucket })).objects) {
        checkQuotedEtag(object.etag, `listObjects ${object.key}`);
      }
    },
  },
  {
    id: 'lifecycle.part-etag-md5',
    title: 'part ETags are the quoted MD5 of the part bytes, for uploaded and copied parts',
    requires: ['multipartEtag'],
    async run(t) {
      const source = await putSource(t, 64);
      const upload = await t.createUpload(t.key('dest'));
      const bytes = randomData(33);
      const uploaded = await t.client.uploadPart({ ...upload, partNumber: 1, body: bytes });
      checkEqual(uploaded.etag, md5Etag(bytes), 'uploadPart ETag');
      const copied = await copyPart(t, upload, 2, { bucket: source.bucket, key: source.key });
      checkEqual(copied.copyPartResult.etag, md5Etag(source.bytes), 'uploadPartCopy ETag');
      checkEqual(source.etag, md5Etag(source.bytes), 'putObject ETag');
    },
  },
  {
    id: 'lifecycle.multipart-etag',
    title: "the completed object has S3's multipart ETag: md5 of the part md5s, then -N",
    requires: ['multipartEtag'],
    async run(t) {
      const upload = await t.createUpload(t.key('dest'));
      const first = randomData(partSize(t));
      const second = randomData(17);
      const p1 = await t.client.uploadPart({ ...upload, partNumber: 1, body: first });
      const p2 = await t.client.uploadPart({ ...upload, partNumber: 2, body: second });
      const done = await complete(t, upload, [
        { partNumber: 1, etag: p1.etag },
        { partNumber: 2, etag: p2.etag },
      ]);
      const expected = multipartEtag([md5Etag(first), md5Etag(second)]);
      checkEqual(done.etag, expected, 'completeMultipartUpload ETag');
      checkEqual(
        (await t.client.headObject({ bucket: t.bucket, key: upload.key })).etag,
        expected,
        'headObject ETag',
      );
    },
  },
  {
    id: 'lifecycle.invisible-until-complete',
    title: 'nothing is visible at the key before completion (headObject NoSuchKey, not listed)',
    async run(t) {
      const upload = await t.createUpload(t.key('dest'));
      await t.client.uploadPart({ ...upload, partNumber: 1, body: randomData(10) });
      await expectError(
        t.client.headObject({ bucket: t.bucket, key: upload.key }),
        'NoSuchKey',
        'headObject before completion',
      );
      const listed = await t.client.listObjects({ bucket: t.bucket });
      checkEqual(listed.objects.length, 0, 'listObjects before completion: objects listed');
    },
  },
  {
    id: 'lifecycle.complete-replaces-object',
    title: 'completion replaces an existing object at the key',
    async run(t) {
      const key = t.key('dest');
      await t.put(key, randomData(40));
      const upload = await t.createUpload(key);
      const bytes = randomData(25);
      const part = await t.client.uploadPart({ ...upload, partNumber: 1, body: bytes });
      await complete(t, upload, [{ partNumber: 1, etag: part.etag }]);
      checkBytes(await t.read(key), bytes, 'object after completion');
    },
  },
]);
