/** Finding an upload and storing parts into it: shared by uploadPart, uploadPartCopy and completion. */
import type { ErrorContext } from '@partcopy/core/provider';
import { checksumEntry, checksumOf, contentEtag } from '@partcopy/core/provider';
import { memoryError } from './memory-errors.js';
import type { MemoryStore, MemoryUpload, StoredPart } from './memory-store.js';
import { requireBucket } from './memory-versions.js';

/** Names an upload in a request. */
export interface UploadName {
  bucket: string;
  key: string;
  uploadId: string;
}

/**
 * The upload a request names. `NoSuchBucket` when the bucket is gone; `NoSuchUpload` when the id
 * is unknown, aborted, completed, or belongs to another bucket or key (as S3).
 */
export function requireUpload(store: MemoryStore, name: UploadName, context: ErrorContext): MemoryUpload {
  requireBucket(store, name.bucket, context);
  const upload = store.uploads.get(name.uploadId);
  if (!upload || upload.bucket !== name.bucket || upload.key !== name.key) throw noSuchUpload(context);
  return upload;
}

/** S3's `NoSuchUpload` (404). */
export function noSuchUpload(context: ErrorContext) {
  return memoryError(
    'NoSuchUpload',
    'The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.',
    context,
  );
}

/** A part made of `data` (which the store now owns): ETag and the upload's checksum. */
export function newPart(
  upload: MemoryUpload,
  partNumber: number,
  data: Uint8Array,
  lastModified: Date,
): StoredPart {
  const algorithm = upload.checksumAlgorithm;
  return {
    partNumber,
    data,
    etag: contentEtag(data, upload.sseKeyMD5),
    size: data.length,
    lastModified,
    checksums: algorithm === undefined ? {} : checksumEntry(algorithm, checksumOf(algorithm, data)),
  };
}

/**
 * Stores a part, replacing one of the same number, in one synchronous step. Work before this
 * (reading a body, copying a range) may have awaited; if the upload was completed or aborted
 * meanwhile the part has nowhere to go: `NoSuchUpload`.
 */
export function storePart(
  store: MemoryStore,
  upload: MemoryUpload,
  part: StoredPart,
  context: ErrorContext,
): void {
  if (store.uploads.get(upload.uploadId) !== upload) throw noSuchUpload(context);
  upload.parts.set(part.partNumber, part);
}
