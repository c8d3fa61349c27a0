/**
 * CopyObject on GCS: one objects.rewrite, continued with its token until done, for any size
 * (GCS copies on the server; no payload byte passes through this process). The source is read
 * once; S3's conditions are decided on it (partcopy's ETag, `updated` as Last-Modified); then
 * every rewrite round is pinned to that generation and metageneration, so a source that changes
 * in between fails with `PreconditionFailed`. The destination is written in one step by GCS
 * (readers see the old object or the copy) with `ifGenerationMatch` for If-Match / If-None-Match.
 *
 * ETags: a single-part source keeps its MD5 ETag (GCS keeps the MD5). A composite source (a
 * completed multipart upload) has no MD5 and GCS cannot compute one on the server, so the copy
 * records the source's ETag (`"…-N"`), bound to the bytes' CRC32C, where S3 would show a fresh
 * MD5: a documented difference.
 */

import {
  checkCopySourceSize,
  type ErrorContext,
  evaluateCopySourceConditions,
  type ObjectSettings,
  type OperationContext,
  PartCopyError,
  type ServerSideCopyRequest,
  type ServerSideCopyResult,
} from '@partcopy/core/provider';
import { versionIdIfVersioned } from './bucket-versioning.js';
import { explainSourceFailure, readSource } from './copy-part.js';
import { copySourceEncryptionHeaders, encryptionHeaders, encryptionResult } from './gcs-encryption.js';
import { GCS_PROVIDER_NAME } from './gcs-error-map.js';
import { gcsEtag, recordedEtagMetadata } from './gcs-etag.js';
import { GcsHttpError } from './gcs-json-api.js';
import {
  type GcsObject,
  type GcsObjectSettings,
  pickSettings,
  settingsToResource,
  toObjectInfo,
} from './gcs-object-resource.js';
import type { GcsObjectStore } from './gcs-object-store.js';
import { type GcsRuntime, runGcs } from './gcs-runtime.js';
import { rewriteObject } from './rewrite-object.js';
import { checkStorageClass, refuseReserved } from './write-checks.js';
import { destinationPrecondition } from './write-conditions.js';

export interface WholeObjectCopyDeps {
  store: GcsObjectStore;
  /** The capability's `maxWholeObjectCopySize`. */
  maxSize: number;
}

/** Copies the whole source object to the destination key. */
export async function copyWholeObject(
  deps: WholeObjectCopyDeps,
  request: ServerSideCopyRequest,
  ctx: OperationContext,
): Promise<ServerSideCopyResult> {
  const { signal } = ctx;
  const context: ErrorContext = {
    operation: 'copyObject',
    bucket: request.bucket,
    key: request.key,
    sourceBucket: request.source.bucket,
    sourceKey: request.source.key,
    sourceVersionId: request.source.versionId,
  };
  const source = await readSource(deps, request, signal, context);
  const decided = { provider: GCS_PROVIDER_NAME, ...context };
  evaluateCopySourceConditions(
    request.conditions,
    { etag: gcsEtag(source), lastModified: new Date(source.updated) },
    decided,
  );
  const size = Number(source.size);
  checkCopySourceSize(size, deps.maxSize, decided);
  const ifGenerationMatch = await destinationPrecondition(deps, request, signal, context);
  await refuseTakenKey(deps, request, signal, decided);
  try {
    const copied = await rewriteObject(deps.store, {
      source,
      bucket: request.bucket,
      name: request.key,
      resource: destinationResource(request, source),
      ifGenerationMatch,
      headers: {
        ...encryptionHeaders(request.sseCustomer),
        ...copySourceEncryptionHeaders(request.sourceSseCustomer),
      },
      signal,
      onProgress: ctx.onProgress,
      resumeToken: request.resumeToken,
      onToken: ctx.onResumeToken,
    });
    return {
      etag: gcsEtag(copied),
      versionId: copied.generation,
      copySourceVersionId: source.generation,
      lastModified: new Date(copied.updated),
      transfer: 'server-side',
      bytesCopied: size,
      ...encryptionResult(request.sseCustomer),
    };
  } catch (error) {
    // A rewrite into a missing bucket answers 404 like a vanished source: tell them apart.
    if (
      error instanceof GcsHttpError &&
      error.status === 404 &&
      !(await deps.store.bucketExists(request.bucket, signal))
    )
      throw await deps.store.notFound(request.bucket, signal, 'NoSuchBucket', context, error);
    throw await explainSourceFailure(deps, request, error, signal, context);
  }
}

/**
 * If-None-Match: `*` decided before the copy (S3's 412), as putObject does with its preconditions;
 * `ifGenerationMatch=0` on the rewrite then holds the decision against a writer in between.
 */
async function refuseTakenKey(
  deps: WholeObjectCopyDeps,
  request: ServerSideCopyRequest,
  signal: AbortSignal,
  context: ErrorContext,
): Promise<void> {
  if (request.ifNoneMatch === undefined) return;
  if ((await deps.store.find(request.bucket, request.key, signal)) === undefined) return;
  throw new PartCopyError(
    'PreconditionFailed',
    'At least one of the pre-conditions you specified did not hold (If-None-Match)',
    context,
  );
}

/** S3's metadata directive as a rewrite body: the source's settings or the request's. */
function destinationResource(request: ServerSideCopyRequest, source: GcsObject): GcsObjectSettings {
  let settings: ObjectSettings;
  if (request.metadataDirective === 'REPLACE') settings = request.settings;
  else {
    const { storageClass: _notCarried, ...carried } = pickSettings(toObjectInfo(source));
    settings = carried;
    if (request.settings.storageClass !== undefined) settings.storageClass = request.settings.storageClass;
  }
  const resource = settingsToResource(settings);
  // Without an MD5 (composite) the copy keeps the source's ETag, bound to its CRC32C.
  if (!source.md5Hash && !source.customerEncryption) {
    resource.metadata = { ...resource.metadata, ...recordedEtagMetadata(gcsEtag(source), source.crc32c) };
  }
  return resource;
}

/** The provider's copyObject: the destination checks every write gets, then {@link copyWholeObject}. */
export function copyObject(
  rt: GcsRuntime,
  request: ServerSideCopyRequest,
  ctx: OperationContext,
): Promise<ServerSideCopyResult> {
  const context = { bucket: request.bucket, key: request.key };
  return runGcs('copyObject', context, ctx, { notFound: 'NoSuchBucket' }, async () => {
    refuseReserved(rt.names, request.key, context);
    checkStorageClass(request.settings.storageClass, context);
    const deps = { store: rt.store, maxSize: rt.capabilities.maxWholeObjectCopySize };
    const result = await copyWholeObject(deps, request, ctx);
    const reported = await versionIdIfVersioned(rt.versioning, request.bucket, ctx.signal, result);
    if (request.source.versionId !== undefined) return reported;
    return versionIdIfVersioned(
      rt.versioning,
      request.source.bucket,
      ctx.signal,
      reported,
      'copySourceVersionId',
    );
  });
}
