/**
 * S3's conditional deletes (DeleteObject `If-Match`, `x-amz-if-match-last-modified-time`,
 * `x-amz-if-match-size`; the `ETag`, `LastModifiedTime` and `Size` of a DeleteObjects entry), for
 * providers that keep objects themselves.
 */
import { type ErrorContext, PartCopyError } from '../errors/part-copy-error.js';
import { etagMatches } from './etag.js';

/** The conditions of a delete, each checked against the version it would delete. */
export interface DeleteConditions {
  /** Delete only if the version has this ETag (`*`: any version, a delete marker included). */
  ifMatch?: string | undefined;
  /** Delete only if the version was last modified at this time (to the second). */
  ifMatchLastModifiedTime?: Date | undefined;
  /** Delete only if the version has this many bytes. */
  ifMatchSize?: number | undefined;
}

/**
 * Decides the delete conditions against what the delete would remove or hide: the named version,
 * or the key's current version (a delete marker has a time, no ETag and no size). As S3: nothing
 * there (no such key or version) is success, a delete being idempotent; a condition that does not
 * hold is `PreconditionFailed` (412), and nothing is deleted.
 */
export function evaluateDeleteConditions(
  target: { etag?: string; lastModified: Date; size?: number } | undefined,
  conditions: DeleteConditions,
  context: ErrorContext = {},
): void {
  if (target === undefined) return;
  const { ifMatch, ifMatchLastModifiedTime, ifMatchSize } = conditions;
  const holds =
    (ifMatch === undefined ||
      ifMatch.trim() === '*' ||
      (target.etag !== undefined && etagMatches(ifMatch, target.etag))) &&
    (ifMatchLastModifiedTime === undefined ||
      Math.floor(ifMatchLastModifiedTime.getTime() / 1000) ===
        Math.floor(target.lastModified.getTime() / 1000)) &&
    (ifMatchSize === undefined || target.size === ifMatchSize);
  if (holds) return;
  throw new PartCopyError(
    'PreconditionFailed',
    'At least one of the pre-conditions you specified did not hold',
    context,
  );
}

/** Whether a request carries any delete condition. */
export function hasDeleteConditions(conditions: DeleteConditions): boolean {
  return (
    conditions.ifMatch !== undefined ||
    conditions.ifMatchLastModifiedTime !== undefined ||
    conditions.ifMatchSize !== undefined
  );
}
