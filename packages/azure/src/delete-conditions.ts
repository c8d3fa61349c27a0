/**
 * S3's conditional deletes (If-Match, x-amz-if-match-last-modified-time, x-amz-if-match-size) on
 * a blob: decided with the core's rules on the blob's properties (partcopy's ETag is Azure's,
 * quoted), then the delete is pinned to the ETag they were decided on, so a write in between
 * fails it (412) instead of being deleted unchecked.
 */
import type { BlobClient, BlobDeleteOptions } from '@azure/storage-blob';
import {
  type DeleteConditions,
  type ErrorContext,
  evaluateDeleteConditions,
  hasDeleteConditions,
  PartCopyError,
  quoteEtag,
} from '@partcopy/core/provider';
import { azureCall } from './azure-runtime.js';

/** What the delete request carries after the conditions were decided, or `undefined`: nothing to delete. */
export async function decideDeleteConditions(
  blob: BlobClient,
  conditions: DeleteConditions,
  signal: AbortSignal,
  context: ErrorContext,
): Promise<Pick<BlobDeleteOptions, 'conditions'> | undefined> {
  if (!hasDeleteConditions(conditions)) return {};
  const props = await azureCall(signal, context, () => blob.getProperties({ abortSignal: signal })).catch(
    (error: unknown) => {
      if (PartCopyError.hasCode(error, 'NoSuchKey')) return undefined;
      throw error;
    },
  );
  const target =
    props?.lastModified === undefined
      ? undefined
      : {
          etag: quoteEtag(props.etag ?? ''),
          lastModified: props.lastModified,
          size: props.contentLength ?? 0,
        };
  evaluateDeleteConditions(target, conditions, context);
  // A conditional delete of nothing deletes nothing, as on the other stores.
  if (target === undefined) return undefined;
  return props?.etag === undefined ? {} : { conditions: { ifMatch: props.etag } };
}
