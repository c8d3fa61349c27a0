/**
 * bucket-versioning: a bucket's versioning state (never enabled, Enabled, Suspended) as S3
 * PutBucketVersioning / GetBucketVersioning keep it, what each state does to writes and deletes
 * (new version ids, the `null` version, delete markers), and ListObjectVersions: order, latest
 * flags, delete markers, prefixes and delimiters, and paging by key and version-id markers.
 */
import type { ListObjectVersionsInput, ListObjectVersionsResult, PartCopyClient } from '@partcopy/core';
import { check, checkBytes, checkEqual, expectError } from '../assertions.js';
import type { CheckContext } from '../check-context.js';
import { defineChecks } from '../define-checks.js';
import { anyOffGate } from '../switched-off.js';

const BOTH = ['bucketVersioning', 'listObjectVersions'] as const;

/** `key versionId` of each version and delete marker of a listing, as S3 orders them. */
type Row = { key: string; versionId: string; latest: boolean; marker: boolean };

function rowsOf(page: ListObjectVersionsResult): Row[] {
  return [
    ...page.versions.map((v) => ({ key: v.key, versionId: v.versionId, latest: v.isLatest, marker: false })),
    ...page.deleteMarkers.map((m) => ({
      key: m.key,
      versionId: m.versionId,
      latest: m.isLatest,
      marker: true,
    })),
  ];
}

/** One page of a listing: its versions and delete markers, and its common prefixes. */
type Page = { rows: Row[]; prefixes: string[] };

/** Every page of a listing, through the markers (at most 50 pages). */
async function listAll(client: PartCopyClient, input: ListObjectVersionsInput): Promise<Page[]> {
  const pages: Page[] = [];
  let keyMarker: string | undefined;
  let versionIdMarker: string | undefined;
  for (let page = 0; page < 50; page++) {
    const listed = await client.listObjectVersions({
      ...input,
      ...(keyMarker === undefined ? {} : { keyMarker }),
      ...(versionIdMarker === undefined ? {} : { versionIdMarker }),
    });
    pages.push({ rows: rowsOf(listed), prefixes: listed.commonPrefixes });
    if (!listed.isTruncated) return pages;
    check(listed.nextKeyMarker !== undefined, 'a truncated listing must give nextKeyMarker');
    keyMarker = listed.nextKeyMarker;
    versionIdMarker = listed.nextVersionIdMarker;
  }
  throw new Error('listObjectVersions did not end within 50 pages');
}

/** The versions of one key, newest first, from one listing. */
async function versionsOfKey(t: CheckContext, bucket: string, key: string): Promise<Row[]> {
  const listed = await t.client.listObjectVersions({ bucket, prefix: key });
  return rowsOf(listed).filter((row) => row.key === key);
}

function bytesOf(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}

export const bucketVersioningChecks = defineChecks('bucket-versioning', [
  {
    id: 'bucket-versioning.switched-off-refused',
    title: 'with bucketVersioning or listObjectVersions off, their calls → Unsupported',
    gate: anyOffGate([...BOTH]),
    needs: 'bucketVersioning or listObjectVersions off',
    async run(t) {
      const caps = t.client.capabilitiesFor(t.bucket);
      if (!caps.bucketVersioning) {
        await expectError(
          t.client.putBucketVersioning({ bucket: t.bucket, status: 'Enabled' }),
          'Unsupported',
          'putBucketVersioning',
        );
        await expectError(
          t.client.getBucketVersioning({ bucket: t.bucket }),
          'Unsupported',
          'getBucketVersioning',
        );
      }
      if (!caps.listObjectVersions) {
        await expectError(
          t.client.listObjectVersions({ bucket: t.bucket }),
          'Unsupported',
          'listObjectVersions',
        );
      }
    },
  },
  {
    id: 'bucket-versioning.states',
    title:
      'a new bucket has no versioning state; Enabled and Suspended are kept and read back; another status → InvalidArgument',
    requires: ['bucketVersioning'],
    async run(t) {
      checkEqual(
        (await t.client.getBucketVersioning({ bucket: t.bucket })).status,
        undefined,
        'new bucket status',
      );
      for (const status of ['Suspended', 'Enabled', 'Enabled', 'Suspended', 'Enabled'] as const) {
        await t.client.putBucketVersioning({ bucket: t.bucket, status });
        checkEqual(
          (await t.client.getBucketVersioning({ bucket: t.bucket })).status,
          status,
          `status after ${status}`,
        );
      }
      await expectError(
        t.client.putBucketVersioning({ bucket: t.bucket, status: 'Disabled' as 'Enabled' }),
        'InvalidArgument',
        'a status other than Enabled or Suspended',
      );
    },
  },
  {
    id: 'bucket-versioning.missing-bucket',
    title: 'getBucketVersioning and putBucketVersioning on a missing bucket → NoSuchBucket',
    requires: ['bucketVersioning'],
    async run(t) {
      const missing = t.missingBucketName();
      await expectError(
        t.client.getBucketVersioning({ bucket: missing }),
        'NoSuchBucket',
        'get on a missing bucket',
      );
      await expectError(
        t.client.putBucketVersioning({ bucket: missing, status: 'Enabled' }),
        'NoSuchBucket',
        'put on a missing bucket',
      );
    },
  },
  {
    id: 'bucket-versioning.created-versioned',
    title: 'a bucket created with versioning reads back Enabled',
    requires: ['bucketVersioning', 'versionedBuckets'],
    async run(t) {
      const bucket = await t.newBucket({ versioning: true });
      checkEqual((await t.client.getBucketVersioning({ bucket })).status, 'Enabled', 'status');
    },
  },
  {
    id: 'bucket-versioning.never-enabled-listing',
    title:
      'in a bucket never versioned, each object is one version "null", latest, and a delete leaves nothing',
    requires: ['listObjectVersions'],
    async run(t) {
      const key = t.key('plain');
      await t.put(key, bytesOf('one'));
      await t.put(key, bytesOf('two'));
      const listed = await t.client.listObjectVersions({ bucket: t.bucket });
      checkEqual(listed.versions.length, 1, 'versions of a twice-written key');
      checkEqual(listed.versions[0]?.versionId, 'null', 'versionId');
      checkEqual(listed.versions[0]?.isLatest, true, 'isLatest');
      checkEqual(listed.versions[0]?.size, 3, 'size');
      checkEqual(listed.deleteMarkers.length, 0, 'delete markers');
      await t.client.deleteObject({ bucket: t.bucket, key });
      const after = await t.client.listObjectVersions({ bucket: t.bucket });
      checkEqual(after.versions.length + after.deleteMarkers.length, 0, 'entries after the delete');
    },
  },
  {
    id: 'bucket-versioning.enable-keeps-null-version',
    title: 'enabling versioning keeps the object written before as version "null"; later writes add versions',
    requires: BOTH,
    async run(t) {
      const key = t.key('before');
      await t.put(key, bytesOf('plain'));
      await t.client.putBucketVersioning({ bucket: t.bucket, status: 'Enabled' });
      const written = await t.put(key, bytesOf('versioned'));
      check(
        written.versionId !== undefined && written.versionId !== 'null',
        'a write while enabled returns a new versionId',
      );
      const rows = await versionsOfKey(t, t.bucket, key);
      checkEqual(
        rows.map((r) => `${r.versionId}:${r.latest}`).join(' '),
        `${written.versionId}:true null:false`,
        'versions newest first',
      );
      checkBytes(await t.read(key, { versionId: 'null' }), bytesOf('plain'), 'the null version');
      checkEqual(
        (await t.client.headObject({ bucket: t.bucket, key })).versionId,
        written.versionId,
        'head versionId',
      );
      await t.client.deleteObject({ bucket: t.bucket, key, versionId: written.versionId as string });
      checkBytes(await t.read(key), bytesOf('plain'), 'the null version is current again');
    },
  },
  {
    id: 'bucket-versioning.suspended-null-version',
    title:
      'while suspended, writes replace the "null" version without a versionId and a delete makes a "null" delete marker',
    requires: BOTH,
    async run(t) {
      const key = t.key('suspended');
      await t.client.putBucketVersioning({ bucket: t.bucket, status: 'Enabled' });
      const kept = await t.put(key, bytesOf('kept'));
      await t.client.putBucketVersioning({ bucket: t.bucket, status: 'Suspended' });
      const first = await t.put(key, bytesOf('first'));
      checkEqual(first.versionId, undefined, 'versionId of a write while suspended');
      await t.put(key, bytesOf('second'));
      let rows = await versionsOfKey(t, t.bucket, key);
      checkEqual(
        rows.map((r) => `${r.versionId}:${r.latest}`).join(' '),
        `null:true ${kept.versionId}:false`,
        'the null version replaced, the enabled-time version kept',
      );
      checkBytes(await t.read(key), bytesOf('second'), 'current bytes');
      const deleted = await t.client.deleteObject({ bucket: t.bucket, key });
      checkEqual(deleted.deleteMarker, true, 'deleteMarker');
      checkEqual(deleted.versionId, 'null', 'the delete marker version id');
      const listed = await t.client.listObjectVersions({ bucket: t.bucket, prefix: key });
      checkEqual(
        listed.deleteMarkers.map((m) => `${m.versionId}:${m.isLatest}`).join(' '),
        'null:true',
        'delete markers',
      );
      checkEqual(listed.versions.map((v) => v.versionId).join(' '), String(kept.versionId), 'versions left');
      await expectError(t.read(key), 'NoSuchKey', 'read behind the null delete marker');
      rows = await versionsOfKey(t, t.bucket, key);
      checkEqual(rows.length, 2, 'entries of the key');
    },
  },
  {
    id: 'bucket-versioning.list-order-and-markers',
    title:
      'listObjectVersions orders keys, then versions newest first, flags the latest and lists delete markers',
    requires: BOTH,
    async run(t) {
      await t.client.putBucketVersioning({ bucket: t.bucket, status: 'Enabled' });
      const a = t.key('a');
      const b = `${a}-b`; // sorts after a
      const a1 = await t.put(a, bytesOf('a1'));
      const a2 = await t.put(a, bytesOf('a2'));
      const b1 = await t.put(b, bytesOf('b1'));
      const marker = await t.client.deleteObject({ bucket: t.bucket, key: b });
      checkEqual(marker.deleteMarker, true, 'delete in an enabled bucket makes a delete marker');
      const listed = await t.client.listObjectVersions({ bucket: t.bucket, prefix: a });
      checkEqual(
        listed.versions.map((v) => `${v.key === a ? 'a' : 'b'}:${v.versionId}:${v.isLatest}`).join(' '),
        `a:${a2.versionId}:true a:${a1.versionId}:false b:${b1.versionId}:false`,
        'versions',
      );
      checkEqual(
        listed.deleteMarkers.map((m) => `${m.key === b ? 'b' : 'a'}:${m.versionId}:${m.isLatest}`).join(' '),
        `b:${marker.versionId}:true`,
        'delete markers',
      );
      checkEqual(listed.isTruncated, false, 'isTruncated');
      const version = listed.versions[0];
      checkEqual(version?.size, 2, 'size');
      check(typeof version?.etag === 'string' && version.etag.startsWith('"'), 'ETags are quoted');
      checkBytes(await t.read(a, { versionId: a1.versionId as string }), bytesOf('a1'), 'an older version');
    },
  },
  {
    id: 'bucket-versioning.list-paging',
    title:
      'pages of maxKeys continue exactly after the last entry through nextKeyMarker and nextVersionIdMarker',
    requires: BOTH,
    async run(t) {
      await t.client.putBucketVersioning({ bucket: t.bucket, status: 'Enabled' });
      const prefix = t.key('page');
      for (const [suffix, times] of [
        ['/1', 3],
        ['/2', 1],
        ['/3', 2],
      ] as const) {
        for (let i = 0; i < times; i++) await t.put(`${prefix}${suffix}`, bytesOf(`${suffix}${i}`));
      }
      await t.client.deleteObject({ bucket: t.bucket, key: `${prefix}/2` });
      const whole = rowsOf(await t.client.listObjectVersions({ bucket: t.bucket, prefix }));
      const key = (r: Row) => `${r.key}@${r.versionId}`;
      for (const maxKeys of [1, 2, 4]) {
        const pages = await listAll(t.client, { bucket: t.bucket, prefix, maxKeys });
        check(
          pages.every((page) => page.rows.length <= maxKeys),
          `no page holds more than maxKeys=${maxKeys}`,
        );
        const paged = pages
          .flatMap((page) => page.rows)
          .map(key)
          .sort();
        checkEqual(
          paged.join(' '),
          whole.map(key).sort().join(' '),
          `every entry exactly once (maxKeys=${maxKeys})`,
        );
      }
      checkEqual(whole.length, 7, 'entries (6 versions and 1 delete marker)');
      const none = await t.client.listObjectVersions({ bucket: t.bucket, prefix, maxKeys: 0 });
      checkEqual(rowsOf(none).length, 0, 'maxKeys 0 lists nothing');
      await expectError(
        t.client.listObjectVersions({ bucket: t.bucket, versionIdMarker: 'x' }),
        'InvalidArgument',
        'a version-id marker without a key marker',
      );
    },
  },
  {
    id: 'bucket-versioning.list-delimiter',
    title: 'with a delimiter, keys roll up into common prefixes listed once, counted once when paging',
    requires: BOTH,
    async run(t) {
      await t.client.putBucketVersioning({ bucket: t.bucket, status: 'Enabled' });
      const prefix = `${t.key('tree')}/`;
      await t.put(`${prefix}dir/a`, bytesOf('1'));
      await t.put(`${prefix}dir/b`, bytesOf('2'));
      await t.put(`${prefix}dir/b`, bytesOf('3'));
      await t.put(`${prefix}file`, bytesOf('4'));
      await t.put(`${prefix}zdir/c`, bytesOf('5'));
      const listed = await t.client.listObjectVersions({ bucket: t.bucket, prefix, delimiter: '/' });
      checkEqual(listed.commonPrefixes.join(' '), `${prefix}dir/ ${prefix}zdir/`, 'common prefixes');
      checkEqual(
        listed.versions.map((v) => v.key).join(' '),
        `${prefix}file`,
        'versions outside the prefixes',
      );
      const pages = await listAll(t.client, { bucket: t.bucket, prefix, delimiter: '/', maxKeys: 1 });
      checkEqual(
        pages.map((page) => [...page.prefixes, ...page.rows.map((r) => r.key)].join(',')).join(' '),
        `${prefix}dir/ ${prefix}file ${prefix}zdir/`,
        'pages of one entry: each prefix once, in key order',
      );
    },
  },
]);
