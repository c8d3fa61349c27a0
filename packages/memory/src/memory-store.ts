/**
 * The state of an in-memory "object store": buckets, object versions and multipart uploads.
 *
 * A provider holds no state of its own; everything lives here, so two providers built on one
 * store behave like two processes talking to one S3 endpoint (any of them can list, complete or
 * abort an upload the other created). Stored byte arrays are never handed out or mutated after
 * they are stored: a new write makes a new version object, which is what lets a part copy pin the
 * exact bytes its source conditions were decided on.
 */
import { randomBytes } from 'node:crypto';
import type {
  BucketVersioningStatus,
  ChecksumAlgorithm,
  Checksums,
  ChecksumType,
  ObjectPart,
  ObjectSettings,
} from '@partcopy/core/provider';
import type { StoredEncryption } from './memory-encryption.js';

/** One stored object version (in an unversioned bucket the only one, with id `null`). */
export interface StoredObject {
  readonly kind: 'object';
  readonly versionId: string;
  readonly data: Uint8Array;
  /** Quoted. */
  readonly etag: string;
  readonly lastModified: Date;
  readonly settings: ObjectSettings;
  /** Base64 MD5 of the SSE-C key the object was written with (never the key). */
  readonly sseKeyMD5?: string;
  /** SSE-S3 / SSE-KMS the object was written with (recorded, not applied: see memory-encryption.ts). */
  readonly encryption?: StoredEncryption;
  readonly checksums: Checksums;
  readonly checksumType?: ChecksumType;
  readonly partsCount?: number;
  /** Size and checksums of each part a completed upload was made of, in part order. */
  readonly parts?: readonly ObjectPart[];
}

/** A delete marker: the current "version" of a key deleted in a versioned bucket. */
export interface DeleteMarker {
  readonly kind: 'deleteMarker';
  readonly versionId: string;
  readonly lastModified: Date;
}

export type ObjectVersion = StoredObject | DeleteMarker;

export interface MemoryBucket {
  readonly name: string;
  /** Absent while versioning was never enabled; once enabled, only suspended (as S3). */
  versioning: BucketVersioningStatus | undefined;
  /** The default encryption of writes that name none (S3 PutBucketEncryption). */
  encryption?: StoredEncryption;
  readonly created: Date;
  /** Versions of each key, oldest first; the last one is current. Never an empty array. */
  readonly keys: Map<string, ObjectVersion[]>;
}

/** One staged part of a multipart upload. */
export interface StoredPart {
  readonly partNumber: number;
  readonly data: Uint8Array;
  /** Quoted. */
  readonly etag: string;
  readonly size: number;
  readonly lastModified: Date;
  readonly checksums: Checksums;
}

export interface MemoryUpload {
  readonly uploadId: string;
  readonly bucket: string;
  readonly key: string;
  readonly initiated: Date;
  /** Initiation order within the store; encoded in the upload id (see {@link MemoryStore.newUploadId}). */
  readonly sequence: number;
  readonly settings: ObjectSettings;
  readonly sseKeyMD5?: string;
  /** SSE-S3 / SSE-KMS the upload was initiated with: the completed object's. */
  readonly encryption?: StoredEncryption;
  readonly checksumAlgorithm?: ChecksumAlgorithm;
  readonly checksumType?: ChecksumType;
  readonly parts: Map<number, StoredPart>;
}

/** Options of a {@link MemoryStore}. */
export interface MemoryStoreOptions {
  /**
   * The clock for `lastModified` and upload initiation times (tests pass a fake one). Times are
   * truncated to whole seconds, as S3 reports them.
   */
  now?: () => Date;
}

/** Upload ids start with the initiation sequence as fixed-width hex, so markers sort by it. */
const SEQUENCE_DIGITS = 12;

/**
 * Shared in-memory state. Create one and pass it as `store` to several providers to share it;
 * a provider created without one gets a private store.
 */
export class MemoryStore {
  readonly buckets = new Map<string, MemoryBucket>();
  /** Every in-progress upload of every bucket, by upload id. */
  readonly uploads = new Map<string, MemoryUpload>();
  readonly #now: () => Date;
  #sequence = 0;

  constructor(options: MemoryStoreOptions = {}) {
    this.#now = options.now ?? (() => new Date());
  }

  /** The current time at S3's one-second resolution. */
  now(): Date {
    const time = this.#now().getTime();
    return new Date(time - (((time % 1000) + 1000) % 1000));
  }

  /** A fresh S3-looking version id (32 URL-safe characters). */
  newVersionId(): string {
    return randomBytes(24).toString('base64url');
  }

  /** A fresh upload id: initiation sequence (sortable) then randomness (unguessable). */
  newUploadId(): { uploadId: string; sequence: number } {
    const sequence = ++this.#sequence;
    const prefix = sequence.toString(16).padStart(SEQUENCE_DIGITS, '0');
    return { uploadId: `${prefix}${randomBytes(24).toString('base64url')}`, sequence };
  }

  /** The initiation sequence encoded in an upload id, or undefined for an id not from a store. */
  static sequenceOf(uploadId: string): number | undefined {
    const prefix = uploadId.slice(0, SEQUENCE_DIGITS);
    return /^[0-9a-f]+$/.test(prefix) && prefix.length === SEQUENCE_DIGITS
      ? Number.parseInt(prefix, 16)
      : undefined;
  }
}
