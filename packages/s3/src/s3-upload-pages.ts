/**
 * ListMultipartUploads paging as S3 does it, kept when a server does not: some S3-compatible
 * servers (MinIO, moto) ignore `max-uploads` and return every upload, or ignore the markers. The
 * page is cut to `maxUploads` here and continues after the markers, so callers paging with
 * `nextKeyMarker` / `nextUploadIdMarker` see every upload exactly once, on any server. On S3 both
 * steps change nothing.
 */
import {
  type UploadPage as CoreUploadPage,
  type ListMultipartUploadsRequest,
  type MultipartUploadInfo,
  uploadsAfterMarkers,
} from '@partcopy/core/provider';

/** A page of uploads as the server sent it or as cut here. */
export type UploadPage = CoreUploadPage<MultipartUploadInfo>;

/** Drops what lies at or before the markers (when the server ignored them), then cuts to maxUploads. */
export function pageUploads(request: ListMultipartUploadsRequest, server: UploadPage): UploadPage {
  // The server's order is kept (it is S3's). A marker upload the page does not hold was already
  // passed by a server that honoured the markers, so every upload of the marker key stays.
  const after = uploadsAfterMarkers(server.uploads, request.keyMarker, request.uploadIdMarker, () => true);
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
