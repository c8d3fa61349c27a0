/**
 * Bucket management (for tests and demos): create, with versioning on request; list; delete when empty;
 * enable or suspend versioning and read its state.
 */
import type {
  BucketEncryptionRequest,
  CreateBucketRequest,
  DeleteBucketRequest,
  GetBucketEncryptionResult,
  GetBucketVersioningRequest,
  GetBucketVersioningResult,
  ListBucketsResult,
  OperationContext,
  PutBucketEncryptionRequest,
  PutBucketVersioningRequest,
} from '@partcopy/core/provider';
import { encryptionResult, storedBucketEncryption } from './memory-encryption.js';
import { type MemoryEnv, operationContext } from './memory-env.js';
import { checkAborted, memoryError } from './memory-errors.js';
import { requireBucket } from './memory-versions.js';

/** ListBuckets: every bucket of the store. */
export async function listBuckets(env: MemoryEnv, ctx: OperationContext): Promise<ListBucketsResult> {
  checkAborted(ctx.signal, operationContext('listBuckets', {}));
  return {
    buckets: [...env.store.buckets.values()].map((b) => ({ name: b.name, creationDate: b.created })),
  };
}

/** Every bucket in a store belongs to its one account, so an existing name is `BucketAlreadyOwnedByYou`. */
export async function createBucket(
  env: MemoryEnv,
  request: CreateBucketRequest,
  ctx: OperationContext,
): Promise<void> {
  const context = operationContext('createBucket', { bucket: request.bucket });
  checkAborted(ctx.signal, context);
  if (env.store.buckets.has(request.bucket)) {
    throw memoryError(
      'BucketAlreadyOwnedByYou',
      'Your previous request to create the named bucket succeeded and you already own it.',
      context,
    );
  }
  env.store.buckets.set(request.bucket, {
    name: request.bucket,
    versioning: request.versioning === true ? 'Enabled' : undefined,
    created: env.store.now(),
    keys: new Map(),
  });
}

/**
 * Deletes a bucket with no object versions and no delete markers (S3 counts both:
 * `BucketNotEmpty`). Its in-progress uploads are discarded with it.
 */
export async function deleteBucket(
  env: MemoryEnv,
  request: DeleteBucketRequest,
  ctx: OperationContext,
): Promise<void> {
  const context = operationContext('deleteBucket', { bucket: request.bucket });
  checkAborted(ctx.signal, context);
  const bucket = requireBucket(env.store, request.bucket, context);
  if (bucket.keys.size > 0)
    throw memoryError('BucketNotEmpty', 'The bucket you tried to delete is not empty', context);
  for (const [uploadId, upload] of env.store.uploads) {
    if (upload.bucket === request.bucket) env.store.uploads.delete(uploadId);
  }
  env.store.buckets.delete(request.bucket);
}

/** S3 PutBucketVersioning: the state applies to later writes; versions already kept stay. */
export async function putBucketVersioning(
  env: MemoryEnv,
  request: PutBucketVersioningRequest,
  ctx: OperationContext,
): Promise<void> {
  const context = operationContext('putBucketVersioning', { bucket: request.bucket });
  checkAborted(ctx.signal, context);
  requireBucket(env.store, request.bucket, context).versioning = request.status;
}

/** S3 GetBucketVersioning: no status until versioning was first enabled (or suspended). */
export async function getBucketVersioning(
  env: MemoryEnv,
  request: GetBucketVersioningRequest,
  ctx: OperationContext,
): Promise<GetBucketVersioningResult> {
  const context = operationContext('getBucketVersioning', { bucket: request.bucket });
  checkAborted(ctx.signal, context);
  const { versioning } = requireBucket(env.store, request.bucket, context);
  return versioning === undefined ? {} : { status: versioning };
}

/** S3 PutBucketEncryption: the default of later writes that name no encryption. */
export async function putBucketEncryption(
  env: MemoryEnv,
  request: PutBucketEncryptionRequest,
  ctx: OperationContext,
): Promise<void> {
  const context = operationContext('putBucketEncryption', { bucket: request.bucket });
  checkAborted(ctx.signal, context);
  requireBucket(env.store, request.bucket, context).encryption = storedBucketEncryption(request.encryption);
}

/** S3 GetBucketEncryption: the default, or none. */
export async function getBucketEncryption(
  env: MemoryEnv,
  request: BucketEncryptionRequest,
  ctx: OperationContext,
): Promise<GetBucketEncryptionResult> {
  const context = operationContext('getBucketEncryption', { bucket: request.bucket });
  checkAborted(ctx.signal, context);
  const { encryption } = requireBucket(env.store, request.bucket, context);
  if (encryption === undefined) return {};
  const result = encryptionResult(encryption);
  return {
    encryption: {
      serverSideEncryption: encryption.serverSideEncryption,
      ...(result.sseKMSKeyId === undefined ? {} : { sseKMSKeyId: result.sseKMSKeyId }),
      ...(result.bucketKeyEnabled ? { bucketKeyEnabled: true } : {}),
    },
  };
}

/** S3 DeleteBucketEncryption: objects already written keep theirs. */
export async function deleteBucketEncryption(
  env: MemoryEnv,
  request: BucketEncryptionRequest,
  ctx: OperationContext,
): Promise<void> {
  const context = operationContext('deleteBucketEncryption', { bucket: request.bucket });
  checkAborted(ctx.signal, context);
  requireBucket(env.store, request.bucket, context).encryption = undefined;
}
