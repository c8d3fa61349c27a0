/**
 * Buckets: CreateBucket (with the directory-bucket configuration and, on request, versioning),
 * ListBuckets and DeleteBucket.
 */
import {
  CreateBucketCommand,
  DeleteBucketCommand,
  HeadBucketCommand,
  ListBucketsCommand,
  PutBucketVersioningCommand,
} from '@aws-sdk/client-s3';
import {
  type CreateBucketRequest,
  type DeleteBucketRequest,
  type ErrorContext,
  type ListBucketsResult,
  type OperationContext,
  PartCopyError,
} from '@partcopy/core/provider';
import { directoryBucketLocation } from './directory-bucket.js';
import { compact } from './s3-fields.js';
import { contextOf, type S3Runtime } from './s3-runtime.js';
import { callS3 } from './s3-send.js';

/** ListBuckets, page after page (general purpose buckets: directory buckets are listed apart). */
export async function listBuckets(rt: S3Runtime, ctx: OperationContext): Promise<ListBucketsResult> {
  const context = contextOf(rt, 'listBuckets', {});
  const buckets: ListBucketsResult['buckets'] = [];
  let token: string | undefined;
  do {
    const output = await callS3(ctx.signal, context, (abortSignal) =>
      rt.client.send(new ListBucketsCommand(compact({ ContinuationToken: token })), { abortSignal }),
    );
    for (const bucket of output.Buckets ?? []) {
      if (bucket.Name === undefined) continue;
      buckets.push(compact({ name: bucket.Name, creationDate: bucket.CreationDate }));
    }
    token = output.ContinuationToken;
  } while (token);
  return { buckets };
}

export async function createBucket(
  rt: S3Runtime,
  request: CreateBucketRequest,
  ctx: OperationContext,
): Promise<void> {
  const context = contextOf(rt, 'createBucket', { bucket: request.bucket });
  await refuseExistingBucket(rt, request.bucket, ctx, context);
  const location = directoryBucketLocation(request.bucket);
  const configuration = location
    ? {
        Location: { Type: location.type, Name: location.zoneId },
        Bucket: { Type: 'Directory' as const, DataRedundancy: location.dataRedundancy },
      }
    : undefined;
  await callS3(ctx.signal, context, (abortSignal) =>
    rt.client.send(
      new CreateBucketCommand(compact({ Bucket: request.bucket, CreateBucketConfiguration: configuration })),
      { abortSignal },
    ),
  );
  if (!request.versioning) return;
  try {
    await callS3(ctx.signal, context, (abortSignal) =>
      rt.client.send(
        new PutBucketVersioningCommand({
          Bucket: request.bucket,
          VersioningConfiguration: { Status: 'Enabled' },
        }),
        { abortSignal },
      ),
    );
  } catch (error) {
    // Leave no half-made bucket behind: the caller asked for a versioned one. (Skipped, like
    // every request, once the caller's signal has fired.)
    await rt.client
      .send(new DeleteBucketCommand({ Bucket: request.bucket }), { abortSignal: ctx.signal })
      .catch(() => undefined);
    throw error;
  }
}

// S3 answers CreateBucket for a bucket you already own with 200 in us-east-1 (and moto does
// everywhere); the contract wants BucketAlreadyOwnedByYou, so one HeadBucket asks first.
// A 403 says nothing certain (another account's bucket, bad credentials, or a policy without
// s3:ListBucket on a name that is free): CreateBucket is sent and its own answer decides
// (409 BucketAlreadyExists, 403 AccessDenied, or success).
async function refuseExistingBucket(
  rt: S3Runtime,
  bucket: string,
  ctx: OperationContext,
  context: ErrorContext,
): Promise<void> {
  try {
    await callS3(ctx.signal, context, (abortSignal) =>
      rt.client.send(new HeadBucketCommand({ Bucket: bucket }), { abortSignal }),
    );
  } catch (error) {
    if (PartCopyError.hasCode(error, 'NoSuchKey') || PartCopyError.hasCode(error, 'NoSuchBucket')) return;
    if (PartCopyError.hasCode(error, 'AccessDenied')) return;
    throw error;
  }
  throw new PartCopyError('BucketAlreadyOwnedByYou', `The bucket ${bucket} already exists and is yours`, {
    ...context,
    providerCode: 'HeadBucket',
  });
}

export async function deleteBucket(
  rt: S3Runtime,
  request: DeleteBucketRequest,
  ctx: OperationContext,
): Promise<void> {
  const context = contextOf(rt, 'deleteBucket', { bucket: request.bucket });
  await callS3(ctx.signal, context, (abortSignal) =>
    rt.client.send(new DeleteBucketCommand({ Bucket: request.bucket }), { abortSignal }),
  );
}
