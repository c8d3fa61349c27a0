/**
 * What every operation of the GCS provider shares: the JSON API transport and the SDK client,
 * the object and manifest stores, the staging names, the options and capabilities, and the one
 * wrapper through which every operation runs (abort check, error mapping with context).
 */
import type { Storage } from '@google-cloud/storage';
import {
  type Capabilities,
  type ErrorContext,
  type OperationContext,
  type OperationName,
  PartCopyError,
} from '@partcopy/core/provider';
import type { BucketVersioning } from './bucket-versioning.js';
import type { GcsProviderOptions } from './gcs-config.js';
import { type NotFoundMeaning, toPartCopyError } from './gcs-error-map.js';
import type { GcsJsonApi } from './gcs-json-api.js';
import type { ManifestStore } from './gcs-manifest.js';
import type { GcsObjectStore } from './gcs-object-store.js';
import type { StagingNames } from './gcs-staging-names.js';

export interface GcsRuntime {
  api: GcsJsonApi;
  storage: Storage;
  store: GcsObjectStore;
  manifests: ManifestStore;
  names: StagingNames;
  options: GcsProviderOptions;
  capabilities: Readonly<Capabilities>;
  /** Which buckets keep versions: version ids are reported only there. */
  versioning: BucketVersioning;
}

/** Runs one operation: fails fast when aborted, maps any error with the operation's context. */
export async function runGcs<T>(
  operation: OperationName,
  context: ErrorContext,
  ctx: OperationContext,
  meaning: NotFoundMeaning,
  fn: () => Promise<T>,
): Promise<T> {
  try {
    if (ctx.signal.aborted)
      throw new PartCopyError('RequestAborted', 'the operation was aborted before it started', {
        retryable: false,
      });
    return await fn();
  } catch (error) {
    throw toPartCopyError(error, { operation, ...context }, meaning, ctx.signal);
  }
}
