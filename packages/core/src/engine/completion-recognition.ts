/**
 * Recognising our own completion after its answer was lost. CompleteMultipartUpload is repeated
 * by the pipeline when its answer does not arrive (a reset after the request was forwarded); if
 * the store had acted, the repeat answers `NoSuchUpload` although the object is published. The
 * engine then looks at the key instead of failing (or, worse, aborting and copying again): the
 * object there is ours when it has the copy's size and, where the store derives multipart ETags
 * from the parts (S3), the multipart ETag of the parts we completed; elsewhere, when it was
 * written after the completion was first sent. The resume path asks the same question.
 */
import type { PartCopyClient } from '../client/part-copy-client.js';
import type { CompleteMultipartUploadResult, ObjectInfo } from '../contract/provider-contract.js';
import { PartCopyError } from '../errors/part-copy-error.js';
import { etagMatches, multipartEtag } from '../semantics/etag.js';

/** Clock difference tolerated between this process and the store's last-modified times. */
export const COMPLETION_CLOCK_SKEW_MS = 2_000;

/** Is `head` the object our completion of `parts` published (see the file's comment)? */
export function isPublishedUpload(
  client: PartCopyClient,
  bucket: string,
  parts: ReadonlyArray<{ etag: string }>,
  head: ObjectInfo,
  size: number,
  notBefore: number,
): boolean {
  if (head.size !== size) return false;
  if (client.capabilitiesFor(bucket).multipartEtag)
    return etagMatches(multipartEtag(parts.map((p) => p.etag)), head.etag);
  return head.lastModified.getTime() >= notBefore - COMPLETION_CLOCK_SKEW_MS;
}

export interface CompletionInput {
  bucket: string;
  key: string;
  uploadId: string;
  parts: Array<{ partNumber: number; etag: string }>;
  /** Bytes the completed object must hold. */
  size: number;
  abortSignal?: AbortSignal | undefined;
}

/**
 * Completes the upload; a `NoSuchUpload` answer whose key holds the object this completion
 * published (its first answer was lost) is that completion's result, read back with one HEAD.
 */
export async function completeOrRecognise(
  client: PartCopyClient,
  input: CompletionInput,
  complete: () => Promise<CompleteMultipartUploadResult>,
): Promise<CompleteMultipartUploadResult> {
  const sent = Date.now();
  try {
    return await complete();
  } catch (error) {
    if (!PartCopyError.hasCode(error, 'NoSuchUpload')) throw error;
    const { bucket, key } = input;
    const head = await client
      .headObject({ bucket, key, abortSignal: input.abortSignal })
      .catch(() => undefined);
    if (head === undefined || !isPublishedUpload(client, bucket, input.parts, head, input.size, sent))
      throw error;
    return {
      bucket,
      key,
      etag: head.etag,
      ...(head.versionId === undefined ? {} : { versionId: head.versionId }),
    };
  }
}
