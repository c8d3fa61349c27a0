/**
 * S3's conditional deletes (If-Match, x-amz-if-match-last-modified-time, x-amz-if-match-size) on
 * GCS: decided with the core's rules on the object (or the generation named), then the delete is
 * pinned to the generation they were decided on (`ifGenerationMatch`), so a write in between
 * fails it (412) instead of being deleted unchecked.
 */
import {
  type DeleteConditions,
  type ErrorContext,
  evaluateDeleteConditions,
  hasDeleteConditions,
  PartCopyError,
} from '@partcopy/core/provider';
import { gcsEtag } from './gcs-etag.js';
import type { GcsObjectStore } from './gcs-object-store.js';

/** The query pinning the delete, or `undefined` when there is nothing to delete. */
export async function decideDeleteConditions(
  store: GcsObjectStore,
  where: { bucket: string; key: string; generation: string | undefined },
  conditions: DeleteConditions,
  signal: AbortSignal,
  context: ErrorContext,
): Promise<{ ifGenerationMatch?: string } | undefined> {
  if (!hasDeleteConditions(conditions)) return {};
  const target = await store
    .get(where.bucket, where.key, signal, { generation: where.generation, missing: 'NoSuchKey', context })
    .catch((error: unknown) => {
      if (PartCopyError.hasCode(error, 'NoSuchKey')) return undefined;
      throw error;
    });
  evaluateDeleteConditions(
    target && { etag: gcsEtag(target), lastModified: new Date(target.updated), size: Number(target.size) },
    conditions,
    context,
  );
  // A conditional delete of nothing deletes nothing, as on the other stores.
  return target === undefined ? undefined : { ifGenerationMatch: target.generation };
}
