/**
 * whole-object-copy: S3 CopyObject (`copyObjectServerSide`) where a provider declares
 * `wholeObjectCopy`. The bytes arrive exactly (SHA-256), on the server; settings are carried
 * (COPY) or replaced (REPLACE); the four source conditions are decided as S3 decides them, with
 * S3's precedence, and a refused copy leaves the destination untouched; S3's error codes for
 * missing sources and buckets; versioned sources; destination conditions; the size limit.
 */
import { randomBytes } from 'node:crypto';
import type { CopyObjectServerSideInput, ServerSideCopyResult } from '@partcopy/core';
import { PartCopyClient } from '@partcopy/core';
import { check, checkBytes, checkEqual, checkQuotedEtag, expectError } from '../assertions.js';
import type { CheckContext } from '../check-context.js';
import { copySourceString, putSource, type Source } from '../check-helpers.js';
import type { GateInput } from '../conformance-types.js';
import { type CheckSpec, defineChecks } from '../define-checks.js';
import { anyOffGate } from '../switched-off.js';
import { randomData } from '../test-data.js';

const REQUIRES = ['wholeObjectCopy'] as const;
const OTHER_ETAG = '"0123456789abcdef0123456789abcdef"';
/** Largest limit the over-limit check will exceed by writing a source one byte larger. */
const TESTABLE_LIMIT = 1024 * 1024;

type Extra = Partial<Omit<CopyObjectServerSideInput, 'bucket' | 'key' | 'copySource'>>;

/** Copies `source` whole to `key` (default: a fresh key in the check's bucket). */
function copy(
  t: CheckContext,
  source: CopyObjectServerSideInput['copySource'],
  extra: Extra & { bucket?: string; key?: string } = {},
): Promise<ServerSideCopyResult> {
  const { bucket = t.bucket, key = t.key('copy'), ...rest } = extra;
  return t.client.copyObjectServerSide({ bucket, key, copySource: source, ...rest });
}

function ref(source: Source): { bucket: string; key: string } {
  return { bucket: source.bucket, key: source.key };
}

/** Checks a successful copy: the answer, then the destination's bytes and metadata. */
async function checkCopied(
  t: CheckContext,
  result: ServerSideCopyResult,
  at: { bucket: string; key: string },
  expected: Uint8Array,
  what: string,
): Promise<void> {
  checkQuotedEtag(result.etag, `${what}: result`);
  checkEqual(result.transfer, 'server-side', `${what}: transfer`);
  checkEqual(result.bytesCopied, expected.length, `${what}: bytesCopied`);
  checkBytes(await t.read(at.key, { bucket: at.bucket }), expected, `${what}: destination`);
  const head = await t.client.headObject(at);
  checkEqual(head.size, expected.length, `${what}: destination size`);
  checkEqual(head.etag, result.etag, `${what}: destination ETag as copyObject returned it`);
}

/** A refused copy must leave no object at a destination that had none. */
async function checkAbsent(t: CheckContext, key: string, what: string, bucket = t.bucket): Promise<void> {
  await expectError(t.client.headObject({ bucket, key }), 'NoSuchKey', `${what}: nothing written`);
}

// ----- source conditions ----------------------------------------------------------------------

type ConditionFields = Pick<
  CopyObjectServerSideInput,
  'copySourceIfMatch' | 'copySourceIfNoneMatch' | 'copySourceIfModifiedSince' | 'copySourceIfUnmodifiedSince'
>;

interface SourceState {
  etag: string;
  lastModified: Date;
  hourBefore: Date;
}

type ConditionFlag =
  | 'copySourceIfMatch'
  | 'copySourceIfNoneMatch'
  | 'copySourceIfModifiedSince'
  | 'copySourceIfUnmodifiedSince';

function condition<const Id extends `whole-object-copy.${string}`>(
  id: Id,
  flags: readonly ConditionFlag[],
  label: string,
  holds: boolean,
  build: (s: SourceState) => ConditionFields,
): CheckSpec<Id> {
  return {
    id,
    title: `${label} → ${holds ? 'copies' : 'PreconditionFailed (412), nothing written'}`,
    requires: [...REQUIRES, ...flags],
    async run(t) {
      const source = await putSource(t, 96);
      const head = await t.client.headObject(ref(source));
      const state: SourceState = {
        etag: head.etag,
        lastModified: head.lastModified,
        hourBefore: new Date(head.lastModified.getTime() - 3_600_000),
      };
      const key = t.key('copy');
      const attempt = copy(t, ref(source), { key, ...build(state) });
      if (!holds) {
        await expectError(attempt, 'PreconditionFailed', label, { status: true });
        await checkAbsent(t, key, label);
        return;
      }
      await checkCopied(t, await attempt, { bucket: t.bucket, key }, source.bytes, label);
    },
  };
}

const MATCH = ['copySourceIfMatch'] as const;
const NONE = ['copySourceIfNoneMatch'] as const;
const MODIFIED = ['copySourceIfModifiedSince'] as const;
const UNMODIFIED = ['copySourceIfUnmodifiedSince'] as const;

// ----- helpers for the other checks -----------------------------------------------------------

async function twoVersions(t: CheckContext): Promise<{ older: Source; newer: Source }> {
  const bucket = await t.newBucket({ versioning: true });
  const older = await putSource(t, 40, { bucket, key: t.key('source') });
  const newer = await putSource(t, 50, { bucket, key: older.key });
  check(
    older.versionId !== undefined && newer.versionId !== undefined,
    'versioned puts must return versionIds',
  );
  return { older, newer };
}

/** Gate: the provider's limit is small enough for a check to write a source over it. */
const testableLimitGate = ({ capabilities }: GateInput): string | undefined =>
  capabilities.maxWholeObjectCopySize <= TESTABLE_LIMIT
    ? undefined
    : `maxWholeObjectCopySize is ${capabilities.maxWholeObjectCopySize} bytes: too large to exceed in a check ` +
      `(construct the provider with a limit of at most ${TESTABLE_LIMIT} to run it)`;

const SETTINGS = {
  contentType: 'application/x-partcopy-source',
  cacheControl: 'max-age=60',
  contentDisposition: 'attachment; filename="source.bin"',
  metadata: { origin: 'source', shade: 'blue' },
} as const;

export const wholeObjectCopyChecks = defineChecks('whole-object-copy', [
  {
    id: 'whole-object-copy.switched-off-refused',
    title: 'with wholeObjectCopy off, copyObjectServerSide → Unsupported, nothing written',
    gate: anyOffGate(['wholeObjectCopy']),
    needs: 'wholeObjectCopy off',
    async run(t) {
      const source = await putSource(t, 16);
      const key = t.key('copy');
      await expectError(copy(t, ref(source), { key }), 'Unsupported', 'copyObjectServerSide');
      await checkAbsent(t, key, 'refused copy');
    },
  },
  {
    id: 'whole-object-copy.conditions-switched-off-refused',
    title:
      'with wholeObjectCopyConditions off, destination ifMatch / ifNoneMatch → Unsupported, nothing written (never ignored)',
    requires: REQUIRES,
    gate: anyOffGate(['wholeObjectCopyConditions']),
    needs: 'wholeObjectCopyConditions off',
    async run(t) {
      const source = await putSource(t, 16);
      const taken = await putSource(t, 8);
      await expectError(
        copy(t, ref(source), { key: taken.key, ifNoneMatch: '*' }),
        'Unsupported',
        'ifNoneMatch',
      );
      await expectError(
        copy(t, ref(source), { key: taken.key, ifMatch: OTHER_ETAG }),
        'Unsupported',
        'ifMatch',
      );
      checkBytes(await t.read(taken.key), taken.bytes, 'the destination after the refused copies');
    },
  },
  {
    id: 'whole-object-copy.bytes',
    title: 'copies every byte (SHA-256), server-side; the result ETag is quoted and is the destination’s',
    requires: REQUIRES,
    async run(t) {
      const source = await putSource(t, Math.min(256 * 1024 + 7, t.capabilities.maxWholeObjectCopySize));
      const key = t.key('copy');
      const result = await copy(t, ref(source), { key });
      await checkCopied(t, result, { bucket: t.bucket, key }, source.bytes, 'whole-object copy');
      checkBytes(await t.read(source.key), source.bytes, 'the source after the copy');
    },
  },
  {
    id: 'whole-object-copy.empty-object',
    title: 'a 0-byte source copies to a 0-byte object',
    requires: REQUIRES,
    async run(t) {
      const source = await putSource(t, 0);
      const key = t.key('copy');
      const result = await copy(t, ref(source), { key });
      await checkCopied(t, result, { bucket: t.bucket, key }, new Uint8Array(0), 'empty copy');
    },
  },
  {
    id: 'whole-object-copy.string-source',
    title: 'S3’s string copy source (bucket/url-encoded-key) with an awkward key copies that object',
    requires: REQUIRES,
    async run(t) {
      const source = await putSource(t, 33, { key: `${t.key('dir')}/a b+c ü%.txt` });
      const key = t.key('copy');
      const result = await copy(t, copySourceString(source.bucket, source.key), { key });
      await checkCopied(t, result, { bucket: t.bucket, key }, source.bytes, 'string copy source');
    },
  },
  {
    id: 'whole-object-copy.other-bucket',
    title: 'copies from one bucket into another',
    requires: REQUIRES,
    async run(t) {
      const source = await putSource(t, 48);
      const bucket = await t.newBucket();
      const key = t.key('copy');
      const result = await copy(t, ref(source), { bucket, key });
      await checkCopied(t, result, { bucket, key }, source.bytes, 'cross-bucket copy');
    },
  },
  {
    id: 'whole-object-copy.metadata-copy',
    title: 'metadataDirective COPY (the default) carries the source’s settings; settings given are ignored',
    requires: REQUIRES,
    async run(t) {
      const key = t.key('source');
      const bytes = randomData(20);
      await t.put(key, bytes, { ...SETTINGS, metadata: { ...SETTINGS.metadata } });
      const target = t.key('copy');
      await copy(t, { bucket: t.bucket, key }, { key: target, contentType: 'text/ignored' });
      const head = await t.client.headObject({ bucket: t.bucket, key: target });
      checkEqual(head.contentType, SETTINGS.contentType, 'contentType');
      checkEqual(head.cacheControl, SETTINGS.cacheControl, 'cacheControl');
      checkEqual(head.contentDisposition, SETTINGS.contentDisposition, 'contentDisposition');
      checkEqual(
        JSON.stringify(sorted(head.metadata)),
        JSON.stringify(sorted(SETTINGS.metadata)),
        'metadata',
      );
    },
  },
  {
    id: 'whole-object-copy.metadata-replace',
    title: 'metadataDirective REPLACE gives exactly the settings of the request; the source’s are dropped',
    requires: REQUIRES,
    async run(t) {
      const key = t.key('source');
      const bytes = randomData(20);
      await t.put(key, bytes, { ...SETTINGS, metadata: { ...SETTINGS.metadata } });
      const target = t.key('copy');
      const result = await copy(
        t,
        { bucket: t.bucket, key },
        { key: target, metadataDirective: 'REPLACE', contentType: 'text/plain', metadata: { fresh: 'yes' } },
      );
      await checkCopied(t, result, { bucket: t.bucket, key: target }, bytes, 'REPLACE copy');
      const head = await t.client.headObject({ bucket: t.bucket, key: target });
      checkEqual(head.contentType, 'text/plain', 'contentType');
      checkEqual(head.cacheControl, undefined, 'cacheControl (not given: unset)');
      checkEqual(head.contentDisposition, undefined, 'contentDisposition (not given: unset)');
      checkEqual(JSON.stringify(sorted(head.metadata)), JSON.stringify({ fresh: 'yes' }), 'metadata');
    },
  },
  {
    id: 'whole-object-copy.onto-itself',
    title: 'onto itself with COPY → InvalidRequest (400), unchanged; with REPLACE the settings change',
    requires: REQUIRES,
    async run(t) {
      const source = await putSource(t, 24);
      await expectError(copy(t, ref(source), { key: source.key }), 'InvalidRequest', 'self-copy with COPY');
      checkBytes(await t.read(source.key), source.bytes, 'the object after the refused self-copy');
      const result = await copy(t, ref(source), {
        key: source.key,
        metadataDirective: 'REPLACE',
        contentType: 'text/x-replaced',
      });
      await checkCopied(t, result, ref(source), source.bytes, 'self-copy with REPLACE');
      const head = await t.client.headObject(ref(source));
      checkEqual(head.contentType, 'text/x-replaced', 'contentType after the REPLACE self-copy');
    },
  },
  condition('whole-object-copy.if-match', MATCH, 'copySourceIfMatch = the ETag', true, (s) => ({
    copySourceIfMatch: s.etag,
  })),
  condition('whole-object-copy.if-match-false', MATCH, 'copySourceIfMatch = another ETag', false, () => ({
    copySourceIfMatch: OTHER_ETAG,
  })),
  condition('whole-object-copy.if-none-match', NONE, 'copySourceIfNoneMatch = another ETag', true, () => ({
    copySourceIfNoneMatch: OTHER_ETAG,
  })),
  condition(
    'whole-object-copy.if-none-match-false',
    NONE,
    'copySourceIfNoneMatch = the ETag',
    false,
    (s) => ({
      copySourceIfNoneMatch: s.etag,
    }),
  ),
  condition(
    'whole-object-copy.if-modified-since',
    MODIFIED,
    'copySourceIfModifiedSince = an hour before lastModified',
    true,
    (s) => ({ copySourceIfModifiedSince: s.hourBefore }),
  ),
  condition(
    'whole-object-copy.if-modified-since-false',
    MODIFIED,
    'copySourceIfModifiedSince = lastModified',
    false,
    (s) => ({ copySourceIfModifiedSince: s.lastModified }),
  ),
  condition(
    'whole-object-copy.if-unmodified-since',
    UNMODIFIED,
    'copySourceIfUnmodifiedSince = lastModified',
    true,
    (s) => ({ copySourceIfUnmodifiedSince: s.lastModified }),
  ),
  condition(
    'whole-object-copy.if-unmodified-since-false',
    UNMODIFIED,
    'copySourceIfUnmodifiedSince = an hour before lastModified',
    false,
    (s) => ({ copySourceIfUnmodifiedSince: s.hourBefore }),
  ),
  condition(
    'whole-object-copy.match-beats-unmodified',
    [...MATCH, ...UNMODIFIED],
    'copySourceIfMatch holds and copySourceIfUnmodifiedSince fails (S3: if-match wins)',
    true,
    (s) => ({ copySourceIfMatch: s.etag, copySourceIfUnmodifiedSince: s.hourBefore }),
  ),
  condition(
    'whole-object-copy.none-match-beats-modified',
    [...NONE, ...MODIFIED],
    'copySourceIfNoneMatch fails and copySourceIfModifiedSince holds (S3: 412)',
    false,
    (s) => ({ copySourceIfNoneMatch: s.etag, copySourceIfModifiedSince: s.hourBefore }),
  ),
  condition(
    'whole-object-copy.none-match-ignores-modified',
    [...NONE, ...MODIFIED],
    'copySourceIfNoneMatch holds and copySourceIfModifiedSince fails (S3: copies)',
    true,
    (s) => ({ copySourceIfNoneMatch: OTHER_ETAG, copySourceIfModifiedSince: s.lastModified }),
  ),
  {
    id: 'whole-object-copy.stale-pin',
    title:
      'pinned to an ETag the source no longer has (it was rewritten) → PreconditionFailed; the destination keeps its bytes',
    requires: [...REQUIRES, ...MATCH],
    async run(t) {
      const source = await putSource(t, 64);
      const rewritten = await putSource(t, 64, { key: source.key });
      check(rewritten.etag !== source.etag, 'a rewrite with other bytes must change the ETag');
      const destination = await putSource(t, 32);
      await expectError(
        copy(t, ref(source), { key: destination.key, copySourceIfMatch: source.etag }),
        'PreconditionFailed',
        'copy pinned to the old ETag',
        { status: true },
      );
      checkBytes(await t.read(destination.key), destination.bytes, 'the destination after the refused copy');
    },
  },
  {
    id: 'whole-object-copy.missing-source-key',
    title: 'a source key that does not exist → NoSuchKey (404), nothing written',
    requires: REQUIRES,
    async run(t) {
      const key = t.key('copy');
      await expectError(
        copy(t, { bucket: t.bucket, key: t.key('missing') }, { key }),
        'NoSuchKey',
        'missing key',
        {
          status: true,
        },
      );
      await checkAbsent(t, key, 'missing source key');
    },
  },
  {
    id: 'whole-object-copy.missing-source-bucket',
    title: 'a source bucket that does not exist → NoSuchBucket (404), nothing written',
    requires: REQUIRES,
    async run(t) {
      const key = t.key('copy');
      await expectError(
        copy(t, { bucket: t.missingBucketName(), key: t.key('source') }, { key }),
        'NoSuchBucket',
        'missing source bucket',
        { status: true },
      );
      await checkAbsent(t, key, 'missing source bucket');
    },
  },
  {
    id: 'whole-object-copy.missing-destination-bucket',
    title: 'a destination bucket that does not exist → NoSuchBucket (404)',
    requires: REQUIRES,
    async run(t) {
      const source = await putSource(t, 16);
      await expectError(
        copy(t, ref(source), { bucket: t.missingBucketName() }),
        'NoSuchBucket',
        'missing destination bucket',
        { status: true },
      );
    },
  },
  {
    id: 'whole-object-copy.older-version',
    title: 'a versionId copies that version; copySourceVersionId names it',
    requires: [...REQUIRES, 'versionedSources', 'versionedBuckets'],
    async run(t) {
      const { older } = await twoVersions(t);
      const key = t.key('copy');
      const result = await copy(
        t,
        { bucket: older.bucket, key: older.key, versionId: older.versionId! },
        { key },
      );
      await checkCopied(t, result, { bucket: t.bucket, key }, older.bytes, 'older version');
      checkEqual(result.copySourceVersionId, older.versionId, 'copySourceVersionId');
    },
  },
  {
    id: 'whole-object-copy.destination-if-none-match',
    title: 'ifNoneMatch "*" copies to a free key; onto an existing object → PreconditionFailed, unchanged',
    requires: [...REQUIRES, 'wholeObjectCopyConditions'],
    async run(t) {
      const source = await putSource(t, 40);
      const free = t.key('copy');
      await checkCopied(
        t,
        await copy(t, ref(source), { key: free, ifNoneMatch: '*' }),
        { bucket: t.bucket, key: free },
        source.bytes,
        'free key',
      );
      const taken = await putSource(t, 12);
      await expectError(
        copy(t, ref(source), { key: taken.key, ifNoneMatch: '*' }),
        'PreconditionFailed',
        'ifNoneMatch "*" onto an existing object',
        { status: true },
      );
      checkBytes(await t.read(taken.key), taken.bytes, 'the existing object after the refused copy');
    },
  },
  {
    id: 'whole-object-copy.destination-if-match',
    title:
      'ifMatch with the destination’s ETag replaces it; with another ETag → PreconditionFailed, unchanged',
    requires: [...REQUIRES, 'wholeObjectCopyConditions'],
    async run(t) {
      const source = await putSource(t, 40);
      const target = await putSource(t, 12);
      await expectError(
        copy(t, ref(source), { key: target.key, ifMatch: OTHER_ETAG }),
        'PreconditionFailed',
        'ifMatch with another ETag',
        { status: true },
      );
      checkBytes(await t.read(target.key), target.bytes, 'the destination after the refused copy');
      const result = await copy(t, ref(source), { key: target.key, ifMatch: target.etag });
      await checkCopied(t, result, ref(target), source.bytes, 'ifMatch with the current ETag');
    },
  },
  {
    id: 'whole-object-copy.sse-c',
    title: 'an SSE-C source copies with its key into an object written with another key',
    requires: [...REQUIRES, 'sseCustomerKey'],
    async run(t) {
      const sourceKey = randomBytes(32).toString('base64');
      const destinationKey = randomBytes(32).toString('base64');
      const key = t.key('source');
      const bytes = randomData(48);
      await t.put(key, bytes, { sseCustomerAlgorithm: 'AES256', sseCustomerKey: sourceKey });
      const target = t.key('copy');
      await expectError(
        copy(t, { bucket: t.bucket, key }, { key: target }),
        'InvalidRequest',
        'no source key',
      );
      await copy(
        t,
        { bucket: t.bucket, key },
        {
          key: target,
          copySourceSSECustomerAlgorithm: 'AES256',
          copySourceSSECustomerKey: sourceKey,
          sseCustomerAlgorithm: 'AES256',
          sseCustomerKey: destinationKey,
        },
      );
      checkBytes(
        await t.read(target, { sseCustomerKey: destinationKey }),
        bytes,
        'the copy read with its key',
      );
    },
  },
  {
    id: 'whole-object-copy.true-hint',
    title: 'a true copySourceHint (from headObject) gives the same copy as no hint',
    requires: REQUIRES,
    async run(t) {
      const source = await putSource(t, 80);
      const head = await t.client.headObject(ref(source));
      const hint = { size: head.size, etag: head.etag, lastModified: head.lastModified };
      const key = t.key('copy');
      const result = await copy(t, ref(source), { key, copySourceHint: hint });
      await checkCopied(t, result, { bucket: t.bucket, key }, source.bytes, 'copy with a true hint');
    },
  },
  {
    id: 'whole-object-copy.stale-hint',
    title: 'a stale copySourceHint → PreconditionFailed, or a copy of the current source; never other bytes',
    requires: REQUIRES,
    async run(t) {
      const source = await putSource(t, 80);
      const head = await t.client.headObject(ref(source));
      const current = await putSource(t, 80, { key: source.key });
      const key = t.key('copy');
      const hint = { size: head.size, etag: head.etag, lastModified: head.lastModified };
      try {
        await copy(t, ref(source), { key, copySourceHint: hint });
        checkBytes(
          await t.read(key),
          current.bytes,
          'a copy with a stale hint that succeeds: the current bytes',
        );
      } catch (error) {
        await expectError(Promise.reject(error), 'PreconditionFailed', 'copy with a stale hint');
        await checkAbsent(t, key, 'copy with a stale hint');
      }
    },
  },
  {
    id: 'whole-object-copy.hint-over-limit',
    title:
      'a copySourceHint size over maxWholeObjectCopySize → InvalidRequest before any request, nothing written',
    requires: REQUIRES,
    async run(t) {
      const source = await putSource(t, 2048);
      // A client whose limit is lowered: the facade alone must refuse, from the hint.
      const limited = new PartCopyClient(t.provider, {
        capabilities: { maxWholeObjectCopySize: 1024 },
        retry: false,
      });
      const key = t.key('copy');
      await expectError(
        limited.copyObjectServerSide({
          bucket: t.bucket,
          key,
          copySource: ref(source),
          copySourceHint: { size: source.bytes.length, etag: source.etag },
        }),
        'InvalidRequest',
        'hinted size over the limit',
      );
      await checkAbsent(t, key, 'hinted size over the limit');
    },
  },
  {
    id: 'whole-object-copy.over-limit',
    title: 'a source one byte over maxWholeObjectCopySize → InvalidRequest (400), nothing written',
    requires: REQUIRES,
    gate: testableLimitGate,
    needs: `maxWholeObjectCopySize ≤ ${TESTABLE_LIMIT}`,
    async run(t) {
      const source = await putSource(t, t.capabilities.maxWholeObjectCopySize + 1);
      const key = t.key('copy');
      await expectError(copy(t, ref(source), { key }), 'InvalidRequest', 'source over the limit', {
        status: true,
      });
      await checkAbsent(t, key, 'source over the limit');
      const fits = await putSource(t, t.capabilities.maxWholeObjectCopySize);
      await checkCopied(
        t,
        await copy(t, ref(fits), { key }),
        { bucket: t.bucket, key },
        fits.bytes,
        'at the limit',
      );
    },
  },
]);

function sorted(record: Readonly<Record<string, string>> | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries(record ?? {}).sort(([a], [b]) => a.localeCompare(b)));
}
