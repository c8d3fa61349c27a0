/**
 * CompleteMultipartUpload. Everything that can fail is checked before anything changes (S3's
 * completion rules via `planCompletion`, checksum rules, sizes, destination conditions); the new
 * object is then assembled off to the side and published in one synchronous step together with
 * removing the upload, so readers see the old object or the new one and never a torn one. Parts
 * uploaded but not listed are discarded with the upload.
 */
import type {
  ChecksumAlgorithm,
  Checksums,
  CompleteMultipartUploadRequest,
  CompleteMultipartUploadResult,
  ErrorContext,
  OperationContext,
} from '@partcopy/core';
import { multipartEtag, planCompletion } from '@partcopy/core';
import { CHECKSUM_FIELD, checksumField, checksumOf, compositeChecksum } from './checksums/checksum.js';
import { concatenate } from './memory-bytes.js';
import { type MemoryEnv, operationContext } from './memory-env.js';
import { checkAborted, memoryError } from './memory-errors.js';
import { badChecksum } from './memory-integrity.js';
import { uploadFields } from './memory-multipart.js';
import { sseResult } from './memory-sse.js';
import type { MemoryUpload, StoredObject, StoredPart } from './memory-store.js';
import { noSuchUpload, requireUpload } from './memory-uploads.js';
import { nextVersionId, publishVersion, requireBucket, visibleVersionId } from './memory-versions.js';
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
  checkChecksumType(upload, request, context);
  const plan = planCompletion(
    request.parts,
    upload.parts,
    { minPartSize: env.capabilities.minPartSize },
    context,
  );
  checkPartChecksums(upload, request, plan, context);
  checkTotalSize(plan, env.capabilities.maxObjectSize, request.mpObjectSize, context);
  const data = await concatenate(
    plan.map((part) => part.data),
    ctx.signal,
    context,
  );
  const checksums = objectChecksums(upload, plan, data);
  checkStatedChecksum(upload, request, checksums, context);
  const object: StoredObject = {
    kind: 'object',
    versionId: nextVersionId(env.store, bucket),
    data,
    etag: multipartEtag(plan.map((part) => part.etag)),
    lastModified: env.store.now(),
    settings: upload.settings,
    ...(upload.sseKeyMD5 === undefined ? {} : { sseKeyMD5: upload.sseKeyMD5 }),
    checksums,
    ...(upload.checksumType === undefined ? {} : { checksumType: upload.checksumType }),
    partsCount: plan.length,
  };
  // From here to the end nothing awaits: the checks and the swap are one step.
  checkAborted(ctx.signal, context);
  if (env.store.uploads.get(upload.uploadId) !== upload) throw noSuchUpload(context);
  checkWriteConditions(bucket, request.key, conditions, 'publish', context);
  publishVersion(bucket, request.key, object);
  env.store.uploads.delete(upload.uploadId);
  upload.parts.clear();
  return completionResult(request, upload, object, visibleVersionId(bucket, object));
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
    ...sseResult(upload.sseKeyMD5),
  };
  if (versionId !== undefined) result.versionId = versionId;
  if (upload.checksumType !== undefined) result.checksumType = upload.checksumType;
  return result;
}

/** S3: the completion may not name another checksum type than the upload was created with. */
function checkChecksumType(
  upload: MemoryUpload,
  request: CompleteMultipartUploadRequest,
  context: ErrorContext,
): void {
  if (request.checksumType === undefined || request.checksumType === upload.checksumType) return;
  throw memoryError(
    'InvalidRequest',
    `The upload was created using the ${upload.checksumType ?? 'no'} checksum mode. The complete request must use the same checksum mode.`,
    context,
  );
}

/**
 * Part checksums in the completion list. For a COMPOSITE upload S3 requires one per part
 * (`InvalidRequest` when missing); for any upload with an algorithm a stated one must match the
 * stored part (`InvalidPart`).
 */
function checkPartChecksums(
  upload: MemoryUpload,
  request: CompleteMultipartUploadRequest,
  plan: readonly StoredPart[],
  context: ErrorContext,
): void {
  const algorithm = upload.checksumAlgorithm;
  if (algorithm === undefined) return;
  const field = CHECKSUM_FIELD[algorithm];
  request.parts.forEach((listed, index) => {
    const stated = listed[field];
    const partContext = { ...context, partNumber: listed.partNumber };
    if (stated === undefined && upload.checksumType === 'COMPOSITE') {
      throw memoryError(
        'InvalidRequest',
        `The upload was created using a ${algorithm.toLowerCase()} checksum. The complete request must include the checksum for each part. It was missing for part ${listed.partNumber} in the request.`,
        partContext,
      );
    }
    if (stated !== undefined && stated !== plan[index]?.checksums[field]) {
      throw memoryError(
        'InvalidPart',
        `One or more of the specified parts could not be found or its checksum did not match (part ${listed.partNumber})`,
        partContext,
      );
    }
  });
}

function checkTotalSize(
  plan: readonly StoredPart[],
  maxObjectSize: number,
  stated: number | undefined,
  context: ErrorContext,
): void {
  const total = plan.reduce((sum, part) => sum + part.size, 0);
  if (total > maxObjectSize) {
    throw memoryError(
      'EntityTooLarge',
      `Your proposed upload exceeds the maximum allowed object size (${maxObjectSize} bytes)`,
      context,
    );
  }
  if (stated !== undefined && stated !== total) {
    throw memoryError(
      'InvalidRequest',
      `The provided 'x-amz-mp-object-size' header value ${stated} does not match what was computed: ${total}`,
      context,
    );
  }
}

/**
 * The object's checksum: COMPOSITE is the checksum of the parts' binary checksums with `-N`;
 * FULL_OBJECT is the CRC of all the bytes (computed directly: the bytes are all here).
 */
function objectChecksums(upload: MemoryUpload, plan: readonly StoredPart[], data: Uint8Array): Checksums {
  const algorithm = upload.checksumAlgorithm;
  if (algorithm === undefined) return {};
  if (upload.checksumType === 'FULL_OBJECT') return checksumField(algorithm, checksumOf(algorithm, data));
  const field = CHECKSUM_FIELD[algorithm];
  return checksumField(
    algorithm,
    compositeChecksum(
      algorithm,
      plan.map((part) => part.checksums[field] as string),
    ),
  );
}

/** A whole-object checksum the caller stated must match (`-N` suffix optional for composite). */
function checkStatedChecksum(
  upload: MemoryUpload,
  request: CompleteMultipartUploadRequest,
  checksums: Checksums,
  context: ErrorContext,
): void {
  const algorithm: ChecksumAlgorithm | undefined = upload.checksumAlgorithm;
  if (algorithm === undefined) return;
  const field = CHECKSUM_FIELD[algorithm];
  const stated = request[field];
  const actual = checksums[field] as string;
  if (stated !== undefined && stated !== actual && stated !== actual.replace(/-\d+$/, ''))
    throw badChecksum(algorithm, context);
}
