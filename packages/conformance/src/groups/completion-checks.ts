/**
 * completion: S3's CompleteMultipartUpload rules, checked before anything changes. A refused
 * completion leaves the destination untouched and the upload completable.
 */
import { unquoteEtag } from '@partcopy/core/provider';
import { check, checkBytes, checkEqual, expectError } from '../assertions.js';
import type { CheckContext, UploadRef } from '../check-context.js';
import { complete, copyPart, partSize, putSource } from '../check-helpers.js';
import { defineChecks } from '../define-checks.js';
import { concatBytes, randomData } from '../test-data.js';

interface Uploaded {
  upload: UploadRef;
  parts: Array<{ partNumber: number; etag: string; bytes: Uint8Array }>;
}

/** An upload with `count` parts: every part but the last of minPartSize, the last of 11 bytes. */
async function uploadParts(t: CheckContext, count: number, key = t.key('dest')): Promise<Uploaded> {
  const upload = await t.createUpload(key);
  const parts = [];
  for (let n = 1; n <= count; n++) {
    const bytes = randomData(n < count ? partSize(t) : 11);
    const { etag } = await t.client.uploadPart({ ...upload, partNumber: n, body: bytes });
    parts.push({ partNumber: n, etag, bytes });
  }
  return { upload, parts };
}

function listOf(parts: Uploaded['parts']) {
  return parts.map(({ partNumber, etag }) => ({ partNumber, etag }));
}

/** Completes with every part and checks the object is their concatenation. */
async function completeAll(t: CheckContext, { upload, parts }: Uploaded, what: string): Promise<void> {
  await complete(t, upload, listOf(parts));
  checkBytes(
    await t.read(upload.key, { bucket: upload.bucket }),
    concatBytes(...parts.map((p) => p.bytes)),
    what,
  );
}

const BOGUS_ETAG = '"0123456789abcdef0123456789abcdef"';

export const completionChecks = defineChecks('completion', [
  {
    id: 'completion.out-of-order',
    title: 'parts listed out of order → InvalidPartOrder; the upload then completes in order',
    async run(t) {
      const up = await uploadParts(t, 2);
      await expectError(
        complete(t, up.upload, listOf(up.parts).reverse()),
        'InvalidPartOrder',
        'complete with parts [2, 1]',
      );
      await completeAll(t, up, 'object completed after the refused attempt');
    },
  },
  {
    id: 'completion.duplicate-part',
    title: 'a part number listed twice → InvalidPartOrder',
    async run(t) {
      const up = await uploadParts(t, 1);
      const [first] = listOf(up.parts);
      await expectError(
        complete(t, up.upload, [first!, first!]),
        'InvalidPartOrder',
        'complete with parts [1, 1]',
      );
    },
  },
  {
    id: 'completion.empty-list',
    title: 'an empty part list → MalformedXML',
    async run(t) {
      const up = await uploadParts(t, 1);
      await expectError(complete(t, up.upload, []), 'MalformedXML', 'complete with no parts');
    },
  },
  {
    id: 'completion.missing-part',
    title: 'a listed part that was never uploaded → InvalidPart',
    async run(t) {
      const up = await uploadParts(t, 2);
      await expectError(
        complete(t, up.upload, [...listOf(up.parts), { partNumber: 3, etag: BOGUS_ETAG }]),
        'InvalidPart',
        'complete listing part 3 that was never uploaded',
      );
      await completeAll(t, up, 'object completed after the refused attempt');
    },
  },
  {
    id: 'completion.wrong-etag',
    title: 'a part listed with another ETag → InvalidPart; the upload then completes',
    async run(t) {
      const up = await uploadParts(t, 2);
      const wrong = listOf(up.parts);
      wrong[1] = { partNumber: 2, etag: BOGUS_ETAG };
      await expectError(
        complete(t, up.upload, wrong),
        'InvalidPart',
        'complete with a wrong ETag for part 2',
      );
      await completeAll(t, up, 'object completed after the refused attempt');
    },
  },
  {
    id: 'completion.unquoted-etags',
    title: 'part ETags given without quotes are accepted (as S3)',
    async run(t) {
      const up = await uploadParts(t, 2);
      await complete(
        t,
        up.upload,
        listOf(up.parts).map((p) => ({ ...p, etag: unquoteEtag(p.etag) })),
      );
      checkBytes(
        await t.read(up.upload.key),
        concatBytes(...up.parts.map((p) => p.bytes)),
        'completed object',
      );
    },
  },
  {
    id: 'completion.entity-too-small',
    title: 'a part other than the last under minPartSize → EntityTooSmall; the last part may be small',
    gate: ({ capabilities }) =>
      capabilities.minPartSize > 1 ? undefined : 'minPartSize is 1: no part can be too small',
    needs: 'minPartSize > 1',
    async run(t) {
      const upload = await t.createUpload(t.key('dest'));
      const small = randomData(partSize(t) - 1);
      const p1 = await t.client.uploadPart({ ...upload, partNumber: 1, body: small });
      const p2 = await t.client.uploadPart({ ...upload, partNumber: 2, body: randomData(5) });
      await expectError(
        complete(t, upload, [
          { partNumber: 1, etag: p1.etag },
          { partNumber: 2, etag: p2.etag },
        ]),
        'EntityTooSmall',
        `complete with a non-last part of minPartSize - 1 (${small.length}) bytes`,
      );
      // The same small part is fine as the last (only) part.
      await complete(t, upload, [{ partNumber: 1, etag: p1.etag }]);
      checkBytes(await t.read(upload.key), small, 'object of the small part alone');
    },
  },
  {
    id: 'completion.replaced-part-upload',
    title:
      're-uploading a part number replaces it: new ETag; the old ETag → InvalidPart, the new one → new bytes',
    async run(t) {
      const upload = await t.createUpload(t.key('dest'));
      const before = await t.client.uploadPart({ ...upload, partNumber: 1, body: randomData(20) });
      const bytes = randomData(21);
      const after = await t.client.uploadPart({ ...upload, partNumber: 1, body: bytes });
      check(after.etag !== before.etag, `the replacing part must have a new ETag (both ${after.etag})`);
      await expectError(
        complete(t, upload, [{ partNumber: 1, etag: before.etag }]),
        'InvalidPart',
        'complete with the replaced ETag',
      );
      await complete(t, upload, [{ partNumber: 1, etag: after.etag }]);
      checkBytes(await t.read(upload.key), bytes, 'object of the replacing part');
    },
  },
  {
    id: 'completion.replaced-part-copy',
    title:
      'copying over an uploaded part number replaces it: new ETag; the old ETag → InvalidPart, the new one → copied bytes',
    async run(t) {
      const source = await putSource(t, 30);
      const upload = await t.createUpload(t.key('dest'));
      const before = await t.client.uploadPart({ ...upload, partNumber: 1, body: randomData(30) });
      const after = await copyPart(t, upload, 1, { bucket: source.bucket, key: source.key });
      check(after.copyPartResult.etag !== before.etag, 'the replacing copied part must have a new ETag');
      await expectError(
        complete(t, upload, [{ partNumber: 1, etag: before.etag }]),
        'InvalidPart',
        'complete with the replaced ETag',
      );
      await complete(t, upload, [{ partNumber: 1, etag: after.copyPartResult.etag }]);
      checkBytes(await t.read(upload.key), source.bytes, 'object of the copied part');
    },
  },
  {
    id: 'completion.unlisted-parts-left-out',
    title: 'parts uploaded but not listed are left out of the object, and nothing of the upload remains',
    async run(t) {
      const up = await uploadParts(t, 3);
      const [p1, , p3] = up.parts;
      await complete(t, up.upload, listOf([p1!, p3!]));
      checkBytes(await t.read(up.upload.key), concatBytes(p1!.bytes, p3!.bytes), 'object of parts 1 and 3');
      if (t.capabilities.listParts) {
        await expectError(t.client.listParts(up.upload), 'NoSuchUpload', 'listParts after completion');
      }
      const keys = (await t.client.listObjects({ bucket: t.bucket })).objects.map((o) => o.key);
      checkEqual(keys.join(','), up.upload.key, 'listObjects after completion: only the completed object');
    },
  },
  {
    id: 'completion.destination-untouched',
    title: 'a refused completion leaves an existing object at the key unchanged (bytes and ETag)',
    async run(t) {
      const key = t.key('dest');
      const existing = randomData(40);
      const put = await t.put(key, existing);
      const up = await uploadParts(t, 2, key);
      await expectError(
        complete(t, up.upload, [{ partNumber: 1, etag: BOGUS_ETAG }]),
        'InvalidPart',
        'complete with a wrong ETag',
      );
      await expectError(
        complete(t, up.upload, listOf(up.parts).reverse()),
        'InvalidPartOrder',
        'complete out of order',
      );
      checkBytes(await t.read(key), existing, 'existing object after refused completions');
      checkEqual(
        (await t.client.headObject({ bucket: t.bucket, key })).etag,
        put.etag,
        'ETag of the existing object',
      );
      await completeAll(t, up, 'object completed after the refused attempts');
    },
  },
  {
    id: 'completion.destination-conditions',
    title:
      'ifNoneMatch "*" onto an existing object and ifMatch of another ETag → PreconditionFailed, the object unchanged and the upload completable; ifMatch of its ETag completes',
    requires: ['completeConditions'],
    async run(t) {
      const key = t.key('dest');
      const existing = randomData(40);
      const put = await t.put(key, existing);
      const up = await uploadParts(t, 2, key);
      const all = { ...up.upload, multipartUpload: { parts: listOf(up.parts) } };
      await expectError(
        t.client.completeMultipartUpload({ ...all, ifNoneMatch: '*' }),
        'PreconditionFailed',
        'complete with ifNoneMatch "*" onto an existing object',
        { status: true },
      );
      await expectError(
        t.client.completeMultipartUpload({ ...all, ifMatch: BOGUS_ETAG }),
        'PreconditionFailed',
        'complete with ifMatch of another ETag',
        { status: true },
      );
      checkBytes(await t.read(key), existing, 'existing object after the refused completions');
      await t.client.completeMultipartUpload({ ...all, ifMatch: put.etag });
      checkBytes(
        await t.read(key),
        concatBytes(...up.parts.map((p) => p.bytes)),
        'object completed with ifMatch of its ETag',
      );
    },
  },
]);
