/** Multipart uploads: create, upload a part, abort, list parts and list uploads (S3 pagination). */
import type {
  CreateMultipartUploadRequest,
  CreateMultipartUploadResult,
  ErrorContext,
  ListMultipartUploadsRequest,
  ListMultipartUploadsResult,
  ListPartsRequest,
  ListPartsResult,
  MultipartUploadInfo,
  OperationContext,
  PartInfo,
  UploadPartRequest,
  UploadPartResult,
  UploadRef,
} from '@partcopy/core/provider';
import {
  checkBodySize,
  checkUploadSseCustomerKey,
  listUploadsPage,
  resolveUploadChecksum,
  sseCustomerResult,
  takeListPage,
} from '@partcopy/core/provider';
import { readPayload } from './memory-bytes.js';
import { encryptionResult, withEncryption, writeEncryption } from './memory-encryption.js';
import { type MemoryEnv, operationContext } from './memory-env.js';
import { checkAborted } from './memory-errors.js';
import { checkContentMD5 } from './memory-integrity.js';
import { copySettings } from './memory-settings.js';
import { MemoryStore, type MemoryUpload } from './memory-store.js';
import { newPart, requireUpload, storePart } from './memory-uploads.js';
import { requireBucket } from './memory-versions.js';

/**
 * CreateMultipartUpload: records the settings, SSE-C key MD5 and checksum algorithm/type. As S3,
 * a checksum type needs an algorithm, SHA checksums are composite only and CRC64NVME full-object
 * only (`InvalidRequest` otherwise); with no type, CRC64NVME is full-object and the rest composite.
 */
export async function createMultipartUpload(
  env: MemoryEnv,
  request: CreateMultipartUploadRequest,
  ctx: OperationContext,
): Promise<CreateMultipartUploadResult> {
  const context = operationContext('createMultipartUpload', { bucket: request.bucket, key: request.key });
  checkAborted(ctx.signal, context);
  const bucket = requireBucket(env.store, request.bucket, context);
  const checksum = resolveUploadChecksum(request, context);
  const { uploadId, sequence } = env.store.newUploadId();
  const sseKeyMD5 = request.sseCustomer?.keyMD5;
  const upload: MemoryUpload = {
    uploadId,
    bucket: request.bucket,
    key: request.key,
    initiated: env.store.now(),
    sequence,
    settings: copySettings(request),
    ...(sseKeyMD5 === undefined ? {} : { sseKeyMD5 }),
    ...withEncryption(writeEncryption(request, bucket.encryption)),
    ...checksum,
    parts: new Map(),
  };
  env.store.uploads.set(uploadId, upload);
  return {
    bucket: request.bucket,
    key: request.key,
    uploadId,
    ...checksum,
    ...sseCustomerResult(sseKeyMD5),
    ...encryptionResult(upload.encryption),
  };
}

/** UploadPart: stores the body as the part (replacing one of the same number) and returns its ETag. */
export async function uploadPart(
  env: MemoryEnv,
  request: UploadPartRequest,
  ctx: OperationContext,
): Promise<UploadPartResult> {
  const context = operationContext('uploadPart', uploadFields(request, request.partNumber));
  checkAborted(ctx.signal, context);
  const upload = requireUpload(env.store, request, context);
  checkUploadSseCustomerKey(upload.sseKeyMD5, request.sseCustomer, context);
  checkBodySize(request.body.length, env.capabilities.maxPartSize, context);
  const data = await readPayload(request.body, ctx, context);
  checkContentMD5(data, request.contentMD5, context);
  const part = newPart(upload, request.partNumber, data, env.store.now());
  checkAborted(ctx.signal, context);
  storePart(env.store, upload, part, context);
  return {
    etag: part.etag,
    ...part.checksums,
    ...sseCustomerResult(upload.sseKeyMD5),
    ...encryptionResult(upload.encryption),
  };
}

/** AbortMultipartUpload: the upload and all its parts are gone; the key's object is untouched. */
export async function abortMultipartUpload(
  env: MemoryEnv,
  request: UploadRef,
  ctx: OperationContext,
): Promise<void> {
  const context = operationContext('abortMultipartUpload', uploadFields(request));
  checkAborted(ctx.signal, context);
  const upload = requireUpload(env.store, request, context);
  env.store.uploads.delete(upload.uploadId);
  upload.parts.clear();
}

/**
 * ListParts: parts after `partNumberMarker` in ascending order, `maxParts` (default and at most
 * 1000) per page; `nextPartNumberMarker` is the last part listed, as S3.
 */
export async function listParts(
  env: MemoryEnv,
  request: ListPartsRequest,
  ctx: OperationContext,
): Promise<ListPartsResult> {
  const context = operationContext('listParts', uploadFields(request));
  checkAborted(ctx.signal, context);
  const upload = requireUpload(env.store, request, context);
  const marker = request.partNumberMarker ?? 0;
  const after = [...upload.parts.values()]
    .filter((part) => part.partNumber > marker)
    .sort((a, b) => a.partNumber - b.partNumber);
  const { page, isTruncated } = takeListPage(after, request.maxParts);
  const parts: PartInfo[] = page.map((part) => ({
    partNumber: part.partNumber,
    etag: part.etag,
    size: part.size,
    lastModified: part.lastModified,
    ...part.checksums,
  }));
  const result: ListPartsResult = {
    bucket: upload.bucket,
    key: upload.key,
    uploadId: upload.uploadId,
    parts,
    isTruncated,
  };
  const last = page.at(-1);
  if (last) result.nextPartNumberMarker = last.partNumber;
  if (upload.checksumAlgorithm) result.checksumAlgorithm = upload.checksumAlgorithm;
  if (upload.checksumType) result.checksumType = upload.checksumType;
  return result;
}

/**
 * ListMultipartUploads: in-progress uploads of the bucket ordered by key, then by initiation.
 * As S3: with only `keyMarker`, uploads of keys after it; with `uploadIdMarker` too, also the
 * uploads of that same key initiated after that upload. `maxUploads` defaults to (and is at
 * most) 1000; a truncated page gives both next markers.
 */
export async function listMultipartUploads(
  env: MemoryEnv,
  request: ListMultipartUploadsRequest,
  ctx: OperationContext,
): Promise<ListMultipartUploadsResult> {
  const context = operationContext('listMultipartUploads', { bucket: request.bucket });
  checkAborted(ctx.signal, context);
  requireBucket(env.store, request.bucket, context);
  const listed = [...env.store.uploads.values()].filter((upload) => upload.bucket === request.bucket);
  const page = listUploadsPage(listed, request, {
    compareSameKey: (a, b) => a.sequence - b.sequence,
    // The marker's initiation order is read from its id, so paging still works when the marker
    // upload itself was completed or aborted between two pages.
    afterMissingMarker: (upload, uploadIdMarker) => {
      const sequence = MemoryStore.sequenceOf(uploadIdMarker);
      return sequence !== undefined && upload.sequence > sequence;
    },
  });
  return { bucket: request.bucket, ...page, uploads: page.uploads.map(uploadInfo) };
}

function uploadInfo(upload: MemoryUpload): MultipartUploadInfo {
  const info: MultipartUploadInfo = {
    key: upload.key,
    uploadId: upload.uploadId,
    initiated: upload.initiated,
  };
  info.storageClass = upload.settings.storageClass ?? 'STANDARD';
  if (upload.checksumAlgorithm) info.checksumAlgorithm = upload.checksumAlgorithm;
  return info;
}

/** The error context naming an upload (and a part). */
export function uploadFields(request: UploadRef, partNumber?: number): ErrorContext {
  const fields: ErrorContext = { bucket: request.bucket, key: request.key, uploadId: request.uploadId };
  if (partNumber !== undefined) fields.partNumber = partNumber;
  return fields;
}
