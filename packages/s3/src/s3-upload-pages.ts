/**
 * ListMultipartUploads paging as S3 does it, kept when a server does not: some S3-compatible
 * servers (MinIO, moto) ignore `max-uploads` and return every upload, or ignore the markers. The
 * page is cut to `maxUploads` here and continues after the markers, so callers paging with
 * `nextKeyMarker` / `nextUploadIdMarker` see every upload exactly once, on any server. On S3 both
 * steps change nothing.
 */
import { compareKeys, type ListMultipartUploadsRequest, type MultipartUploadInfo } from '@partcopy/core';

export interface UploadPage {
  uploads: MultipartUploadInfo[];
  isTruncated: boolean;
  nextKeyMarker?: string;
  nextUploadIdMarker?: string;
}

/** Drops what lies at or before the markers (when the server ignored them), then cuts to maxUploads. */
export function pageUploads(request: ListMultipartUploadsRequest, server: UploadPage): UploadPage {
  const after = afterMarkers(server.uploads, request.keyMarker, request.uploadIdMarker);
  const max = request.maxUploads;
  if (max === undefined || after.length <= max) return { ...server, uploads: after };
  const uploads = after.slice(0, max);
  const last = uploads[uploads.length - 1];
  return {
    uploads,
    isTruncated: true,
    nextKeyMarker: last?.key,
    nextUploadIdMarker: last?.uploadId,
  };
}

function afterMarkers(
  uploads: MultipartUploadInfo[],
  keyMarker: string | undefined,
  uploadIdMarker: string | undefined,
): MultipartUploadInfo[] {
  if (keyMarker === undefined) return uploads;
  if (uploadIdMarker !== undefined) {
    const at = uploads.findIndex((u) => u.key === keyMarker && u.uploadId === uploadIdMarker);
    if (at >= 0) return uploads.slice(at + 1);
  }
  // S3: with only a key marker, uploads of keys after it; with both, of the same key after the id.
  // Key order is S3's: UTF-8 bytes (JavaScript's `>` compares UTF-16 units, which differs).
  return uploads.filter(
    (u) => compareKeys(u.key, keyMarker) > 0 || (uploadIdMarker !== undefined && u.key === keyMarker),
  );
}
