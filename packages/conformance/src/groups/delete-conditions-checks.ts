/**
 * delete-conditions: S3's conditional deletes (`ifMatch`, `ifMatchLastModifiedTime`,
 * `ifMatchSize`), decided against the version a delete would remove or hide; a condition that
 * does not hold is PreconditionFailed and deletes nothing.
 */
import { check, checkBytes, checkEqual, expectError } from '../assertions.js';
import { defineChecks } from '../define-checks.js';
import { anyOffGate } from '../switched-off.js';

const bytes = (text: string) => new TextEncoder().encode(text);

export const deleteConditionsChecks = defineChecks('delete-conditions', [
  {
    id: 'delete-conditions.switched-off-refused',
    title: 'with deleteConditions off, a conditional delete → Unsupported, and the object stays',
    gate: anyOffGate(['deleteConditions']),
    needs: 'deleteConditions off',
    async run(t) {
      const key = t.key('kept');
      await t.put(key, bytes('kept'));
      await expectError(
        t.client.deleteObject({ bucket: t.bucket, key, ifMatch: '"0123456789abcdef0123456789abcdef"' }),
        'Unsupported',
        'deleteObject with ifMatch',
      );
      checkBytes(await t.read(key), bytes('kept'), 'the object after the refused delete');
    },
  },
  {
    id: 'delete-conditions.current-object',
    title:
      'ifMatch, ifMatchLastModifiedTime and ifMatchSize that do not hold → PreconditionFailed, nothing deleted; ones that hold delete',
    requires: ['deleteConditions'],
    async run(t) {
      const key = t.key('conditional');
      const { etag } = await t.put(key, bytes('twelve bytes'));
      const head = await t.client.headObject({ bucket: t.bucket, key });
      const otherTime = new Date(head.lastModified.getTime() - 86_400_000);
      for (const [what, condition] of [
        ['another ETag', { ifMatch: '"0123456789abcdef0123456789abcdef"' }],
        ['another time', { ifMatchLastModifiedTime: otherTime }],
        ['another size', { ifMatchSize: 13 }],
        ['a true ETag and another size', { ifMatch: etag, ifMatchSize: 11 }],
      ] as const) {
        await expectError(
          t.client.deleteObject({ bucket: t.bucket, key, ...condition }),
          'PreconditionFailed',
          what,
          {
            status: true,
          },
        );
        checkBytes(await t.read(key), bytes('twelve bytes'), `the object after a delete with ${what}`);
      }
      await t.client.deleteObject({
        bucket: t.bucket,
        key,
        ifMatch: etag,
        ifMatchLastModifiedTime: head.lastModified,
        ifMatchSize: 12,
      });
      await expectError(t.read(key), 'NoSuchKey', 'the object after a delete whose conditions held');
      // Nothing to delete: success, as an unconditional delete of a missing key.
      await t.client.deleteObject({ bucket: t.bucket, key, ifMatch: etag });
    },
  },
  {
    id: 'delete-conditions.versions',
    title:
      'in a versioned bucket the conditions apply to the named version, or to the current one (a delete marker matches only "*")',
    requires: ['deleteConditions', 'versionedBuckets', 'versionedSources'],
    async run(t) {
      const bucket = await t.newBucket({ versioning: true });
      const key = t.key('versioned');
      const one = await t.client.putObject({ bucket, key, body: 'one' });
      const two = await t.client.putObject({ bucket, key, body: 'two!' });
      check(one.versionId !== undefined && two.versionId !== undefined, 'versioned puts return version ids');
      await expectError(
        t.client.deleteObject({ bucket, key, versionId: one.versionId as string, ifMatch: two.etag }),
        'PreconditionFailed',
        "a version deleted on another version's ETag",
      );
      const removed = await t.client.deleteObject({
        bucket,
        key,
        versionId: one.versionId as string,
        ifMatchSize: 3,
      });
      checkEqual(removed.deleteMarker, undefined, 'deleteMarker of a version removed');
      const marker = await t.client.deleteObject({ bucket, key, ifMatch: two.etag });
      checkEqual(
        marker.deleteMarker,
        true,
        'a conditional delete of the current version adds a delete marker',
      );
      await expectError(
        t.client.deleteObject({ bucket, key, ifMatch: two.etag }),
        'PreconditionFailed',
        'an ETag condition against a current delete marker',
      );
      await t.client.deleteObject({ bucket, key, ifMatch: '*' });
      const body = await t.client.getObject({ bucket, key, versionId: two.versionId as string });
      checkBytes(await body.body.bytes(), bytes('two!'), 'the version under the delete markers');
    },
  },
]);
