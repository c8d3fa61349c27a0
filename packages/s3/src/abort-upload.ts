/**
 * AbortMultipartUpload. On S3 an unknown, aborted or completed upload fails with `NoSuchUpload`,
 * and an abort racing a completion loses or wins as a whole. With
 * `compatibility.checkUploadBeforeAbort` (servers that answer 204 instead, MinIO) the answer is
 * made just as truthful by the checks in abort-truth.ts. It is on by default for every endpoint
 * that is not Amazon's: an abort that answers success while the upload's object was published is
 * a lie a caller acts on, and aborts are rare enough (failures, gc) that three more requests
 * each are cheap. Amazon S3 is truthful itself.
 */
import { AbortMultipartUploadCommand } from '@aws-sdk/client-s3';
import type { OperationContext, UploadRef } from '@partcopy/core/provider';
import { assertNotCompleted, keyState, uploadInitiated, uploadPartEtags } from './abort-truth.js';
import { isAmazonEndpoint } from './s3-capabilities.js';
import type { S3ProviderOptions } from './s3-config.js';
import { ownershipInput } from './s3-fields.js';
import { type S3Runtime, uploadContextOf } from './s3-runtime.js';
import { callS3 } from './s3-send.js';

export async function abortMultipartUpload(
  rt: S3Runtime,
  request: UploadRef,
  ctx: OperationContext,
): Promise<void> {
  const context = uploadContextOf(rt, 'abortMultipartUpload', request);
  const check = checksBeforeAbort(rt.options);
  const initiated = check ? await uploadInitiated(rt, request, ctx, context) : undefined;
  const partEtags = check ? await uploadPartEtags(rt, request, ctx) : [];
  await callS3(ctx.signal, context, (abortSignal) =>
    rt.client.send(
      new AbortMultipartUploadCommand({
        Bucket: request.bucket,
        Key: request.key,
        UploadId: request.uploadId,
        ...ownershipInput(request),
      }),
      { abortSignal },
    ),
  );
  rt.algorithms.forget(request.uploadId);
  if (initiated === undefined) return;
  assertNotCompleted(initiated, await keyState(rt, request, ctx, context), partEtags, context);
}

function checksBeforeAbort(options: S3ProviderOptions): boolean {
  const chosen = options.compatibility?.checkUploadBeforeAbort;
  if (chosen !== undefined) return chosen;
  return options.endpoint !== undefined && !isAmazonEndpoint(options.endpoint);
}
