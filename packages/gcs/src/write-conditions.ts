import {
  type CompleteMultipartUploadRequest,
  type ErrorContext,
  evaluateWriteConditions,
} from '@partcopy/core/provider';
import { gcsEtag } from './gcs-etag.js';
import type { GcsObjectStore } from './gcs-object-store.js';

/**
 * S3's conditional write (completion, putObject, copies) as a generation precondition, decided
 * with the core's rules on partcopy's ETag: the current object is read and the conditions decided
 * on it first, so a write bound to fail does no work and fails as S3 does (also where a server
 * does not enforce compose preconditions, as fake-gcs-server); then the write is pinned to the
 * generation they were decided on (0 when there was none), so a concurrent write fails it instead
 * of being replaced.
 */
export async function destinationPrecondition(
  deps: { store: GcsObjectStore },
  request: Pick<CompleteMultipartUploadRequest, 'bucket' | 'key' | 'ifMatch' | 'ifNoneMatch'>,
  signal: AbortSignal,
  context: ErrorContext,
): Promise<string | undefined> {
  const { ifMatch, ifNoneMatch } = request;
  if (ifMatch === undefined && ifNoneMatch === undefined) return undefined;
  const current =
    ifMatch === undefined
      ? await deps.store.find(request.bucket, request.key, signal)
      : await deps.store.get(request.bucket, request.key, signal, { missing: 'NoSuchKey', context });
  evaluateWriteConditions(
    current === undefined ? undefined : { etag: gcsEtag(current) },
    { ifMatch, ifNoneMatch },
    'before',
    context,
  );
  return current?.generation ?? '0';
}
