/**
 * Bucket versioning on S3: PutBucketVersioning, GetBucketVersioning and ListObjectVersions,
 * passed through as S3 answers them (S3 is the reference these operations are modelled on).
 */
import {
  GetBucketVersioningCommand,
  ListObjectVersionsCommand,
  PutBucketVersioningCommand,
} from '@aws-sdk/client-s3';
import type {
  GetBucketVersioningRequest,
  GetBucketVersioningResult,
  ListObjectVersionsRequest,
  ListObjectVersionsResult,
  OperationContext,
  PutBucketVersioningRequest,
} from '@partcopy/core/provider';
import { quoteEtag } from '@partcopy/core/provider';
import { compact } from './s3-fields.js';
import { contextOf, type S3Runtime } from './s3-runtime.js';
import { callS3 } from './s3-send.js';

export async function putBucketVersioning(
  rt: S3Runtime,
  request: PutBucketVersioningRequest,
  ctx: OperationContext,
): Promise<void> {
  const context = contextOf(rt, 'putBucketVersioning', { bucket: request.bucket });
  await callS3(ctx.signal, context, (abortSignal) =>
    rt.client.send(
      new PutBucketVersioningCommand({
        Bucket: request.bucket,
        VersioningConfiguration: { Status: request.status },
      }),
      { abortSignal },
    ),
  );
}

export async function getBucketVersioning(
  rt: S3Runtime,
  request: GetBucketVersioningRequest,
  ctx: OperationContext,
): Promise<GetBucketVersioningResult> {
  const context = contextOf(rt, 'getBucketVersioning', { bucket: request.bucket });
  const answer = await callS3(ctx.signal, context, (abortSignal) =>
    rt.client.send(new GetBucketVersioningCommand({ Bucket: request.bucket }), { abortSignal }),
  );
  const status = answer.Status;
  return status === 'Enabled' || status === 'Suspended' ? { status } : {};
}

export async function listObjectVersions(
  rt: S3Runtime,
  request: ListObjectVersionsRequest,
  ctx: OperationContext,
): Promise<ListObjectVersionsResult> {
  const context = contextOf(rt, 'listObjectVersions', { bucket: request.bucket });
  const answer = await callS3(ctx.signal, context, (abortSignal) =>
    rt.client.send(
      new ListObjectVersionsCommand(
        compact({
          Bucket: request.bucket,
          Prefix: request.prefix,
          Delimiter: request.delimiter,
          KeyMarker: request.keyMarker,
          VersionIdMarker: request.versionIdMarker,
          MaxKeys: request.maxKeys,
        }),
      ),
      { abortSignal },
    ),
  );
  const result: ListObjectVersionsResult = {
    versions: (answer.Versions ?? []).map((v) => ({
      key: v.Key ?? '',
      versionId: v.VersionId ?? 'null',
      isLatest: v.IsLatest === true,
      lastModified: v.LastModified ?? new Date(0),
      etag: quoteEtag(v.ETag ?? ''),
      size: v.Size ?? 0,
      ...(v.StorageClass === undefined ? {} : { storageClass: v.StorageClass }),
    })),
    deleteMarkers: (answer.DeleteMarkers ?? []).map((m) => ({
      key: m.Key ?? '',
      versionId: m.VersionId ?? 'null',
      isLatest: m.IsLatest === true,
      lastModified: m.LastModified ?? new Date(0),
    })),
    commonPrefixes: (answer.CommonPrefixes ?? []).flatMap((p) => (p.Prefix === undefined ? [] : [p.Prefix])),
    isTruncated: answer.IsTruncated === true,
  };
  if (result.isTruncated && answer.NextKeyMarker !== undefined) result.nextKeyMarker = answer.NextKeyMarker;
  if (result.isTruncated && answer.NextVersionIdMarker !== undefined)
    result.nextVersionIdMarker = answer.NextVersionIdMarker;
  return result;
}
