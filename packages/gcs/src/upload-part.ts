/** UploadPart: the part's bytes become one staging object (Standard class) beside the manifest. */
import type { OperationContext, UploadPartRequest, UploadPartResult } from '@partcopy/core/provider';
import { encryptionHeaders, encryptionResult } from './gcs-encryption.js';
import { gcsEtag } from './gcs-etag.js';
import { checkPartKey } from './gcs-manifest.js';
import { type GcsRuntime, runGcs } from './gcs-runtime.js';
import { checkContentMd5, checkStoredMd5 } from './md5-checks.js';

export async function uploadPart(
  rt: GcsRuntime,
  request: UploadPartRequest,
  ctx: OperationContext,
): Promise<UploadPartResult> {
  const context = {
    bucket: request.bucket,
    key: request.key,
    uploadId: request.uploadId,
    partNumber: request.partNumber,
  };
  return runGcs('uploadPart', context, ctx, {}, async () => {
    const upload = await rt.manifests.head(
      request.bucket,
      request.key,
      request.uploadId,
      ctx.signal,
      context,
    );
    checkPartKey(upload, request.sseCustomer, context);
    const resource: { name: string; storageClass: string; contentType: string; md5Hash?: string } = {
      name: rt.names.part(request.uploadId, request.partNumber),
      storageClass: 'STANDARD',
      contentType: 'application/octet-stream',
    };
    // GCS checks a given md5Hash against the bytes and refuses the upload when they differ.
    if (request.contentMD5 !== undefined) resource.md5Hash = request.contentMD5;
    const insert = {
      resource,
      chunks: request.body.chunks(),
      length: request.body.length,
      headers: encryptionHeaders(request.sseCustomer),
      onBytes: (done: number) => ctx.onProgress?.(done, request.body.length),
    };
    // The caller checks its own MD5 of this stream against the ETag (GCS's stored MD5): a second
    // MD5 here would check the same thing.
    if (
      request.md5CheckedByCaller === true &&
      request.contentMD5 === undefined &&
      request.body.bytes === undefined
    ) {
      const object = await rt.store.insertUnhashed(request.bucket, ctx.signal, insert);
      return { etag: gcsEtag(object), ...encryptionResult(request.sseCustomer) };
    }
    const { object, md5 } = await rt.store.insert(request.bucket, ctx.signal, insert);
    checkContentMd5(request.contentMD5, md5, context);
    checkStoredMd5(object, md5);
    return { etag: gcsEtag(object), ...encryptionResult(request.sseCustomer) };
  });
}
