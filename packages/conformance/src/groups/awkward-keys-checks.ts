/**
 * awkward-keys: keys with characters that URL encoding, file systems and path handling get wrong,
 * used as copy source (S3's string form with an `encodeCopySourceKey`-encoded key, and the
 * structured form) and as destination. The bytes are verified and the key is listed exactly.
 */
import { encodeCopySourceKey } from '@partcopy/core/provider';
import { check, checkBytes, checkEqual, expectError } from '../assertions.js';
import type { CheckContext } from '../check-context.js';
import { complete, copyPart, partSize, putSource } from '../check-helpers.js';
import type { CheckSpec } from '../define-checks.js';
import { defineChecks } from '../define-checks.js';
import { concatBytes } from '../test-data.js';

/** Pads `prefix` with `k` to exactly 1024 bytes of UTF-8 (S3's limit). */
function keyOf1024Bytes(prefix: string): string {
  return `${prefix}${'k'.repeat(1024 - Buffer.byteLength(prefix))}`;
}

/** A 1024-byte key whose segments all fit a file name (under 255 bytes), with a multi-byte character. */
const LONG_KEY = keyOf1024Bytes(
  `long/é/${Array.from({ length: 4 }, (_, i) => `${i}${'s'.repeat(199)}/`).join('')}`,
);
/** A 1024-byte key that is almost all one segment (S3 limits only the whole key). */
const LONG_SEGMENT_KEY = keyOf1024Bytes('long/é/');

/**
 * Copies `key` of a source bucket into `key` of the check's bucket twice (string form, then
 * structured form) and checks the object and the listing.
 */
async function roundTrip(t: CheckContext, key: string): Promise<void> {
  const sourceBucket = await t.newBucket();
  const source = await putSource(t, partSize(t), { bucket: sourceBucket, key });
  checkBytes(
    await t.read(key, { bucket: sourceBucket }),
    source.bytes,
    'the source read back at its own key',
  );
  const upload = await t.createUpload(key);
  const viaString = await copyPart(t, upload, 1, `${sourceBucket}/${encodeCopySourceKey(key)}`);
  const viaObject = await copyPart(t, upload, 2, { bucket: sourceBucket, key });
  await complete(t, upload, [
    { partNumber: 1, etag: viaString.copyPartResult.etag },
    { partNumber: 2, etag: viaObject.copyPartResult.etag },
  ]);
  checkBytes(await t.read(key), concatBytes(source.bytes, source.bytes), `object at ${JSON.stringify(key)}`);
  const listed = await t.client.listObjects({ bucket: t.bucket });
  checkEqual(listed.objects.map((o) => o.key).join('\n'), key, 'listObjects: the key, exactly');
}

function awkward<const Id extends `awkward-keys.${string}`>(
  id: Id,
  key: string,
  label: string,
): CheckSpec<Id> {
  return {
    id,
    title: `${label}: ${JSON.stringify(key.length > 40 ? `${key.slice(0, 20)}…` : key)} as source and destination`,
    run: (t) => roundTrip(t, key),
  };
}

export const awkwardKeysChecks = defineChecks('awkward-keys', [
  awkward('awkward-keys.space', 'with space/and more.txt', 'spaces'),
  awkward('awkward-keys.accents', 'café/é-è.txt', 'accented letters'),
  awkward('awkward-keys.cjk', '日本/語のキー', 'CJK characters'),
  awkward('awkward-keys.emoji', 'emoji/😀-🚀', 'emoji (astral plane)'),
  awkward('awkward-keys.plus', 'a+b/c+d', 'plus signs'),
  awkward('awkward-keys.percent', '100%/50%', 'percent signs'),
  awkward('awkward-keys.percent-20', 'a%20b', 'a literal %20'),
  awkward('awkward-keys.question-mark', 'what?/x?versionId=1', 'question marks (and a fake versionId)'),
  awkward('awkward-keys.hash', 'a#b/#c', 'hash signs'),
  awkward('awkward-keys.ampersand-equals', 'a&b=c/d=e&f', 'ampersands and equals signs'),
  awkward('awkward-keys.dot-dot', '../up/../../x', '.. segments'),
  awkward('awkward-keys.dot-slash', './here/./x', './ segments'),
  awkward('awkward-keys.leading-slash', '/leading/slash', 'a leading slash'),
  awkward('awkward-keys.trailing-slash', 'trailing/slash/', 'a trailing slash'),
  awkward('awkward-keys.double-slash', 'a//b', 'a double slash'),
  awkward('awkward-keys.long', LONG_KEY, 'a 1024-byte key (every segment under 255 bytes)'),
  awkward('awkward-keys.long-segment', LONG_SEGMENT_KEY, 'a 1024-byte key with a 1016-byte segment'),
  {
    id: 'awkward-keys.file-and-folder',
    title: 'keys a and a/b exist side by side, as sources and destinations',
    async run(t) {
      const sourceBucket = await t.newBucket();
      const size = partSize(t);
      const outer = await putSource(t, size, { bucket: sourceBucket, key: 'a' });
      const inner = await putSource(t, size, { bucket: sourceBucket, key: 'a/b' });
      for (const [key, source] of [
        ['a', inner],
        ['a/b', outer],
      ] as const) {
        const upload = await t.createUpload(key);
        const part = await copyPart(t, upload, 1, `${sourceBucket}/${encodeCopySourceKey(source.key)}`);
        await complete(t, upload, [{ partNumber: 1, etag: part.copyPartResult.etag }]);
      }
      checkBytes(await t.read('a'), inner.bytes, 'object a (copied from a/b)');
      checkBytes(await t.read('a/b'), outer.bytes, 'object a/b (copied from a)');
      const keys = (await t.client.listObjects({ bucket: t.bucket })).objects.map((o) => o.key);
      checkEqual(keys.join(','), 'a,a/b', 'listObjects');
    },
  },
  {
    id: 'awkward-keys.too-long',
    title: 'a 1025-byte key → KeyTooLongError, as destination and as source',
    async run(t) {
      const key = `${LONG_SEGMENT_KEY}k`;
      check(Buffer.byteLength(key) === 1025, 'test key length');
      await expectError(
        t.client.createMultipartUpload({ bucket: t.bucket, key }),
        'KeyTooLongError',
        'createMultipartUpload',
      );
      const upload = await t.createUpload(t.key('dest'));
      await expectError(
        copyPart(t, upload, 1, { bucket: t.bucket, key }),
        'KeyTooLongError',
        'uploadPartCopy from a 1025-byte key',
      );
    },
  },
]);
