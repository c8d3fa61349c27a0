/**
 * listing: listParts and listMultipartUploads answer from the store: ascending, with sizes and
 * ETags, paginated. When the suite has `reopenProvider`, the listings are read through a second
 * handle on the store, as another process would read them.
 */
import type { PartCopyClient } from '@partcopy/core';
import { check, checkBytes, checkEqual, expectError } from '../assertions.js';
import type { CheckContext, UploadRef } from '../check-context.js';
import { complete } from '../check-helpers.js';
import { defineChecks, REOPEN_NEEDS, reopenGate } from '../define-checks.js';
import { concatBytes, randomData } from '../test-data.js';

/** The client listings are read with: a second handle when the suite can reopen. */
function lister(t: CheckContext): Promise<PartCopyClient> {
  return t.canReopen ? t.reopen() : Promise.resolve(t.client);
}

/** Uploads parts in the order given, with sizes 10 × part number; returns their ETags. */
async function uploadInOrder(t: CheckContext, upload: UploadRef, numbers: readonly number[]) {
  const etags = new Map<number, string>();
  for (const n of numbers) {
    const { etag } = await t.client.uploadPart({ ...upload, partNumber: n, body: randomData(10 * n) });
    etags.set(n, etag);
  }
  return etags;
}

async function listedUploadIds(client: PartCopyClient, bucket: string): Promise<string[]> {
  return (await client.listMultipartUploads({ bucket })).uploads.map((u) => u.uploadId);
}

export const listingChecks = defineChecks('listing', [
  {
    id: 'listing.parts-ascending',
    title: 'listParts lists parts uploaded as 3, 1, 2 in ascending order with their sizes and ETags',
    requires: ['listParts'],
    async run(t) {
      const upload = await t.createUpload(t.key('dest'));
      const etags = await uploadInOrder(t, upload, [3, 1, 2]);
      const listed = await (await lister(t)).listParts(upload);
      checkEqual(listed.parts.map((p) => p.partNumber).join(','), '1,2,3', 'listParts: part numbers');
      for (const part of listed.parts) {
        checkEqual(part.size, 10 * part.partNumber, `listParts: size of part ${part.partNumber}`);
        checkEqual(part.etag, etags.get(part.partNumber), `listParts: ETag of part ${part.partNumber}`);
        check(
          part.lastModified instanceof Date,
          `listParts: lastModified of part ${part.partNumber} must be a Date`,
        );
      }
      checkEqual(listed.isTruncated, false, 'listParts: isTruncated');
      checkEqual(listed.uploadId, upload.uploadId, 'listParts: uploadId');
    },
  },
  {
    id: 'listing.parts-pagination',
    title: 'listParts with maxParts 1 pages through every part via nextPartNumberMarker / partNumberMarker',
    requires: ['listParts'],
    async run(t) {
      const upload = await t.createUpload(t.key('dest'));
      await uploadInOrder(t, upload, [1, 2, 3]);
      const client = await lister(t);
      const seen: number[] = [];
      let marker: number | undefined;
      for (let page = 0; page < 10; page++) {
        const listed = await client.listParts({
          ...upload,
          maxParts: 1,
          ...(marker === undefined ? {} : { partNumberMarker: marker }),
        });
        check(listed.parts.length <= 1, `listParts with maxParts 1 returned ${listed.parts.length} parts`);
        seen.push(...listed.parts.map((p) => p.partNumber));
        if (!listed.isTruncated) break;
        check(
          listed.nextPartNumberMarker !== undefined,
          'listParts: a truncated page must carry nextPartNumberMarker',
        );
        marker = listed.nextPartNumberMarker;
      }
      checkEqual(seen.join(','), '1,2,3', 'part numbers over all pages');
      const rest = await client.listParts({ ...upload, partNumberMarker: 2 });
      checkEqual(rest.parts.map((p) => p.partNumber).join(','), '3', 'listParts after partNumberMarker 2');
    },
  },
  {
    id: 'listing.uploads-includes',
    title: 'listMultipartUploads lists an in-progress upload with its key, id and initiation date',
    requires: ['listMultipartUploads'],
    async run(t) {
      const upload = await t.createUpload(t.key('dest'));
      const listed = await (await lister(t)).listMultipartUploads({ bucket: t.bucket });
      const found = listed.uploads.find((u) => u.uploadId === upload.uploadId);
      check(found !== undefined, 'listMultipartUploads: the upload is not listed');
      checkEqual(found.key, upload.key, 'listMultipartUploads: key');
      check(found.initiated instanceof Date, 'listMultipartUploads: initiated must be a Date');
    },
  },
  {
    id: 'listing.uploads-pagination',
    title: 'listMultipartUploads with maxUploads 1 pages through every upload, ordered by key',
    requires: ['listMultipartUploads'],
    async run(t) {
      const keys = ['a', 'b', 'c'].map((p) => `${p}-${t.key('dest')}`);
      const ids = [];
      for (const key of keys) ids.push((await t.createUpload(key)).uploadId);
      const client = await lister(t);
      const seen: Array<{ key: string; uploadId: string }> = [];
      let keyMarker: string | undefined;
      let uploadIdMarker: string | undefined;
      for (let page = 0; page < 10; page++) {
        const listed = await client.listMultipartUploads({
          bucket: t.bucket,
          maxUploads: 1,
          ...(keyMarker === undefined ? {} : { keyMarker }),
          ...(uploadIdMarker === undefined ? {} : { uploadIdMarker }),
        });
        check(
          listed.uploads.length <= 1,
          `listMultipartUploads with maxUploads 1 returned ${listed.uploads.length}`,
        );
        seen.push(...listed.uploads);
        if (!listed.isTruncated) break;
        keyMarker = listed.nextKeyMarker;
        uploadIdMarker = listed.nextUploadIdMarker;
        check(keyMarker !== undefined, 'listMultipartUploads: a truncated page must carry nextKeyMarker');
      }
      checkEqual(seen.map((u) => u.key).join(','), keys.join(','), 'keys over all pages, in key order');
      checkEqual(seen.map((u) => u.uploadId).join(','), ids.join(','), 'upload ids over all pages');
    },
  },
  {
    id: 'listing.uploads-prefix',
    title: 'listMultipartUploads with a prefix lists only uploads under it',
    requires: ['listMultipartUploads'],
    async run(t) {
      const inside = await t.createUpload(`in/${t.key('dest')}`);
      await t.createUpload(`out/${t.key('dest')}`);
      const listed = await (await lister(t)).listMultipartUploads({ bucket: t.bucket, prefix: 'in/' });
      checkEqual(
        listed.uploads.map((u) => u.uploadId).join(','),
        inside.uploadId,
        'uploads under prefix in/',
      );
    },
  },
  {
    id: 'listing.uploads-gone-after-abort',
    title: 'an aborted upload is no longer listed',
    requires: ['listMultipartUploads'],
    async run(t) {
      const upload = await t.createUpload(t.key('dest'));
      await t.client.uploadPart({ ...upload, partNumber: 1, body: randomData(5) });
      await t.client.abortMultipartUpload(upload);
      const ids = await listedUploadIds(await lister(t), t.bucket);
      check(!ids.includes(upload.uploadId), 'listMultipartUploads still lists the aborted upload');
    },
  },
  {
    id: 'listing.uploads-gone-after-complete',
    title: 'a completed upload is no longer listed',
    requires: ['listMultipartUploads'],
    async run(t) {
      const upload = await t.createUpload(t.key('dest'));
      const part = await t.client.uploadPart({ ...upload, partNumber: 1, body: randomData(5) });
      await complete(t, upload, [{ partNumber: 1, etag: part.etag }]);
      const ids = await listedUploadIds(await lister(t), t.bucket);
      check(!ids.includes(upload.uploadId), 'listMultipartUploads still lists the completed upload');
    },
  },
  {
    id: 'listing.cross-instance-complete',
    title: 'a second provider instance lists the parts of an upload the first started and completes it',
    requires: ['listParts'],
    gate: reopenGate,
    needs: REOPEN_NEEDS,
    async run(t) {
      const upload = await t.createUpload(t.key('dest'));
      const first = randomData(Math.max(1, t.capabilities.minPartSize));
      const p1 = await t.client.uploadPart({ ...upload, partNumber: 1, body: first });
      const other = await t.reopen();
      const second = randomData(9);
      const p2 = await other.uploadPart({ ...upload, partNumber: 2, body: second });
      const listed = await other.listParts(upload);
      checkEqual(
        listed.parts.map((p) => p.etag).join(','),
        [p1.etag, p2.etag].join(','),
        'parts seen by the second instance',
      );
      await complete(
        t,
        upload,
        listed.parts.map(({ partNumber, etag }) => ({ partNumber, etag })),
        other,
      );
      checkBytes(
        await t.read(upload.key),
        concatBytes(first, second),
        'object completed by the second instance, read by the first',
      );
      await expectError(
        t.client.listParts(upload),
        'NoSuchUpload',
        'the first instance after the second completed',
      );
    },
  },
]);
