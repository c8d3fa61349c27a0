import {
  type CompleteMultipartUploadRequest,
  type ErrorContext,
  etagMatches,
  PartCopyError,
} from '@partcopy/core/provider';
import { gcsEtag } from './gcs-etag.js';
import type { GcsObjectStore } from './gcs-object-store.js';

/**
 * S3's conditional write (completion, putObject) as a generation precondition:
 * `If-None-Match: *` is "must not exist" (0); `If-Match` is decided on partcopy's ETag and
 * pinned to the generation it was decided on, so a concurrent overwrite fails the write instead
 * of being replaced.
 */
export async function destinationPrecondition(
  deps: { store: GcsObjectStore },
  request: Pick<CompleteMultipartUploadRequest, 'bucket' | 'key' | 'ifMatch' | 'ifNoneMatch'>,
  signal: AbortSignal,
  context: ErrorContext,
): Promise<string | undefined> {
  if (request.ifNoneMatch !== undefined) return '0';
  if (request.ifMatch === undefined) return undefined;
  const current = await deps.store.get(request.bucket, request.key, signal, {
    missing: 'NoSuchKey',
    context,
  });
  if (!etagMatches(request.ifMatch, gcsEtag(current))) {
    throw new PartCopyError(
      'PreconditionFailed',
      'At least one of the pre-conditions you specified did not hold (If-Match)',
      context,
    );
  }
  return current.generation;
}
