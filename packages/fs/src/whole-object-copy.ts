import { link } from 'node:fs/promises';
import { join } from 'node:path';
import {
  checkCopySourceSize,
  checkObjectSseCustomerKey,
  type ErrorContext,
  evaluateCopySourceConditions,
  type OperationContext,
  type ServerSideCopyRequest,
  type ServerSideCopyResult,
  sseCustomerResult,
} from '@partcopy/core/provider';
import { removeQuietly } from './atomic-write.js';
import { sinkRange } from './data-sink.js';
import type { FsLayout } from './fs-layout.js';
import type { FsLimits } from './fs-options.js';
import { randomToken } from './ids.js';
import type { ObjectStore, PinnedObject, VersionFields } from './object-store.js';
import { type ObjectRecord, type StoredSettings, storedSse, storeSettings } from './records.js';

/** What a whole-object copy needs from the provider. */
export interface WholeObjectCopyDeps {
  layout: FsLayout;
  objects: ObjectStore;
  limits: FsLimits & { maxWholeObjectCopySize: number };
}

/**
 * CopyObject on local files. Checks in S3's order: the destination bucket, the source
 * (`NoSuchBucket`, `NoSuchKey`/`NoSuchVersion`, delete marker `InvalidRequest`), its SSE-C key,
 * the source conditions, the size limit, the destination conditions. The source version is
 * opened once before the conditions are decided, and the copy is made from that version (its data
 * file is immutable), so a writer replacing the source meanwhile cannot change what is copied.
 * The copy is published like any write: one rename under the key lock, conditions re-checked.
 *
 * When the bytes need no new digest (a plain MD5 ETag, no SSE-C on either side) the copy is a
 * hard link to the source's data file: no byte is read or written. Otherwise (or where the file
 * system refuses links) the bytes are copied into a temporary file that computes the new ETag.
 */
export async function copyObject(
  deps: WholeObjectCopyDeps,
  request: ServerSideCopyRequest,
  ctx: OperationContext,
): Promise<ServerSideCopyResult> {
  const { bucket, key, source } = request;
  const context = copyContext(request);
  await deps.layout.requireBucket(bucket);
  await deps.layout.requireBucket(source.bucket);
  const sourceState = await deps.objects.versioning(source.bucket);
  const pinned = await deps.objects.openPinned(
    source.bucket,
    source.key,
    source.versionId,
    sourceState,
    'copy-source',
  );
  try {
    const { record } = pinned;
    checkObjectSseCustomerKey(record.sseCustomerKeyMD5, request.sourceSseCustomer, context);
    evaluateCopySourceConditions(
      request.conditions,
      { etag: record.etag, lastModified: new Date(record.lastModified) },
      context,
    );
    checkCopySourceSize(record.size, deps.limits.maxWholeObjectCopySize, context);
    const conditions = { ifMatch: request.ifMatch, ifNoneMatch: request.ifNoneMatch };
    await deps.objects.checkConditions(bucket, key, conditions);
    const { dataTemp, fields } = await copyData(deps, pinned, request, ctx);
    const state = await deps.objects.versioning(bucket);
    const published = await deps.objects.publish(bucket, key, fields, {
      state,
      dataTemp,
      conditions,
      signal: ctx.signal,
    });
    ctx.onProgress?.(record.size, record.size);
    const result: ServerSideCopyResult = {
      etag: fields.etag as string,
      lastModified: new Date(published.lastModified),
      ...fields.checksums,
      ...sseCustomerResult(fields.sseCustomerKeyMD5),
      transfer: 'server-side',
      bytesCopied: record.size,
    };
    if (state === 'Enabled') result.versionId = published.versionId;
    if (sourceState !== undefined) result.copySourceVersionId = record.versionId;
    return result;
  } finally {
    await pinned.handle.close();
  }
}

/** The new version's data file (not yet published) and record fields. */
async function copyData(
  deps: WholeObjectCopyDeps,
  pinned: PinnedObject,
  request: ServerSideCopyRequest,
  ctx: OperationContext,
): Promise<{ dataTemp: string; fields: VersionFields }> {
  const { record } = pinned;
  const sse = storedSse(request.sseCustomer?.keyMD5);
  const common = {
    size: record.size,
    settings: destinationSettings(request, record),
    ...sse,
    ...carriedChecksums(record),
  };
  const plainEtag = record.partsCount === undefined && !record.sseCustomerKeyMD5 && !sse.sseCustomerKeyMD5;
  if (plainEtag) {
    const linked = await linkData(deps, pinned, request);
    if (linked !== undefined) return { dataTemp: linked, fields: { ...common, etag: record.etag } };
  }
  const data = await sinkRange(deps.layout.tmpDir(request.bucket), pinned.handle, 0, record.size, {
    signal: ctx.signal,
    onProgress: ctx.onProgress,
    sseKeyMD5: sse.sseCustomerKeyMD5,
  });
  return { dataTemp: data.path, fields: { ...common, etag: data.etag } };
}

/** Hard-links the source's data file into the destination's temporary folder; undefined when refused. */
async function linkData(
  deps: WholeObjectCopyDeps,
  pinned: PinnedObject,
  request: ServerSideCopyRequest,
): Promise<string | undefined> {
  const { source } = request;
  const keyDir = deps.layout.keyDir(source.bucket, source.key);
  const target = join(deps.layout.tmpDir(request.bucket), `${randomToken()}.tmp`);
  try {
    await link(deps.layout.versionDataFile(keyDir, pinned.stem), target);
    return target;
  } catch {
    // Another file system, no link support, or the version was removed since it was opened:
    // the byte copy from the open handle still reads the pinned version.
    await removeQuietly(target);
    return undefined;
  }
}

/** S3's metadata directive: the source's settings or the request's; the storage class is never carried. */
function destinationSettings(request: ServerSideCopyRequest, record: ObjectRecord): StoredSettings {
  if (request.metadataDirective === 'REPLACE') return storeSettings(request.settings);
  const { storageClass: _notCarried, ...carried } = structuredClone(record.settings ?? {});
  const settings: StoredSettings = carried;
  if (request.settings.storageClass !== undefined) settings.storageClass = request.settings.storageClass;
  return settings;
}

/** Full-object checksums describe the copy too; composite ones describe the source's parts. */
function carriedChecksums(record: ObjectRecord): Pick<VersionFields, 'checksums' | 'checksumType'> {
  if (record.partsCount !== undefined && record.checksumType !== 'FULL_OBJECT') return {};
  const out: Pick<VersionFields, 'checksums' | 'checksumType'> = {};
  if (record.checksums !== undefined) out.checksums = { ...record.checksums };
  if (record.checksumType !== undefined) out.checksumType = record.checksumType;
  return out;
}

function copyContext(request: ServerSideCopyRequest): ErrorContext {
  const { bucket, key, source } = request;
  const context: ErrorContext = { bucket, key, sourceBucket: source.bucket, sourceKey: source.key };
  if (source.versionId !== undefined) context.sourceVersionId = source.versionId;
  return context;
}
