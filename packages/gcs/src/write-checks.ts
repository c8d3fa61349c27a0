/** Checks a new object or upload passes before anything is written: its key and storage class. */
import { type ErrorContext, PartCopyError } from '@partcopy/core/provider';
import { GCS_PROVIDER_NAME } from './gcs-error-map.js';
import type { StagingNames } from './gcs-staging-names.js';

const GCS_STORAGE_CLASSES = new Set([
  'STANDARD',
  'NEARLINE',
  'COLDLINE',
  'ARCHIVE',
  'MULTI_REGIONAL',
  'REGIONAL',
  'DURABLE_REDUCED_AVAILABILITY',
]);

/**
 * GCS storage classes only (S3's names other than STANDARD have no exact GCS match): checked
 * up front so a bad class fails at createMultipartUpload, not at completion.
 * https://cloud.google.com/storage/docs/storage-classes
 */
export function checkStorageClass(storageClass: string | undefined, context: ErrorContext): void {
  if (storageClass === undefined || GCS_STORAGE_CLASSES.has(storageClass)) return;
  throw new PartCopyError(
    'InvalidArgument',
    `storageClass "${storageClass}" is not a GCS storage class (${[...GCS_STORAGE_CLASSES].join(', ')})`,
    { provider: GCS_PROVIDER_NAME, ...context },
  );
}

/** Keys under the staging prefix belong to partcopy's uploads. */
export function refuseReserved(names: StagingNames, key: string, context: ErrorContext): void {
  if (names.isReserved(key)) {
    throw new PartCopyError(
      'InvalidArgument',
      `keys under "${names.prefix}" are reserved for partcopy's staging objects`,
      context,
    );
  }
}
