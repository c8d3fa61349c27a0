/**
 * Normalised shapes shared by the facade and the provider contract. The facade turns the
 * S3-shaped input users write into these; providers receive them already validated.
 */
import type { ChecksumAlgorithm } from './capabilities.js';

/** An object in a bucket, optionally one version of it. */
export interface ObjectRef {
  bucket: string;
  key: string;
  versionId?: string;
}

/** A closed, inclusive, zero-based byte range, like S3's `bytes=start-end`. */
export interface ByteRange {
  start: number;
  end: number;
}

/** S3 source conditions, normalised: ETag lists and dates. */
export interface CopySourceConditions {
  /** Proceed only if the source's ETag is one of these (S3 `x-amz-copy-source-if-match`). */
  ifMatch?: string[];
  /** Proceed only if the source's ETag is none of these. */
  ifNoneMatch?: string[];
  ifModifiedSince?: Date;
  ifUnmodifiedSince?: Date;
}

export type ChecksumType = 'COMPOSITE' | 'FULL_OBJECT';

/** Checksums S3 can return for a part or an object (base64 of the big-endian digest). */
export interface Checksums {
  checksumCRC32?: string;
  checksumCRC32C?: string;
  checksumCRC64NVME?: string;
  checksumSHA1?: string;
  checksumSHA256?: string;
}

/** One part of an object completed by a multipart upload: its size and the checksums recorded for it. */
export interface ObjectPart extends Checksums {
  size: number;
}

/** Server-side encryption fields S3 returns. */
export interface EncryptionResult {
  serverSideEncryption?: string;
  sseCustomerAlgorithm?: string;
  sseCustomerKeyMD5?: string;
  sseKMSKeyId?: string;
  bucketKeyEnabled?: boolean;
}

/** S3 server-side encryption with S3- or KMS-managed keys, as requested on writes. */
export interface ServerSideEncryptionRequest {
  serverSideEncryption?: 'AES256' | 'aws:kms' | 'aws:kms:dsse' | (string & {});
  sseKMSKeyId?: string;
  /** Base64 JSON, as S3's `x-amz-server-side-encryption-context`. */
  sseKMSEncryptionContext?: string;
  bucketKeyEnabled?: boolean;
}

/** Fields S3 accepts on most requests for requester-pays and ownership checks. */
export interface RequestOwnership {
  requestPayer?: 'requester';
  expectedBucketOwner?: string;
}

/** S3's `x-amz-request-charged` answer. */
export interface RequestCharged {
  requestCharged?: 'requester';
}

/** How the bytes of a copy moved. */
export type TransferMode = 'server-side' | 'client-streamed';

/** Object settings recorded at creation and applied to the completed object. */
export interface ObjectSettings {
  contentType?: string;
  contentEncoding?: string;
  contentDisposition?: string;
  contentLanguage?: string;
  cacheControl?: string;
  expires?: Date;
  metadata?: Record<string, string>;
  storageClass?: string;
  tagging?: Record<string, string>;
}

/** A request body as providers receive it: its exact length and a way to read it once. */
export interface Payload {
  /** Exact length in bytes. */
  readonly length: number;
  /** The bytes, when the caller gave them in memory. */
  readonly bytes?: Uint8Array;
  /** Reads the body; may be called once. Verifies the length as it goes. */
  chunks(): AsyncIterable<Uint8Array>;
}

export type { ChecksumAlgorithm };
