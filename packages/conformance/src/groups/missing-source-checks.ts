/**
 * missing-source: copying from a key that does not exist is `NoSuchKey`, from a bucket that does
 * not exist `NoSuchBucket`; neither creates a part.
 */
import { expectError } from '../assertions.js';
import { checkNoParts, copyPart, copySourceString, putSource } from '../check-helpers.js';
import { defineChecks } from '../define-checks.js';

export const missingSourceChecks = defineChecks('missing-source', [
  {
    id: 'missing-source.key',
    title: 'a source key that does not exist → NoSuchKey (404), no part',
    async run(t) {
      const upload = await t.createUpload(t.key('dest'));
      await expectError(
        copyPart(t, upload, 1, { bucket: t.bucket, key: t.key('missing') }),
        'NoSuchKey',
        'copy from a missing key',
        {
          status: true,
        },
      );
      await checkNoParts(t, upload, 'missing source key');
    },
  },
  {
    id: 'missing-source.key-string-form',
    title: 'a missing source key in the string form bucket/key → NoSuchKey (404)',
    async run(t) {
      const upload = await t.createUpload(t.key('dest'));
      await expectError(
        copyPart(t, upload, 1, copySourceString(t.bucket, t.key('missing'))),
        'NoSuchKey',
        'copy from a missing key',
      );
    },
  },
  {
    id: 'missing-source.deleted-key',
    title: 'a source deleted before the copy → NoSuchKey (404)',
    async run(t) {
      const source = await putSource(t, 10);
      await t.client.deleteObject({ bucket: source.bucket, key: source.key });
      const upload = await t.createUpload(t.key('dest'));
      await expectError(
        copyPart(t, upload, 1, { bucket: source.bucket, key: source.key }),
        'NoSuchKey',
        'copy from a deleted key',
      );
    },
  },
  {
    id: 'missing-source.bucket',
    title: 'a source bucket that does not exist → NoSuchBucket (404), no part',
    async run(t) {
      const upload = await t.createUpload(t.key('dest'));
      await expectError(
        copyPart(t, upload, 1, { bucket: t.missingBucketName(), key: 'anything' }),
        'NoSuchBucket',
        'copy from a missing bucket',
        { status: true },
      );
      await checkNoParts(t, upload, 'missing source bucket');
    },
  },
]);
