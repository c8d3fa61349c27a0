import type { CopySourceConditions } from '../contract/types.js';
import { type ErrorContext, PartCopyError } from '../errors/part-copy-error.js';
import { etagMatches } from './etag.js';
import { toHttpSeconds } from './http-date.js';

/** What a condition is evaluated against: the source object's current state. */
export interface ConditionTarget {
  etag: string;
  lastModified: Date;
}

/** Which condition decided, for messages and tests. */
export type ConditionOutcome =
  | { ok: true }
  | { ok: false; failed: 'ifMatch' | 'ifNoneMatch' | 'ifModifiedSince' | 'ifUnmodifiedSince' };

/**
 * Decides S3's copy-source conditions (RFC 9110 §13.2.2 order, as S3 applies it):
 * 1. `ifMatch` present: the ETag must be in the list; when it is, `ifUnmodifiedSince` is ignored
 *    (S3: if-match true and if-unmodified-since false, the copy proceeds).
 * 2. Otherwise `ifUnmodifiedSince`: the source must not be newer than the date.
 * 3. `ifNoneMatch` present: the ETag must be in none of the list; when it is in it, the copy
 *    fails whatever `ifModifiedSince` says (S3: if-none-match false and if-modified-since true
 *    is 412); when it is in none, `ifModifiedSince` is ignored.
 * 4. Otherwise `ifModifiedSince`: the source must be newer than the date.
 * Dates compare at one-second resolution. Copy requests answer 412, never 304.
 */
export function decideCopySourceConditions(
  conditions: CopySourceConditions,
  target: ConditionTarget,
): ConditionOutcome {
  const modified = toHttpSeconds(target.lastModified);
  if (conditions.ifMatch !== undefined) {
    if (!conditions.ifMatch.some((etag) => etagMatches(etag, target.etag)))
      return { ok: false, failed: 'ifMatch' };
  } else if (conditions.ifUnmodifiedSince !== undefined) {
    if (modified > toHttpSeconds(conditions.ifUnmodifiedSince))
      return { ok: false, failed: 'ifUnmodifiedSince' };
  }
  if (conditions.ifNoneMatch !== undefined) {
    if (conditions.ifNoneMatch.some((etag) => etagMatches(etag, target.etag)))
      return { ok: false, failed: 'ifNoneMatch' };
  } else if (conditions.ifModifiedSince !== undefined) {
    if (modified <= toHttpSeconds(conditions.ifModifiedSince))
      return { ok: false, failed: 'ifModifiedSince' };
  }
  return { ok: true };
}

const DESCRIPTIONS = {
  ifMatch: 'copySourceIfMatch: the source ETag is not one of the given ETags',
  ifNoneMatch: 'copySourceIfNoneMatch: the source ETag matches one of the given ETags',
  ifModifiedSince: 'copySourceIfModifiedSince: the source has not been modified since the given date',
  ifUnmodifiedSince: 'copySourceIfUnmodifiedSince: the source has been modified since the given date',
} as const;

/** Like {@link decideCopySourceConditions} but throws S3's `PreconditionFailed` (412). */
export function evaluateCopySourceConditions(
  conditions: CopySourceConditions,
  target: ConditionTarget,
  context: ErrorContext = {},
): void {
  const outcome = decideCopySourceConditions(conditions, target);
  if (!outcome.ok) {
    throw new PartCopyError(
      'PreconditionFailed',
      `At least one of the pre-conditions you specified did not hold (${DESCRIPTIONS[outcome.failed]})`,
      context,
    );
  }
}

/** True when any source condition is set. */
export function hasConditions(conditions: CopySourceConditions): boolean {
  return (
    conditions.ifMatch !== undefined ||
    conditions.ifNoneMatch !== undefined ||
    conditions.ifModifiedSince !== undefined ||
    conditions.ifUnmodifiedSince !== undefined
  );
}
