/**
 * Plain object operations (head, get, put, delete, list) on block blobs. Listings hide the
 * reserved `.partcopy/` prefix, where uploads stage their parts.
 */
import { createHash } from 'node:crypto';
import type {
  BlobClient,
  BlobGetPropertiesResponse,
  BlobRequestConditions,
  BlockBlobClient,
} from '@azure/storage-blob';
import {
  checkContentMD5,
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
  quoteEtag,
  unsupported,
} from '@partcopy/core/provider';
import { type AzureRuntime, azureCall, blockBlob, contextOf } from './azure-runtime.js';
import { destinationBlockIds } from './block-ids.js';
import { decideDeleteConditions } from './delete-conditions.js';
import { settingsFromProperties, storableSettings, writeOptions } from './object-settings.js';
import { splitRange } from './part-list.js';
import { recordedParts } from './parts-record.js';
import { blocksOf } from './payload-blocks.js';
import { assertUserKey, isReservedKey } from './staging-names.js';
import { verifiedBody } from './verified-body.js';
import { azureWriteConditions, checkWriteConditions, publicationError } from './write-conditions.js';

const NULL_VERSION = 'null';

// S3's version "null" (the object of a bucket that never had versioning) is the base blob: Azure
// version ids are timestamps, never "null".
function versionOf(blob: BlockBlobClient, versionId: string | undefined): BlobClient {
  return versionId === undefined || versionId === NULL_VERSION ? blob : blob.withVersion(versionId);
}

export async function headObject(
  rt: AzureRuntime,
  request: HeadObjectRequest,
  ctx: OperationContext,
): Promise<ObjectInfo> {
  const context = contextOf('headObject', { bucket: request.bucket, key: request.key });
  if (request.sseCustomer) throw unsupported('SSE-C (customer-provided keys)', context);
  const blob = versionOf(blockBlob(rt, request.bucket, request.key, context), request.versionId);
  const props = await azureCall(ctx.signal, context, () => blob.getProperties({ abortSignal: ctx.signal }));
  return objectInfo(request.bucket, request.key, props);
}

function objectInfo(
  bucket: string,
  key: string,
  props: BlobGetPropertiesResponse,
  size = props.contentLength ?? 0,
): ObjectInfo {
  const info: ObjectInfo = {
    bucket,
    key,
    etag: quoteEtag(props.etag ?? ''),
    size,
    lastModified: props.lastModified ?? new Date(0),
    ...settingsFromProperties(props),
  };
  if (props.versionId !== undefined) info.versionId = props.versionId;
  const parts = recordedParts(props.metadata, info.size);
  if (parts !== undefined) {
    info.partsCount = parts.length;
    info.parts = parts;
  }
  return info;
}

export async function getObject(
  rt: AzureRuntime,
  request: GetObjectRequest,
  ctx: OperationContext,
): Promise<GetObjectResult> {
  const context = contextOf('getObject', { bucket: request.bucket, key: request.key });
  if (request.sseCustomer) throw unsupported('SSE-C (customer-provided keys)', context);
  const blob = versionOf(blockBlob(rt, request.bucket, request.key, context), request.versionId);
  const offset = request.range?.start ?? 0;
  const count = request.range ? request.range.end - request.range.start + 1 : undefined;
  const response = await azureCall(ctx.signal, context, () =>
    blob.download(offset, count, { abortSignal: ctx.signal }),
  );
  const total = totalSize(response.contentRange) ?? response.contentLength ?? 0;
  // A ranged download's Content-Length is the range's: the object's size is the range's total.
  // (The SDK's answer reads its fields through getters: it is passed as it is, never spread.)
  const info = objectInfo(
    request.bucket,
    request.key,
    response as unknown as BlobGetPropertiesResponse,
    total,
  );
  const contentLength = response.contentLength ?? 0;
  const stream = response.readableStreamBody;
  // Azure answers 416 for a range starting past the end; Azurite serves an empty body when the
  // range starts exactly at the end. S3 answers 416 in both cases.
  if (request.range && offset >= total) {
    (stream as { destroy?: () => void } | undefined)?.destroy?.();
    throw new PartCopyError('InvalidRange', 'The requested range is not satisfiable', {
      ...context,
      providerCode: 'InvalidRange',
    });
  }
  const result: GetObjectResult = {
    ...info,
    size: total,
    contentLength,
    body: stream ? (stream as unknown as AsyncIterable<Uint8Array>) : emptyBody(),
  };
  if (request.range) result.range = { start: offset, end: offset + contentLength - 1 };
  return result;
}

async function* emptyBody(): AsyncGenerator<Uint8Array> {}

function totalSize(contentRange: string | undefined): number | undefined {
  const match = contentRange ? /\/(\d+)$/.exec(contentRange) : null;
  return match ? Number(match[1]) : undefined;
}

export async function putObject(
  rt: AzureRuntime,
  request: PutObjectRequest,
  ctx: OperationContext,
): Promise<PutObjectResult> {
  const context = contextOf('putObject', { bucket: request.bucket, key: request.key });
  assertUserKey(request.key, context);
  if (request.sseCustomer) throw unsupported('SSE-C (customer-provided keys)', context);
  const settings = storableSettings(request, context);
  const blob = blockBlob(rt, request.bucket, request.key, context);
  const conditions = { ifMatch: request.ifMatch, ifNoneMatch: request.ifNoneMatch };
  await checkWriteConditions(blob, conditions, ctx.signal, context);
  const options = writeOptions(settings, context);
  try {
    if (request.body.length > rt.options.maxSinglePutSize) {
      return putResult(
        await putInBlocks(
          rt,
          blob,
          request,
          { ...options, conditions: azureWriteConditions(conditions) },
          ctx,
          context,
        ),
      );
    }
    const body = verifiedBody(request.body, request.contentMD5, context);
    const response = await azureCall(ctx.signal, context, () =>
      blob.upload(body, request.body.length, {
        ...options,
        conditions: azureWriteConditions(conditions),
        abortSignal: ctx.signal,
      }),
    );
    return putResult(response);
  } catch (error) {
    throw publicationError(error, conditions, context);
  }
}

function putResult(response: { etag?: string; versionId?: string }): PutObjectResult {
  const result: PutObjectResult = { etag: quoteEtag(response.etag ?? '') };
  if (response.versionId !== undefined) result.versionId = response.versionId;
  return result;
}

/**
 * Bodies over Put Blob's single-request size go as blocks and one Put Block List, which
 * publishes atomically. Content-MD5 covers the whole body: checked before the last block.
 */
async function putInBlocks(
  rt: AzureRuntime,
  blob: BlockBlobClient,
  request: PutObjectRequest,
  options: ReturnType<typeof writeOptions> & { conditions: BlobRequestConditions },
  ctx: OperationContext,
  context: ErrorContext,
) {
  const pieces = splitRange(0, request.body.length, rt.options.maxUploadBlockSize);
  const ids = destinationBlockIds(pieces.length);
  // In-memory bodies are checked before anything is staged.
  if (request.body.bytes) verifiedBody(request.body, request.contentMD5, context);
  const md5 = createHash('md5');
  let index = 0;
  for await (const block of blocksOf(
    request.body,
    pieces.map((p) => p.count),
  )) {
    md5.update(block);
    if (index === pieces.length - 1) checkContentMD5(request.contentMD5, md5.digest('base64'), context);
    const id = ids[index] as string;
    await azureCall(ctx.signal, context, () =>
      blob.stageBlock(id, block, block.length, { abortSignal: ctx.signal }),
    );
    index++;
  }
  return azureCall(ctx.signal, context, () =>
    blob.commitBlockList(ids, { ...options, abortSignal: ctx.signal }),
  );
}

export async function deleteObject(
  rt: AzureRuntime,
  request: DeleteObjectRequest,
  ctx: OperationContext,
): Promise<DeleteObjectResult> {
  const context = contextOf('deleteObject', { bucket: request.bucket, key: request.key });
  const blob = versionOf(blockBlob(rt, request.bucket, request.key, context), request.versionId);
  const pinned = await decideDeleteConditions(blob, request, ctx.signal, context);
  const result: DeleteObjectResult = {};
  if (pinned === undefined) return result;
  // Deleting a version must not take the base blob's snapshots with it; deleting the base does.
  await azureCall(ctx.signal, context, () =>
    blob.deleteIfExists(
      request.versionId === undefined || request.versionId === NULL_VERSION
        ? { deleteSnapshots: 'include', abortSignal: ctx.signal, ...pinned }
        : { abortSignal: ctx.signal, ...pinned },
    ),
  );
  if (request.versionId !== undefined) result.versionId = request.versionId;
  return result;
}

export async function listObjects(
  rt: AzureRuntime,
  request: ListObjectsRequest,
  ctx: OperationContext,
): Promise<ListObjectsResult> {
  const context = contextOf('listObjects', { bucket: request.bucket });
  const container = rt.service.getContainerClient(request.bucket);
  const maxKeys = request.maxKeys ?? 1000;
  const objects: ListObjectsResult['objects'] = [];
  let token = request.continuationToken;
  if (maxKeys === 0) return { objects, isTruncated: false };
  // Staging blobs are skipped; pages are refilled so a page is short only at the end.
  do {
    const page = await azureCall(ctx.signal, context, async () => {
      const iterator = container
        .listBlobsFlat({ prefix: request.prefix, abortSignal: ctx.signal })
        .byPage({ maxPageSize: maxKeys - objects.length, continuationToken: token });
      return (await iterator.next()).value;
    });
    for (const item of page?.segment.blobItems ?? []) {
      if (isReservedKey(item.name)) continue;
      objects.push({
        key: item.name,
        size: item.properties.contentLength ?? 0,
        etag: quoteEtag(item.properties.etag ?? ''),
        lastModified: item.properties.lastModified,
      });
    }
    token = page?.continuationToken || undefined;
  } while (token && objects.length < maxKeys);
  const result: ListObjectsResult = { objects, isTruncated: token !== undefined };
  if (token) result.nextContinuationToken = token;
  return result;
}
