/**
 * CopyObject: a whole object copied by S3 in one request (up to 5 GiB), every input field on the
 * wire and every output field back. No payload byte passes through this process: the request is
 * a PUT with `x-amz-copy-source` and an empty body.
 *
 * - Conditions travel as S3's `x-amz-copy-source-if-*` headers, and S3 decides them atomically
 *   with the copy. S3's single-ETag headers cannot carry a list of several ETags: then the source
 *   is read with HEAD, the four conditions are decided with core's `evaluateCopySourceConditions`
 *   (S3's precedence) and the copy is pinned with `x-amz-copy-source-if-match: <that ETag>`.
 * - Size: the answer does not carry it. The source is read with HEAD unless a usable
 *   `sourceHint` gives it; then the conditions are decided on the hint and the copy is pinned to
 *   the hinted ETag, so a stale hint fails with PreconditionFailed. A source over
 *   `maxWholeObjectCopySize` is refused with S3's `InvalidRequest` before the copy (servers other
 *   than S3 may allow larger copies; the capability is the promise). Without a pin
 *   (`copySourceIfMatch`), a source replaced between the HEAD and the copy makes `bytesCopied`
 *   describe the old source.
 * - Metadata: `x-amz-metadata-directive` and `x-amz-tagging-directive` both follow
 *   `metadataDirective`; under COPY only the storage class is sent.
 */
import { CopyObjectCommand, type CopyObjectCommandInput, type S3Client } from '@aws-sdk/client-s3';
import {
  checkCopySourceSize,
  type ErrorContext,
  evaluateCopySourceConditions,
  formatCopySource,
  type ObjectInfo,
  type OperationContext,
  type ServerSideCopyRequest,
  type ServerSideCopyResult,
  usableSourceHint,
} from '@partcopy/core/provider';
import { conditionInput, needsLocalConditionCheck, sourceHead } from './copy-part.js';
import { recordEmbeddedErrors } from './embedded-error.js';
import {
  checksumsFrom,
  compact,
  encryptionFrom,
  etagFrom,
  ownershipInput,
  settingsInput,
  sourceSseCustomerInput,
  sseCustomerInput,
  sseKmsInput,
} from './s3-fields.js';
import { contextOf, type S3Runtime } from './s3-runtime.js';
import { callS3 } from './s3-send.js';

/** What the copy needs from the provider. */
export interface WholeObjectCopyDeps {
  client: S3Client;
  headSource(request: ServerSideCopyRequest, ctx: OperationContext): Promise<ObjectInfo>;
  context: ErrorContext;
  /** The destination bucket's `maxWholeObjectCopySize`. */
  maxSize: number;
}

/** The SDK input for one CopyObject. */
export function copyObjectInput(request: ServerSideCopyRequest, pinnedEtag?: string): CopyObjectCommandInput {
  const replace = request.metadataDirective === 'REPLACE';
  const settings = replace
    ? settingsInput(request.settings)
    : { StorageClass: settingsInput(request.settings).StorageClass };
  return compact({
    Bucket: request.bucket,
    Key: request.key,
    CopySource: formatCopySource(request.source),
    ...conditionInput(request.conditions, pinnedEtag),
    MetadataDirective: request.metadataDirective,
    TaggingDirective: request.metadataDirective,
    ...settings,
    IfMatch: request.ifMatch,
    IfNoneMatch: request.ifNoneMatch,
    ...sseCustomerInput(request.sseCustomer),
    ...sourceSseCustomerInput(request.sourceSseCustomer),
    ...sseKmsInput(request),
    ...ownershipInput(request),
    ExpectedSourceBucketOwner: request.expectedSourceBucketOwner,
    ChecksumAlgorithm: request.checksumAlgorithm,
  });
}

/** Copies the whole source object server-side. */
export async function copyWholeObject(
  deps: WholeObjectCopyDeps,
  request: ServerSideCopyRequest,
  ctx: OperationContext,
): Promise<ServerSideCopyResult> {
  const hinted = usableSourceHint(request);
  const known = hinted ?? (await deps.headSource(request, ctx));
  let pinned: string | undefined;
  if (hinted !== undefined || needsLocalConditionCheck(request.conditions)) {
    evaluateCopySourceConditions(request.conditions, known, deps.context);
    pinned = known.etag;
  }
  const size = known.size;
  checkCopySourceSize(size, deps.maxSize, deps.context);
  const input = copyObjectInput(request, pinned);
  const output = await callS3(ctx.signal, deps.context, (abortSignal) =>
    deps.client.send(recordEmbeddedErrors(new CopyObjectCommand(input)), { abortSignal }),
  );
  ctx.onProgress?.(size, size);
  return compact({
    ...encryptionFrom(output),
    ...checksumsFrom(output.CopyObjectResult),
    etag: etagFrom(output.CopyObjectResult?.ETag),
    lastModified: output.CopyObjectResult?.LastModified,
    versionId: output.VersionId,
    // A copy of a named version copies exactly that version or fails; servers that omit the
    // header (MinIO) still copied it.
    copySourceVersionId: output.CopySourceVersionId ?? request.source.versionId,
    transfer: 'server-side' as const,
    bytesCopied: size,
  });
}

/** The provider's copyObject: one CopyObject, sized from the hint or a HEAD of the source. */
export function copyObject(
  rt: S3Runtime,
  request: ServerSideCopyRequest,
  ctx: OperationContext,
): Promise<ServerSideCopyResult> {
  const { bucket, key, source } = request;
  const context = contextOf(rt, 'copyObject', {
    bucket,
    key,
    ...compact({ sourceBucket: source.bucket, sourceKey: source.key, sourceVersionId: source.versionId }),
  });
  const headSource = sourceHead(rt, context);
  const { maxWholeObjectCopySize: maxSize } = rt.capabilitiesFor(bucket);
  const deps = { client: rt.client, context, headSource, maxSize };
  return copyWholeObject(deps, request, ctx);
}
