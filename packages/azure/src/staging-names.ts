/**
 * Where an upload lives: one staging blob per upload, under a prefix partcopy reserves in
 * every container. Its uncommitted blocks are the parts, its metadata the manifest. Because the
 * blob belongs to one upload alone, no other upload, Put Blob or Put Block List on the
 * destination key can discard its blocks, and deleting it removes the upload completely.
 */
import { randomBytes } from 'node:crypto';
import { type ErrorContext, PartCopyError } from '@partcopy/core/provider';

/** Keys under this prefix belong to partcopy: hidden from listings, refused as destinations. */
export const RESERVED_PREFIX = '.partcopy/';

/** The folder of staging blobs. */
export const UPLOADS_PREFIX = `${RESERVED_PREFIX}uploads/`;

const UPLOAD_ID_PATTERN = /^[0-9a-z]{9}-[0-9a-f]{24}$/;

/** A new upload id: creation time (base36 ms, sortable) and 96 random bits. */
export function newUploadId(now = Date.now()): string {
  return `${now.toString(36).padStart(9, '0')}-${randomBytes(12).toString('hex')}`;
}

/** Is this text shaped like one of our upload ids? */
export function isUploadId(value: string): boolean {
  return UPLOAD_ID_PATTERN.test(value);
}

/** The staging blob of an upload. */
export function stagingBlobName(uploadId: string): string {
  return `${UPLOADS_PREFIX}${uploadId}`;
}

/** The upload id a staging blob name carries, or `undefined`. */
export function uploadIdOf(blobName: string): string | undefined {
  if (!blobName.startsWith(UPLOADS_PREFIX)) return undefined;
  const id = blobName.slice(UPLOADS_PREFIX.length);
  return isUploadId(id) ? id : undefined;
}

/** True for names in partcopy's reserved prefix. */
export function isReservedKey(key: string): boolean {
  return key.startsWith(RESERVED_PREFIX);
}

/** Refuses writes into the reserved prefix. */
export function assertUserKey(key: string, context: ErrorContext): void {
  if (isReservedKey(key)) {
    throw new PartCopyError(
      'InvalidArgument',
      `keys starting with "${RESERVED_PREFIX}" are reserved by partcopy on Azure`,
      context,
    );
  }
}

/**
 * Refuses keys with `.` or `..` path segments: URL parsers (the SDK's and the HTTP stack's)
 * fold such segments, even percent-encoded, so the request would name another blob. Writing to
 * the wrong key silently is not an option.
 */
export function assertAddressableKey(key: string, context: ErrorContext): void {
  if (key.split('/').some((segment) => segment === '.' || segment === '..')) {
    throw new PartCopyError(
      'Unsupported',
      'azure does not support keys with "." or ".." path segments: URLs fold them, so Azure would receive another name',
      context,
    );
  }
}
