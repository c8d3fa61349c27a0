/**
 * AbortMultipartUpload. On S3 an unknown, aborted or completed upload fails with `NoSuchUpload`,
 * and an abort racing a completion loses or wins as a whole. With
 * `compatibility.checkUploadBeforeAbort` (servers that answer 204 instead, MinIO) the answer is
 * made just as truthful by the checks in abort-truth.ts.
 */
import { AbortMultipartUploadCommand } from '@aws-sdk/client-s3';
import type { OperationContext, UploadRef } from '@partcopy/core/provider';
import { assertNotCompleted, keyState, uploadInitiated, uploadPartEtags } from './abort-truth.js';
import { ownershipInput } from './s3-fields.js';
import { type S3Runtime, uploadContextOf } from './s3-runtime.js';
import { callS3 } from './s3-send.js';

export async function abortMultipartUpload(
  rt: S3Runtime,
  request: UploadRef,
  ctx: OperationContext,
): Promise<void> {
  const context = uploadContextOf(rt, 'abortMultipartUpload', request);
  const check = rt.options.compatibility?.checkUploadBeforeAbort === true;
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
