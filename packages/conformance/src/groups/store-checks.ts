/**
 * store: the contract's MUSTs for the plain bucket and object operations the multipart checks
 * stand on: existing and non-empty buckets, missing buckets, conditional puts, the checksum of a put, Expires, empty metadata values, the bucket listing, deleting a missing key, ranged
 * reads, and key-ordered, paginated listings.
 */
import { checksumField, checksumOf } from '@partcopy/core/provider';
import { checkBytes, checkEqual, expectError } from '../assertions.js';
import { defineChecks } from '../define-checks.js';
import { randomData } from '../test-data.js';

const OTHER_ETAG = '"0123456789abcdef0123456789abcdef"';
const text = (value: string) => new TextEncoder().encode(value);

export const storeChecks = defineChecks('store', [
  {
    id: 'store.create-existing-bucket',
    title: 'creating a bucket that exists → BucketAlreadyOwnedByYou or BucketAlreadyExists (409)',
    requires: ['createBucket'],
    gate: ({ options }) => (options.createBucket ? 'buckets are made by the createBucket option' : undefined),
    needs: 'no createBucket option',
    async run(t) {
      await expectError(
        t.client.createBucket({ bucket: t.bucket }),
        ['BucketAlreadyOwnedByYou', 'BucketAlreadyExists'],
        'createBucket of an existing bucket',
        { status: true },
      );
    },
  },
  {
    id: 'store.delete-non-empty-bucket',
    title: 'deleting a bucket that holds an object → BucketNotEmpty (409); the object stays',
    requires: ['deleteBucket'],
    async run(t) {
      const bytes = randomData(10);
      const key = t.key('kept');
      await t.put(key, bytes);
      await expectError(
        t.client.deleteBucket({ bucket: t.bucket }),
        'BucketNotEmpty',
        'deleteBucket of a non-empty bucket',
        {
          status: true,
        },
      );
      checkBytes(await t.read(key), bytes, 'object after the refused deleteBucket');
    },
  },
  {
    id: 'store.missing-bucket',
    title:
      'createMultipartUpload, putObject, listObjects and listMultipartUploads in a missing bucket → NoSuchBucket (404)',
    async run(t) {
      const bucket = t.missingBucketName();
      const key = t.key('k');
      await expectError(
        t.client.createMultipartUpload({ bucket, key }),
        'NoSuchBucket',
        'createMultipartUpload',
        { status: true },
      );
      await expectError(
        t.client.putObject({ bucket, key, body: randomData(4) }),
        'NoSuchBucket',
        'putObject',
        { status: true },
      );
      await expectError(t.client.listObjects({ bucket }), 'NoSuchBucket', 'listObjects', { status: true });
      if (t.capabilities.listMultipartUploads) {
        await expectError(t.client.listMultipartUploads({ bucket }), 'NoSuchBucket', 'listMultipartUploads', {
          status: true,
        });
      }
    },
  },
  {
    id: 'store.delete-missing-key',
    title: 'deleting a key that does not exist succeeds (as S3)',
    async run(t) {
      await t.client.deleteObject({ bucket: t.bucket, key: t.key('never-written') });
    },
  },
  {
    id: 'store.put-conditions',
    title:
      'putObject ifNoneMatch "*" and ifMatch: a condition that holds writes, one that does not → PreconditionFailed (412), ifMatch on a missing key → NoSuchKey (404)',
    async run(t) {
      const key = t.key('conditional-put');
      await expectError(
        t.client.putObject({ bucket: t.bucket, key, body: 'x', ifMatch: '*' }),
        'NoSuchKey',
        'ifMatch "*" on a missing key',
        { status: true },
      );
      const first = await t.client.putObject({ bucket: t.bucket, key, body: 'one', ifNoneMatch: '*' });
      for (const [what, condition] of [
        ['ifNoneMatch "*" on an existing key', { ifNoneMatch: '*' }],
        ['ifMatch naming another ETag', { ifMatch: OTHER_ETAG }],
      ] as const) {
        await expectError(
          t.client.putObject({ bucket: t.bucket, key, body: 'refused', ...condition }),
          'PreconditionFailed',
          what,
          { status: true },
        );
      }
      checkBytes(await t.read(key), text('one'), 'the object after the refused puts');
      await t.client.putObject({ bucket: t.bucket, key, body: 'two', ifMatch: first.etag });
      checkBytes(await t.read(key), text('two'), 'the object after the put whose ifMatch held');
    },
  },
  {
    id: 'store.put-if-none-match-etag',
    title:
      'putObject ifNoneMatch naming an ETag: the current one → PreconditionFailed (412), any other writes (compared as for reads)',
    async run(t) {
      const key = t.key('if-none-match-etag');
      const first = await t.client.putObject({ bucket: t.bucket, key, body: 'one' });
      await expectError(
        t.client.putObject({ bucket: t.bucket, key, body: 'refused', ifNoneMatch: first.etag }),
        'PreconditionFailed',
        'ifNoneMatch naming the current ETag',
        { status: true },
      );
      checkBytes(await t.read(key), text('one'), 'the object after the refused put');
      await t.client.putObject({ bucket: t.bucket, key, body: 'two', ifNoneMatch: OTHER_ETAG });
      checkBytes(await t.read(key), text('two'), 'the object after the put whose ifNoneMatch held');
    },
  },
  {
    id: 'store.put-checksum',
    title:
      "putObject with a checksumAlgorithm keeps the object's checksum: headObject reports it (FULL_OBJECT) for each algorithm the store takes",
    gate: ({ capabilities }) =>
      capabilities.checksumAlgorithms.length > 0 ? undefined : 'checksumAlgorithms is empty',
    needs: 'checksumAlgorithms',
    async run(t) {
      const bytes = randomData(1024);
      for (const algorithm of t.capabilities.checksumAlgorithms) {
        const key = t.key(`checksum-${algorithm}`);
        await t.client.putObject({ bucket: t.bucket, key, body: bytes, checksumAlgorithm: algorithm });
        const head = await t.client.headObject({ bucket: t.bucket, key });
        const field = checksumField(algorithm);
        checkEqual(head[field], checksumOf(algorithm, bytes), `headObject ${field}`);
        checkEqual(head.checksumType, 'FULL_OBJECT', `headObject checksumType (${algorithm})`);
      }
    },
  },
  {
    id: 'store.metadata-empty-value',
    title: 'user metadata with an empty value is kept: headObject returns the name with ""',
    async run(t) {
      const key = t.key('empty-metadata');
      await t.client.putObject({ bucket: t.bucket, key, body: 'x', metadata: { empty: '', full: 'yes' } });
      const head = await t.client.headObject({ bucket: t.bucket, key });
      checkEqual(head.metadata?.empty, '', 'the empty metadata value');
      checkEqual(head.metadata?.full, 'yes', 'the other metadata value');
    },
  },
  {
    id: 'store.put-expires',
    title: "putObject's expires (S3's Expires header) is kept: headObject returns it, to the second",
    async run(t) {
      const key = t.key('expires');
      const expires = new Date(Date.UTC(2031, 0, 2, 3, 4, 5));
      await t.client.putObject({ bucket: t.bucket, key, body: 'x', expires });
      const head = await t.client.headObject({ bucket: t.bucket, key });
      checkEqual(head.expires?.toISOString(), expires.toISOString(), 'headObject expires');
    },
  },
  {
    id: 'store.null-version-id',
    title:
      'in a bucket that never had versioning, versionId "null" names the object (S3): headObject and getObject read it, deleteObject removes it',
    async run(t) {
      const key = t.key('null-version');
      await t.put(key, text('null version'));
      const head = await t.client.headObject({ bucket: t.bucket, key, versionId: 'null' });
      checkEqual(head.size, 12, 'headObject of version "null"');
      const got = await t.client.getObject({ bucket: t.bucket, key, versionId: 'null' });
      checkBytes(await got.body.bytes(), text('null version'), 'getObject of version "null"');
      await t.client.deleteObject({ bucket: t.bucket, key, versionId: 'null' });
      await expectError(t.read(key), 'NoSuchKey', 'the object after deleting version "null"');
    },
  },
  {
    id: 'store.list-buckets',
    title: "listBuckets lists the store's buckets, the check's own among them",
    gate: ({ capabilities }) => (capabilities.listBuckets ? undefined : 'listBuckets is off'),
    needs: 'listBuckets',
    async run(t) {
      const { buckets } = await t.client.listBuckets();
      const names = buckets.map((b) => b.name);
      checkEqual(names.includes(t.bucket), true, `listBuckets includes ${t.bucket}`);
      checkEqual(new Set(names).size, names.length, 'each bucket listed once');
    },
  },
  {
    id: 'store.get-range',
    title: 'getObject with a range returns exactly those bytes and contentLength',
    async run(t) {
      const bytes = randomData(100);
      const key = t.key('object');
      await t.put(key, bytes);
      const result = await t.client.getObject({ bucket: t.bucket, key, range: 'bytes=10-19' });
      checkEqual(result.contentLength, 10, 'contentLength of bytes=10-19');
      checkBytes(await result.body.bytes(), bytes.subarray(10, 20), 'body of bytes=10-19');
    },
  },
  {
    id: 'store.get-range-past-end',
    title: 'getObject with a range starting at or after the end → InvalidRange (416)',
    async run(t) {
      const key = t.key('object');
      await t.put(key, randomData(100));
      await expectError(
        t.client.getObject({ bucket: t.bucket, key, range: 'bytes=100-120' }),
        'InvalidRange',
        'getObject bytes=100-120 of 100 bytes',
        {
          status: true,
        },
      );
    },
  },
  {
    id: 'store.list-objects-pagination',
    title: 'listObjects with maxKeys 1 pages through every key in key order',
    async run(t) {
      const keys = ['c', 'a', 'b/1', 'b'];
      for (const key of keys) await t.put(key, randomData(3));
      const seen: string[] = [];
      let continuationToken: string | undefined;
      for (let page = 0; page < 10; page++) {
        const listed = await t.client.listObjects({
          bucket: t.bucket,
          maxKeys: 1,
          ...(continuationToken ? { continuationToken } : {}),
        });
        checkEqual(
          listed.objects.length <= 1,
          true,
          `listObjects with maxKeys 1 returned ${listed.objects.length}`,
        );
        seen.push(...listed.objects.map((o) => o.key));
        if (!listed.isTruncated) break;
        continuationToken = listed.nextContinuationToken;
        checkEqual(typeof continuationToken, 'string', 'nextContinuationToken of a truncated page');
      }
      checkEqual(seen.join(','), 'a,b,b/1,c', 'keys over all pages, in key order');
    },
  },
  {
    id: 'store.list-objects-start-after',
    title: 'listObjects with startAfter lists only the keys after it, paging on from there',
    async run(t) {
      for (const key of ['c', 'a', 'b/1', 'b']) await t.put(key, randomData(3));
      const first = await t.client.listObjects({ bucket: t.bucket, startAfter: 'b', maxKeys: 1 });
      checkEqual(first.objects.map((o) => o.key).join(','), 'b/1', 'first page after "b"');
      checkEqual(first.isTruncated, true, 'a page after "b" with maxKeys 1 is truncated');
      const rest = await t.client.listObjects({
        bucket: t.bucket,
        ...(first.nextContinuationToken ? { continuationToken: first.nextContinuationToken } : {}),
      });
      checkEqual(rest.objects.map((o) => o.key).join(','), 'c', 'the page after it');
      const none = await t.client.listObjects({ bucket: t.bucket, startAfter: 'c' });
      checkEqual(none.objects.length, 0, 'keys after the last one');
    },
  },
]);
