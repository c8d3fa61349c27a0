/**
 * The multipart lifecycle around the parts: CreateMultipartUpload (which records the upload's
 * checksum algorithm), ListParts and ListMultipartUploads (AbortMultipartUpload: abort-upload.ts).
 */
import {
  CreateMultipartUploadCommand,
  ListMultipartUploadsCommand,
  ListPartsCommand,
} from '@aws-sdk/client-s3';
import {
  type ChecksumAlgorithm,
  type CreateMultipartUploadRequest,
  type CreateMultipartUploadResult,
  type ListMultipartUploadsRequest,
  type ListMultipartUploadsResult,
  type ListPartsRequest,
  type ListPartsResult,
  type OperationContext,
  PartCopyError,
} from '@partcopy/core/provider';
import {
  checksumsFrom,
  compact,
  encryptionFrom,
  etagFrom,
  ownershipInput,
  settingsInput,
  sseCustomerInput,
  sseKmsInput,
} from './s3-fields.js';
import { contextOf, type S3Runtime, uploadContextOf } from './s3-runtime.js';
import { callS3 } from './s3-send.js';
import { pageUploads } from './s3-upload-pages.js';

export async function createMultipartUpload(
  rt: S3Runtime,
  request: CreateMultipartUploadRequest,
  ctx: OperationContext,
): Promise<CreateMultipartUploadResult> {
  const context = contextOf(rt, 'createMultipartUpload', { bucket: request.bucket, key: request.key });
  const output = await callS3(ctx.signal, context, (abortSignal) =>
    rt.client.send(
      new CreateMultipartUploadCommand(
        compact({
          Bucket: request.bucket,
          Key: request.key,
          ...settingsInput(request),
          ...sseCustomerInput(request.sseCustomer),
          ...sseKmsInput(request),
          ...ownershipInput(request),
          ChecksumAlgorithm: request.checksumAlgorithm,
          ChecksumType: request.checksumType,
        }),
      ),
      { abortSignal },
    ),
  );
  const uploadId = output.UploadId ?? '';
  if (uploadId === '')
    throw new PartCopyError('InternalError', 'CreateMultipartUpload returned no UploadId', context);
  const algorithm = (output.ChecksumAlgorithm ?? request.checksumAlgorithm) as ChecksumAlgorithm | undefined;
  rt.algorithms.remember(uploadId, algorithm);
  return compact({
    ...encryptionFrom(output),
    bucket: request.bucket,
    key: request.key,
    uploadId,
    checksumAlgorithm: algorithm,
    checksumType: output.ChecksumType ?? request.checksumType,
  });
}

export async function listParts(
  rt: S3Runtime,
  request: ListPartsRequest,
  ctx: OperationContext,
): Promise<ListPartsResult> {
  const context = uploadContextOf(rt, 'listParts', request);
  const output = await callS3(ctx.signal, context, (abortSignal) =>
    rt.client.send(
      new ListPartsCommand(
        compact({
          Bucket: request.bucket,
          Key: request.key,
          UploadId: request.uploadId,
          MaxParts: request.maxParts,
          PartNumberMarker:
            request.partNumberMarker === undefined ? undefined : String(request.partNumberMarker),
          ...sseCustomerInput(request.sseCustomer),
          ...ownershipInput(request),
        }),
      ),
      { abortSignal },
    ),
  );
  const isTruncated = output.IsTruncated === true;
  return compact({
    ...encryptionFrom(output),
    bucket: request.bucket,
    key: request.key,
    uploadId: request.uploadId,
    parts: (output.Parts ?? []).map((part) =>
      compact({
        ...checksumsFrom(part),
        partNumber: part.PartNumber ?? 0,
        etag: etagFrom(part.ETag),
        size: part.Size ?? 0,
        lastModified: part.LastModified ?? new Date(0),
      }),
    ),
    isTruncated,
    nextPartNumberMarker:
      isTruncated && output.NextPartNumberMarker !== undefined
        ? Number(output.NextPartNumberMarker)
        : undefined,
    checksumAlgorithm: output.ChecksumAlgorithm as ChecksumAlgorithm | undefined,
    checksumType: output.ChecksumType,
  });
}

export async function listMultipartUploads(
  rt: S3Runtime,
  request: ListMultipartUploadsRequest,
  ctx: OperationContext,
): Promise<ListMultipartUploadsResult> {
  const context = contextOf(rt, 'listMultipartUploads', { bucket: request.bucket });
  const output = await callS3(ctx.signal, context, (abortSignal) =>
    rt.client.send(
      new ListMultipartUploadsCommand(
        compact({
          Bucket: request.bucket,
          Prefix: request.prefix,
          KeyMarker: request.keyMarker,
          UploadIdMarker: request.uploadIdMarker,
          MaxUploads: request.maxUploads,
          ...ownershipInput(request),
        }),
      ),
      { abortSignal },
    ),
  );
  const isTruncated = output.IsTruncated === true;
  const page = pageUploads(request, {
    uploads: (output.Uploads ?? []).map((upload) =>
      compact({
        key: upload.Key ?? '',
        uploadId: upload.UploadId ?? '',
        initiated: upload.Initiated ?? new Date(0),
        storageClass: upload.StorageClass,
        checksumAlgorithm: upload.ChecksumAlgorithm as ChecksumAlgorithm | undefined,
      }),
    ),
    isTruncated,
    nextKeyMarker: isTruncated ? output.NextKeyMarker : undefined,
    nextUploadIdMarker: isTruncated ? output.NextUploadIdMarker : undefined,
  });
  return compact({ bucket: request.bucket, ...page });
}
