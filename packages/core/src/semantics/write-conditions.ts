/**
 * S3's conditional writes on a destination key (PutObject and CompleteMultipartUpload If-Match /
 * If-None-Match), for providers that publish objects themselves.
 */
import { type ErrorContext, PartCopyError } from '../errors/part-copy-error.js';
import { etagMatches } from './etag.js';

/** The destination conditions of a write. */
export interface WriteConditions {
  /** Write only if the current object has this ETag. */
  ifMatch?: string | undefined;
  /** `*`: write only if there is no current object. */
  ifNoneMatch?: string | undefined;
}

/**
 * When a condition is checked. Stores check twice: `before` the work starts, so a request bound
 * to fail does no work, and again at `publish`, in the step that makes the object visible. A
 * condition that held at first but fails at publication means another writer won the race.
 */
export type WritePhase = 'before' | 'publish';

/**
 * Decides the write conditions against the key's current object (`undefined` when there is
 * none, or the current version is a delete marker). As S3:
 * - `ifNoneMatch: '*'` and an object exists: `PreconditionFailed` (412).
 * - `ifMatch` and no object: `NoSuchKey` (404), per the S3 User Guide's conditional writes.
 * - `ifMatch` and another ETag: `PreconditionFailed` (412).
 * In the `publish` phase every failure is `ConditionalRequestConflict` (409).
 */
export function evaluateWriteConditions(
  current: { etag: string } | undefined,
  conditions: WriteConditions,
  phase: WritePhase,
  context: ErrorContext = {},
): void {
  const failure = writeConditionFailure(current, conditions);
  if (failure === undefined) return;
  if (phase === 'publish') {
    throw new PartCopyError(
      'ConditionalRequestConflict',
      'A conflicting operation occurred. If using PutObject you can retry the request. If using multipart upload you should initiate another CreateMultipartUpload request and re-upload each part.',
      context,
    );
  }
  if (failure === 'missing')
    throw new PartCopyError('NoSuchKey', 'The specified key does not exist.', context);
  throw new PartCopyError(
    'PreconditionFailed',
    'At least one of the pre-conditions you specified did not hold',
    context,
  );
}

function writeConditionFailure(
  current: { etag: string } | undefined,
  conditions: WriteConditions,
): 'missing' | 'failed' | undefined {
  if (
    conditions.ifNoneMatch !== undefined &&
    current !== undefined &&
    etagMatches(conditions.ifNoneMatch, current.etag)
  )
    return 'failed';
  if (conditions.ifMatch === undefined) return undefined;
  if (current === undefined) return 'missing';
  return etagMatches(conditions.ifMatch, current.etag) ? undefined : 'failed';
}
