/**
 * Plain object operations: HeadObject (telling a missing bucket from a missing key), GetObject
 * (streamed), PutObject, DeleteObject and ListObjectsV2.
 */
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  type HeadObjectCommandOutput,
  ListObjectsV2Command,
  PutObjectCommand,
  type ChecksumAlgorithm as SdkChecksumAlgorithm,
} from '@aws-sdk/client-s3';
import {
  type DeleteObjectRequest,
  type DeleteObjectResult,
  type ErrorContext,
  type GetObjectRequest,
  type GetObjectResult,
  type HeadObjectRequest,
  type ListObjectsRequest,
  type ListObjectsResult,
  type ObjectInfo,
  type OperationContext,
  PartCopyError,
  type PutObjectRequest,
  type PutObjectResult,
} from '@partcopy/core/provider';
import { sendWithBody } from './payload-body.js';
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
import { streamObjectBody } from './s3-object-body.js';
import { contextOf, type S3Runtime } from './s3-runtime.js';
import { callS3 } from './s3-send.js';

export async function headObject(
  rt: S3Runtime,
  request: HeadObjectRequest,
  ctx: OperationContext,
): Promise<ObjectInfo> {
  const context = contextOf(rt, 'headObject', { bucket: request.bucket, key: request.key });
  return headWithContext(rt, request, ctx, context);
}

/**
 * HeadObject under the caller's error context (UploadPartCopy reads its source with it).
 * HEAD answers carry no error body: a 404 may be a missing bucket or a missing key, so a
 * HeadBucket (only on that failure path) tells which.
 */
export async function headWithContext(
  rt: S3Runtime,
  request: HeadObjectRequest,
  ctx: OperationContext,
  context: ErrorContext,
): Promise<ObjectInfo> {
  try {
    const output = await callS3(ctx.signal, context, (abortSignal) =>
      rt.client.send(
        new HeadObjectCommand(
          compact({
            Bucket: request.bucket,
            Key: request.key,
            VersionId: request.versionId,
            // The object's checksums and their type come back only when asked: the copy engine
            // compares them (no other cost: a HEAD has no body).
            ChecksumMode: 'ENABLED',
            ...sseCustomerInput(request.sseCustomer),
            ...ownershipInput(request),
          }),
        ),
        { abortSignal },
      ),
    );
    return objectInfo(request.bucket, request.key, output);
  } catch (error) {
    if (!PartCopyError.hasCode(error, 'NoSuchKey')) throw error;
    throw await whichIsMissing(rt, error, request.bucket, ctx, context);
  }
}

async function whichIsMissing(
  rt: S3Runtime,
  error: PartCopyError,
  bucket: string,
  ctx: OperationContext,
  context: ErrorContext,
): Promise<PartCopyError> {
  try {
    await callS3(ctx.signal, context, (abortSignal) =>
      rt.client.send(new HeadBucketCommand({ Bucket: bucket }), { abortSignal }),
    );
    return error;
  } catch (bucketError) {
    if (!PartCopyError.hasCode(bucketError, 'NoSuchKey')) return error;
    return new PartCopyError('NoSuchBucket', `The specified bucket does not exist: ${bucket}`, {
      ...context,
      providerCode: 'NotFound',
      cause: bucketError,
    });
  }
}

export async function getObject(
  rt: S3Runtime,
  request: GetObjectRequest,
  ctx: OperationContext,
): Promise<GetObjectResult> {
  const context = contextOf(rt, 'getObject', { bucket: request.bucket, key: request.key });
  const output = await callS3(ctx.signal, context, (abortSignal) =>
    rt.client.send(
      new GetObjectCommand(
        compact({
          Bucket: request.bucket,
          Key: request.key,
          VersionId: request.versionId,
          Range: request.range ? `bytes=${request.range.start}-${request.range.end}` : undefined,
          ...sseCustomerInput(request.sseCustomer),
          ...ownershipInput(request),
        }),
      ),
      { abortSignal },
    ),
  );
  const info = objectInfo(request.bucket, request.key, output);
  const contentLength = output.ContentLength ?? 0;
  const total = totalSize(output.ContentRange);
  return compact({
    ...info,
    size: total ?? info.size,
    body: streamObjectBody(output.Body, ctx.signal, context),
    contentLength,
    range: request.range,
  });
}

export async function putObject(
  rt: S3Runtime,
  request: PutObjectRequest,
  ctx: OperationContext,
): Promise<PutObjectResult> {
  const context = contextOf(rt, 'putObject', { bucket: request.bucket, key: request.key });
  const output = await callS3(ctx.signal, context, (abortSignal) =>
    sendWithBody(request.body, abortSignal, (body, bodySignal) =>
      rt.client.send(
        new PutObjectCommand(
          compact({
            Bucket: request.bucket,
            Key: request.key,
            Body: body,
            ContentLength: request.body.length,
            ContentMD5: request.contentMD5,
            // The SDK computes the named algorithm's checksum and S3 keeps it with the object.
            ChecksumAlgorithm: request.checksumAlgorithm as SdkChecksumAlgorithm | undefined,
            IfMatch: request.ifMatch,
            IfNoneMatch: request.ifNoneMatch,
            ...settingsInput(request),
            ...sseCustomerInput(request.sseCustomer),
            ...sseKmsInput(request),
            ...ownershipInput(request),
          }),
        ),
        { abortSignal: bodySignal },
      ),
    ),
  );
  ctx.onProgress?.(request.body.length, request.body.length);
  return compact({ ...encryptionFrom(output), etag: etagFrom(output.ETag), versionId: output.VersionId });
}

export async function deleteObject(
  rt: S3Runtime,
  request: DeleteObjectRequest,
  ctx: OperationContext,
): Promise<DeleteObjectResult> {
  const context = contextOf(rt, 'deleteObject', { bucket: request.bucket, key: request.key });
  const output = await callS3(ctx.signal, context, (abortSignal) =>
    rt.client.send(
      new DeleteObjectCommand(
        compact({
          Bucket: request.bucket,
          Key: request.key,
          VersionId: request.versionId,
          // Conditional deletes: sent when asked (capability deleteConditions, off by default:
          // general purpose buckets honour only If-Match; directory buckets all three).
          IfMatch: request.ifMatch,
          IfMatchLastModifiedTime: request.ifMatchLastModifiedTime,
          IfMatchSize: request.ifMatchSize,
          ...ownershipInput(request),
        }),
      ),
      { abortSignal },
    ),
  );
  return compact({
    versionId: output.VersionId,
    deleteMarker: output.DeleteMarker,
    requestCharged: output.RequestCharged === 'requester' ? ('requester' as const) : undefined,
  });
}

export async function listObjects(
  rt: S3Runtime,
  request: ListObjectsRequest,
  ctx: OperationContext,
): Promise<ListObjectsResult> {
  const context = contextOf(rt, 'listObjects', { bucket: request.bucket });
  const output = await callS3(ctx.signal, context, (abortSignal) =>
    rt.client.send(
      new ListObjectsV2Command(
        compact({
          Bucket: request.bucket,
          Prefix: request.prefix,
          ContinuationToken: request.continuationToken,
          StartAfter: request.startAfter,
          MaxKeys: request.maxKeys,
        }),
      ),
      { abortSignal },
    ),
  );
  const isTruncated = output.IsTruncated === true;
  return compact({
    objects: (output.Contents ?? []).map((item) => ({
      key: item.Key ?? '',
      size: item.Size ?? 0,
      etag: etagFrom(item.ETag),
      lastModified: item.LastModified ?? new Date(0),
    })),
    nextContinuationToken: isTruncated ? output.NextContinuationToken : undefined,
    isTruncated,
  });
}

/** `bytes 0-9/1234` → 1234. */
function totalSize(contentRange: string | undefined): number | undefined {
  const match = contentRange ? /\/(\d+)$/.exec(contentRange) : null;
  return match ? Number(match[1]) : undefined;
}

function objectInfo(bucket: string, key: string, output: HeadObjectCommandOutput): ObjectInfo {
  return compact({
    ...encryptionFrom(output),
    ...checksumsFrom(output),
    bucket,
    key,
    etag: etagFrom(output.ETag),
    size: output.ContentLength ?? 0,
    lastModified: output.LastModified ?? new Date(0),
    versionId: output.VersionId,
    partsCount: output.PartsCount,
    checksumType: output.ChecksumType,
    contentType: output.ContentType,
    contentEncoding: output.ContentEncoding,
    contentDisposition: output.ContentDisposition,
    contentLanguage: output.ContentLanguage,
    cacheControl: output.CacheControl,
    expires: output.Expires,
    metadata: output.Metadata,
    storageClass: output.StorageClass,
  });
}
