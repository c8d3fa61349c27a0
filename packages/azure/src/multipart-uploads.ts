/**
 * Creating, aborting and listing uploads. An upload is its staging blob
 * (`.partcopy/uploads/<uploadId>`): created empty with the manifest in its metadata, holding the
 * parts as uncommitted blocks, deleted by abort and by completion.
 */
import type { ContainerClient } from '@azure/storage-blob';
import {
  type CreateMultipartUploadRequest,
  type CreateMultipartUploadResult,
  type ErrorContext,
  type ListMultipartUploadsRequest,
  type ListMultipartUploadsResult,
  type ListPartsRequest,
  type ListPartsResult,
  listUploadsPage,
  type MultipartUploadInfo,
  type OperationContext,
  type UploadRef,
  unsupported,
} from '@partcopy/core/provider';
import {
  type AzureRuntime,
  azureCall,
  blockBlob,
  contextOf,
  hasAzureCode,
  type LoadedUpload,
  loadUpload,
} from './azure-runtime.js';
import { completionInProgress, isLeasedError } from './completion-lease.js';
import { storableSettings } from './object-settings.js';
import { currentParts } from './part-list.js';
import {
  assertAddressableKey,
  assertUserKey,
  newUploadId,
  stagingBlobName,
  UPLOADS_PREFIX,
  uploadIdOf,
} from './staging-names.js';
import { manifestMetadata, noSuchUpload, readManifest, type UploadManifest } from './upload-manifest.js';

export async function createMultipartUpload(
  rt: AzureRuntime,
  request: CreateMultipartUploadRequest,
  ctx: OperationContext,
): Promise<CreateMultipartUploadResult> {
  const context = contextOf('createMultipartUpload', { bucket: request.bucket, key: request.key });
  assertUserKey(request.key, context);
  assertAddressableKey(request.key, context);
  if (request.sseCustomer) throw unsupported('SSE-C (customer-provided keys)', context);
  const settings = storableSettings(request, context);
  const uploadId = newUploadId();
  const manifest: UploadManifest = { v: 1, key: request.key, initiated: new Date().toISOString(), settings };
  const staging = blockBlob(rt, request.bucket, stagingBlobName(uploadId));
  await azureCall(ctx.signal, { ...context, uploadId }, () =>
    staging.upload(new Uint8Array(0), 0, {
      metadata: manifestMetadata(manifest),
      tier: rt.options.stagingTier,
      conditions: { ifNoneMatch: '*' },
      abortSignal: ctx.signal,
    }),
  );
  return { bucket: request.bucket, key: request.key, uploadId };
}

export async function abortMultipartUpload(
  rt: AzureRuntime,
  request: UploadRef,
  ctx: OperationContext,
): Promise<void> {
  const context = contextOf('abortMultipartUpload', {
    bucket: request.bucket,
    key: request.key,
    uploadId: request.uploadId,
  });
  const upload = await loadUpload(rt, request, ctx.signal, context);
  try {
    // Not deleteIfExists: a staging blob a completion removed since it was loaded means the
    // upload was completed, which the abort must not report as its own success.
    await deleteStaging(rt, request.bucket, upload, ctx.signal, context, { mustExist: true });
  } catch (error) {
    if (isLeasedError(error)) throw completionInProgress(error, context);
    if (hasAzureCode(error, 'BlobNotFound') || (error as { status?: number }).status === 404) {
      throw noSuchUpload(context);
    }
    throw error;
  }
}

/**
 * Deletes a staging blob with its uncommitted blocks. Where the account keeps versions, the
 * versions the staging blob left behind are deleted too, so nothing billable remains that
 * partcopy could remove (soft-deleted blobs stay until the account's retention ends).
 * `leaseId`: the completion's lease; `mustExist`: fail with BlobNotFound when already gone.
 */
export async function deleteStaging(
  rt: AzureRuntime,
  bucket: string,
  upload: LoadedUpload,
  signal: AbortSignal,
  context: ErrorContext,
  options: { leaseId?: string; mustExist?: boolean } = {},
): Promise<void> {
  const deleteOptions = {
    deleteSnapshots: 'include' as const,
    abortSignal: signal,
    ...(options.leaseId ? { conditions: { leaseId: options.leaseId } } : {}),
  };
  await azureCall(signal, context, () =>
    options.mustExist ? upload.staging.delete(deleteOptions) : upload.staging.deleteIfExists(deleteOptions),
  );
  if (upload.versionId === undefined) return;
  const container = rt.service.getContainerClient(bucket);
  const versions: string[] = [];
  await azureCall(signal, context, async () => {
    for await (const item of container.listBlobsFlat({
      prefix: upload.staging.name,
      includeVersions: true,
      abortSignal: signal,
    })) {
      if (item.name === upload.staging.name && item.versionId) versions.push(item.versionId);
    }
  });
  for (const versionId of versions) {
    await azureCall(signal, context, () =>
      upload.staging.withVersion(versionId).deleteIfExists({ abortSignal: signal }),
    );
  }
}

export async function listParts(
  rt: AzureRuntime,
  request: ListPartsRequest,
  ctx: OperationContext,
): Promise<ListPartsResult> {
  const context = contextOf('listParts', {
    bucket: request.bucket,
    key: request.key,
    uploadId: request.uploadId,
  });
  const upload = await loadUpload(rt, request, ctx.signal, context);
  const list = await azureCall(ctx.signal, context, () =>
    upload.staging.getBlockList('all', { abortSignal: ctx.signal }),
  );
  const parts = [
    ...currentParts([...(list.committedBlocks ?? []), ...(list.uncommittedBlocks ?? [])]).values(),
  ].filter((part) => part.partNumber > (request.partNumberMarker ?? 0));
  const maxParts = request.maxParts ?? 1000;
  const page = parts.slice(0, maxParts);
  const isTruncated = parts.length > page.length;
  const result: ListPartsResult = {
    bucket: request.bucket,
    key: request.key,
    uploadId: request.uploadId,
    parts: page.map((part) => ({
      partNumber: part.partNumber,
      etag: part.etag,
      size: part.size,
      lastModified: part.lastModified,
    })),
    isTruncated,
  };
  if (isTruncated) result.nextPartNumberMarker = page[page.length - 1]?.partNumber;
  return result;
}

export async function listMultipartUploads(
  rt: AzureRuntime,
  request: ListMultipartUploadsRequest,
  ctx: OperationContext,
): Promise<ListMultipartUploadsResult> {
  const context = contextOf('listMultipartUploads', { bucket: request.bucket });
  const container = rt.service.getContainerClient(request.bucket);
  const all = await azureCall(ctx.signal, context, () =>
    readUploads(container, request.prefix ?? '', ctx.signal),
  );
  // A marker upload that ended between two pages resumes at the marker key's greater ids.
  return { bucket: request.bucket, ...listUploadsPage(all, request) };
}

// Every staging blob is read (one listing page per 5,000 uploads, metadata included): S3 lists
// uploads by key, but staging names carry only the upload id.
async function readUploads(
  container: ContainerClient,
  prefix: string,
  signal: AbortSignal,
): Promise<MultipartUploadInfo[]> {
  const uploads: MultipartUploadInfo[] = [];
  for await (const item of container.listBlobsFlat({
    prefix: UPLOADS_PREFIX,
    includeMetadata: true,
    abortSignal: signal,
  })) {
    const uploadId = uploadIdOf(item.name);
    const manifest = readManifest(item.metadata);
    if (!uploadId || !manifest?.key.startsWith(prefix)) continue;
    const info: MultipartUploadInfo = {
      key: manifest.key,
      uploadId,
      initiated: new Date(manifest.initiated),
    };
    if (manifest.settings.storageClass !== undefined) info.storageClass = manifest.settings.storageClass;
    uploads.push(info);
  }
  return uploads;
}
