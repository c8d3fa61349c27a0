/**
 * S3's ListMultipartUploads order and paging, for providers that list uploads from their own
 * storage (all in memory at once). S3 lists uploads by key in UTF-8 byte order, then by
 * initiation; `keyMarker` alone resumes after that key, `keyMarker` with `uploadIdMarker` after
 * that upload of that key. https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListMultipartUploads.html
 */

import type { ListMultipartUploadsRequest } from '../contract/provider-contract.js';
import { compareKeys } from './key-order.js';
import { takeListPage } from './list-page.js';

/** What the listing rules read of an upload. */
export interface ListedUploadRef {
  key: string;
  uploadId: string;
}

/** The request fields that shape one page of uploads. */
export type UploadListingRequest = Pick<
  ListMultipartUploadsRequest,
  'prefix' | 'keyMarker' | 'uploadIdMarker' | 'maxUploads'
>;

/** How a store orders the uploads of one key and resumes after a marker upload that has ended. */
export interface UploadListingOrder<U extends ListedUploadRef> {
  /** Order of one key's uploads; default: by `initiated`, then by upload id. */
  compareSameKey?: (a: U, b: U) => number;
  /**
   * For an `uploadIdMarker` no longer listed (completed or aborted between two pages): whether
   * `upload`, of the marker's key, comes after it. Default: S3's documented rule, an upload id
   * greater than the marker.
   */
  afterMissingMarker?: (upload: U, uploadIdMarker: string) => boolean;
}

/** One page of uploads with S3's continuation markers (set only when truncated). */
export interface UploadPage<U> {
  uploads: U[];
  isTruncated: boolean;
  nextKeyMarker?: string;
  nextUploadIdMarker?: string;
}

// Default order within a key: initiation, then upload id so ties are stable.
function compareByInitiation(
  a: ListedUploadRef & { initiated?: Date },
  b: ListedUploadRef & { initiated?: Date },
): number {
  const time = (a.initiated?.getTime() ?? 0) - (b.initiated?.getTime() ?? 0);
  return time || (a.uploadId < b.uploadId ? -1 : a.uploadId > b.uploadId ? 1 : 0);
}

function idAfter(upload: ListedUploadRef, uploadIdMarker: string): boolean {
  return upload.uploadId > uploadIdMarker;
}

/**
 * The uploads of `sorted` (in listing order) that come after S3's markers: with only
 * `keyMarker`, those of later keys; with `uploadIdMarker` too, those after that upload (when it
 * is listed) or, when it has ended meanwhile, the marker key's uploads `afterMissingMarker`
 * accepts, then later keys.
 */
export function uploadsAfterMarkers<U extends ListedUploadRef>(
  sorted: readonly U[],
  keyMarker: string | undefined,
  uploadIdMarker: string | undefined,
  afterMissingMarker: (upload: U, uploadIdMarker: string) => boolean = idAfter,
): U[] {
  if (keyMarker === undefined) return [...sorted];
  if (uploadIdMarker !== undefined) {
    const at = sorted.findIndex((u) => u.key === keyMarker && u.uploadId === uploadIdMarker);
    if (at >= 0) return sorted.slice(at + 1);
  }
  return sorted.filter((upload) => {
    const order = compareKeys(upload.key, keyMarker);
    if (order !== 0) return order > 0;
    return uploadIdMarker !== undefined && afterMissingMarker(upload, uploadIdMarker);
  });
}

/**
 * One ListMultipartUploads page of `uploads` (any order, any keys): keeps those under
 * `prefix`, sorts them as S3 lists them, resumes after the markers and cuts to `maxUploads` (at
 * most and by default 1000). A truncated page names its last upload as the next markers.
 */
export function listUploadsPage<U extends ListedUploadRef & { initiated?: Date }>(
  uploads: readonly U[],
  request: UploadListingRequest,
  order: UploadListingOrder<U> = {},
): UploadPage<U> {
  const prefix = request.prefix ?? '';
  const sameKey = order.compareSameKey ?? compareByInitiation;
  // Each key is encoded once: the sort compares UTF-8 bytes n·log n times.
  const sorted = uploads
    .filter((upload) => upload.key.startsWith(prefix))
    .map((upload) => ({ upload, bytes: Buffer.from(upload.key, 'utf8') }))
    .sort((a, b) => Buffer.compare(a.bytes, b.bytes) || sameKey(a.upload, b.upload))
    .map(({ upload }) => upload);
  const after = uploadsAfterMarkers(
    sorted,
    request.keyMarker,
    request.uploadIdMarker,
    order.afterMissingMarker,
  );
  const { page, isTruncated } = takeListPage(after, request.maxUploads);
  const last = page.at(-1);
  if (!isTruncated || last === undefined) return { uploads: page, isTruncated: false };
  return { uploads: page, isTruncated: true, nextKeyMarker: last.key, nextUploadIdMarker: last.uploadId };
}
