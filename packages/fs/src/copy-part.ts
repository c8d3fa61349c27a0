import {
  checkCopySourceSize,
  checkObjectSseCustomerKey,
  checkUploadSseCustomerKey,
  copyLength,
  type ErrorContext,
  evaluateCopySourceConditions,
  type OperationContext,
  resolveCopyRange,
  sseCustomerResult,
  type UploadPartCopyRequest,
  type UploadPartCopyResult,
} from '@partcopy/core/provider';
import { type SinkResult, sinkRange } from './data-sink.js';
import type { FsLayout } from './fs-layout.js';
import type { LoadedUpload, MultipartStore } from './fs-multipart.js';
import type { FsLimits } from './fs-options.js';
import type { ObjectStore, PinnedObject } from './object-store.js';

/**
 * UploadPartCopy on local files. Order of checks as S3: the destination upload (`NoSuchUpload`),
 * then the source (`NoSuchBucket`, `NoSuchKey`/`NoSuchVersion`, delete marker `InvalidRequest`),
 * SSE-C keys, the source conditions, the range. The source version is opened once before the
 * conditions are decided, and the bytes are copied from that open file: a writer replacing the
 * source meanwhile cannot change what this copy reads (version data files are immutable).
 */
export async function uploadPartCopy(
  deps: { layout: FsLayout; objects: ObjectStore; multipart: MultipartStore; limits: FsLimits },
  request: UploadPartCopyRequest,
  ctx: OperationContext,
): Promise<UploadPartCopyResult> {
  const { bucket, key, uploadId, partNumber, source } = request;
  const context = copyContext(request);
  const upload = await deps.multipart.load(bucket, key, uploadId);
  checkUploadSseCustomerKey(upload.record.sseCustomerKeyMD5, request.sseCustomer, context);
  await deps.layout.requireBucket(source.bucket);
  const sourceState = await deps.objects.versioning(source.bucket);
  const pinned = await deps.objects.openPinned(
    source.bucket,
    source.key,
    source.versionId,
    sourceState,
    'copy-source',
  );
  try {
    const data = await copyPinned(deps, upload, pinned, request, ctx, context);
    const part = await deps.multipart.storePart(bucket, upload, partNumber, data);
    const result: UploadPartCopyResult = {
      copyPartResult: { etag: part.etag, lastModified: new Date(part.lastModified), ...part.checksums },
      transfer: 'server-side',
      bytesCopied: part.size,
      ...sseCustomerResult(upload.record.sseCustomerKeyMD5),
    };
    if (sourceState !== undefined) result.copySourceVersionId = pinned.record.versionId;
    return result;
  } finally {
    await pinned.handle.close();
  }
}

async function copyPinned(
  deps: { layout: FsLayout; limits: FsLimits },
  upload: LoadedUpload,
  pinned: PinnedObject,
  request: UploadPartCopyRequest,
  ctx: OperationContext,
  context: ErrorContext,
): Promise<SinkResult> {
  const { record } = pinned;
  checkObjectSseCustomerKey(record.sseCustomerKeyMD5, request.sourceSseCustomer, context);
  evaluateCopySourceConditions(
    request.conditions,
    { etag: record.etag, lastModified: new Date(record.lastModified) },
    context,
  );
  const range = resolveCopyRange(request.range, record.size, context);
  const length = copyLength(range);
  checkCopySourceSize(length, deps.limits.maxPartSize, context);
  return sinkRange(deps.layout.tmpDir(request.bucket), pinned.handle, range?.start ?? 0, length, {
    signal: ctx.signal,
    checksumAlgorithm: upload.record.checksumAlgorithm,
    onProgress: ctx.onProgress,
    sseKeyMD5: upload.record.sseCustomerKeyMD5,
  });
}

/** The context of every error of one copy, naming the source version when one was asked for. */
function copyContext(request: UploadPartCopyRequest): ErrorContext {
  const { bucket, key, uploadId, partNumber, source } = request;
  const context: ErrorContext = {
    bucket,
    key,
    uploadId,
    partNumber,
    sourceBucket: source.bucket,
    sourceKey: source.key,
  };
  if (source.versionId !== undefined) context.sourceVersionId = source.versionId;
  return context;
}
