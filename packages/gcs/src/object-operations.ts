/**
 * Plain object operations (head, get, put, delete, list) on GCS objects. Versions are
 * generations; listings hide the staging prefix, where uploads keep their parts.
 */

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
import { versionIdIfVersioned } from './bucket-versioning.js';
import { decideDeleteConditions } from './delete-conditions.js';
import { encryptionHeaders, encryptionResult } from './gcs-encryption.js';
import { GCS_PROVIDER_NAME, toPartCopyError } from './gcs-error-map.js';
import { gcsEtag } from './gcs-etag.js';
import { GcsHttpError, objectPath } from './gcs-json-api.js';
import { type GcsObject, pickSettings, settingsToResource, toObjectInfo } from './gcs-object-resource.js';
import { type GcsRuntime, runGcs } from './gcs-runtime.js';
import { checkContentMd5, checkStoredMd5 } from './md5-checks.js';
import type { MediaResponse } from './media-download.js';
import { checkStorageClass, refuseReserved } from './write-checks.js';
import { destinationPrecondition } from './write-conditions.js';

export async function headObject(
  rt: GcsRuntime,
  request: HeadObjectRequest,
  ctx: OperationContext,
): Promise<ObjectInfo> {
  const context = { bucket: request.bucket, key: request.key };
  return runGcs('headObject', context, ctx, {}, async () => {
    const object = await readObject(rt, request, ctx.signal, context);
    return reportedVersion(rt, request, ctx.signal, {
      ...toObjectInfo(object),
      ...encryptionResult(request.sseCustomer),
    });
  });
}

export async function getObject(
  rt: GcsRuntime,
  request: GetObjectRequest,
  ctx: OperationContext,
): Promise<GetObjectResult> {
  const context = { bucket: request.bucket, key: request.key };
  return runGcs('getObject', context, ctx, {}, async () => {
    const object = await readObject(rt, request, ctx.signal, context);
    const size = Number(object.size);
    const info = await reportedVersion(rt, request, ctx.signal, {
      ...toObjectInfo(object),
      ...encryptionResult(request.sseCustomer),
    });
    let range = request.range;
    if (range !== undefined) {
      if (range.start >= size) {
        throw new PartCopyError(
          'InvalidRange',
          `The requested range is not satisfiable (object size ${size})`,
          {
            provider: GCS_PROVIDER_NAME,
            operation: 'getObject',
            ...context,
          },
        );
      }
      range = { start: range.start, end: Math.min(range.end, size - 1) };
    }
    const headers: Record<string, string> = encryptionHeaders(request.sseCustomer);
    if (range !== undefined) headers.range = `bytes=${range.start}-${range.end}`;
    // Pinned to the generation just described, so metadata and bytes belong together.
    const response = await rt.api.stream(objectPath(request.bucket, request.key), {
      query: { generation: object.generation },
      headers,
      signal: ctx.signal,
    });
    const contentLength = range === undefined ? size : range.end - range.start + 1;
    const result: GetObjectResult = { ...info, body: bodyOf(response, ctx.signal, context), contentLength };
    if (range !== undefined) result.range = range;
    return result;
  });
}

export async function putObject(
  rt: GcsRuntime,
  request: PutObjectRequest,
  ctx: OperationContext,
): Promise<PutObjectResult> {
  const context = { bucket: request.bucket, key: request.key };
  return runGcs('putObject', context, ctx, { notFound: 'NoSuchBucket' }, async () => {
    refuseReserved(rt.names, request.key, context);
    checkStorageClass(request.storageClass, context);
    const ifGenerationMatch = await destinationPrecondition(
      { store: rt.store },
      request,
      ctx.signal,
      context,
    );
    const resource = { ...settingsToResource(pickSettings(request)), name: request.key } as ReturnType<
      typeof settingsToResource
    > & {
      name: string;
      md5Hash?: string;
    };
    if (request.contentMD5 !== undefined) resource.md5Hash = request.contentMD5;
    const { object, md5 } = await rt.store.insert(request.bucket, ctx.signal, {
      resource,
      chunks: request.body.chunks(),
      length: request.body.length,
      query: { ifGenerationMatch },
      headers: encryptionHeaders(request.sseCustomer),
      onBytes: (done) => ctx.onProgress?.(done, request.body.length),
    });
    checkContentMd5(request.contentMD5, md5, context);
    checkStoredMd5(object, md5);
    return versionIdIfVersioned(rt.versioning, request.bucket, ctx.signal, {
      etag: gcsEtag(object),
      versionId: object.generation,
      ...encryptionResult(request.sseCustomer),
    });
  });
}

/** An object's description with the version id S3 would report: the one asked for, or none in an unversioned bucket. */
function reportedVersion<T extends object>(
  rt: GcsRuntime,
  request: { bucket: string; versionId?: string },
  signal: AbortSignal,
  info: T,
): Promise<T> {
  if (request.versionId !== undefined) return Promise.resolve(info);
  return versionIdIfVersioned(rt.versioning, request.bucket, signal, info);
}

export async function deleteObject(
  rt: GcsRuntime,
  request: DeleteObjectRequest,
  ctx: OperationContext,
): Promise<DeleteObjectResult> {
  const context = { bucket: request.bucket, key: request.key };
  return runGcs('deleteObject', context, ctx, {}, async () => {
    const generation = await liveIfNullVersion(rt, request.bucket, request.versionId, ctx.signal);
    if (generation !== undefined && !/^\d+$/.test(generation)) return { versionId: generation };
    const where = { bucket: request.bucket, key: request.key, generation };
    const pinned = await decideDeleteConditions(rt.store, where, request, ctx.signal, context);
    if (pinned === undefined) return request.versionId === undefined ? {} : { versionId: request.versionId };
    try {
      await rt.api.json('DELETE', objectPath(request.bucket, request.key), {
        query: { generation, ...pinned },
        signal: ctx.signal,
        idempotent: generation !== undefined,
      });
    } catch (error) {
      if (!(error instanceof GcsHttpError && error.status === 404)) throw error;
      // Deleting a missing key succeeds, as in S3; a missing bucket does not.
      if (!(await rt.store.bucketExists(request.bucket, ctx.signal))) {
        throw await rt.store.notFound(request.bucket, ctx.signal, 'NoSuchBucket', context);
      }
    }
    return request.versionId === undefined ? {} : { versionId: request.versionId };
  });
}

/**
 * Lists objects, never staging ones. Pages are GCS's own (the continuation token is GCS's
 * page token); a page from which staging objects were dropped is refilled from the next.
 */
export async function listObjects(
  rt: GcsRuntime,
  request: ListObjectsRequest,
  ctx: OperationContext,
): Promise<ListObjectsResult> {
  return runGcs('listObjects', { bucket: request.bucket }, ctx, { notFound: 'NoSuchBucket' }, async () => {
    const max = request.maxKeys ?? 1000;
    const objects: ListObjectsResult['objects'] = [];
    let token = request.continuationToken;
    if (max === 0) return { objects, isTruncated: false };
    do {
      const page = await rt.store.listPage(
        request.bucket,
        {
          prefix: request.prefix,
          pageToken: token,
          maxResults: max - objects.length,
          // startOffset is inclusive; S3's start-after is not, so the key itself is dropped below.
          ...(request.startAfter === undefined ? {} : { startOffset: request.startAfter }),
        },
        ctx.signal,
      );
      for (const object of page.items ?? []) {
        if (rt.names.isReserved(object.name) || object.name === request.startAfter) continue;
        objects.push({
          key: object.name,
          size: Number(object.size),
          etag: gcsEtag(object),
          lastModified: new Date(object.updated),
        });
      }
      token = page.nextPageToken;
    } while (token && objects.length < max);
    return token
      ? { objects, isTruncated: true, nextContinuationToken: token }
      : { objects, isTruncated: false };
  });
}

async function readObject(
  rt: GcsRuntime,
  request: HeadObjectRequest,
  signal: AbortSignal,
  context: ErrorContext,
): Promise<GcsObject> {
  const versionId = await liveIfNullVersion(rt, request.bucket, request.versionId, signal);
  if (versionId !== undefined && !/^\d+$/.test(versionId)) {
    throw await rt.store.notFound(request.bucket, signal, 'NoSuchVersion', context);
  }
  return rt.store.get(request.bucket, request.key, signal, {
    ...(versionId === undefined ? {} : { generation: versionId }),
    headers: encryptionHeaders(request.sseCustomer),
    missing: versionId === undefined ? 'NoSuchKey' : 'NoSuchVersion',
    context,
  });
}

/** The response body as an async iterable whose failures are partcopy errors. */
async function* bodyOf(
  response: MediaResponse,
  signal: AbortSignal,
  context: ErrorContext,
): AsyncGenerator<Uint8Array> {
  try {
    for await (const chunk of response.body) yield chunk;
  } catch (error) {
    throw toPartCopyError(error, { operation: 'getObject', ...context }, {}, signal);
  }
}

/**
 * S3's version "null" in a bucket that never had versioning is its one object: there it names the
 * live generation (`undefined`). In a versioned bucket every GCS object has a generation, so
 * "null" names none and is returned as it is.
 */
async function liveIfNullVersion(
  rt: GcsRuntime,
  bucket: string,
  versionId: string | undefined,
  signal: AbortSignal,
): Promise<string | undefined> {
  if (versionId !== 'null') return versionId;
  return (await rt.versioning.enabled(bucket, signal)) ? versionId : undefined;
}
