/**
 * conditions: the four copy-source conditions alone and together, decided as S3 decides them.
 * A condition that does not hold fails with `PreconditionFailed` (412, never 304) and creates no
 * part; one that holds copies the bytes. Dates are taken from the source's own lastModified (and
 * an hour before it), so no check depends on clocks agreeing.
 */
import type { CapabilityFlag, UploadPartCopyInput } from '@partcopy/core';
import { formatHttpDate, unquoteEtag } from '@partcopy/core/provider';
import { checkBytes, expectError } from '../assertions.js';
import type { CheckContext } from '../check-context.js';
import { checkNoParts, complete, copyPart, putSource } from '../check-helpers.js';
import type { CheckSpec } from '../define-checks.js';
import { defineChecks } from '../define-checks.js';
import { anyOffGate, offFlags } from '../switched-off.js';

type ConditionFields = Pick<
  UploadPartCopyInput,
  'copySourceIfMatch' | 'copySourceIfNoneMatch' | 'copySourceIfModifiedSince' | 'copySourceIfUnmodifiedSince'
>;

/** What a condition is built from: the source's ETag and dates around its lastModified. */
interface SourceState {
  etag: string;
  lastModified: Date;
  hourBefore: Date;
}

const OTHER_ETAG = '"0123456789abcdef0123456789abcdef"';

async function runCase(
  t: CheckContext,
  build: (s: SourceState) => ConditionFields,
  holds: boolean,
  label: string,
) {
  const source = await putSource(t, 64);
  const head = await t.client.headObject({ bucket: source.bucket, key: source.key });
  const state: SourceState = {
    etag: head.etag,
    lastModified: head.lastModified,
    hourBefore: new Date(head.lastModified.getTime() - 3_600_000),
  };
  const upload = await t.createUpload(t.key('dest'));
  const attempt = copyPart(t, upload, 1, { bucket: source.bucket, key: source.key }, build(state));
  if (!holds) {
    await expectError(attempt, 'PreconditionFailed', label, { status: true });
    await checkNoParts(t, upload, label);
    return;
  }
  const result = await attempt;
  await complete(t, upload, [{ partNumber: 1, etag: result.copyPartResult.etag }]);
  checkBytes(await t.read(upload.key), source.bytes, `${label}: copied object`);
}

function condition<const Id extends `conditions.${string}`>(
  id: Id,
  requires: readonly CapabilityFlag[],
  label: string,
  holds: boolean,
  build: (s: SourceState) => ConditionFields,
): CheckSpec<Id> {
  return {
    id,
    title: `${label} → ${holds ? 'copies' : 'PreconditionFailed (412), no part'}`,
    requires,
    run: (t) => runCase(t, build, holds, label),
  };
}

const MATCH = ['copySourceIfMatch'] as const;
const NONE = ['copySourceIfNoneMatch'] as const;
const MODIFIED = ['copySourceIfModifiedSince'] as const;
const UNMODIFIED = ['copySourceIfUnmodifiedSince'] as const;
const ALL = [...MATCH, ...NONE, ...MODIFIED, ...UNMODIFIED] as const;

/** A condition that holds, per flag: if it were ignored instead of refused, the copy would pass. */
const HOLDING: Record<(typeof ALL)[number], (s: SourceState) => ConditionFields> = {
  copySourceIfMatch: (s) => ({ copySourceIfMatch: s.etag }),
  copySourceIfNoneMatch: () => ({ copySourceIfNoneMatch: OTHER_ETAG }),
  copySourceIfModifiedSince: (s) => ({ copySourceIfModifiedSince: s.hourBefore }),
  copySourceIfUnmodifiedSince: (s) => ({ copySourceIfUnmodifiedSince: s.lastModified }),
};

export const conditionsChecks = defineChecks('conditions', [
  {
    id: 'conditions.switched-off-refused',
    title: 'a source condition whose capability is off → Unsupported, no part (never silently ignored)',
    gate: anyOffGate(ALL),
    needs: 'a copySourceIf* capability off',
    async run(t) {
      const source = await putSource(t, 16);
      const head = await t.client.headObject({ bucket: source.bucket, key: source.key });
      const state = {
        etag: head.etag,
        lastModified: head.lastModified,
        hourBefore: new Date(head.lastModified.getTime() - 3_600_000),
      };
      const upload = await t.createUpload(t.key('dest'));
      for (const flag of offFlags(t.capabilities, ALL)) {
        await expectError(
          copyPart(t, upload, 1, { bucket: source.bucket, key: source.key }, HOLDING[flag](state)),
          'Unsupported',
          `${flag} while the capability is off`,
        );
      }
      await checkNoParts(t, upload, 'refused conditions');
    },
  },
  condition('conditions.if-match-quoted', MATCH, 'copySourceIfMatch = the quoted ETag', true, (s) => ({
    copySourceIfMatch: s.etag,
  })),
  condition('conditions.if-match-unquoted', MATCH, 'copySourceIfMatch = the unquoted ETag', true, (s) => ({
    copySourceIfMatch: unquoteEtag(s.etag),
  })),
  condition('conditions.if-match-false', MATCH, 'copySourceIfMatch = another ETag', false, () => ({
    copySourceIfMatch: OTHER_ETAG,
  })),
  condition('conditions.if-match-list-hit', MATCH, 'copySourceIfMatch = [other, the ETag]', true, (s) => ({
    copySourceIfMatch: [OTHER_ETAG, s.etag],
  })),
  condition('conditions.if-match-list-miss', MATCH, 'copySourceIfMatch = [other, other]', false, () => ({
    copySourceIfMatch: [OTHER_ETAG, '"fedcba9876543210fedcba9876543210"'],
  })),
  condition('conditions.if-match-star', MATCH, 'copySourceIfMatch = *', true, () => ({
    copySourceIfMatch: '*',
  })),
  condition('conditions.if-none-match-true', NONE, 'copySourceIfNoneMatch = another ETag', true, () => ({
    copySourceIfNoneMatch: OTHER_ETAG,
  })),
  condition(
    'conditions.if-none-match-false',
    NONE,
    'copySourceIfNoneMatch = the quoted ETag',
    false,
    (s) => ({
      copySourceIfNoneMatch: s.etag,
    }),
  ),
  condition(
    'conditions.if-none-match-unquoted-false',
    NONE,
    'copySourceIfNoneMatch = the unquoted ETag',
    false,
    (s) => ({
      copySourceIfNoneMatch: unquoteEtag(s.etag),
    }),
  ),
  condition(
    'conditions.if-none-match-list-hit',
    NONE,
    'copySourceIfNoneMatch = [other, the ETag]',
    false,
    (s) => ({
      copySourceIfNoneMatch: [OTHER_ETAG, s.etag],
    }),
  ),
  condition(
    'conditions.if-none-match-star',
    NONE,
    'copySourceIfNoneMatch = * (the source exists)',
    false,
    () => ({
      copySourceIfNoneMatch: '*',
    }),
  ),
  condition(
    'conditions.if-modified-since-true',
    MODIFIED,
    'copySourceIfModifiedSince = an hour before lastModified (Date)',
    true,
    (s) => ({
      copySourceIfModifiedSince: s.hourBefore,
    }),
  ),
  condition(
    'conditions.if-modified-since-false',
    MODIFIED,
    'copySourceIfModifiedSince = lastModified (Date)',
    false,
    (s) => ({
      copySourceIfModifiedSince: s.lastModified,
    }),
  ),
  condition(
    'conditions.if-modified-since-http-date-true',
    MODIFIED,
    'copySourceIfModifiedSince = an hour before (HTTP-date)',
    true,
    (s) => ({
      copySourceIfModifiedSince: formatHttpDate(s.hourBefore),
    }),
  ),
  condition(
    'conditions.if-modified-since-http-date-false',
    MODIFIED,
    'copySourceIfModifiedSince = lastModified (HTTP-date)',
    false,
    (s) => ({
      copySourceIfModifiedSince: formatHttpDate(s.lastModified),
    }),
  ),
  condition(
    'conditions.if-unmodified-since-true',
    UNMODIFIED,
    'copySourceIfUnmodifiedSince = lastModified (Date)',
    true,
    (s) => ({
      copySourceIfUnmodifiedSince: s.lastModified,
    }),
  ),
  condition(
    'conditions.if-unmodified-since-false',
    UNMODIFIED,
    'copySourceIfUnmodifiedSince = an hour before (Date)',
    false,
    (s) => ({
      copySourceIfUnmodifiedSince: s.hourBefore,
    }),
  ),
  condition(
    'conditions.if-unmodified-since-http-date-true',
    UNMODIFIED,
    'copySourceIfUnmodifiedSince = lastModified (HTTP-date)',
    true,
    (s) => ({
      copySourceIfUnmodifiedSince: formatHttpDate(s.lastModified),
    }),
  ),
  condition(
    'conditions.if-unmodified-since-http-date-false',
    UNMODIFIED,
    'copySourceIfUnmodifiedSince = an hour before (HTTP-date)',
    false,
    (s) => ({
      copySourceIfUnmodifiedSince: formatHttpDate(s.hourBefore),
    }),
  ),
  condition(
    'conditions.precedence-match-over-unmodified',
    [...MATCH, ...UNMODIFIED],
    'copySourceIfMatch true + copySourceIfUnmodifiedSince false (S3: proceeds)',
    true,
    (s) => ({ copySourceIfMatch: s.etag, copySourceIfUnmodifiedSince: s.hourBefore }),
  ),
  condition(
    'conditions.precedence-none-match-over-modified',
    [...NONE, ...MODIFIED],
    'copySourceIfNoneMatch false + copySourceIfModifiedSince true (S3: 412)',
    false,
    (s) => ({ copySourceIfNoneMatch: s.etag, copySourceIfModifiedSince: s.hourBefore }),
  ),
]);
