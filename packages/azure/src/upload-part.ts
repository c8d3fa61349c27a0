/**
 * UploadPart on Azure: the body is staged on the upload's staging blob as Put Block requests of
 * at most `maxUploadBlockSize` bytes (each block is buffered once in memory, so a retry can
 * resend it). A Content-MD5 covers the whole part, so for a part of several blocks it is checked
 * here before the last block is staged: a part with a wrong digest never becomes complete.
 */
import { createHash } from 'node:crypto';
import type { BlockBlobClient } from '@azure/storage-blob';
import {
  checkContentMD5,
  type ErrorContext,
  type OperationContext,
  type UploadPartRequest,
  type UploadPartResult,
  unsupported,
} from '@partcopy/core/provider';
import { type AzureRuntime, azureCall, contextOf, loadUpload } from './azure-runtime.js';
import { attemptEtag, encodePartBlockId, newAttempt } from './block-ids.js';
import { checkBlockCount } from './copy-part.js';
import { splitRange } from './part-list.js';
import { blocksOf } from './payload-blocks.js';

export async function uploadPart(
  rt: AzureRuntime,
  request: UploadPartRequest,
  ctx: OperationContext,
): Promise<UploadPartResult> {
  const context = contextOf('uploadPart', {
    bucket: request.bucket,
    key: request.key,
    uploadId: request.uploadId,
    partNumber: request.partNumber,
  });
  if (request.sseCustomer) throw unsupported('SSE-C (customer-provided keys)', context);
  const upload = await loadUpload(rt, request, ctx.signal, context);
  const pieces = splitRange(0, request.body.length, rt.options.maxUploadBlockSize);
  checkBlockCount(pieces.length, context);
  const attempt = newAttempt(request.partNumber);
  const ids = pieces.map((_, index) => encodePartBlockId(attempt, index, pieces.length));
  const md5 = createHash('md5');
  let index = 0;
  for await (const block of blocksOf(
    request.body,
    pieces.map((p) => p.count),
  )) {
    md5.update(block);
    const last = index === pieces.length - 1;
    if (last) checkDigest(md5.digest('base64'), request.contentMD5, context);
    const id = ids[index] as string;
    await stage(upload.staging, id, block, ctx.signal, context);
    index++;
    ctx.onProgress?.(
      Math.min(request.body.length, index * rt.options.maxUploadBlockSize),
      request.body.length,
    );
  }
  return { etag: attemptEtag(attempt) };
}

function stage(
  blob: BlockBlobClient,
  id: string,
  block: Uint8Array,
  signal: AbortSignal,
  context: ErrorContext,
) {
  return azureCall(signal, context, () => blob.stageBlock(id, block, block.length, { abortSignal: signal }));
}

function checkDigest(actual: string, expected: string | undefined, context: ErrorContext): void {
  checkContentMD5(expected, actual, context);
}
