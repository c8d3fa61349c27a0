/**
 * compose: the compose engine of @partcopy/core (`composeObject`) on this store, whichever way the
 * store composes (its native compose, or S3's multipart rules). The result's bytes are checked by
 * SHA-256 against a local reconstruction; pieces of 0 and 1 bytes, pieces at and around the part
 * minimum, overlapping ranges, one source used many times and versioned pieces; a source changed
 * after the pins were taken fails with `PreconditionFailed`; bad input is refused before anything
 * exists; destination conditions; an abort leaves nothing. After every check the bucket holds only
 * what the check wrote and no upload is left.
 */
import {
  type ComposeObjectRequest,
  type ComposeObjectResult,
  type ComposeSource,
  composeObject,
  PartCopyError,
} from '@partcopy/core';
import { check, checkEqual, expectError, sha256Hex } from '../assertions.js';
import type { CheckContext } from '../check-context.js';
import { putSource, type Source } from '../check-helpers.js';
import type { GateInput } from '../conformance-types.js';
import { defineChecks, RANGED_COPY_NEEDS, rangedCopyGate } from '../define-checks.js';
import { concatBytes, randomData } from '../test-data.js';

type Piece = { source: Source; range?: { start: number; end: number }; versionId?: string };

function toSources(pieces: readonly Piece[]): ComposeSource[] {
  return pieces.map(({ source, range, versionId }) => ({
    bucket: source.bucket,
    key: source.key,
    ...(range ? { range } : {}),
    ...(versionId ? { versionId } : {}),
  }));
}

function expected(pieces: readonly Piece[]): Uint8Array {
  return concatBytes(
    ...pieces.map(({ source, range }) =>
      range ? source.bytes.subarray(range.start, range.end + 1) : source.bytes,
    ),
  );
}

function compose(
  t: CheckContext,
  pieces: readonly Piece[],
  extra: Partial<Omit<ComposeObjectRequest, 'client' | 'sources'>> & { key?: string } = {},
): Promise<ComposeObjectResult> {
  const { key = t.key('composed'), ...rest } = extra;
  return composeObject({
    client: t.client,
    destination: { bucket: t.bucket, key },
    sources: toSources(pieces),
    ...rest,
  });
}

/** Bytes by SHA-256, the result's own report, and nothing left behind. */
async function checkComposed(
  t: CheckContext,
  result: ComposeObjectResult,
  pieces: readonly Piece[],
  keep: readonly string[],
): Promise<void> {
  const want = expected(pieces);
  const got = await t.read(result.key);
  checkEqual(got.length, want.length, 'composed size');
  checkEqual(sha256Hex(got), sha256Hex(want), 'composed bytes (SHA-256 against the local reconstruction)');
  checkEqual(result.size, want.length, 'result.size');
  check(
    result.bytesServerSide + result.bytesClientStreamed >= want.length,
    `every byte accounted for (server ${result.bytesServerSide} + client ${result.bytesClientStreamed} >= ${want.length})`,
  );
  check(
    result.bytesClientStreamed >= result.clientBytesLowerBound,
    `client bytes ${result.bytesClientStreamed} not below the lower bound ${result.clientBytesLowerBound}`,
  );
  checkEqual(
    (await t.client.headObject({ bucket: t.bucket, key: result.key })).etag,
    result.etag,
    'ETag as reported',
  );
  await checkNothingLeft(t, [...keep, result.key]);
}

/** Only `keys` in the check's bucket, and no upload in progress. */
async function checkNothingLeft(t: CheckContext, keys: readonly string[]): Promise<void> {
  const listed = await t.client.listObjects({ bucket: t.bucket });
  checkEqual(
    JSON.stringify(listed.objects.map((o) => o.key).sort()),
    JSON.stringify([...new Set(keys)].sort()),
    'objects in the bucket (no intermediate object left)',
  );
  if (t.capabilities.listMultipartUploads) {
    const uploads = await t.client.listMultipartUploads({ bucket: t.bucket });
    checkEqual(uploads.uploads.length, 0, 'uploads left in progress');
  }
}

/** A few sizes around the store's part minimum, kept small enough for a check. */
function sizes(t: CheckContext) {
  const min = Math.max(2, t.capabilities.minPartSize);
  return { min, big: 2 * min + 3 };
}

/** The first request that moves bytes: the abort lands after the upload (if any) exists. */
const WRITING = new Set(['uploadPartCopy', 'uploadPart', 'getObject', 'composeObject']);

/** Part copies are pinned with copySourceIfMatch unless the store composes natively. */
const pinGate = ({ capabilities }: GateInput): string | undefined =>
  capabilities.nativeCompose || capabilities.copySourceIfMatch
    ? undefined
    : 'neither nativeCompose nor copySourceIfMatch: part copies cannot be pinned, compose refuses them (Unsupported)';
const PIN_NEEDS = 'nativeCompose or copySourceIfMatch';

const noComposeConditions = ({ capabilities }: GateInput): string | undefined =>
  capabilities.nativeCompose || capabilities.completeConditions
    ? undefined
    : 'neither nativeCompose nor completeConditions: destination conditions are Unsupported';

export const composeChecks = defineChecks('compose', [
  {
    id: 'compose.mixed-pieces',
    title:
      '0- and 1-byte pieces, pieces at and around the part minimum, overlapping ranges, one source many times → exact bytes',
    gate: (input) => rangedCopyGate(input) ?? pinGate(input),
    needs: `${RANGED_COPY_NEEDS}; ${PIN_NEEDS}`,
    async run(t) {
      const { min, big } = sizes(t);
      const a = await putSource(t, big);
      const one = await putSource(t, 1);
      const empty = await putSource(t, 0);
      const under = await putSource(t, min - 1);
      const edge = await putSource(t, min);
      const pieces: Piece[] = [
        { source: one },
        { source: a },
        { source: empty },
        { source: a, range: { start: 10, end: min + 10 } },
        { source: under },
        { source: edge },
        { source: a, range: { start: 0, end: min } },
        { source: one },
        { source: a, range: { start: min - 1, end: min + 1 } },
        { source: edge, range: { start: 0, end: 0 } },
        { source: a, range: { start: big - 1, end: big - 1 } },
        { source: under },
      ];
      const result = await compose(t, pieces);
      checkEqual(result.pieces, pieces.length, 'result.pieces');
      checkEqual(result.distinctSources, 5, 'result.distinctSources');
      await checkComposed(t, result, pieces, [a.key, one.key, empty.key, under.key, edge.key]);
    },
  },
  {
    id: 'compose.many-whole-objects',
    title: '40 whole objects (0 to 64 bytes, one used three times) → exact bytes, nothing left',
    async run(t) {
      const sources: Source[] = [];
      for (let i = 0; i < 40; i++) sources.push(await putSource(t, (i * 13) % 65));
      const pieces: Piece[] = sources.map((source) => ({ source }));
      pieces.splice(5, 0, { source: sources[7] as Source }, { source: sources[7] as Source });
      const result = await compose(t, pieces, { concurrency: 8 });
      await checkComposed(
        t,
        result,
        pieces,
        sources.map((s) => s.key),
      );
    },
  },
  {
    id: 'compose.versioned-pieces',
    title: 'pieces naming older versions of a source → those versions bytes',
    requires: ['versionedBuckets', 'versionedSources'],
    async run(t) {
      const bucket = await t.newBucket({ versioning: true });
      const key = t.key('versioned');
      const older = await putSource(t, 40, { bucket, key });
      const newer = await putSource(t, 30, { bucket, key });
      check(older.versionId !== undefined, 'a versioned put returns a versionId');
      const pieces: Piece[] = [
        { source: older, versionId: older.versionId as string },
        { source: newer },
        { source: older, versionId: older.versionId as string },
      ];
      const destination = t.key('composed');
      const result = await composeObject({
        client: t.client,
        destination: { bucket: t.bucket, key: destination },
        sources: toSources(pieces),
      });
      const got = await t.read(destination);
      checkEqual(sha256Hex(got), sha256Hex(expected(pieces)), 'composed bytes of the named versions');
      checkEqual(result.size, 110, 'result.size');
    },
  },
  {
    id: 'compose.source-changed',
    gate: pinGate,
    needs: PIN_NEEDS,
    title: 'a source replaced after the pins were taken → PreconditionFailed, nothing written, nothing left',
    async run(t) {
      const { min } = sizes(t);
      const a = await putSource(t, min + 5);
      const b = await putSource(t, 7);
      const key = t.key('composed');
      const attempt = compose(t, [{ source: a }, { source: b }, { source: a }], {
        key,
        onPlan: async () => {
          await t.put(a.key, randomData(min + 5));
        },
      });
      await expectError(attempt, 'PreconditionFailed', 'compose of a changed source');
      await expectError(
        t.client.headObject({ bucket: t.bucket, key }),
        'NoSuchKey',
        'nothing at the destination',
      );
      await checkNothingLeft(t, [a.key, b.key]);
    },
  },
  {
    id: 'compose.bad-input',
    title: 'empty list, range past the end, missing source → typed errors before anything is created',
    async run(t) {
      const a = await putSource(t, 10);
      const key = t.key('composed');
      const attempt = (sources: ComposeSource[]) =>
        composeObject({ client: t.client, destination: { bucket: t.bucket, key }, sources });
      await expectError(attempt([]), 'InvalidArgument', 'empty source list');
      await expectError(
        attempt([{ bucket: a.bucket, key: a.key, range: { start: 5, end: 10 } }]),
        'InvalidArgument',
        'range past the end',
      );
      await expectError(
        attempt([
          { bucket: a.bucket, key: a.key },
          { bucket: a.bucket, key: t.key('missing') },
        ]),
        'NoSuchKey',
        'missing source',
      );
      await checkNothingLeft(t, [a.key]);
    },
  },
  {
    id: 'compose.destination-conditions',
    title:
      'If-None-Match * on an existing object → PreconditionFailed, old object kept; If-Match of its ETag → written',
    gate: noComposeConditions,
    needs: 'nativeCompose or completeConditions',
    async run(t) {
      const a = await putSource(t, 20);
      const key = t.key('composed');
      const old = await t.put(key, randomData(5));
      const refused = composeObject({
        client: t.client,
        destination: { bucket: t.bucket, key, ifNoneMatch: '*' },
        sources: toSources([{ source: a }, { source: a }]),
      });
      await expectError(refused, 'PreconditionFailed', 'If-None-Match * on an existing object');
      checkEqual(
        (await t.client.headObject({ bucket: t.bucket, key })).etag,
        old.etag,
        'the old object is kept',
      );
      const written = await composeObject({
        client: t.client,
        destination: { bucket: t.bucket, key, ifMatch: old.etag },
        sources: toSources([{ source: a }, { source: a }]),
      });
      checkEqual(written.size, 40, 'written under If-Match');
      await checkNothingLeft(t, [a.key, key]);
    },
  },
  {
    id: 'compose.abort',
    gate: pinGate,
    needs: PIN_NEEDS,
    title: 'an abort once the compose starts writing → RequestAborted, nothing written, nothing left',
    async run(t) {
      const { min } = sizes(t);
      const a = await putSource(t, min + 1);
      const b = await putSource(t, 3);
      const key = t.key('composed');
      const stop = new AbortController();
      const off = t.client.on((event) => {
        if (event.type === 'request' && WRITING.has(event.operation))
          stop.abort(new Error('stopped by the check'));
      });
      try {
        const error = await compose(t, [{ source: a }, { source: b }, { source: a }], {
          key,
          signal: stop.signal,
        }).then(
          () => undefined,
          (e: unknown) => e,
        );
        check(
          PartCopyError.hasCode(error, 'RequestAborted'),
          `aborted compose fails with RequestAborted (got ${String(error)})`,
        );
      } finally {
        off();
      }
      await expectError(
        t.client.headObject({ bucket: t.bucket, key }),
        'NoSuchKey',
        'nothing at the destination',
      );
      await checkNothingLeft(t, [a.key, b.key]);
    },
  },
]);
