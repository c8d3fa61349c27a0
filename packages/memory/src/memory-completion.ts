/**
 * CompleteMultipartUpload. Everything that can fail is checked before anything changes (S3's
 * completion rules via `planCompletion`, checksum rules, sizes, destination conditions); the new
 * object is then assembled off to the side and published in one synchronous step together with
 * removing the upload, so readers see the old object or the new one and never a torn one. Parts
 * uploaded but not listed are discarded with the upload.
 */
import type {
  Checksums,
  CompleteMultipartUploadRequest,
  CompleteMultipartUploadResult,
  OperationContext,
} from '@partcopy/core/provider';
import {
  checkCompletedObjectSize,
  checkCompletionChecksumType,
  checkListedPartChecksums,
  checkStatedObjectChecksum,
  checksumEntry,
  checksumField,
  checksumOf,
  compositeChecksum,
  multipartEtag,
  planCompletion,
  sseCustomerResult,
} from '@partcopy/core/provider';
import { concatenate } from './memory-bytes.js';
import { encryptionResult, withEncryption } from './memory-encryption.js';
import { type MemoryEnv, operationContext } from './memory-env.js';
import { checkAborted } from './memory-errors.js';
import { uploadFields } from './memory-multipart.js';
import type { MemoryUpload, StoredObject, StoredPart } from './memory-store.js';
import { noSuchUpload, requireUpload } from './memory-uploads.js';
import { nextVersionId, publishVersion, requireBucket, writtenVersionId } from './memory-versions.js';
import { checkWriteConditions } from './memory-write-conditions.js';

/** Completes an upload: checks, assembles, publishes atomically, forgets the upload. */
export async function completeMultipartUpload(
  env: MemoryEnv,
  request: CompleteMultipartUploadRequest,
  ctx: OperationContext,
): Promise<CompleteMultipartUploadResult> {
  const context = operationContext('completeMultipartUpload', uploadFields(request));
  checkAborted(ctx.signal, context);
  const upload = requireUpload(env.store, request, context);
  const bucket = requireBucket(env.store, request.bucket, context);
  const conditions = { ifMatch: request.ifMatch, ifNoneMatch: request.ifNoneMatch };
  checkWriteConditions(bucket, request.key, conditions, 'before', context);
  checkCompletionChecksumType(upload.checksumType, request.checksumType, context);
  const plan = planCompletion(
    request.parts,
    upload.parts,
    { minPartSize: env.capabilities.minPartSize },
    context,
  );
  checkListedPartChecksums(upload, request.parts, plan, context);
  const size = plan.reduce((sum, part) => sum + part.size, 0);
  checkCompletedObjectSize(size, env.capabilities.maxObjectSize, request.mpObjectSize, context);
  const data = await concatenate(
    plan.map((part) => part.data),
    ctx.signal,
    context,
  );
  const checksums = objectChecksums(upload, plan, data);
  checkStatedObjectChecksum(upload.checksumAlgorithm, request, checksums, context);
  const object: StoredObject = {
    kind: 'object',
    versionId: nextVersionId(env.store, bucket),
    data,
    etag: multipartEtag(plan.map((part) => part.etag)),
    lastModified: env.store.now(),
    settings: upload.settings,
    ...(upload.sseKeyMD5 === undefined ? {} : { sseKeyMD5: upload.sseKeyMD5 }),
    ...withEncryption(upload.encryption),
    checksums,
    ...(upload.checksumType === undefined ? {} : { checksumType: upload.checksumType }),
    partsCount: plan.length,
    parts: plan.map((part) => ({ size: part.size, ...part.checksums })),
  };
  // From here to the end nothing awaits: the checks and the swap are one step.
  checkAborted(ctx.signal, context);
  if (env.store.uploads.get(upload.uploadId) !== upload) throw noSuchUpload(context);
  checkWriteConditions(bucket, request.key, conditions, 'publish', context);
  publishVersion(bucket, request.key, object);
  env.store.uploads.delete(upload.uploadId);
  upload.parts.clear();
  return completionResult(request, upload, object, writtenVersionId(bucket, object));
}

function completionResult(
  request: CompleteMultipartUploadRequest,
  upload: MemoryUpload,
  object: StoredObject,
  versionId: string | undefined,
): CompleteMultipartUploadResult {
  const result: CompleteMultipartUploadResult = {
    bucket: request.bucket,
    key: request.key,
    etag: object.etag,
    ...object.checksums,
    ...sseCustomerResult(upload.sseKeyMD5),
    ...encryptionResult(upload.encryption),
  };
  if (versionId !== undefined) result.versionId = versionId;
  if (upload.checksumType !== undefined) result.checksumType = upload.checksumType;
  return result;
}

/**
 * The object's checksum: COMPOSITE is the checksum of the parts' binary checksums with `-N`;
 * FULL_OBJECT is the CRC of all the bytes (computed directly: the bytes are all here).
 */
function objectChecksums(upload: MemoryUpload, plan: readonly StoredPart[], data: Uint8Array): Checksums {
  const algorithm = upload.checksumAlgorithm;
  if (algorithm === undefined) return {};
  if (upload.checksumType === 'FULL_OBJECT') return checksumEntry(algorithm, checksumOf(algorithm, data));
  const field = checksumField(algorithm);
  return checksumEntry(
    algorithm,
    compositeChecksum(
      algorithm,
      plan.map((part) => part.checksums[field] as string),
    ),
  );
}
