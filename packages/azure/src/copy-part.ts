/**
 * UploadPartCopy on Azure: Put Block From URL of the source range into the upload's staging
 * blob, one block per `maxCopyBlockSize` bytes. No payload byte passes through this process.
 *
 * Source conditions are decided with S3's rules on the source's properties (one HEAD), then the
 * ETag that decision was made on is sent as `x-ms-source-if-match` with every block, so a source
 * replaced between the check and the copy fails with 412 instead of mixing two versions.
 */
import type { BlobClient } from '@azure/storage-blob';
import {
  copyLength,
  type ErrorContext,
  evaluateCopySourceConditions,
  type HintedSource,
  type OperationContext,
  PartCopyError,
  resolveCopyRange,
  type UploadPartCopyRequest,
  type UploadPartCopyResult,
  usableSourceHint,
} from '@partcopy/core/provider';
import { type AzureRuntime, azureCall, blockBlob, contextOf, loadUpload } from './azure-runtime.js';
import { attemptEtag, encodePartBlockId, MAX_BLOCKS_PER_PART, newAttempt } from './block-ids.js';
import { copyBlocksFromUrl } from './copy-blocks.js';
import { splitRange } from './part-list.js';

export async function uploadPartCopy(
  rt: AzureRuntime,
  request: UploadPartCopyRequest,
  ctx: OperationContext,
): Promise<UploadPartCopyResult> {
  const { source } = request;
  const context = contextOf('uploadPartCopy', {
    bucket: request.bucket,
    key: request.key,
    uploadId: request.uploadId,
    partNumber: request.partNumber,
    sourceBucket: source.bucket,
    sourceKey: source.key,
    sourceVersionId: source.versionId,
  });
  const sourceBlob = blockBlob(rt, source.bucket, source.key, context);
  const versioned = source.versionId === undefined ? sourceBlob : sourceBlob.withVersion(source.versionId);
  // The upload's manifest and the source's properties are read in parallel (one round trip);
  // a missing upload is reported before a missing source. A usable source hint replaces the
  // source read: the copy below is pinned to its ETag either way.
  const hinted = usableSourceHint(request);
  const [uploadRead, propsRead] = await Promise.allSettled([
    loadUpload(rt, request, ctx.signal, context),
    hinted ?? readSource(versioned, ctx.signal, context),
  ]);
  if (uploadRead.status === 'rejected') throw uploadRead.reason;
  if (propsRead.status === 'rejected') throw propsRead.reason;
  const upload = uploadRead.value;
  const props = propsRead.value;
  const { etag } = props;
  evaluateCopySourceConditions(request.conditions, props, context);
  const range = resolveCopyRange(request.range, props.size, context);
  const length = copyLength(range);
  const pieces = splitRange(range?.start ?? 0, length, rt.options.maxCopyBlockSize);
  checkBlockCount(pieces.length, context);
  const attempt = newAttempt(request.partNumber);
  const ids = pieces.map((_, index) => encodePartBlockId(attempt, index, pieces.length));
  if (length === 0) {
    // An empty source makes an empty part: nothing to read, so a zero-byte Put Block.
    await azureCall(ctx.signal, context, () =>
      upload.staging.stageBlock(ids[0] as string, new Uint8Array(0), 0, { abortSignal: ctx.signal }),
    );
  } else {
    const copy = { target: upload.staging, source: versioned, versionId: source.versionId, sourceEtag: etag };
    await copyBlocksFromUrl(rt, { ...copy, pieces, ids, total: length }, ctx, context);
  }
  const result: UploadPartCopyResult = {
    copyPartResult: { etag: attemptEtag(attempt), lastModified: new Date(attempt.stamp) },
    transfer: 'server-side',
    bytesCopied: length,
  };
  const copiedVersion = source.versionId ?? props.versionId;
  if (copiedVersion !== undefined) result.copySourceVersionId = copiedVersion;
  return result;
}

async function readSource(
  blob: Pick<BlobClient, 'getProperties'>,
  signal: AbortSignal,
  context: ErrorContext,
): Promise<HintedSource> {
  const props = await azureCall(signal, context, () => blob.getProperties({ abortSignal: signal }));
  const source: HintedSource = {
    size: props.contentLength ?? 0,
    etag: props.etag ?? '',
    lastModified: props.lastModified ?? new Date(0),
  };
  if (props.versionId !== undefined) source.versionId = props.versionId;
  return source;
}

export function checkBlockCount(count: number, context: ErrorContext): void {
  if (count > MAX_BLOCKS_PER_PART) {
    throw new PartCopyError(
      'EntityTooLarge',
      `the part would need ${count} blocks; raise maxCopyBlockSize`,
      context,
    );
  }
}
