/**
 * One part of a server-side pull: the source signs a read URL for the part's bytes, the
 * destination's server fetches them (Azure Put Block From URL). No payload byte passes through
 * this process. Both calls go through the clients' facades (capability checks, retries, events,
 * error context); the signed URL is a secret that the facade never puts in an event or error.
 */
import type { PartCopyClient } from '../../client/part-copy-client.js';
import type { UploadPartFromUrlResult } from '../../contract/provider-contract.js';
import type { PlannedPart } from '../part-plan.js';
import type { PinnedRead } from './stream-part.js';

/** Signs the part's range and has the destination fetch it. */
export async function pullPart(
  source: PinnedRead,
  destination: { client: PartCopyClient; bucket: string; key: string; uploadId: string },
  part: PlannedPart,
  expiresInSeconds: number,
  signal: AbortSignal,
): Promise<UploadPartFromUrlResult> {
  const presigned = await source.client.presignGetObject({
    bucket: source.bucket,
    key: source.key,
    ...(source.versionId === undefined ? {} : { versionId: source.versionId }),
    range: part.range,
    expiresInSeconds,
    abortSignal: signal,
  });
  // An ETag is the store's own notion: only a store of the same kind can enforce it on the fetch.
  const sameKind = source.client.provider.name === destination.client.provider.name;
  return destination.client.uploadPartFromUrl({
    bucket: destination.bucket,
    key: destination.key,
    uploadId: destination.uploadId,
    partNumber: part.partNumber,
    sourceUrl: presigned.url,
    range: part.range,
    ...(sameKind ? { sourceIfMatch: source.etag } : {}),
    abortSignal: signal,
  });
}
