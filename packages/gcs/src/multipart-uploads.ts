/**
 * The multipart lifecycle around the parts: an upload is a manifest object under the staging
 * prefix (create), its parts are objects beside it (list), abort deletes them all.
 */
import {
  type CreateMultipartUploadRequest,
  type CreateMultipartUploadResult,
  type ErrorContext,
  type ListMultipartUploadsRequest,
  type ListMultipartUploadsResult,
  type ListPartsRequest,
  type ListPartsResult,
  listUploadsPage,
  type OperationContext,
  PartCopyError,
  type UploadRef,
} from '@partcopy/core/provider';
import { encryptionResult } from './gcs-encryption.js';
import { GCS_PROVIDER_NAME } from './gcs-error-map.js';
import { gcsEtag, UPLOAD_ID_KEY } from './gcs-etag.js';
import { pickSettings, storeSettings } from './gcs-object-resource.js';
import { type GcsRuntime, runGcs } from './gcs-runtime.js';
import { StagingNames } from './gcs-staging-names.js';
import { removeStaging } from './staging-cleanup.js';
import { checkStorageClass, refuseReserved } from './write-checks.js';

export async function createMultipartUpload(
  rt: GcsRuntime,
  request: CreateMultipartUploadRequest,
  ctx: OperationContext,
): Promise<CreateMultipartUploadResult> {
  const context = { bucket: request.bucket, key: request.key };
  return runGcs('createMultipartUpload', context, ctx, { notFound: 'NoSuchBucket' }, async () => {
    refuseReserved(rt.names, request.key, context);
    checkStorageClass(request.storageClass, context);
    const uploadId = StagingNames.newUploadId();
    await rt.manifests.create(
      request.bucket,
      {
        version: 1,
        key: request.key,
        uploadId,
        initiated: new Date().toISOString(),
        settings: storeSettings(pickSettings(request)),
        ...(request.sseCustomer ? { sseKeySha256: request.sseCustomer.keySHA256() } : {}),
      },
      ctx.signal,
    );
    return { bucket: request.bucket, key: request.key, uploadId, ...encryptionResult(request.sseCustomer) };
  });
}

export async function abortMultipartUpload(
  rt: GcsRuntime,
  request: UploadRef,
  ctx: OperationContext,
): Promise<void> {
  const context = { bucket: request.bucket, key: request.key, uploadId: request.uploadId };
  await runGcs('abortMultipartUpload', context, ctx, {}, async () => {
    await rt.manifests.head(request.bucket, request.key, request.uploadId, ctx.signal, context);
    await removeStaging(
      { store: rt.store, names: rt.names },
      request.bucket,
      request.uploadId,
      ctx.signal,
      { provider: GCS_PROVIDER_NAME, operation: 'abortMultipartUpload', ...context },
      'the upload was aborted',
    );
    await assertNotCompleted(rt, request, ctx.signal, context);
  });
}

/**
 * A completion that composed the object before this abort deleted the parts has won the race,
 * even though the abort deleted what remained: answer `NoSuchUpload`, as S3 does for a
 * completed upload, instead of success. The completed object names its upload (UPLOAD_ID_KEY).
 * A completion whose compose comes after the deletions fails (its sources are gone).
 */
async function assertNotCompleted(
  rt: GcsRuntime,
  request: UploadRef,
  signal: AbortSignal,
  context: ErrorContext,
): Promise<void> {
  const current = await rt.store.find(request.bucket, request.key, signal);
  if (current?.metadata?.[UPLOAD_ID_KEY] !== request.uploadId) return;
  throw new PartCopyError(
    'NoSuchUpload',
    `The upload was completed before the abort took effect: its object (ETag ${gcsEtag(current)}) is published at the key`,
    {
      provider: GCS_PROVIDER_NAME,
      operation: 'abortMultipartUpload',
      ...context,
      providerCode: 'CompletedBeforeAbort',
    },
  );
}

export async function listParts(
  rt: GcsRuntime,
  request: ListPartsRequest,
  ctx: OperationContext,
): Promise<ListPartsResult> {
  const context = { bucket: request.bucket, key: request.key, uploadId: request.uploadId };
  return runGcs('listParts', context, ctx, {}, async () => {
    await rt.manifests.head(request.bucket, request.key, request.uploadId, ctx.signal, context);
    // One listing page from the marker on: part names sort by number (five digits).
    const marker = request.partNumberMarker ?? 0;
    const page = await rt.store.listPage(
      request.bucket,
      {
        prefix: rt.names.partsPrefix(request.uploadId),
        startOffset: rt.names.part(request.uploadId, marker + 1),
        maxResults: Math.min(request.maxParts ?? 1000, 1000),
      },
      ctx.signal,
    );
    const parts = (page.items ?? []).flatMap((object) => {
      const partNumber = rt.names.partNumberOf(request.uploadId, object.name);
      if (partNumber === undefined) return [];
      return [
        {
          partNumber,
          etag: gcsEtag(object),
          size: Number(object.size),
          lastModified: new Date(object.updated),
        },
      ];
    });
    const last = parts.at(-1);
    const isTruncated = page.nextPageToken !== undefined && last !== undefined;
    const result: ListPartsResult = {
      bucket: request.bucket,
      key: request.key,
      uploadId: request.uploadId,
      parts,
      isTruncated,
    };
    if (isTruncated) result.nextPartNumberMarker = last.partNumber;
    return result;
  });
}

export async function listMultipartUploads(
  rt: GcsRuntime,
  request: ListMultipartUploadsRequest,
  ctx: OperationContext,
): Promise<ListMultipartUploadsResult> {
  return runGcs(
    'listMultipartUploads',
    { bucket: request.bucket },
    ctx,
    { notFound: 'NoSuchBucket' },
    async () => {
      const all = await rt.manifests.list(request.bucket, ctx.signal);
      // A marker upload that ended between two pages resumes at the marker key's greater ids.
      const page = listUploadsPage(all, request);
      return {
        bucket: request.bucket,
        ...page,
        uploads: page.uploads.map((upload) => ({
          key: upload.key,
          uploadId: upload.uploadId,
          initiated: upload.initiated,
          storageClass: 'STANDARD',
        })),
      };
    },
  );
}
