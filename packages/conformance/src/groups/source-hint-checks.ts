/**
 * source-hint: `copySourceHint` (what the caller already knows of the source) must never change
 * an answer. With a true hint a provider answers exactly as without it (same bytes, same error
 * codes, same condition decisions); with a stale hint (the source replaced after it was read) the
 * copy either fails with `PreconditionFailed` (a provider that used the hint pinned it) or copies
 * the current source (a provider that ignored it), never bytes of two versions.
 */
import type { ErrorCode, SourceHint } from '@partcopy/core';
import { check, checkBytes, checkEqual, expectError } from '../assertions.js';
import type { CheckContext } from '../check-context.js';
import { checkNoParts, complete, copyPart, putSource, type Source } from '../check-helpers.js';
import { defineChecks, RANGED_COPY_NEEDS, rangedCopyGate } from '../define-checks.js';
import { randomData } from '../test-data.js';

const SIZE = 100;
const gated = { gate: rangedCopyGate, needs: RANGED_COPY_NEEDS } as const;

async function hintOf(t: CheckContext, source: Source): Promise<SourceHint> {
  const head = await t.client.headObject({ bucket: source.bucket, key: source.key });
  const hint: SourceHint = { size: head.size, etag: head.etag, lastModified: head.lastModified };
  if (head.versionId !== undefined) hint.versionId = head.versionId;
  return hint;
}

/** Copies `range` into a one-part object, with or without the hint; returns its bytes. */
async function copiedBytes(t: CheckContext, source: Source, range: string | undefined, hint?: SourceHint) {
  const upload = await t.createUpload(t.key('dest'));
  const result = await copyPart(
    t,
    upload,
    1,
    { bucket: source.bucket, key: source.key },
    {
      ...(range === undefined ? {} : { copySourceRange: range }),
      ...(hint === undefined ? {} : { copySourceHint: hint }),
    },
  );
  await complete(t, upload, [{ partNumber: 1, etag: result.copyPartResult.etag }]);
  return { bytes: await t.read(upload.key, { bucket: upload.bucket }), bytesCopied: result.bytesCopied };
}

async function sameBytes(
  t: CheckContext,
  range: string | undefined,
  start: number,
  end: number,
): Promise<void> {
  const source = await putSource(t, SIZE);
  const hint = await hintOf(t, source);
  const plain = await copiedBytes(t, source, range);
  const hinted = await copiedBytes(t, source, range, hint);
  checkBytes(
    hinted.bytes,
    source.bytes.subarray(start, end + 1),
    `${range ?? 'whole source'} copied with a true hint`,
  );
  checkBytes(hinted.bytes, plain.bytes, `${range ?? 'whole source'}: with and without the hint`);
  checkEqual(hinted.bytesCopied, plain.bytesCopied, 'bytesCopied with and without the hint');
}

/** The same error code with and without a true hint, and no part either way. */
async function sameRefusal(
  t: CheckContext,
  build: (hint: SourceHint) => Record<string, unknown>,
  codes: ErrorCode[],
  what: string,
) {
  const source = await putSource(t, SIZE);
  const hint = await hintOf(t, source);
  const extra = build(hint);
  const codesSeen: ErrorCode[] = [];
  for (const withHint of [false, true]) {
    const upload = await t.createUpload(t.key('dest'));
    const error = await expectError(
      copyPart(
        t,
        upload,
        1,
        { bucket: source.bucket, key: source.key },
        {
          ...extra,
          ...(withHint ? { copySourceHint: hint } : {}),
        },
      ),
      codes,
      `${what} ${withHint ? 'with' : 'without'} a true hint`,
    );
    codesSeen.push(error.code);
    await checkNoParts(t, upload, what);
  }
  checkEqual(codesSeen[1], codesSeen[0], `${what}: error code with the hint (vs without)`);
}

export const sourceHintChecks = defineChecks('source-hint', [
  {
    id: 'source-hint.ranged-same-bytes',
    title: 'a ranged copy with a true hint copies the same bytes as without it',
    ...gated,
    run: (t) => sameBytes(t, 'bytes=17-83', 17, 83),
  },
  {
    id: 'source-hint.whole-same-bytes',
    title: 'a whole-source copy with a true hint copies the same bytes as without it',
    run: (t) => sameBytes(t, undefined, 0, SIZE - 1),
  },
  {
    id: 'source-hint.past-end-same-error',
    title: 'a range past the end is refused with the same code with and without a true hint',
    ...gated,
    run: (t) =>
      sameRefusal(
        t,
        () => ({ copySourceRange: `bytes=0-${SIZE}` }),
        t.tolerate.rangePastEndInvalidRange ? ['InvalidArgument', 'InvalidRange'] : ['InvalidArgument'],
        'bytes=0-100 of a 100-byte source',
      ),
  },
  {
    id: 'source-hint.condition-same-decision',
    title: 'copySourceIfNoneMatch of the current ETag → PreconditionFailed with and without a true hint',
    requires: ['copySourceIfNoneMatch'],
    run: (t) =>
      sameRefusal(
        t,
        (hint) => ({ copySourceIfNoneMatch: hint.etag }),
        ['PreconditionFailed'],
        'copySourceIfNoneMatch = ETag',
      ),
  },
  {
    id: 'source-hint.stale-never-mixes',
    title:
      'a stale hint (source replaced after it was read) → PreconditionFailed or the current bytes, never a mix',
    async run(t) {
      const source = await putSource(t, SIZE);
      const hint = await hintOf(t, source);
      const replacement = randomData(SIZE);
      await t.client.putObject({ bucket: source.bucket, key: source.key, body: replacement });
      const upload = await t.createUpload(t.key('dest'));
      try {
        const result = await copyPart(
          t,
          upload,
          1,
          { bucket: source.bucket, key: source.key },
          { copySourceHint: hint },
        );
        await complete(t, upload, [{ partNumber: 1, etag: result.copyPartResult.etag }]);
      } catch (error) {
        await expectError(Promise.reject(error), 'PreconditionFailed', 'a copy with a stale hint');
        await checkNoParts(t, upload, 'a copy refused for a stale hint');
        return;
      }
      const bytes = await t.read(upload.key, { bucket: upload.bucket });
      check(
        Buffer.from(bytes).equals(Buffer.from(replacement)),
        'a copy with a stale hint that succeeds must hold the current source bytes',
      );
    },
  },
]);
