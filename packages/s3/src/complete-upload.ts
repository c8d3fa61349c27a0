/**
 * CompleteMultipartUpload, whose errors may come inside a 200 answer and are then retried (see
 * `s3-send.ts`).
 */
import { CompleteMultipartUploadCommand } from '@aws-sdk/client-s3';
import {
  type CompleteMultipartUploadRequest,
  type CompleteMultipartUploadResult,
  checkCompletionPartOrder,
  type OperationContext,
} from '@partcopy/core/provider';
import { recordEmbeddedErrors } from './embedded-error.js';
import {
  checksumsFrom,
  checksumsInput,
  compact,
  encryptionFrom,
  etagFrom,
  ownershipInput,
  sseCustomerInput,
} from './s3-fields.js';
import { type S3Runtime, uploadContextOf } from './s3-runtime.js';
import { callS3 } from './s3-send.js';

export async function completeMultipartUpload(
  rt: S3Runtime,
  request: CompleteMultipartUploadRequest,
  ctx: OperationContext,
): Promise<CompleteMultipartUploadResult> {
  const context = uploadContextOf(rt, 'completeMultipartUpload', request);
  // S3 checks these too; checking here gives S3's code on S3-compatible servers that answer
  // differently (or accept an unordered list).
  checkCompletionPartOrder(request.parts, context);
  const input = compact({
    Bucket: request.bucket,
    Key: request.key,
    UploadId: request.uploadId,
    MultipartUpload: {
      Parts: request.parts.map((part) =>
        compact({ PartNumber: part.partNumber, ETag: part.etag, ...checksumsInput(part) }),
      ),
    },
    ...checksumsInput(request),
    ChecksumType: request.checksumType,
    MpuObjectSize: request.mpObjectSize,
    IfMatch: request.ifMatch,
    IfNoneMatch: request.ifNoneMatch,
    ...sseCustomerInput(request.sseCustomer),
    ...ownershipInput(request),
  });
  const output = await callS3(ctx.signal, context, (abortSignal) =>
    rt.client.send(recordEmbeddedErrors(new CompleteMultipartUploadCommand(input)), { abortSignal }),
  );
  rt.algorithms.forget(request.uploadId);
  return compact({
    ...encryptionFrom(output),
    ...checksumsFrom(output),
    bucket: request.bucket,
    key: request.key,
    etag: etagFrom(output.ETag),
    versionId: output.VersionId,
    location: output.Location,
    checksumType: output.ChecksumType,
  });
}
