/**
 * The truthful answer to AbortMultipartUpload on servers that answer 204 for an upload that no
 * longer exists (MinIO): when a completion of the same upload wins the race, the abort still
 * answers success, although the upload's object is now published at the key. S3 itself answers
 * `NoSuchUpload` ("the upload ... might have been aborted or completed") then.
 *
 * Used with `compatibility.checkUploadBeforeAbort`: the upload's initiation time and parts are
 * read before the abort (an already-gone upload fails there with `NoSuchUpload`) and the key is
 * looked at after it. An object there whose ETag is the multipart ETag of this upload's parts
 * and that was written at or after the upload's initiation is this upload's object: the
 * completion won, and the abort answers `NoSuchUpload` saying so. (MinIO does not serialise an
 * abort against a completion of the same upload: both can succeed at the server. Comparing the
 * key before and after is not enough, since the completion may publish before the first look.)
 */
import { HeadObjectCommand } from '@aws-sdk/client-s3';
import {
  type ErrorContext,
  multipartEtag,
  type OperationContext,
  PartCopyError,
  type UploadRef,
  unquoteEtag,
} from '@partcopy/core/provider';
import { listMultipartUploads, listParts } from './multipart-uploads.js';
import { ownershipInput } from './s3-fields.js';
import type { S3Runtime } from './s3-runtime.js';
import { callS3 } from './s3-send.js';

/** What the key held at one moment: absent, an object, or unreadable (e.g. SSE-C without key). */
export type KeyState =
  | { kind: 'absent' }
  | { kind: 'object'; etag: string; modified: number }
  | { kind: 'unknown' };

/** When the upload was initiated (ms); an upload no longer listed fails with `NoSuchUpload`. */
export async function uploadInitiated(
  rt: S3Runtime,
  request: UploadRef,
  ctx: OperationContext,
  context: ErrorContext,
): Promise<number> {
  let keyMarker: string | undefined;
  let uploadIdMarker: string | undefined;
  for (;;) {
    const page = await listMultipartUploads(
      rt,
      {
        bucket: request.bucket,
        prefix: request.key,
        keyMarker,
        uploadIdMarker,
        expectedBucketOwner: request.expectedBucketOwner,
      },
      ctx,
    );
    const found = page.uploads.find((u) => u.key === request.key && u.uploadId === request.uploadId);
    if (found) return found.initiated.getTime();
    if (!page.isTruncated || page.uploads.length === 0) {
      throw new PartCopyError('NoSuchUpload', 'The specified multipart upload does not exist', context);
    }
    keyMarker = page.nextKeyMarker;
    uploadIdMarker = page.nextUploadIdMarker;
  }
}

/** Every part ETag of the upload in part order; an unknown upload fails with `NoSuchUpload`. */
export async function uploadPartEtags(
  rt: S3Runtime,
  request: UploadRef,
  ctx: OperationContext,
): Promise<string[]> {
  const etags: string[] = [];
  let marker: number | undefined;
  for (;;) {
    const page = await listParts(rt, { ...request, partNumberMarker: marker }, ctx);
    etags.push(...page.parts.map((part) => part.etag));
    if (!page.isTruncated || page.nextPartNumberMarker === undefined) return etags;
    marker = page.nextPartNumberMarker;
  }
}

export async function keyState(
  rt: S3Runtime,
  request: UploadRef,
  ctx: OperationContext,
  context: ErrorContext,
): Promise<KeyState> {
  try {
    const output = await callS3(ctx.signal, context, (abortSignal) =>
      rt.client.send(
        new HeadObjectCommand({ Bucket: request.bucket, Key: request.key, ...ownershipInput(request) }),
        { abortSignal },
      ),
    );
    return {
      kind: 'object',
      etag: unquoteEtag(output.ETag ?? ''),
      modified: output.LastModified?.getTime() ?? 0,
    };
  } catch (error) {
    if (PartCopyError.hasCode(error, 'NoSuchKey')) return { kind: 'absent' };
    // Not readable without a customer key (or not allowed): the check cannot decide.
    if (ctx.signal.aborted) throw error;
    return { kind: 'unknown' };
  }
}

/**
 * Whether `etag` is the multipart ETag of this upload's parts: all of them, or the first N of
 * them for an ETag ending in `-N` (a completion naming a prefix of the parts).
 */
export function isEtagOfParts(etag: string, partEtags: readonly string[]): boolean {
  const match = /^[0-9a-f]{32}-(\d+)$/.exec(etag);
  if (!match) return false;
  const count = Number(match[1]);
  if (count < 1 || count > partEtags.length) return false;
  if (!partEtags.every((part) => /^[0-9a-f]{32}$/.test(unquoteEtag(part)))) return false;
  return unquoteEtag(multipartEtag(partEtags.slice(0, count))) === etag;
}

/**
 * Throws `NoSuchUpload` when the key holds this upload's object: its parts' multipart ETag,
 * written no earlier than the upload's initiation (whole seconds: Last-Modified has no more;
 * S3 dates a multipart object at its initiation, MinIO at its completion).
 */
export function assertNotCompleted(
  initiated: number,
  after: KeyState,
  partEtags: readonly string[],
  context: ErrorContext,
): void {
  if (after.kind !== 'object') return;
  const sameUpload = after.modified >= Math.floor(initiated / 1000) * 1000;
  if (!sameUpload || !isEtagOfParts(after.etag, partEtags)) return;
  throw new PartCopyError(
    'NoSuchUpload',
    `The upload was completed before the abort took effect: its object (ETag "${after.etag}") is published at the key`,
    { ...context, providerCode: 'CompletedBeforeAbort' },
  );
}
