/**
 * Bucket versioning in the provider contract: a bucket's versioning state (S3
 * PutBucketVersioning / GetBucketVersioning) and the listing of every version and delete marker
 * (S3 ListObjectVersions). Optional operations, each behind a capability
 * (`bucketVersioning`, `listObjectVersions`).
 */

/**
 * A bucket's versioning state as S3 names it. A bucket that never had versioning enabled has no
 * state at all (S3 answers an empty `VersioningConfiguration`), and it can never return to that:
 * once enabled, versioning can only be suspended.
 */
export type BucketVersioningStatus = 'Enabled' | 'Suspended';

export interface PutBucketVersioningRequest {
  bucket: string;
  status: BucketVersioningStatus;
}

export interface GetBucketVersioningRequest {
  bucket: string;
}

export interface GetBucketVersioningResult {
  /** Absent for a bucket whose versioning was never enabled. */
  status?: BucketVersioningStatus;
}

/** The normalised ListObjectVersions request. */
export interface ListObjectVersionsRequest {
  bucket: string;
  /** Only keys starting with this. */
  prefix?: string;
  /**
   * Keys holding this string after the prefix are rolled up into one common prefix (up to and
   * including the delimiter's first occurrence after the prefix), listed once and counted once.
   */
  delimiter?: string;
  /**
   * Without `versionIdMarker`: start with the first key after this one. With it: start with the
   * versions of this key that come after `versionIdMarker` (newest first), then the later keys.
   */
  keyMarker?: string;
  /** Only with `keyMarker` (the facade refuses it alone). */
  versionIdMarker?: string;
  /** At most this many versions, delete markers and common prefixes together: 0..1000. */
  maxKeys: number;
}

/** One version of an object. */
export interface ObjectVersionEntry {
  key: string;
  /** `null` for the version written while versioning was never enabled or suspended. */
  versionId: string;
  /** Is this the key's current version? */
  isLatest: boolean;
  lastModified: Date;
  /** Quoted. */
  etag: string;
  size: number;
  storageClass?: string;
}

/** A delete marker: the "version" a delete without a version id adds in a versioned bucket. */
export interface DeleteMarkerEntry {
  key: string;
  versionId: string;
  isLatest: boolean;
  lastModified: Date;
}

export interface ListObjectVersionsResult {
  /** Object versions, by key, then newest first within a key. */
  versions: ObjectVersionEntry[];
  /** Delete markers, in the same order. */
  deleteMarkers: DeleteMarkerEntry[];
  /**
   * The kinds of the entries of `versions` and `deleteMarkers` in listing order, the two
   * interleaved as S3 lists them (by key, newest first within a key): a store that knows the
   * order of a version and a delete marker written in the same second says it here. Absent: a
   * reader merges the two lists by key and time.
   */
  order?: Array<'version' | 'deleteMarker'>;
  /** Rolled-up prefixes (with a delimiter), in key order. */
  commonPrefixes: string[];
  isTruncated: boolean;
  /** When truncated: the `keyMarker` that continues the listing. */
  nextKeyMarker?: string;
  /** When truncated after a version or delete marker: the `versionIdMarker` that continues it. */
  nextVersionIdMarker?: string;
}
