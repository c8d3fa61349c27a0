import {
  type ByteRange,
  type ErrorContext,
  evaluateCopySourceConditions,
  type OperationContext,
  PartCopyError,
  rangeLength,
  resolveCopyRange,
  type UploadPartCopyRequest,
  type UploadPartCopyResult,
  unsupported,
} from '@partcopy/core/provider';
import { versionIdIfVersioned } from './bucket-versioning.js';
import { copySourceEncryptionHeaders, encryptionHeaders, encryptionResult } from './gcs-encryption.js';
import { GCS_PROVIDER_NAME } from './gcs-error-map.js';
import { gcsEtag, recordedEtagMetadata } from './gcs-etag.js';
import { GcsHttpError, objectPath } from './gcs-json-api.js';
import { checkPartKey, type ManifestStore } from './gcs-manifest.js';
import type { GcsObject } from './gcs-object-resource.js';
import type { GcsObjectStore } from './gcs-object-store.js';
import { type GcsRuntime, runGcs } from './gcs-runtime.js';
import type { StagingNames } from './gcs-staging-names.js';
import { checkStoredMd5 } from './md5-checks.js';

export interface CopyPartDeps {
  store: GcsObjectStore;
  names: StagingNames;
  manifests: ManifestStore;
  allowClientStreaming: boolean;
}

interface RewriteResponse {
  done: boolean;
  rewriteToken?: string;
  totalBytesRewritten?: string;
  objectSize?: string;
  resource?: GcsObject;
}

/** Staging objects are written in Standard class: colder classes bill early deletion. */
const STAGING_RESOURCE = { storageClass: 'STANDARD', contentType: 'application/octet-stream' } as const;

/**
 * UploadPartCopy on GCS. The source's state is read once; S3's conditions are decided on it
 * (partcopy's ETag, `updated` as Last-Modified); then the copy is pinned to that generation and
 * metageneration so a source that changes in between fails with `PreconditionFailed`.
 * A whole-object range is copied on the server (objects.rewrite); any other range is read
 * with a ranged media download and streamed into the part object, when allowed.
 */
export async function copyPart(
  deps: CopyPartDeps,
  request: UploadPartCopyRequest,
  ctx: OperationContext,
): Promise<UploadPartCopyResult> {
  const { signal } = ctx;
  const context: ErrorContext = {
    operation: 'uploadPartCopy',
    bucket: request.bucket,
    key: request.key,
    uploadId: request.uploadId,
    partNumber: request.partNumber,
    sourceBucket: request.source.bucket,
    sourceKey: request.source.key,
    sourceVersionId: request.source.versionId,
  };
  const upload = await deps.manifests.head(request.bucket, request.key, request.uploadId, signal, context);
  checkPartKey(upload, request.sseCustomer, context);
  const source = await readSource(deps, request, signal, context);
  evaluateCopySourceConditions(
    request.conditions,
    { etag: gcsEtag(source), lastModified: new Date(source.updated) },
    {
      provider: GCS_PROVIDER_NAME,
      ...context,
    },
  );
  const size = Number(source.size);
  const range = resolveCopyRange(request.range, size, { provider: GCS_PROVIDER_NAME, ...context });
  const whole = range === undefined || (range.start === 0 && range.end === size - 1);
  try {
    if (whole) return await rewritePart(deps, request, source, ctx);
    if (!deps.allowClientStreaming) {
      throw unsupported(
        `copying bytes ${range.start}-${range.end} of a ${size}-byte object on the server (GCS copies whole objects only; client streaming is switched off)`,
        { provider: GCS_PROVIDER_NAME, ...context },
      );
    }
    return await streamPart(deps, request, source, range, ctx);
  } catch (error) {
    throw await explainSourceFailure(deps, request, error, signal, context);
  }
}

/** The source object a copy names (its version when given), read with the source's SSE-C key. */
export async function readSource(
  deps: Pick<CopyPartDeps, 'store'>,
  request: Pick<UploadPartCopyRequest, 'source' | 'sourceSseCustomer'>,
  signal: AbortSignal,
  context: ErrorContext,
): Promise<GcsObject> {
  const { bucket, key, versionId } = request.source;
  // A version id is a generation: decimal digits. Anything else names no version.
  if (versionId !== undefined && !/^\d+$/.test(versionId)) {
    throw await deps.store.notFound(bucket, signal, 'NoSuchKey', context);
  }
  return deps.store.get(bucket, key, signal, {
    ...(versionId === undefined ? {} : { generation: versionId }),
    headers: encryptionHeaders(request.sourceSseCustomer),
    missing: 'NoSuchKey',
    context,
  });
}

async function rewritePart(
  deps: CopyPartDeps,
  request: UploadPartCopyRequest,
  source: GcsObject,
  ctx: OperationContext,
): Promise<UploadPartCopyResult> {
  const part = deps.names.part(request.uploadId, request.partNumber);
  const path = `${objectPath(source.bucket, source.name)}/rewriteTo${objectPath(request.bucket, part)}`;
  const size = Number(source.size);
  // The part records the source's ETag (bound to its CRC32C), so a part copied from a
  // composite keeps an ETag that changes only when the bytes do.
  const body = { ...STAGING_RESOURCE, metadata: recordedEtagMetadata(gcsEtag(source), source.crc32c) };
  let token: string | undefined;
  for (;;) {
    const answer = await deps.store.api.json<RewriteResponse>('POST', path, {
      query: {
        sourceGeneration: source.generation,
        ifSourceGenerationMatch: source.generation,
        ifSourceMetagenerationMatch: source.metageneration,
        rewriteToken: token,
        projection: 'noAcl',
      },
      headers: {
        ...encryptionHeaders(request.sseCustomer),
        ...copySourceEncryptionHeaders(request.sourceSseCustomer),
      },
      json: body,
      signal: ctx.signal,
      // Pinned to a source generation and writing a part name only this upload uses.
      idempotent: true,
    });
    ctx.onProgress?.(Number(answer.totalBytesRewritten ?? 0), size);
    if (answer.done && answer.resource) {
      return {
        copySourceVersionId: source.generation,
        copyPartResult: {
          etag: gcsEtag(answer.resource),
          lastModified: new Date(answer.resource.updated),
          // The staged part's CRC32C, computed by GCS: the engine combines the parts' to check
          // the copy against the source without reading it.
          ...crc32cOf(answer.resource),
        },
        transfer: 'server-side',
        bytesCopied: size,
        ...encryptionResult(request.sseCustomer),
      };
    }
    // Large or cross-location rewrites take several calls; the token carries the progress. An
    // answer that is neither finished nor continuable would restart the copy forever.
    if (answer.done || !answer.rewriteToken) {
      throw new PartCopyError(
        'InternalError',
        `GCS answered a rewrite with done=${answer.done} and ${answer.resource ? 'a' : 'no'} resource and ${answer.rewriteToken ? 'a' : 'no'} rewrite token`,
        { provider: GCS_PROVIDER_NAME, retryable: true },
      );
    }
    token = answer.rewriteToken;
  }
}

async function streamPart(
  deps: CopyPartDeps,
  request: UploadPartCopyRequest,
  source: GcsObject,
  range: ByteRange,
  ctx: OperationContext,
): Promise<UploadPartCopyResult> {
  const length = rangeLength(range);
  const response = await deps.store.api.stream(objectPath(source.bucket, source.name), {
    query: {
      generation: source.generation,
      ifGenerationMatch: source.generation,
      ifMetagenerationMatch: source.metageneration,
    },
    headers: { ...encryptionHeaders(request.sourceSseCustomer), range: `bytes=${range.start}-${range.end}` },
    signal: ctx.signal,
  });
  // A server that ignored the range would hand us the whole object: never copy those bytes.
  if (response.status !== 206) {
    await response.cancel();
    throw new PartCopyError(
      'InternalError',
      `GCS answered a ranged read with status ${response.status}, not 206`,
      {
        provider: GCS_PROVIDER_NAME,
        retryable: true,
      },
    );
  }
  const { object, md5 } = await deps.store.insert(request.bucket, ctx.signal, {
    resource: { ...STAGING_RESOURCE, name: deps.names.part(request.uploadId, request.partNumber) },
    chunks: response.body,
    length,
    headers: encryptionHeaders(request.sseCustomer),
    onBytes: (done) => ctx.onProgress?.(done, length),
  });
  checkStoredMd5(object, md5);
  return {
    copySourceVersionId: source.generation,
    copyPartResult: { etag: gcsEtag(object), lastModified: new Date(object.updated), ...crc32cOf(object) },
    transfer: 'client-streamed',
    bytesCopied: length,
    ...encryptionResult(request.sseCustomer),
  };
}

/**
 * A pinned copy fails with 412 when the source changed after the conditions were decided, and
 * with 404 when its generation is gone (overwritten in an unversioned bucket, or deleted).
 * Both mean the decision no longer holds: `PreconditionFailed`, unless the source is gone
 * altogether or the caller named the version (`NoSuchKey`).
 */
export async function explainSourceFailure(
  deps: Pick<CopyPartDeps, 'store'>,
  request: Pick<UploadPartCopyRequest, 'source' | 'sourceSseCustomer'>,
  error: unknown,
  signal: AbortSignal,
  context: ErrorContext,
): Promise<unknown> {
  if (!(error instanceof GcsHttpError) || signal.aborted) return error;
  const changed = `the source changed between the condition check and the copy (GCS ${error.status})`;
  const full = { provider: GCS_PROVIDER_NAME, ...context, cause: error };
  if (error.status === 412)
    return new PartCopyError(
      'PreconditionFailed',
      `At least one of the pre-conditions you specified did not hold: ${changed}`,
      full,
    );
  if (error.status !== 404) return error;
  const current = await deps.store.find(
    request.source.bucket,
    request.source.key,
    signal,
    encryptionHeaders(request.sourceSseCustomer),
  );
  if (current === undefined || request.source.versionId !== undefined) {
    return deps.store.notFound(request.source.bucket, signal, 'NoSuchKey', context, error);
  }
  return new PartCopyError(
    'PreconditionFailed',
    `At least one of the pre-conditions you specified did not hold: ${changed}`,
    full,
  );
}

/** The provider's UploadPartCopy: {@link copyPart} over the provider's stores, errors mapped once. */
export async function uploadPartCopy(
  rt: GcsRuntime,
  request: UploadPartCopyRequest,
  ctx: OperationContext,
): Promise<UploadPartCopyResult> {
  const context = {
    bucket: request.bucket,
    key: request.key,
    uploadId: request.uploadId,
    partNumber: request.partNumber,
  };
  return runGcs('uploadPartCopy', context, ctx, {}, async () => {
    const result = await copyPart(
      {
        store: rt.store,
        names: rt.names,
        manifests: rt.manifests,
        allowClientStreaming: rt.capabilities.clientStreamedRanges,
      },
      request,
      ctx,
    );
    if (request.source.versionId !== undefined) return result;
    return versionIdIfVersioned(
      rt.versioning,
      request.source.bucket,
      ctx.signal,
      result,
      'copySourceVersionId',
    );
  });
}

function crc32cOf(object: GcsObject): { checksumCRC32C?: string } {
  return object.crc32c === undefined ? {} : { checksumCRC32C: object.crc32c };
}
