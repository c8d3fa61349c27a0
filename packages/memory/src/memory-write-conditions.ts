/**
 * S3 conditional writes on a destination key, decided by core's `evaluateWriteConditions`. The
 * memory store checks them twice: before the work starts, and again in the same synchronous step
 * that publishes the object, so a writer that won the race meanwhile gives S3's 409
 * `ConditionalRequestConflict`.
 */
import type { ErrorContext, WriteConditions, WritePhase } from '@partcopy/core/provider';
import { evaluateWriteConditions } from '@partcopy/core/provider';
import type { MemoryBucket } from './memory-store.js';
import { currentObject } from './memory-versions.js';

/** Checks `conditions` against the key's current object in `bucket` (a delete marker is none). */
export function checkWriteConditions(
  bucket: MemoryBucket,
  key: string,
  conditions: WriteConditions,
  phase: WritePhase,
  context: ErrorContext,
): void {
  evaluateWriteConditions(currentObject(bucket, key), conditions, phase, context);
}
