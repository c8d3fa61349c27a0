/**
 * abort: aborting discards the upload and every staged part, leaves nothing a listing shows,
 * lets the bucket be deleted, and never changes an existing object at the key.
 */
import { check, checkBytes, checkEqual, expectError } from '../assertions.js';
import { copyPart, putSource } from '../check-helpers.js';
import { defineChecks, REOPEN_NEEDS, reopenGate } from '../define-checks.js';
import { randomData } from '../test-data.js';

export const abortChecks = defineChecks('abort', [
  {
    id: 'abort.leaves-nothing',
    title: 'after abort no upload is listed and listObjects shows no staging data',
    async run(t) {
      const sourceBucket = await t.newBucket();
      const source = await putSource(t, 64, { bucket: sourceBucket });
      const upload = await t.createUpload(t.key('dest'));
      await t.client.uploadPart({ ...upload, partNumber: 1, body: randomData(32) });
      await copyPart(t, upload, 2, { bucket: source.bucket, key: source.key });
      await t.client.abortMultipartUpload(upload);
      if (t.capabilities.listMultipartUploads) {
        checkEqual(
          (await t.client.listMultipartUploads({ bucket: t.bucket })).uploads.length,
          0,
          'uploads listed after abort',
        );
      }
      const listed = await t.client.listObjects({ bucket: t.bucket });
      checkEqual(listed.objects.map((o) => o.key).join(','), '', 'objects listed after abort');
      await expectError(
        t.client.headObject({ bucket: t.bucket, key: upload.key }),
        'NoSuchKey',
        'headObject after abort',
      );
    },
  },
  {
    id: 'abort.bucket-deletable',
    title: 'after abort the bucket of the upload can be deleted (nothing staged remains in it)',
    requires: ['deleteBucket'],
    async run(t) {
      const bucket = await t.newBucket();
      const upload = await t.createUpload(t.key('dest'), { bucket });
      await t.client.uploadPart({ ...upload, partNumber: 1, body: randomData(32) });
      await t.client.abortMultipartUpload(upload);
      await t.client.deleteBucket({ bucket });
    },
  },
  {
    id: 'abort.existing-object-untouched',
    title: 'abort does not change an existing object at the key (bytes and ETag)',
    async run(t) {
      const key = t.key('dest');
      const existing = randomData(48);
      const put = await t.put(key, existing);
      const upload = await t.createUpload(key);
      await t.client.uploadPart({ ...upload, partNumber: 1, body: randomData(48) });
      await t.client.abortMultipartUpload(upload);
      checkBytes(await t.read(key), existing, 'existing object after abort');
      checkEqual(
        (await t.client.headObject({ bucket: t.bucket, key })).etag,
        put.etag,
        'ETag of the existing object',
      );
    },
  },
  {
    id: 'abort.other-upload-untouched',
    title: 'aborting one upload leaves another upload of the same key intact',
    async run(t) {
      const key = t.key('dest');
      const doomed = await t.createUpload(key);
      const kept = await t.createUpload(key);
      check(doomed.uploadId !== kept.uploadId, 'two uploads of one key must have different ids');
      await t.client.uploadPart({ ...doomed, partNumber: 1, body: randomData(8) });
      const bytes = randomData(8);
      const part = await t.client.uploadPart({ ...kept, partNumber: 1, body: bytes });
      await t.client.abortMultipartUpload(doomed);
      await t.client.completeMultipartUpload({ ...kept, parts: [{ partNumber: 1, etag: part.etag }] });
      checkBytes(await t.read(key), bytes, 'object of the upload that was kept');
    },
  },
  {
    id: 'abort.cross-instance',
    title: 'a second provider instance aborts an upload the first started; the first then gets NoSuchUpload',
    gate: reopenGate,
    needs: REOPEN_NEEDS,
    async run(t) {
      const upload = await t.createUpload(t.key('dest'));
      await t.client.uploadPart({ ...upload, partNumber: 1, body: randomData(8) });
      const other = await t.reopen();
      await other.abortMultipartUpload(upload);
      await expectError(
        t.client.uploadPart({ ...upload, partNumber: 2, body: randomData(8) }),
        'NoSuchUpload',
        'uploadPart on the first instance after the second aborted',
      );
    },
  },
]);
