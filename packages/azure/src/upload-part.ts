/**
 * UploadPart on Azure: the body is staged on the upload's staging blob as Put Block requests of
 * at most `maxUploadBlockSize` bytes (each block is buffered once in memory, so a retry can
 * resend it). Every block carries its MD5 as a transactional Content-MD5, so the store rejects a
 * block whose bytes changed on the way (capability `uploadPartChecksBlocks`); Azurite otherwise
 * spends its time on a CRC64 of every block. A Content-MD5 of the request covers the whole part,
 * so for a part of several blocks it is checked here before the last block is staged: a part
 * with a wrong digest never becomes complete.
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
import { attemptEtag, encodeDigestBlockId, newAttempt } from './block-ids.js';
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
  // The part's own MD5 is needed only to check a Content-MD5 that covers several blocks; a
  // one-block part's digest is its block's.
  const partMd5 = request.contentMD5 !== undefined && pieces.length > 1 ? createHash('md5') : undefined;
  let index = 0;
  const streamed = request.body.bytes === undefined;
  for await (const block of blocksOf(
    request.body,
    pieces.map((p) => p.count),
    (size) => rt.blockBuffers.take(size),
  )) {
    partMd5?.update(block);
    const blockMd5 = createHash('md5').update(block).digest();
    const last = index === pieces.length - 1;
    if (last && request.contentMD5 !== undefined)
      checkDigest((partMd5?.digest() ?? blockMd5).toString('base64'), request.contentMD5, context);
    // The id names the MD5, so whichever process completes the upload can have the store check
    // its copy of the block against it (complete-upload.ts).
    const id = encodeDigestBlockId(attempt, index, pieces.length, blockMd5);
    await stage(upload.staging, id, block, blockMd5, ctx.signal, context);
    // Staged: no request holds the block any more, so its buffer serves the next one.
    if (streamed) rt.blockBuffers.give(block);
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
  md5: Uint8Array,
  signal: AbortSignal,
  context: ErrorContext,
) {
  return azureCall(signal, context, () =>
    blob.stageBlock(id, block, block.length, { abortSignal: signal, transactionalContentMD5: md5 }),
  );
}

function checkDigest(actual: string, expected: string | undefined, context: ErrorContext): void {
  checkContentMD5(expected, actual, context);
}
