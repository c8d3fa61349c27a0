/**
 * S3's conditional writes (If-Match / If-None-Match) on a destination key, for putObject and
 * completion. Checked first on the blob's properties, so a request bound to fail costs nothing
 * and fails as S3 does (412, or 404 `NoSuchKey` for If-Match on a missing key); then enforced by
 * Azure on the write itself, where a failure means another writer won the race: S3's 409
 * `ConditionalRequestConflict`.
 */
import type { BlobRequestConditions, BlockBlobClient } from '@azure/storage-blob';
import { type ErrorContext, evaluateWriteConditions, PartCopyError } from '@partcopy/core/provider';
import { azureCall } from './azure-runtime.js';

export interface WriteConditions {
  ifMatch?: string;
  ifNoneMatch?: string;
}

export function hasWriteConditions(conditions: WriteConditions): boolean {
  return conditions.ifMatch !== undefined || conditions.ifNoneMatch !== undefined;
}

/**
 * The check before the work, with S3's rules (the core's, as every store): If-None-Match names
 * `*` or an ETag that must not be the current one; If-Match one that must be.
 */
export async function checkWriteConditions(
  blob: BlockBlobClient,
  conditions: WriteConditions,
  signal: AbortSignal,
  context: ErrorContext,
): Promise<void> {
  if (!hasWriteConditions(conditions)) return;
  const etag = await currentEtag(blob, signal, context);
  evaluateWriteConditions(etag === undefined ? undefined : { etag }, conditions, 'before', context);
}

/** Conditions for the write request itself. */
export function azureWriteConditions(conditions: WriteConditions): BlobRequestConditions {
  const out: BlobRequestConditions = {};
  if (conditions.ifMatch !== undefined) out.ifMatch = conditions.ifMatch;
  if (conditions.ifNoneMatch !== undefined) out.ifNoneMatch = conditions.ifNoneMatch;
  return out;
}

/** Turns a condition failure at publication into S3's race answer. */
export function publicationError(
  error: unknown,
  conditions: WriteConditions,
  context: ErrorContext,
): unknown {
  if (!hasWriteConditions(conditions) || !PartCopyError.hasCode(error, 'PreconditionFailed')) return error;
  return new PartCopyError(
    'ConditionalRequestConflict',
    'A conflicting operation occurred: the destination changed while the write was in progress. Retry the request.',
    { ...context, retryable: true, providerCode: error.providerCode, cause: error },
  );
}

async function currentEtag(
  blob: BlockBlobClient,
  signal: AbortSignal,
  context: ErrorContext,
): Promise<string | undefined> {
  try {
    const props = await azureCall(signal, context, () => blob.getProperties({ abortSignal: signal }));
    return props.etag;
  } catch (error) {
    if (PartCopyError.hasCode(error, 'NoSuchKey')) return undefined;
    throw error;
  }
}
