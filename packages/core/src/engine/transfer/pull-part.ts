/**
 * One part of a server-side pull: the source signs a read URL for the part's bytes, the
 * destination's server fetches them (Azure Put Block From URL). No payload byte passes through
 * this process. The signed URL is a secret: it goes to the provider call only, and any error that
 * quotes it is redacted by PartCopyError itself.
 */
import type { PartCopyClient } from '../../client/part-copy-client.js';
import type { UploadPartFromUrlResult } from '../../contract/provider-contract.js';
import { PartCopyError } from '../../errors/part-copy-error.js';
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
  const src = source.client.provider;
  const dst = destination.client.provider;
  if (!src.presignGetObject || !dst.uploadPartFromUrl)
    throw new PartCopyError('Unsupported', 'a server-side pull needs presignGetObject and uploadPartFromUrl');
  const presigned = await src.presignGetObject(
    {
      bucket: source.bucket,
      key: source.key,
      ...(source.versionId === undefined ? {} : { versionId: source.versionId }),
      range: part.range,
      expiresInSeconds,
    },
    { signal },
  );
  return dst.uploadPartFromUrl(
    {
      bucket: destination.bucket,
      key: destination.key,
      uploadId: destination.uploadId,
      partNumber: part.partNumber,
      sourceUrl: presigned.url,
      range: part.range,
      // An ETag is the store's own notion: only a store of the same kind can enforce it on the fetch.
      ...(src.name === dst.name ? { sourceIfMatch: source.etag } : {}),
    },
    { signal },
  );
}
