/**
 * UploadPart, with a checksum of the algorithm the upload was created with (see
 * `upload-checksum-algorithms.ts` for why it must be learnt). An upload created without one gets
 * the SDK's default CRC32, unless the caller checks the streamed part's MD5 against its ETag
 * (`md5CheckedByCaller`): that part goes without, saving a pass over every byte.
 */
import {
  ListPartsCommand,
  type ChecksumAlgorithm as SdkChecksumAlgorithm,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import type {
  ChecksumAlgorithm,
  ErrorContext,
  OperationContext,
  UploadPartRequest,
  UploadPartResult,
} from '@partcopy/core/provider';
import { sendWithBody } from './payload-body.js';
import {
  checksumsFrom,
  compact,
  encryptionFrom,
  etagFrom,
  ownershipInput,
  sseCustomerInput,
} from './s3-fields.js';
import { type S3Runtime, uploadContextOf } from './s3-runtime.js';
import { callS3 } from './s3-send.js';

// The algorithm the upload was created with: parts must carry a checksum of that algorithm.
function uploadAlgorithm(
  rt: S3Runtime,
  request: UploadPartRequest,
  ctx: OperationContext,
  context: ErrorContext,
) {
  return rt.algorithms.resolve(request.uploadId, async () => {
    const output = await callS3(ctx.signal, context, (abortSignal) =>
      rt.client.send(
        new ListPartsCommand(
          compact({
            Bucket: request.bucket,
            Key: request.key,
            UploadId: request.uploadId,
            MaxParts: 1,
            ...sseCustomerInput(request.sseCustomer),
            ...ownershipInput(request),
          }),
        ),
        { abortSignal },
      ),
    );
    return output.ChecksumAlgorithm as ChecksumAlgorithm | undefined;
  });
}

export async function uploadPart(
  rt: S3Runtime,
  request: UploadPartRequest,
  ctx: OperationContext,
): Promise<UploadPartResult> {
  const context = uploadContextOf(rt, 'uploadPart', request, request.partNumber);
  const algorithm = (await uploadAlgorithm(rt, request, ctx, context)) as SdkChecksumAlgorithm | undefined;
  const streamedAndChecked = request.md5CheckedByCaller === true && request.body.bytes === undefined;
  const client =
    (algorithm === undefined && streamedAndChecked && rt.clientWithoutDefaultChecksum) || rt.client;
  const output = await callS3(ctx.signal, context, (abortSignal) =>
    sendWithBody(request.body, abortSignal, (body, bodySignal) =>
      client.send(
        new UploadPartCommand(
          compact({
            Bucket: request.bucket,
            Key: request.key,
            UploadId: request.uploadId,
            PartNumber: request.partNumber,
            Body: body,
            ContentLength: request.body.length,
            ContentMD5: request.contentMD5,
            ChecksumAlgorithm: algorithm,
            ...sseCustomerInput(request.sseCustomer),
            ...ownershipInput(request),
          }),
        ),
        { abortSignal: bodySignal },
      ),
    ),
  );
  ctx.onProgress?.(request.body.length, request.body.length);
  return compact({ ...encryptionFrom(output), ...checksumsFrom(output), etag: etagFrom(output.ETag) });
}
