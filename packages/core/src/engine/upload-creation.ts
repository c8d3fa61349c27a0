/**
 * Creating the copy's upload without leaking one when the answer is lost. CreateMultipartUpload
 * is not idempotent and the pipeline never repeats it; when it fails in a way that leaves open
 * whether the store acted (a connection reset after the request was forwarded, a timeout, a
 * server error, the caller's interrupt while it was in flight), an upload may exist that the
 * caller never learnt the id of. The engine then looks for it: the one upload of the destination
 * key initiated while the request was out is ours, and is aborted. Two or more candidates (a
 * concurrent copy to the same key) are left alone, because aborting another copy's upload would
 * fail that copy: `collectGarbage` removes whichever is abandoned once it is old. What this cannot
 * tell apart: the store created nothing and a concurrent copy to the same key created the one
 * upload of the window; that copy's upload is aborted and it fails with `NoSuchUpload`.
 */

import type { CreateMultipartUploadInput } from '../client/inputs.js';
import type { PartCopyClient } from '../client/part-copy-client.js';
import type { CreateMultipartUploadResult } from '../contract/provider-contract.js';
import { PartCopyError } from '../errors/part-copy-error.js';

/** Clock difference tolerated between this process and the store's initiation times. */
const CLOCK_SKEW_MS = 2_000;
/** How long the search and the abort may take (the caller's signal may be why we are here). */
const CLEANUP_TIMEOUT_MS = 30_000;

/** What to do with an upload a lost answer may have created. */
export interface LostUploadPolicy {
  /**
   * Abort it, given the failure? A copy with a session that stays (an interrupt, a retryable
   * failure) says no: the session's resume adopts that upload instead.
   */
  cleanUp: (error: unknown) => boolean;
  onCleanupFailed?: ((uploadId: string, error: unknown) => void) | undefined;
}

/**
 * Creates the upload. On an ambiguous failure (see {@link isAmbiguous}) that `lost.cleanUp`
 * accepts, the upload the lost answer named, if found, is aborted before the error is rethrown.
 */
export async function createUploadOrCleanUp(
  client: PartCopyClient,
  input: CreateMultipartUploadInput,
  lost: LostUploadPolicy,
): Promise<CreateMultipartUploadResult> {
  const started = Date.now();
  try {
    return await client.createMultipartUpload(input);
  } catch (error) {
    if (isAmbiguous(error) && lost.cleanUp(error))
      await abortLostUpload(client, input, started, lost.onCleanupFailed);
    throw error;
  }
}

/**
 * Did the store perhaps act? Only a definite refusal (a 4xx answer that is not an interrupt and
 * not retryable: NoSuchBucket, AccessDenied, InvalidArgument, ...) says nothing was created.
 */
export function isAmbiguous(error: unknown): boolean {
  if (!PartCopyError.isInstance(error)) return true;
  if (error.code === 'RequestAborted' || error.retryable) return true;
  return !(error.status >= 400 && error.status < 500);
}

async function abortLostUpload(
  client: PartCopyClient,
  input: CreateMultipartUploadInput,
  started: number,
  onCleanupFailed: ((uploadId: string, error: unknown) => void) | undefined,
): Promise<void> {
  const { bucket, key } = input;
  if (!client.capabilitiesFor(bucket).listMultipartUploads) return;
  const signal = AbortSignal.timeout(CLEANUP_TIMEOUT_MS);
  const from = started - CLOCK_SKEW_MS;
  const to = Date.now() + CLOCK_SKEW_MS;
  let candidates: string[];
  try {
    candidates = await uploadsOfKeyBetween(client, bucket, key, from, to, signal);
  } catch {
    return; // The store cannot be asked now either: gc collects the upload, if any, later.
  }
  if (candidates.length !== 1) return;
  const uploadId = candidates[0] as string;
  try {
    await client.abortMultipartUpload({ bucket, key, uploadId, abortSignal: signal });
  } catch (error) {
    if (!PartCopyError.hasCode(error, 'NoSuchUpload')) onCleanupFailed?.(uploadId, error);
  }
}

async function uploadsOfKeyBetween(
  client: PartCopyClient,
  bucket: string,
  key: string,
  from: number,
  to: number,
  signal: AbortSignal,
): Promise<string[]> {
  const ids: string[] = [];
  let markers: { keyMarker?: string; uploadIdMarker?: string } = {};
  for (;;) {
    const page = await client.listMultipartUploads({ bucket, prefix: key, ...markers, abortSignal: signal });
    for (const upload of page.uploads) {
      const at = upload.initiated.getTime();
      if (upload.key === key && at >= from && at <= to) ids.push(upload.uploadId);
    }
    if (!page.isTruncated) return ids;
    markers = {
      ...(page.nextKeyMarker === undefined ? {} : { keyMarker: page.nextKeyMarker }),
      ...(page.nextUploadIdMarker === undefined ? {} : { uploadIdMarker: page.nextUploadIdMarker }),
    };
  }
}
