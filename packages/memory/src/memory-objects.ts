/** Single-object operations: put, head, get (streamed, ranged), delete and list. */
import type {
  DeleteObjectRequest,
  DeleteObjectResult,
  ErrorContext,
  GetObjectRequest,
  GetObjectResult,
  HeadObjectRequest,
  ListObjectsRequest,
  ListObjectsResult,
  ObjectInfo,
  OperationContext,
  PutObjectRequest,
  PutObjectResult,
} from '@partcopy/core/provider';
import {
  checkBodySize,
  checkObjectSseCustomerKey,
  checksumEntry,
  checksumOf,
  compareKeys,
  contentEtag,
  evaluateDeleteConditions,
  hasDeleteConditions,
  objectChecksumType,
  resolveGetObjectRange,
  sseCustomerResult,
  takeListPage,
} from '@partcopy/core/provider';
import { readPayload, streamRange } from './memory-bytes.js';
import { encryptionResult, withEncryption, writeEncryption } from './memory-encryption.js';
import { type MemoryEnv, operationContext } from './memory-env.js';
import { checkAborted, memoryError } from './memory-errors.js';
import { checkContentMD5 } from './memory-integrity.js';
import { copySettings } from './memory-settings.js';
import type { MemoryBucket, StoredObject } from './memory-store.js';
import {
  currentObjects,
  deleteVersion,
  nextVersionId,
  publishVersion,
  requireBucket,
  resolveObject,
  visibleVersionId,
  writtenVersionId,
} from './memory-versions.js';
import { checkWriteConditions } from './memory-write-conditions.js';

/** S3's default and largest page of ListObjectsV2. */

/** PutObject: stores the body as the new current version, atomically, honouring If-Match / If-None-Match. */
export async function putObject(
  env: MemoryEnv,
  request: PutObjectRequest,
  ctx: OperationContext,
): Promise<PutObjectResult> {
  const context = operationContext('putObject', { bucket: request.bucket, key: request.key });
  checkAborted(ctx.signal, context);
  const bucket = requireBucket(env.store, request.bucket, context);
  const conditions = { ifMatch: request.ifMatch, ifNoneMatch: request.ifNoneMatch };
  checkWriteConditions(bucket, request.key, conditions, 'before', context);
  checkBodySize(request.body.length, env.capabilities.maxPartSize, context);
  const data = await readPayload(request.body, ctx, context);
  checkContentMD5(data, request.contentMD5, context);
  const object = newObject(env, bucket, request, data);
  // Reading the body awaited: the bucket may have been deleted meanwhile (then it is the bucket
  // error, not a write into a detached bucket).
  checkAborted(ctx.signal, context);
  if (requireBucket(env.store, request.bucket, context) !== bucket) {
    throw memoryError('NoSuchBucket', 'The specified bucket does not exist', context);
  }
  checkWriteConditions(bucket, request.key, conditions, 'publish', context);
  publishVersion(bucket, request.key, object);
  return withVersion(
    { etag: object.etag, ...sseCustomerResult(object.sseKeyMD5), ...encryptionResult(object.encryption) },
    writtenVersionId(bucket, object),
  );
}

function newObject(
  env: MemoryEnv,
  bucket: MemoryBucket,
  request: PutObjectRequest,
  data: Uint8Array,
): StoredObject {
  const sseKeyMD5 = request.sseCustomer?.keyMD5;
  return {
    kind: 'object',
    versionId: nextVersionId(env.store, bucket),
    data,
    etag: contentEtag(data, sseKeyMD5),
    lastModified: env.store.now(),
    settings: copySettings(request),
    ...(sseKeyMD5 === undefined ? {} : { sseKeyMD5 }),
    ...withEncryption(writeEncryption(request, bucket.encryption)),
    // As S3 (whose SDKs send the value they computed): the named algorithm's checksum.
    checksums:
      request.checksumAlgorithm === undefined
        ? {}
        : checksumEntry(request.checksumAlgorithm, checksumOf(request.checksumAlgorithm, data)),
  };
}

/** HeadObject: metadata of the current object or of one version; SSE-C keys checked as S3. */
export async function headObject(
  env: MemoryEnv,
  request: HeadObjectRequest,
  ctx: OperationContext,
): Promise<ObjectInfo> {
  const context = objectContext('headObject', request);
  checkAborted(ctx.signal, context);
  const { bucket, object } = readable(env, request, context);
  return objectInfo(bucket, request.key, object);
}

/**
 * GetObject: streams the object or an inclusive range in chunks. As S3: a range starting at or
 * past the end (or any range of an empty object) fails with `InvalidRange` (416); a range whose
 * end is past the end is served up to the last byte, and `range` says what was served.
 */
export async function getObject(
  env: MemoryEnv,
  request: GetObjectRequest,
  ctx: OperationContext,
): Promise<GetObjectResult> {
  const context = objectContext('getObject', request);
  checkAborted(ctx.signal, context);
  const { bucket, object } = readable(env, request, context);
  const served =
    request.range === undefined
      ? undefined
      : resolveGetObjectRange(request.range, object.data.length, context);
  const start = served?.start ?? 0;
  const endExclusive = served === undefined ? object.data.length : served.end + 1;
  const body = streamRange(object.data, start, endExclusive, ctx.signal, context);
  const result: GetObjectResult = {
    ...objectInfo(bucket, request.key, object),
    body,
    contentLength: endExclusive - start,
  };
  if (served !== undefined) result.range = served;
  return result;
}

/** DeleteObject: S3's versioning rules (delete markers, version removal); a missing key succeeds. */
export async function deleteObject(
  env: MemoryEnv,
  request: DeleteObjectRequest,
  ctx: OperationContext,
): Promise<DeleteObjectResult> {
  const context = objectContext('deleteObject', request);
  checkAborted(ctx.signal, context);
  const bucket = requireBucket(env.store, request.bucket, context);
  const versions = bucket.keys.get(request.key);
  const target =
    request.versionId === undefined
      ? versions?.at(-1)
      : versions?.find((version) => version.versionId === request.versionId);
  evaluateDeleteConditions(
    target?.kind === 'object'
      ? { etag: target.etag, lastModified: target.lastModified, size: target.data.length }
      : target,
    request,
    context,
  );
  // A conditional delete of nothing deletes nothing: no delete marker over a key without versions
  // (S3 has conditional deletes only where there are no versions; this is what Ceph answers).
  if (target === undefined && hasDeleteConditions(request)) return {};
  return deleteVersion(env.store, bucket, request.key, request.versionId);
}

/**
 * ListObjectsV2: current objects in key order, `maxKeys` (default and at most 1000) per page.
 * The continuation token is opaque to callers (the last key listed, encoded); staged parts of
 * uploads live apart from objects, so they never appear.
 */
export async function listObjects(
  env: MemoryEnv,
  request: ListObjectsRequest,
  ctx: OperationContext,
): Promise<ListObjectsResult> {
  const context = operationContext('listObjects', { bucket: request.bucket });
  checkAborted(ctx.signal, context);
  const bucket = requireBucket(env.store, request.bucket, context);
  const after =
    request.continuationToken === undefined ? undefined : decodeToken(request.continuationToken, context);
  const remaining = currentObjects(bucket, request.prefix).filter(
    ([key]) =>
      (after === undefined || compareKeys(key, after) > 0) &&
      (request.startAfter === undefined || compareKeys(key, request.startAfter) > 0),
  );
  const { page, isTruncated } = takeListPage(remaining, request.maxKeys);
  const objects = page.map(([key, object]) => ({
    key,
    size: object.data.length,
    etag: object.etag,
    lastModified: object.lastModified,
  }));
  const last = page.at(-1);
  return isTruncated && last
    ? { objects, isTruncated, nextContinuationToken: encodeToken(last[0]) }
    : { objects, isTruncated };
}

function encodeToken(key: string): string {
  return Buffer.from(`k:${key}`, 'utf8').toString('base64url');
}

function decodeToken(token: string, context: ErrorContext): string {
  const text = Buffer.from(token, 'base64url').toString('utf8');
  if (!text.startsWith('k:'))
    throw memoryError('InvalidArgument', 'The continuation token provided is incorrect', context);
  return text.slice(2);
}

/** The object a read names, after S3's bucket, key, version and SSE-C checks. */
function readable(
  env: MemoryEnv,
  request: HeadObjectRequest,
  context: ErrorContext,
): { bucket: MemoryBucket; object: StoredObject } {
  const bucket = requireBucket(env.store, request.bucket, context);
  const object = resolveObject(bucket, request.key, request.versionId, 'read', context);
  checkObjectSseCustomerKey(object.sseKeyMD5, request.sseCustomer, context);
  return { bucket, object };
}

/** The metadata S3 returns for an object version. */
export function objectInfo(bucket: MemoryBucket, key: string, object: StoredObject): ObjectInfo {
  const info: ObjectInfo = {
    bucket: bucket.name,
    key,
    etag: object.etag,
    size: object.data.length,
    lastModified: object.lastModified,
    ...copySettings(object.settings),
    ...object.checksums,
    ...sseCustomerResult(object.sseKeyMD5),
    ...encryptionResult(object.encryption),
  };
  const versionId = visibleVersionId(bucket, object);
  if (versionId !== undefined) info.versionId = versionId;
  if (object.partsCount !== undefined) info.partsCount = object.partsCount;
  if (object.parts !== undefined) info.parts = object.parts.map((part) => ({ ...part }));
  const checksumType = objectChecksumType(object.checksums, object.checksumType, object.partsCount);
  if (checksumType !== undefined) info.checksumType = checksumType;
  return info;
}

function objectContext(
  operation: 'headObject' | 'getObject' | 'deleteObject',
  request: HeadObjectRequest | DeleteObjectRequest,
): ErrorContext {
  return operationContext(operation, { bucket: request.bucket, key: request.key });
}

function withVersion<T extends object>(result: T, versionId: string | undefined): T & { versionId?: string } {
  return versionId === undefined ? result : { ...result, versionId };
}
