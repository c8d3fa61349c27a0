import { type ErrorContext, PartCopyError } from '@partcopy/core/provider';
import { toPartCopyError } from './gcs-error-map.js';
import type { GcsObjectStore } from './gcs-object-store.js';
import type { StagingNames } from './gcs-staging-names.js';

/**
 * Deletes everything an upload staged (every generation, so versioned buckets keep nothing),
 * the manifest last so a failed clean-up can be finished by abortMultipartUpload.
 */
export async function removeStaging(
  deps: { store: GcsObjectStore; names: StagingNames },
  bucket: string,
  uploadId: string,
  signal: AbortSignal,
  context: ErrorContext,
  whatHappened: string,
): Promise<void> {
  const staged = await deps.store.listAll(bucket, deps.names.uploadPrefix(uploadId), signal, {
    versions: true,
  });
  const failures = await deps.store.deleteAll(bucket, staged, signal);
  if (failures.length === 0) {
    const manifests = await deps.store.listAll(bucket, deps.names.manifest(uploadId), signal, {
      versions: true,
    });
    const exact = manifests.filter((object) => object.name === deps.names.manifest(uploadId));
    failures.push(...(await deps.store.deleteAll(bucket, exact, signal)));
  }
  if (failures.length === 0) return;
  const first = failures[0];
  const mapped = toPartCopyError(first, context);
  const reason =
    mapped.code === 'InvalidObjectState'
      ? 'a retention policy or object hold on the bucket blocks their deletion'
      : `deletion failed with ${mapped.code}: ${mapped.message}`;
  throw new PartCopyError(
    mapped.code,
    `${whatHappened}, but ${failures.length} staged object(s) under ${deps.names.uploadPrefix(uploadId)} could not be deleted (${reason}); abortMultipartUpload retries the clean-up once that is resolved`,
    { ...context, cause: first, status: mapped.status, retryable: mapped.retryable },
  );
}
