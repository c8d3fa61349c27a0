/**
 * CopyObject on Azure: the source's bytes copied on the server into uncommitted blocks of the
 * destination blob (Put Block From URL, `copyConcurrency` blocks at a time), then one Put Block
 * List that publishes the whole copy at once (readers see the old blob or the copy). No payload
 * byte passes through this process.
 *
 * Source conditions are decided with S3's rules on the source's properties (one HEAD, which also
 * gives the settings COPY carries), then every block is pinned with `x-ms-source-if-match` to the
 * ETag the decision was made on, so a source replaced meanwhile fails with 412 instead of mixing
 * or copying other bytes. The source is read through a short-lived read-only SAS (or the
 * caller's bearer token), as part copies read it.
 *
 * Why blocks and not Put Blob From URL (one request, up to 5000 MiB): Azurite answers it with
 * `APINotImplemented` (measured), so it could not be proven here; blocks also copy any size the
 * blob allows, in parallel. A failed copy leaves uncommitted blocks on the destination blob,
 * invisible to readers and listings and discarded by Azure (at the next commit or after a week).
 */
import type { BlobClient, BlobGetPropertiesResponse, BlockBlobClient } from '@azure/storage-blob';
import {
  checkCopySourceSize,
  type ErrorContext,
  evaluateCopySourceConditions,
  type ObjectSettings,
  type OperationContext,
  PartCopyError,
  quoteEtag,
  type ServerSideCopyRequest,
  type ServerSideCopyResult,
  unsupported,
} from '@partcopy/core/provider';
import { type AzureRuntime, azureCall, blockBlob, contextOf, hasAzureCode } from './azure-runtime.js';
import { destinationBlockIds } from './block-ids.js';
import { copyBlocksFromUrl } from './copy-blocks.js';
import { settingsFromProperties, storableSettings, writeOptions } from './object-settings.js';
import { splitRange } from './part-list.js';
import { assertUserKey } from './staging-names.js';
import type { StoredSettings } from './upload-manifest.js';
import { azureWriteConditions, checkWriteConditions, publicationError } from './write-conditions.js';

/** Copies the whole source blob to the destination key; `maxSize` is the capability's limit. */
export async function copyObject(
  rt: AzureRuntime,
  request: ServerSideCopyRequest,
  ctx: OperationContext,
  maxSize: number,
): Promise<ServerSideCopyResult> {
  const { source } = request;
  const context = contextOf('copyObject', {
    bucket: request.bucket,
    key: request.key,
    sourceBucket: source.bucket,
    sourceKey: source.key,
    sourceVersionId: source.versionId,
  });
  assertUserKey(request.key, context);
  if (request.sseCustomer || request.sourceSseCustomer)
    throw unsupported('SSE-C (customer-provided keys)', context);
  const target = blockBlob(rt, request.bucket, request.key, context);
  const sourceBlob = blockBlob(rt, source.bucket, source.key, context);
  const read = source.versionId === undefined ? sourceBlob : sourceBlob.withVersion(source.versionId);
  const props = await azureCall(ctx.signal, context, () => read.getProperties({ abortSignal: ctx.signal }));
  const etag = quoteEtag(props.etag ?? '');
  evaluateCopySourceConditions(
    request.conditions,
    { etag, lastModified: props.lastModified ?? new Date(0) },
    context,
  );
  const size = props.contentLength ?? 0;
  checkCopySourceSize(size, maxSize, context);
  const conditions = { ifMatch: request.ifMatch, ifNoneMatch: request.ifNoneMatch };
  await checkWriteConditions(target, conditions, ctx.signal, context);
  const settings = await destinationSettings(request, props, read, ctx, context);
  const response = await publish(
    rt,
    target,
    { source: read, versionId: source.versionId, sourceEtag: etag, size },
    settings,
    conditions,
    ctx,
    context,
  );
  const result: ServerSideCopyResult = {
    etag: quoteEtag(response.etag ?? ''),
    transfer: 'server-side',
    bytesCopied: size,
  };
  if (response.lastModified !== undefined) result.lastModified = response.lastModified;
  if (response.versionId !== undefined) result.versionId = response.versionId;
  const copiedVersion = source.versionId ?? props.versionId;
  if (copiedVersion !== undefined) result.copySourceVersionId = copiedVersion;
  return result;
}

/**
 * The copy: the source's bytes into uncommitted blocks of the destination (Put Block From URL,
 * each block pinned to the source ETag), then one Put Block List with the settings and the
 * destination conditions, which publishes the whole copy at once.
 */
async function publish(
  rt: AzureRuntime,
  target: BlockBlobClient,
  copy: { source: BlobClient; versionId: string | undefined; sourceEtag: string; size: number },
  settings: StoredSettings,
  conditions: { ifMatch?: string | undefined; ifNoneMatch?: string | undefined },
  ctx: OperationContext,
  context: ErrorContext,
) {
  const pieces = splitRange(0, copy.size, rt.options.maxCopyBlockSize);
  const ids = destinationBlockIds(pieces.length);
  if (pieces.length > 0) {
    await copyBlocksFromUrl(rt, { target, ...copy, pieces, ids, total: copy.size }, ctx, context);
  }
  const destination = { ifMatch: conditions.ifMatch, ifNoneMatch: conditions.ifNoneMatch };
  try {
    return await azureCall(ctx.signal, context, () =>
      target.commitBlockList(ids, {
        ...writeOptions(settings, context),
        conditions: azureWriteConditions(destination),
        abortSignal: ctx.signal,
      }),
    );
  } catch (error) {
    // Another writer committed the key meanwhile, which discards uncommitted blocks: S3's race.
    if (hasAzureCode(error, 'InvalidBlockList')) {
      throw new PartCopyError(
        'ConditionalRequestConflict',
        'another writer committed the destination key during the copy; retry',
        { ...context, retryable: true, cause: error },
      );
    }
    throw publicationError(error, destination, context);
  }
}

/** S3's metadata directive on Azure: the source's properties, metadata and tags, or the request's. */
async function destinationSettings(
  request: ServerSideCopyRequest,
  props: BlobGetPropertiesResponse,
  read: { getTags(options: { abortSignal: AbortSignal }): Promise<{ tags: Record<string, string> }> },
  ctx: OperationContext,
  context: ErrorContext,
): Promise<StoredSettings> {
  if (request.metadataDirective === 'REPLACE') return storableSettings(request.settings, context);
  const settings: ObjectSettings = settingsFromProperties(props);
  if ((props.tagCount ?? 0) > 0) {
    const { tags } = await azureCall(ctx.signal, context, () => read.getTags({ abortSignal: ctx.signal }));
    settings.tagging = tags;
  }
  if (request.settings.storageClass !== undefined) settings.storageClass = request.settings.storageClass;
  return storableSettings(settings, context);
}
