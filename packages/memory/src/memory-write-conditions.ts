/**
 * S3 conditional writes on a destination key (PutObject and CompleteMultipartUpload If-Match /
 * If-None-Match). They are checked twice: before the work starts, so a request bound to fail
 * does no work, and again in the same synchronous step that publishes the object. A condition
 * that held at first but fails at publication means another writer won the race: S3 answers that
 * with 409 `ConditionalRequestConflict`.
 */
import type { ErrorContext } from '@partcopy/core';
import { etagMatches } from '@partcopy/core';
import { memoryError } from './memory-errors.js';
import type { MemoryBucket } from './memory-store.js';
import { currentObject } from './memory-versions.js';

export interface WriteConditions {
  /** Write only if the current object has this ETag. */
  ifMatch?: string;
  /** `*`: write only if there is no current object. */
  ifNoneMatch?: string;
}

/** When the check runs: before the work (412 / 404) or at publication (409 on a lost race). */
export type WritePhase = 'before' | 'publish';

/**
 * - `ifNoneMatch: '*'` and an object exists: `PreconditionFailed` (412).
 * - `ifMatch` and no object exists (or the current version is a delete marker): `NoSuchKey`
 *   (404), as the S3 User Guide's "conditional write behavior" describes.
 * - `ifMatch` and another ETag: `PreconditionFailed` (412).
 * In the `publish` phase every failure is `ConditionalRequestConflict` (409).
 */
export function checkWriteConditions(
  bucket: MemoryBucket,
  key: string,
  conditions: WriteConditions,
  phase: WritePhase,
  context: ErrorContext,
): void {
  const failure = writeConditionFailure(bucket, key, conditions);
  if (failure === undefined) return;
  if (phase === 'publish') {
    throw memoryError(
      'ConditionalRequestConflict',
      'A conflicting operation occurred. If using PutObject you can retry the request. If using multipart upload you should initiate another CreateMultipartUpload request and re-upload each part.',
      context,
    );
  }
  if (failure === 'missing') throw memoryError('NoSuchKey', 'The specified key does not exist.', context);
  throw memoryError(
    'PreconditionFailed',
    'At least one of the pre-conditions you specified did not hold',
    context,
  );
}

function writeConditionFailure(
  bucket: MemoryBucket,
  key: string,
  conditions: WriteConditions,
): 'missing' | 'failed' | undefined {
  const current = currentObject(bucket, key);
  if (conditions.ifNoneMatch !== undefined && current !== undefined) return 'failed';
  if (conditions.ifMatch !== undefined) {
    if (current === undefined) return 'missing';
    if (!etagMatches(conditions.ifMatch, current.etag)) return 'failed';
  }
  return undefined;
}
