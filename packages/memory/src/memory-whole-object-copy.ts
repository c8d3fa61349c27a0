/**
 * CopyObject: a whole object copied inside the store. The checks run in S3's order: the
 * destination bucket, the source (`NoSuchBucket`, `NoSuchKey` / `NoSuchVersion` / delete marker)
 * and its SSE-C key, the source conditions, the size limit, the destination conditions. Stored
 * byte arrays are immutable, so the copy shares the source version's bytes: the version the
 * conditions were decided on is exactly what is copied, whatever writes the source meanwhile,
 * and publication is one synchronous step.
 */
import type {
  ErrorContext,
  ObjectSettings,
  OperationContext,
  ServerSideCopyRequest,
  ServerSideCopyResult,
} from '@partcopy/core/provider';
import {
  checkCopySourceSize,
  checkObjectSseCustomerKey,
  checksumEntry,
  checksumOf,
  contentEtag,
  evaluateCopySourceConditions,
  sseCustomerResult,
} from '@partcopy/core/provider';
import {
  encryptionResult,
  type StoredEncryption,
  withEncryption,
  writeEncryption,
} from './memory-encryption.js';
import { type MemoryEnv, operationContext } from './memory-env.js';
import { checkAborted } from './memory-errors.js';
import { copySettings } from './memory-settings.js';
import type { StoredObject } from './memory-store.js';
import {
  nextVersionId,
  publishVersion,
  requireBucket,
  resolveObject,
  writtenVersionId,
} from './memory-versions.js';
import { checkWriteConditions } from './memory-write-conditions.js';

/** Copies the whole source object to the destination key. */
export async function copyObject(
  env: MemoryEnv,
  request: ServerSideCopyRequest,
  ctx: OperationContext,
): Promise<ServerSideCopyResult> {
  const context = copyContext(request);
  checkAborted(ctx.signal, context);
  const destination = requireBucket(env.store, request.bucket, context);
  const sourceBucket = requireBucket(env.store, request.source.bucket, context);
  const source = resolveObject(
    sourceBucket,
    request.source.key,
    request.source.versionId,
    'copy-source',
    context,
  );
  checkObjectSseCustomerKey(source.sseKeyMD5, request.sourceSseCustomer, context);
  evaluateCopySourceConditions(request.conditions, source, context);
  checkCopySourceSize(source.data.length, env.capabilities.maxWholeObjectCopySize, context);
  const conditions = { ifMatch: request.ifMatch, ifNoneMatch: request.ifNoneMatch };
  checkWriteConditions(destination, request.key, conditions, 'before', context);
  const copy = copiedObject(
    env,
    request,
    source,
    nextVersionId(env.store, destination),
    destination.encryption,
  );
  // Nothing was awaited since the checks: the key is as the conditions saw it.
  publishVersion(destination, request.key, copy);
  ctx.onProgress?.(copy.data.length, copy.data.length);
  const result: ServerSideCopyResult = {
    etag: copy.etag,
    lastModified: copy.lastModified,
    ...copy.checksums,
    ...sseCustomerResult(copy.sseKeyMD5),
    ...encryptionResult(copy.encryption),
    transfer: 'server-side',
    bytesCopied: copy.data.length,
  };
  const versionId = writtenVersionId(destination, copy);
  if (versionId !== undefined) result.versionId = versionId;
  if (sourceBucket.versioning !== undefined) result.copySourceVersionId = source.versionId;
  return result;
}

function copiedObject(
  env: MemoryEnv,
  request: ServerSideCopyRequest,
  source: StoredObject,
  versionId: string,
  bucketDefault: StoredEncryption | undefined,
): StoredObject {
  const sseKeyMD5 = request.sseCustomer?.keyMD5;
  // A plain MD5 ETag of unencrypted bytes stays valid; any other (multipart, SSE-C) is recomputed.
  const reusable =
    source.partsCount === undefined && source.sseKeyMD5 === undefined && sseKeyMD5 === undefined;
  const fullObject = source.partsCount === undefined || source.checksumType === 'FULL_OBJECT';
  return {
    kind: 'object',
    versionId,
    data: source.data,
    etag: reusable ? source.etag : contentEtag(source.data, sseKeyMD5),
    lastModified: env.store.now(),
    settings: destinationSettings(request, source.settings),
    ...(sseKeyMD5 === undefined ? {} : { sseKeyMD5 }),
    // As S3: the copy is encrypted as the request says, never inheriting the source's method.
    ...withEncryption(writeEncryption(request, bucketDefault)),
    ...copyChecksums(request, source, fullObject),
  };
}

/**
 * With `checksumAlgorithm`, as S3: that checksum computed over the copy's bytes. Otherwise
 * composite checksums describe the source's parts; the copy is one part, so only full-object
 * checksums still hold.
 */
function copyChecksums(
  request: ServerSideCopyRequest,
  source: StoredObject,
  fullObject: boolean,
): Pick<StoredObject, 'checksums' | 'checksumType'> {
  const algorithm = request.checksumAlgorithm;
  if (algorithm !== undefined)
    return {
      checksums: checksumEntry(algorithm, checksumOf(algorithm, source.data)),
      checksumType: 'FULL_OBJECT',
    };
  return {
    checksums: fullObject ? { ...source.checksums } : {},
    ...(fullObject && source.checksumType !== undefined ? { checksumType: source.checksumType } : {}),
  };
}

/** S3's metadata directive: the source's settings or the request's; the storage class never carried. */
function destinationSettings(request: ServerSideCopyRequest, source: ObjectSettings): ObjectSettings {
  if (request.metadataDirective === 'REPLACE') return copySettings(request.settings);
  const { storageClass: _dropped, ...carried } = copySettings(source);
  const settings: ObjectSettings = carried;
  if (request.settings.storageClass !== undefined) settings.storageClass = request.settings.storageClass;
  return settings;
}

function copyContext(request: ServerSideCopyRequest): ErrorContext {
  const context: ErrorContext = {
    ...operationContext('copyObject', { bucket: request.bucket, key: request.key }),
    sourceBucket: request.source.bucket,
    sourceKey: request.source.key,
  };
  if (request.source.versionId !== undefined) context.sourceVersionId = request.source.versionId;
  return context;
}
