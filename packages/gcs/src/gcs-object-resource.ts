import type { ObjectInfo, ObjectSettings } from '@partcopy/core/provider';
import { ETAG_CRC32C_KEY, gcsEtag, RESERVED_METADATA_PREFIX } from './gcs-etag.js';
import { recordedParts } from './gcs-parts-record.js';

/** The fields of a GCS object resource (JSON API `storage#object`) this provider reads. */
export interface GcsObject {
  name: string;
  bucket: string;
  /** int64 as a decimal string. */
  size: string;
  generation: string;
  metageneration: string;
  updated: string;
  timeCreated?: string;
  md5Hash?: string;
  crc32c?: string;
  componentCount?: number;
  contentType?: string;
  contentEncoding?: string;
  contentDisposition?: string;
  contentLanguage?: string;
  cacheControl?: string;
  storageClass?: string;
  metadata?: Record<string, string>;
  customerEncryption?: { encryptionAlgorithm?: string; keySha256?: string };
}

export interface GcsObjectList {
  items?: GcsObject[];
  prefixes?: string[];
  nextPageToken?: string;
}

/** Metadata keys partcopy stores settings S3 has and GCS lacks under. */
export const EXPIRES_KEY = `${RESERVED_METADATA_PREFIX}expires`;
export const TAGGING_KEY = `${RESERVED_METADATA_PREFIX}tagging`;

/** The writable part of an object resource, as an insert, rewrite or compose body carries it. */
export type GcsObjectSettings = Partial<
  Pick<
    GcsObject,
    | 'contentType'
    | 'contentEncoding'
    | 'contentDisposition'
    | 'contentLanguage'
    | 'cacheControl'
    | 'storageClass'
    | 'metadata'
  >
>;

/**
 * S3 object settings as a GCS resource body. `expires` and `tagging` have no GCS field: they
 * travel in reserved custom metadata and come back out in {@link toObjectInfo}.
 */
export function settingsToResource(settings: ObjectSettings): GcsObjectSettings {
  const resource: GcsObjectSettings = {};
  if (settings.contentType !== undefined) resource.contentType = settings.contentType;
  if (settings.contentEncoding !== undefined) resource.contentEncoding = settings.contentEncoding;
  if (settings.contentDisposition !== undefined) resource.contentDisposition = settings.contentDisposition;
  if (settings.contentLanguage !== undefined) resource.contentLanguage = settings.contentLanguage;
  if (settings.cacheControl !== undefined) resource.cacheControl = settings.cacheControl;
  if (settings.storageClass !== undefined) resource.storageClass = settings.storageClass;
  const metadata: Record<string, string> = { ...settings.metadata };
  if (settings.expires !== undefined) metadata[EXPIRES_KEY] = settings.expires.toISOString();
  if (settings.tagging !== undefined)
    metadata[TAGGING_KEY] = new URLSearchParams(settings.tagging).toString();
  if (Object.keys(metadata).length > 0) resource.metadata = metadata;
  return resource;
}

/** The object as S3 would describe it. `versionId` is the generation. */
export function toObjectInfo(object: GcsObject): ObjectInfo {
  const info: ObjectInfo = {
    bucket: object.bucket,
    key: object.name,
    etag: gcsEtag(object),
    size: Number(object.size),
    lastModified: new Date(object.updated),
    versionId: object.generation,
  };
  if (object.contentType !== undefined) info.contentType = object.contentType;
  if (object.contentEncoding !== undefined) info.contentEncoding = object.contentEncoding;
  if (object.contentDisposition !== undefined) info.contentDisposition = object.contentDisposition;
  if (object.contentLanguage !== undefined) info.contentLanguage = object.contentLanguage;
  if (object.cacheControl !== undefined) info.cacheControl = object.cacheControl;
  if (object.storageClass !== undefined) info.storageClass = object.storageClass;
  const all = object.metadata ?? {};
  const user = Object.fromEntries(
    Object.entries(all).filter(([name]) => !name.startsWith(RESERVED_METADATA_PREFIX)),
  );
  info.metadata = user;
  const expires = all[EXPIRES_KEY];
  if (expires !== undefined) info.expires = new Date(expires);
  const tagging = all[TAGGING_KEY];
  if (tagging !== undefined) info.tagging = Object.fromEntries(new URLSearchParams(tagging));
  // Trusted like the recorded ETag: while the bytes are the ones it was recorded for.
  const parts = all[ETAG_CRC32C_KEY] === object.crc32c ? recordedParts(all, info.size) : undefined;
  if (parts !== undefined) {
    info.partsCount = parts.length;
    info.parts = parts;
  }
  if (object.customerEncryption) info.sseCustomerAlgorithm = 'AES256';
  // GCS computes a CRC32C of every object's bytes (composites included); the copy engine
  // compares source and copy by it. Hidden for objects under a customer key without the key.
  if (object.crc32c !== undefined) {
    info.checksumCRC32C = object.crc32c;
    info.checksumType = 'FULL_OBJECT';
  }
  return info;
}

/** A settings object serialised for the upload manifest (dates as ISO text). */
export type StoredSettings = Omit<ObjectSettings, 'expires'> & { expires?: string };

export function storeSettings(settings: ObjectSettings): StoredSettings {
  const { expires, ...rest } = settings;
  return expires === undefined ? rest : { ...rest, expires: expires.toISOString() };
}

export function loadSettings(stored: StoredSettings): ObjectSettings {
  const { expires, ...rest } = stored;
  return expires === undefined ? rest : { ...rest, expires: new Date(expires) };
}

/** Picks the {@link ObjectSettings} fields out of a request that carries more. */
export function pickSettings(request: ObjectSettings): ObjectSettings {
  const keys = [
    'contentType',
    'contentEncoding',
    'contentDisposition',
    'contentLanguage',
    'cacheControl',
    'expires',
    'metadata',
    'storageClass',
    'tagging',
  ] as const;
  const settings: Record<string, unknown> = {};
  for (const key of keys) if (request[key] !== undefined) settings[key] = request[key];
  return settings as ObjectSettings;
}
