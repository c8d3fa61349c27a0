/**
 * UploadPartCopy, with every input field on the wire and every output field back.
 *
 * Two things S3's wire format cannot say, handled here:
 * - ETag lists. `x-amz-copy-source-if-match` / `-if-none-match` carry one ETag. For a list of
 *   more than one, the source is read with HEAD, all four conditions are decided with the core's
 *   `evaluateCopySourceConditions` (S3's precedence), and the copy is sent with
 *   `x-amz-copy-source-if-match: <the ETag HEAD saw>`, so the decision holds for the bytes
 *   copied: a source replaced in between fails with PreconditionFailed.
 * - bytesCopied for a copy without range. The answer does not carry the part's size, so the
 *   source is read with HEAD first (one extra request, shared with the ETag-list case). If the
 *   source is replaced between that HEAD and the copy, the count describes the old source:
 *   pin it with copySourceIfMatch to rule that out.
 *
 * `copySourceVersionId` is S3's `x-amz-copy-source-version-id`; when the server omits it (MinIO
 * does) and the request named a version, that version is what was copied and is reported.
 */
import type { S3Client, UploadPartCopyCommandInput } from '@aws-sdk/client-s3';
import { UploadPartCopyCommand } from '@aws-sdk/client-s3';
import {
  type CopySourceConditions,
  type ErrorContext,
  evaluateCopySourceConditions,
  formatByteRange,
  formatCopySource,
  type ObjectInfo,
  type OperationContext,
  PartCopyError,
  rangeLength,
  resolveCopyRange,
  type SseCustomerKey,
  type UploadPartCopyRequest,
  type UploadPartCopyResult,
  usableSourceHint,
} from '@partcopy/core/provider';
import { recordEmbeddedErrors } from './embedded-error.js';
import { headWithContext } from './object-operations.js';
import {
  checksumsFrom,
  compact,
  encryptionFrom,
  etagFrom,
  ownershipInput,
  sourceSseCustomerInput,
  sseCustomerInput,
} from './s3-fields.js';
import { type S3Runtime, uploadContextOf } from './s3-runtime.js';
import { callS3 } from './s3-send.js';

/** What the copy needs from the provider: the client, a HEAD of the source, retry settings. */
export interface CopyPartDeps {
  client: S3Client;
  headSource(request: UploadPartCopyRequest, ctx: OperationContext): Promise<ObjectInfo>;
  context: ErrorContext;
}

/** True when S3's single-ETag headers cannot carry the caller's lists as they are. */
export function needsLocalConditionCheck(conditions: CopySourceConditions): boolean {
  return (conditions.ifMatch?.length ?? 0) > 1 || (conditions.ifNoneMatch?.length ?? 0) > 1;
}

/** The four condition headers: as given when single-valued, or the pinned ETag after a local decision. */
export function conditionInput(conditions: CopySourceConditions, pinnedEtag: string | undefined) {
  if (pinnedEtag !== undefined) return { CopySourceIfMatch: pinnedEtag };
  // S3 ignores if-unmodified-since when if-match is present and if-modified-since when
  // if-none-match is (RFC 9110 §13.2.2); servers that apply every header (MinIO) would refuse
  // copies S3 makes, so the ignored date is not sent.
  return compact({
    CopySourceIfMatch: conditions.ifMatch?.[0],
    CopySourceIfNoneMatch: conditions.ifNoneMatch?.[0],
    CopySourceIfModifiedSince: conditions.ifNoneMatch === undefined ? conditions.ifModifiedSince : undefined,
    CopySourceIfUnmodifiedSince: conditions.ifMatch === undefined ? conditions.ifUnmodifiedSince : undefined,
  });
}

/** The SDK input for one UploadPartCopy. */
export function uploadPartCopyInput(
  request: UploadPartCopyRequest,
  pinnedEtag?: string,
): UploadPartCopyCommandInput {
  return compact({
    Bucket: request.bucket,
    Key: request.key,
    UploadId: request.uploadId,
    PartNumber: request.partNumber,
    CopySource: formatCopySource(request.source),
    CopySourceRange: request.range ? formatByteRange(request.range) : undefined,
    ...conditionInput(request.conditions, pinnedEtag),
    ...sseCustomerInput(request.sseCustomer),
    ...sourceSseCustomerInput(request.sourceSseCustomer),
    ...ownershipInput(request),
    ExpectedSourceBucketOwner: request.expectedSourceBucketOwner,
  });
}

/**
 * S3 answers a copy range past the source's end with 400 InvalidArgument naming the size; some
 * servers (MinIO) answer 416 InvalidRange, or InvalidArgument without the size. Only on that
 * failure path, the source is read with HEAD so the error is S3's, size included (a range that
 * does fit leaves the server's error as it was).
 */
async function rangeError(
  deps: CopyPartDeps,
  request: UploadPartCopyRequest,
  ctx: OperationContext,
  error: unknown,
): Promise<never> {
  const rangeRefused =
    PartCopyError.isInstance(error) &&
    (error.providerCode === 'InvalidRange' || error.providerCode === 'InvalidArgument') &&
    !/of size/i.test(error.message);
  if (!rangeRefused || !request.range) throw error;
  const head = await deps.headSource(request, ctx).catch(() => undefined);
  if (head) resolveCopyRange(request.range, head.size, deps.context);
  throw error;
}

/** Copies one part server-side. */
export async function copyPart(
  deps: CopyPartDeps,
  request: UploadPartCopyRequest,
  ctx: OperationContext,
): Promise<UploadPartCopyResult> {
  const localCheck = needsLocalConditionCheck(request.conditions);
  // A usable source hint stands in for the HEAD (size, conditions); the copy is then pinned to
  // the hint's ETag, so a source that changed since fails with PreconditionFailed.
  const hinted = usableSourceHint(request);
  const head =
    request.range === undefined || localCheck ? (hinted ?? (await deps.headSource(request, ctx))) : undefined;
  let pinned: string | undefined;
  if (head && (localCheck || hinted)) {
    evaluateCopySourceConditions(request.conditions, head, deps.context);
    pinned = head.etag;
  }
  const input = uploadPartCopyInput(request, pinned);
  const output = await callS3(ctx.signal, deps.context, (abortSignal) =>
    deps.client.send(recordEmbeddedErrors(new UploadPartCopyCommand(input)), { abortSignal }),
  ).catch((error: unknown) => rangeError(deps, request, ctx, error));
  const bytesCopied = request.range ? rangeLength(request.range) : (head?.size ?? 0);
  ctx.onProgress?.(bytesCopied, bytesCopied);
  return compact({
    ...encryptionFrom(output),
    // A copy of a named version copies exactly that version or fails; servers that omit the
    // header (MinIO) still copied it.
    copySourceVersionId: output.CopySourceVersionId ?? request.source.versionId,
    copyPartResult: compact({
      etag: etagFrom(output.CopyPartResult?.ETag),
      lastModified: output.CopyPartResult?.LastModified,
      ...checksumsFrom(output.CopyPartResult),
    }),
    transfer: 'server-side' as const,
    bytesCopied,
  });
}

/** The provider's UploadPartCopy: both buckets checked by the directory-bucket guard, then {@link copyPart}. */
export async function uploadPartCopy(
  rt: S3Runtime,
  request: UploadPartCopyRequest,
  ctx: OperationContext,
): Promise<UploadPartCopyResult> {
  const context = uploadContextOf(rt, 'uploadPartCopy', request, request.partNumber, {
    sourceBucket: request.source.bucket,
    sourceKey: request.source.key,
    sourceVersionId: request.source.versionId,
  });
  return copyPart(
    {
      client: rt.client,
      context,
      headSource: sourceHead(rt, context),
    },
    request,
    ctx,
  );
}

/** The fields of a copy request that name and unlock its source (part copy and whole-object copy). */
export interface CopySourceFields {
  source: { bucket: string; key: string; versionId?: string | undefined };
  sourceSseCustomer?: SseCustomerKey | undefined;
  requestPayer?: 'requester' | undefined;
  expectedSourceBucketOwner?: string | undefined;
}

/** HEADs a copy's source with the source's own key, payer and owner, in the copy's error context. */
export function sourceHead(rt: S3Runtime, context: ErrorContext) {
  return (copy: CopySourceFields, ctx: OperationContext) =>
    headWithContext(
      rt,
      compact({
        bucket: copy.source.bucket,
        key: copy.source.key,
        versionId: copy.source.versionId,
        sseCustomer: copy.sourceSseCustomer,
        requestPayer: copy.requestPayer,
        expectedBucketOwner: copy.expectedSourceBucketOwner,
      }),
      ctx,
      context,
    );
}
