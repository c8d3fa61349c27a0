/**
 * ranges: `copySourceRange` as S3 reads `x-amz-copy-source-range`: one closed, inclusive,
 * zero-based range; anything else `InvalidArgument`; past the end `InvalidArgument` naming the
 * source size (or `InvalidRange` where the suite tolerates a server answering 416).
 */
import type { ByteRangeInput, ErrorCode } from '@partcopy/core';
import { check, checkBytes, checkEqual, expectError } from '../assertions.js';
import type { CheckContext } from '../check-context.js';
import { checkNoParts, complete, copyAsSinglePart, copyPart, partSize, putSource } from '../check-helpers.js';
import type { CheckSpec } from '../define-checks.js';
import { defineChecks, RANGED_COPY_NEEDS, rangedCopyGate } from '../define-checks.js';
import { concatBytes, randomData } from '../test-data.js';

const SIZE = 100;

/** Copies `range` of a fresh 100-byte source as a one-part object and compares the bytes. */
async function checkRange(
  t: CheckContext,
  range: ByteRangeInput | undefined,
  start: number,
  end: number,
): Promise<void> {
  const source = await putSource(t, SIZE);
  const { bytes, result } = await copyAsSinglePart(t, { bucket: source.bucket, key: source.key }, range);
  checkBytes(
    bytes,
    source.bytes.subarray(start, end + 1),
    `object copied from ${JSON.stringify(range) ?? 'no range'}`,
  );
  checkEqual(result.bytesCopied, end - start + 1, 'uploadPartCopy: bytesCopied');
}

/** A malformed range is refused with InvalidArgument and creates no part. */
function malformed<const Id extends `ranges.${string}`>(
  id: Id,
  range: unknown,
  label: string,
): CheckSpec<Id> {
  return {
    id,
    title: `${label} → InvalidArgument, no part created`,
    async run(t) {
      const source = await putSource(t, SIZE);
      const upload = await t.createUpload(t.key('dest'));
      await expectError(
        copyPart(
          t,
          upload,
          1,
          { bucket: source.bucket, key: source.key },
          { copySourceRange: range as ByteRangeInput },
        ),
        'InvalidArgument',
        `copySourceRange ${label}`,
      );
      await checkNoParts(t, upload, label);
    },
  };
}

function pastEndCodes(t: CheckContext): ErrorCode[] {
  return t.tolerate.rangePastEndInvalidRange ? ['InvalidArgument', 'InvalidRange'] : ['InvalidArgument'];
}

/** A range reaching past the source's end fails; an InvalidArgument names the source size. */
async function checkPastEnd(t: CheckContext, range: ByteRangeInput, label: string): Promise<void> {
  const source = await putSource(t, SIZE);
  const upload = await t.createUpload(t.key('dest'));
  const error = await expectError(
    copyPart(t, upload, 1, { bucket: source.bucket, key: source.key }, { copySourceRange: range }),
    pastEndCodes(t),
    `copySourceRange ${label} of a ${SIZE}-byte source`,
  );
  if (error.code === 'InvalidArgument') {
    check(
      namesSourceSize(error.message, range),
      `the InvalidArgument message must name the source size (${SIZE}): "${error.message}"`,
    );
  }
  await checkNoParts(t, upload, label);
}

// Both past-end ranges contain the size's digits (`0-100`, `100-101`), so a message that only
// echoes the range would look as if it named the size: drop the echoed range first.
function namesSourceSize(message: string, range: ByteRangeInput): boolean {
  const echoed = typeof range === 'string' ? range.replace(/^bytes=/, '') : `${range.start}-${range.end}`;
  return new RegExp(`(?<!\\d)${SIZE}(?!\\d)`).test(message.replaceAll(echoed, ''));
}

const gated = { gate: rangedCopyGate, needs: RANGED_COPY_NEEDS } as const;

export const rangesChecks = defineChecks('ranges', [
  {
    id: 'ranges.first-byte',
    title: 'bytes=0-0 copies the first byte',
    ...gated,
    run: (t) => checkRange(t, 'bytes=0-0', 0, 0),
  },
  {
    id: 'ranges.last-byte',
    title: 'bytes=99-99 of 100 copies the last byte',
    ...gated,
    run: (t) => checkRange(t, 'bytes=99-99', 99, 99),
  },
  {
    id: 'ranges.middle-byte',
    title: 'bytes=50-50 copies one byte in the middle',
    ...gated,
    run: (t) => checkRange(t, 'bytes=50-50', 50, 50),
  },
  {
    id: 'ranges.inner-span',
    title: 'bytes=17-83 copies exactly those bytes',
    ...gated,
    run: (t) => checkRange(t, 'bytes=17-83', 17, 83),
  },
  {
    id: 'ranges.structured',
    title: '{ start: 3, end: 42 } copies the same bytes as bytes=3-42',
    ...gated,
    run: (t) => checkRange(t, { start: 3, end: 42 }, 3, 42),
  },
  {
    id: 'ranges.whole-no-range',
    title: 'no range copies the whole source',
    run: (t) => checkRange(t, undefined, 0, SIZE - 1),
  },
  {
    id: 'ranges.whole-explicit',
    title: 'bytes=0-99 of a 100-byte source copies the whole source',
    run: (t) => checkRange(t, 'bytes=0-99', 0, SIZE - 1),
  },
  {
    id: 'ranges.across-part-boundaries',
    title: 'ranges across the part boundaries of a multipart-completed source copy the right bytes',
    ...gated,
    async run(t) {
      const size = partSize(t);
      const pieces = [randomData(size), randomData(size), randomData(7)];
      const sourceUpload = await t.createUpload(t.key('source'));
      const parts = [];
      for (const [index, body] of pieces.entries()) {
        const part = await t.client.uploadPart({ ...sourceUpload, partNumber: index + 1, body });
        parts.push({ partNumber: index + 1, etag: part.etag });
      }
      await complete(t, sourceUpload, parts);
      const whole = concatBytes(...pieces);
      const src = { bucket: t.bucket, key: sourceUpload.key };
      const spans: Array<[number, number]> = [
        [Math.max(0, size - 3), size + 2], // across the first boundary
        [Math.max(0, size - 1), 2 * size + 3], // first boundary to inside the last part
        [0, whole.length - 1], // everything, as an explicit range
      ];
      // Each span becomes its own one-part object: copied parts may be under minPartSize.
      for (const [start, end] of spans) {
        const single = await t.createUpload(t.key('dest'));
        const result = await copyPart(t, single, 1, src, { copySourceRange: `bytes=${start}-${end}` });
        await complete(t, single, [{ partNumber: 1, etag: result.copyPartResult.etag }]);
        checkBytes(
          await t.read(single.key),
          whole.subarray(start, end + 1),
          `bytes=${start}-${end} of the multipart source`,
        );
      }
    },
  },
  malformed('ranges.malformed-suffix', 'bytes=-5', 'bytes=-5 (suffix)'),
  malformed('ranges.malformed-open', 'bytes=5-', 'bytes=5- (open)'),
  malformed('ranges.malformed-multiple', 'bytes=1-2,4-5', 'bytes=1-2,4-5 (two ranges)'),
  malformed('ranges.malformed-reversed', 'bytes=5-1', 'bytes=5-1 (last before first)'),
  malformed('ranges.malformed-unit', 'items=0-1', 'items=0-1 (not bytes)'),
  malformed('ranges.malformed-negative-start', { start: -1, end: 3 }, '{ start: -1, end: 3 }'),
  malformed('ranges.malformed-fraction', { start: 0.5, end: 3 }, '{ start: 0.5, end: 3 }'),
  {
    id: 'ranges.past-end',
    title: 'bytes=0-100 of a 100-byte source → InvalidArgument naming the size (no part created)',
    ...gated,
    run: (t) => checkPastEnd(t, 'bytes=0-100', 'bytes=0-100'),
  },
  {
    id: 'ranges.start-past-end',
    title: 'bytes=100-101 of a 100-byte source → InvalidArgument naming the size (no part created)',
    ...gated,
    run: (t) => checkPastEnd(t, 'bytes=100-101', 'bytes=100-101'),
  },
]);
