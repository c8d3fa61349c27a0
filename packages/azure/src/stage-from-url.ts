/**
 * Stage a part from a URL on Azure: Put Block From URL of the part's byte range, read by the
 * service from the given URL (a presigned S3 URL, a GCS signed URL, another account's SAS), into
 * the upload's staging blob, one block per `maxCopyBlockSize` bytes. No payload byte passes
 * through this process. With `sourceIfMatch`, every block carries `x-ms-source-if-match`, so a
 * source replaced meanwhile fails with 412 (`PreconditionFailed`) instead of mixing versions.
 * The URL carries a secret: it goes into the request only; errors are redacted by PartCopyError.
 */
import {
  mapWithConcurrency,
  type OperationContext,
  rangeLength,
  type UploadPartFromUrlRequest,
  type UploadPartFromUrlResult,
} from '@partcopy/core/provider';
import { type AzureRuntime, azureCall, contextOf, loadUpload } from './azure-runtime.js';
import { attemptEtag, encodePartBlockId, newAttempt } from './block-ids.js';
import { checkBlockCount } from './copy-part.js';
import { splitRange } from './part-list.js';
import { withSourceConditions } from './source-conditions-policy.js';

export async function uploadPartFromUrl(
  rt: AzureRuntime,
  request: UploadPartFromUrlRequest,
  ctx: OperationContext,
): Promise<UploadPartFromUrlResult> {
  const context = contextOf('uploadPartCopy', {
    bucket: request.bucket,
    key: request.key,
    uploadId: request.uploadId,
    partNumber: request.partNumber,
  });
  const upload = await loadUpload(rt, request, ctx.signal, context);
  const length = rangeLength(request.range);
  const pieces = splitRange(request.range.start, length, rt.options.maxCopyBlockSize);
  checkBlockCount(pieces.length, context);
  const attempt = newAttempt(request.partNumber);
  const ids = pieces.map((_, index) => encodePartBlockId(attempt, index, pieces.length));
  const conditions =
    request.sourceIfMatch === undefined ? {} : { 'x-ms-source-if-match': request.sourceIfMatch };
  let done = 0;
  await mapWithConcurrency(
    pieces,
    rt.options.copyConcurrency,
    async (piece, index, signal) => {
      await azureCall(signal, context, () =>
        withSourceConditions(conditions, () =>
          upload.staging.stageBlockFromURL(
            ids[index] as string,
            request.sourceUrl,
            piece.offset,
            piece.count,
            {
              abortSignal: signal,
            },
          ),
        ),
      );
      done += piece.count;
      ctx.onProgress?.(done, length);
    },
    ctx.signal,
  );
  return { etag: attemptEtag(attempt), bytesCopied: length, transfer: 'server-side' };
}
