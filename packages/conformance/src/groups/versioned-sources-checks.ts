/**
 * versioned-sources: copying from one version of a source in a versioned bucket, in S3's string
 * form (`bucket/key?versionId=V`) and the structured form, and S3's answers for versions that do
 * not exist or are delete markers.
 */
import { check, checkBytes, checkEqual, expectError } from '../assertions.js';
import type { CheckContext } from '../check-context.js';
import { copyAsSinglePart, copyPart, copySourceString, putSource, type Source } from '../check-helpers.js';
import { defineChecks } from '../define-checks.js';
import { anyOffGate } from '../switched-off.js';

const REQUIRES = ['versionedSources', 'versionedBuckets'] as const;

/** A versioned bucket with two versions of one key; returns both. */
async function twoVersions(t: CheckContext): Promise<{ bucket: string; older: Source; newer: Source }> {
  const bucket = await t.newBucket({ versioning: true });
  const older = await putSource(t, 40, { bucket, key: t.key('source') });
  const newer = await putSource(t, 50, { bucket, key: older.key });
  check(
    older.versionId !== undefined && newer.versionId !== undefined,
    'putObject in a versioned bucket must return a versionId',
  );
  check(older.versionId !== newer.versionId, 'two writes must make two versions');
  return { bucket, older, newer };
}

export const versionedSourcesChecks = defineChecks('versioned-sources', [
  {
    id: 'versioned-sources.switched-off-refused',
    title:
      'with versionedSources off, a copy source naming a versionId → Unsupported (never the current version instead)',
    gate: anyOffGate(['versionedSources']),
    needs: 'versionedSources off',
    async run(t) {
      const source = await putSource(t, 16);
      const upload = await t.createUpload(t.key('dest'));
      await expectError(
        copyPart(t, upload, 1, { bucket: source.bucket, key: source.key, versionId: 'some-version' }),
        'Unsupported',
        'structured copy source with a versionId',
      );
      await expectError(
        copyPart(t, upload, 1, copySourceString(source.bucket, source.key, 'some-version')),
        'Unsupported',
        'string copy source with ?versionId=',
      );
    },
  },
  {
    id: 'versioned-sources.older-version-structured',
    title:
      '{ bucket, key, versionId } of an older version copies that version; copySourceVersionId is returned',
    requires: REQUIRES,
    async run(t) {
      const { older } = await twoVersions(t);
      const { bytes, result } = await copyAsSinglePart(t, {
        bucket: older.bucket,
        key: older.key,
        versionId: older.versionId!,
      });
      checkBytes(bytes, older.bytes, 'object copied from the older version');
      checkEqual(result.copySourceVersionId, older.versionId, 'copySourceVersionId');
    },
  },
  {
    id: 'versioned-sources.older-version-string',
    title: 'bucket/key?versionId=V of an older version copies that version',
    requires: REQUIRES,
    async run(t) {
      const { older } = await twoVersions(t);
      const { bytes, result } = await copyAsSinglePart(
        t,
        copySourceString(older.bucket, older.key, older.versionId),
      );
      checkBytes(bytes, older.bytes, 'object copied from the older version');
      checkEqual(result.copySourceVersionId, older.versionId, 'copySourceVersionId');
    },
  },
  {
    id: 'versioned-sources.current-version',
    title: 'without a versionId the current version is copied and its id returned as copySourceVersionId',
    requires: REQUIRES,
    async run(t) {
      const { newer } = await twoVersions(t);
      const { bytes, result } = await copyAsSinglePart(t, { bucket: newer.bucket, key: newer.key });
      checkBytes(bytes, newer.bytes, 'object copied from the current version');
      checkEqual(result.copySourceVersionId, newer.versionId, 'copySourceVersionId');
    },
  },
  {
    id: 'versioned-sources.bogus-version',
    title: "a versionId of another key's version → NoSuchVersion or NoSuchKey (404)",
    requires: REQUIRES,
    async run(t) {
      const { bucket, older } = await twoVersions(t);
      const other = await putSource(t, 10, { bucket });
      const upload = await t.createUpload(t.key('dest'));
      await expectError(
        copyPart(t, upload, 1, { bucket, key: older.key, versionId: other.versionId! }),
        ['NoSuchVersion', 'NoSuchKey'],
        'copy from a version id the key does not have',
        { status: true },
      );
    },
  },
  {
    id: 'versioned-sources.delete-marker-version',
    title: 'a versionId naming a delete marker → InvalidRequest (400)',
    requires: REQUIRES,
    async run(t) {
      const { older } = await twoVersions(t);
      const deleted = await t.client.deleteObject({ bucket: older.bucket, key: older.key });
      check(
        deleted.versionId !== undefined,
        'deleteObject in a versioned bucket must return the delete marker versionId',
      );
      const upload = await t.createUpload(t.key('dest'));
      await expectError(
        copyPart(t, upload, 1, { bucket: older.bucket, key: older.key, versionId: deleted.versionId }),
        'InvalidRequest',
        'copy from a delete marker by version id',
      );
    },
  },
  {
    id: 'versioned-sources.current-delete-marker',
    title: 'no versionId while the current version is a delete marker → NoSuchKey; older versions still copy',
    requires: REQUIRES,
    async run(t) {
      const { older } = await twoVersions(t);
      await t.client.deleteObject({ bucket: older.bucket, key: older.key });
      const upload = await t.createUpload(t.key('dest'));
      await expectError(
        copyPart(t, upload, 1, { bucket: older.bucket, key: older.key }),
        'NoSuchKey',
        'copy behind a delete marker',
      );
      const { bytes } = await copyAsSinglePart(t, {
        bucket: older.bucket,
        key: older.key,
        versionId: older.versionId!,
      });
      checkBytes(bytes, older.bytes, 'older version copied after the delete');
    },
  },
]);
