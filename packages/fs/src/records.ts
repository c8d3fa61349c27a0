import {
  type ChecksumAlgorithm,
  type Checksums,
  type ChecksumType,
  type ObjectInfo,
  type ObjectPart,
  type ObjectSettings,
  objectChecksumType,
  sseCustomerResult,
} from '@partcopy/core/provider';

/**
 * The JSON sidecars this provider writes. Dates are ISO strings on disk; `format` lets a later
 * version of this package read or migrate older files.
 */

/** Object settings as stored (`expires` as an ISO string). */
export type StoredSettings = Omit<ObjectSettings, 'expires'> & { expires?: string };

/** SSE-C facts kept about an object or upload: never the key, only its MD5. */
export interface StoredSse {
  sseCustomerAlgorithm?: 'AES256';
  sseCustomerKeyMD5?: string;
}

/** One version of a key: an object, or a delete marker. */
export interface VersionRecord extends StoredSse {
  format: 1;
  /** The real key (the folder name may be a hash). */
  key: string;
  versionId: string;
  lastModified: string;
  deleteMarker?: true;
  etag?: string;
  size?: number;
  partsCount?: number;
  /** Size and checksums of each part a completed upload was made of, in part order. */
  parts?: ObjectPart[];
  settings?: StoredSettings;
  checksums?: Checksums;
  checksumType?: ChecksumType;
}

/** A live (not delete marker) version. */
export type ObjectRecord = VersionRecord & { etag: string; size: number };

/** A multipart upload's own record. */
export interface UploadRecord extends StoredSse {
  format: 1;
  uploadId: string;
  key: string;
  initiated: string;
  settings: StoredSettings;
  checksumAlgorithm?: ChecksumAlgorithm;
  checksumType?: ChecksumType;
}

/** One staged part. */
export interface PartRecord {
  format: 1;
  partNumber: number;
  etag: string;
  size: number;
  lastModified: string;
  dataFile: string;
  checksums?: Checksums;
}

/** A bucket's settings. */
export interface BucketConfig {
  format: 1;
  /** Is versioning enabled? (Kept for stores written before `status` existed.) */
  versioning: boolean;
  /** S3's versioning state; absent while versioning was never enabled (then `versioning` decides). */
  status?: 'Enabled' | 'Suspended';
  created: string;
}

const SETTING_FIELDS = [
  'contentType',
  'contentEncoding',
  'contentDisposition',
  'contentLanguage',
  'cacheControl',
  'metadata',
  'storageClass',
  'tagging',
] as const;

/** Picks the object settings out of a request, ready to store. */
export function storeSettings(request: ObjectSettings): StoredSettings {
  const out: StoredSettings = {};
  for (const field of SETTING_FIELDS) {
    const value = request[field];
    if (value !== undefined) (out as Record<string, unknown>)[field] = structuredClone(value);
  }
  if (request.expires !== undefined) out.expires = request.expires.toISOString();
  return out;
}

/** Stored settings back to the API shape. */
export function loadSettings(stored: StoredSettings | undefined): ObjectSettings {
  const { expires, ...rest } = stored ?? {};
  return expires === undefined ? { ...rest } : { ...rest, expires: new Date(expires) };
}

/**
 * The SSE-C facts to store for data written with the key whose MD5 is `keyMD5` (`{}` without
 * SSE-C). The bytes on disk are NOT encrypted (see README): the store only checks keys as S3 does.
 */
export function storedSse(keyMD5: string | undefined): StoredSse {
  return keyMD5 === undefined ? {} : { sseCustomerAlgorithm: 'AES256', sseCustomerKeyMD5: keyMD5 };
}

/**
 * A version record as the API's ObjectInfo. `versioned` (the bucket has a versioning state)
 * decides whether the version id shows.
 */
export function toObjectInfo(bucket: string, record: ObjectRecord, versioned: boolean): ObjectInfo {
  const info: ObjectInfo = {
    ...loadSettings(record.settings),
    ...record.checksums,
    ...sseCustomerResult(record.sseCustomerKeyMD5),
    bucket,
    key: record.key,
    etag: record.etag,
    size: record.size,
    lastModified: new Date(record.lastModified),
  };
  if (versioned) info.versionId = record.versionId;
  if (record.partsCount !== undefined) info.partsCount = record.partsCount;
  if (record.parts !== undefined) info.parts = record.parts.map((part) => ({ ...part }));
  const checksumType = objectChecksumType(record.checksums, record.checksumType, record.partsCount);
  if (checksumType !== undefined) info.checksumType = checksumType;
  return info;
}

/**
 * A lastModified timestamp as stored: whole seconds, like S3's Last-Modified header and the memory
 * provider, so a date read back from a result and given as a condition compares as expected.
 */
export function lastModifiedNow(): string {
  return new Date(Math.floor(Date.now() / 1000) * 1000).toISOString();
}
