/**
 * UploadPartCopy, the operation this package is the reference for. The checks run in S3's
 * order: the destination upload (`NoSuchBucket`, `NoSuchUpload`) and its SSE-C key, then the
 * source (`NoSuchBucket`, `NoSuchKey` / `NoSuchVersion` / delete marker) and its SSE-C key, then
 * the source conditions, then the range. The bytes come from the exact version the conditions
 * were decided on: stored versions are immutable and the copy holds that version, so a write to
 * the source during a long copy cannot change what is copied.
 */
import type {
  ErrorContext,
  OperationContext,
  UploadPartCopyRequest,
  UploadPartCopyResult,
} from '@partcopy/core/provider';
import {
  checkCopySourceSize,
  checkObjectSseCustomerKey,
  checkUploadSseCustomerKey,
  copyLength,
  evaluateCopySourceConditions,
  resolveCopyRange,
  sseCustomerResult,
} from '@partcopy/core/provider';
import { copyRange } from './memory-bytes.js';
import { encryptionResult } from './memory-encryption.js';
import { type MemoryEnv, operationContext } from './memory-env.js';
import { checkAborted } from './memory-errors.js';
import { uploadFields } from './memory-multipart.js';
import type { MemoryBucket, StoredObject } from './memory-store.js';
import { newPart, requireUpload, storePart } from './memory-uploads.js';
import { requireBucket, resolveObject } from './memory-versions.js';

/** Copies a byte range of a source object into a part of a multipart upload. */
export async function uploadPartCopy(
  env: MemoryEnv,
  request: UploadPartCopyRequest,
  ctx: OperationContext,
): Promise<UploadPartCopyResult> {
  const context = copyContext(request);
  checkAborted(ctx.signal, context);
  const upload = requireUpload(env.store, request, context);
  checkUploadSseCustomerKey(upload.sseKeyMD5, request.sseCustomer, context);
  const { bucket, object } = copySource(env, request, context);
  evaluateCopySourceConditions(request.conditions, object, context);
  const range = resolveCopyRange(request.range, object.data.length, context);
  checkCopySourceSize(copyLength(range), env.capabilities.maxPartSize, context);
  const data = await copyRange(object.data, range, ctx.signal, ctx.onProgress, context);
  const part = newPart(upload, request.partNumber, data, env.store.now());
  checkAborted(ctx.signal, context);
  storePart(env.store, upload, part, context);
  const result: UploadPartCopyResult = {
    copyPartResult: { etag: part.etag, lastModified: part.lastModified, ...part.checksums },
    ...sseCustomerResult(upload.sseKeyMD5),
    ...encryptionResult(upload.encryption),
    transfer: 'server-side',
    bytesCopied: data.length,
  };
  if (bucket.versioning !== undefined) result.copySourceVersionId = object.versionId;
  return result;
}

/** The source version, after S3's bucket, key, version and SSE-C checks. */
function copySource(
  env: MemoryEnv,
  request: UploadPartCopyRequest,
  context: ErrorContext,
): { bucket: MemoryBucket; object: StoredObject } {
  const bucket = requireBucket(env.store, request.source.bucket, context);
  const object = resolveObject(bucket, request.source.key, request.source.versionId, 'copy-source', context);
  checkObjectSseCustomerKey(object.sseKeyMD5, request.sourceSseCustomer, context);
  return { bucket, object };
}

function copyContext(request: UploadPartCopyRequest): ErrorContext {
  const context: ErrorContext = {
    ...operationContext('uploadPartCopy', uploadFields(request, request.partNumber)),
    sourceBucket: request.source.bucket,
    sourceKey: request.source.key,
  };
  if (request.source.versionId !== undefined) context.sourceVersionId = request.source.versionId;
  return context;
}
