/**
 * The S3-shaped input users give the facade: every field of the S3 operations in camelCase,
 * accepting S3's string forms and structured forms. The facade normalises these into the
 * provider contract's requests (provider.ts).
 */

import type { BucketEncryption } from '../contract/bucket-encryption.js';
import type { ChecksumAlgorithm } from '../contract/capabilities.js';
import type { BodyInput } from '../contract/payload.js';
import type { ComposeObjectRequest, DiscardComposeProgressRequest } from '../contract/provider-contract.js';
import type {
  Checksums,
  ChecksumType,
  ObjectSettings,
  ServerSideEncryptionRequest,
} from '../contract/types.js';
import type { ByteRangeInput } from '../semantics/byte-range.js';
import type { CopySourceInput } from '../semantics/copy-source.js';
import type { SourceHint } from '../semantics/source-hint.js';

/** Every facade call takes an AbortSignal. */
export interface CallOptions {
  abortSignal?: AbortSignal;
}

/** Progress of a long call: bytes done so far, and the total when known. */
export interface ProgressOptions {
  onProgress?: (progress: { bytesDone: number; bytesTotal?: number }) => void;
}

/** S3's three SSE-C fields for the object being written or read. */
export interface SseCustomerInput {
  sseCustomerAlgorithm?: 'AES256' | (string & {});
  /** The 256-bit key: base64 text as S3 takes it, or raw bytes. */
  sseCustomerKey?: string | Uint8Array;
  sseCustomerKeyMD5?: string;
}

export interface OwnershipInput {
  requestPayer?: 'requester';
  expectedBucketOwner?: string;
}

export interface CreateBucketInput extends CallOptions {
  bucket: string;
  /** Create the bucket with versioning enabled. */
  versioning?: boolean;
}

export interface DeleteBucketInput extends CallOptions {
  bucket: string;
}

export interface PutBucketVersioningInput extends CallOptions {
  bucket: string;
  /** `Enabled`, or `Suspended` (a bucket whose versioning was once enabled cannot lose it). */
  status: 'Enabled' | 'Suspended';
}

export interface PutBucketEncryptionInput extends CallOptions {
  bucket: string;
  /** The default: `AES256`, or `aws:kms` / `aws:kms:dsse` with an optional KMS key id. */
  encryption: BucketEncryption;
}

/** GetBucketEncryption and DeleteBucketEncryption. */
export interface BucketEncryptionInput extends CallOptions {
  bucket: string;
}

export interface GetBucketVersioningInput extends CallOptions {
  bucket: string;
}

/** S3 ListBuckets: no input besides the call options. */
export interface ListBucketsInput extends CallOptions {}

/** S3 ListObjectVersions, camelCase. */
export interface ListObjectVersionsInput extends CallOptions {
  bucket: string;
  prefix?: string;
  /** Roll keys up into common prefixes at this string (empty means none). */
  delimiter?: string;
  /** Continue after this key (or, with `versionIdMarker`, after that version of it). */
  keyMarker?: string;
  /** Needs `keyMarker`. */
  versionIdMarker?: string;
  /** At most this many entries; default and ceiling 1000, as S3. */
  maxKeys?: number;
}

export interface CreateMultipartUploadInput
  extends CallOptions,
    ObjectSettings,
    SseCustomerInput,
    OwnershipInput,
    ServerSideEncryptionRequest {
  bucket: string;
  key: string;
  checksumAlgorithm?: ChecksumAlgorithm;
  checksumType?: ChecksumType;
}

export interface UploadPartInput
  extends CallOptions,
    ProgressOptions,
    SseCustomerInput,
    OwnershipInput,
    Checksums {
  checksumAlgorithm?: ChecksumAlgorithm;
  bucket: string;
  key: string;
  uploadId: string;
  partNumber: number;
  body: BodyInput;
  /** Required when `body` is a stream. */
  contentLength?: number;
  contentMD5?: string;
  /**
   * The caller computes this streamed body's MD5 as it passes and checks it against the part ETag
   * the store answers (it has seen this store's part ETags are MD5s). The provider MAY then leave
   * out a checksum of its own over the same bytes (the S3 SDK's default CRC32), a second pass over
   * every byte that would check nothing more.
   */
  md5CheckedByCaller?: boolean;
}

/** UploadPartCopy: every field of the S3 operation, camelCase. */
export interface UploadPartCopyInput extends CallOptions, ProgressOptions, SseCustomerInput, OwnershipInput {
  bucket: string;
  key: string;
  uploadId: string;
  partNumber: number;
  /** `bucket/key`, `/bucket/key`, URL-encoded keys, `...?versionId=V`, access-point ARNs, or `{ bucket, key, versionId }`. */
  copySource: CopySourceInput;
  /** `bytes=first-last` (inclusive) or `{ start, end }` (like .NET's FirstByte/LastByte). Absent: whole source. */
  copySourceRange?: ByteRangeInput;
  /** One ETag or a list (like .NET's ETagToMatch). */
  copySourceIfMatch?: string | string[];
  /** One ETag or a list (like .NET's ETagsToNotMatch). */
  copySourceIfNoneMatch?: string | string[];
  /** A Date, an HTTP-date or an ISO 8601 string. */
  copySourceIfModifiedSince?: Date | string;
  copySourceIfUnmodifiedSince?: Date | string;
  copySourceSSECustomerAlgorithm?: 'AES256' | (string & {});
  copySourceSSECustomerKey?: string | Uint8Array;
  copySourceSSECustomerKeyMD5?: string;
  expectedSourceBucketOwner?: string;
  /**
   * What you already know of the source (from a `headObject`): lets providers that must read the
   * source's metadata for every part (Azure, GCS) skip that read. The copy is then pinned to
   * `etag`: a source that changed fails with `PreconditionFailed`. partcopy's own addition.
   */
  copySourceHint?: SourceHint;
}

export interface CompletedPartInput extends Checksums {
  partNumber: number;
  etag: string;
}

export interface CompleteMultipartUploadInput
  extends CallOptions,
    SseCustomerInput,
    OwnershipInput,
    Checksums {
  bucket: string;
  key: string;
  uploadId: string;
  /** S3's shape: `{ parts: [{ partNumber, etag }] }`. */
  multipartUpload?: { parts: CompletedPartInput[] };
  /** Shorthand for `multipartUpload.parts`. */
  parts?: CompletedPartInput[];
  ifMatch?: string;
  ifNoneMatch?: string;
  checksumType?: ChecksumType;
  mpObjectSize?: number;
}

export interface UploadInput extends CallOptions, OwnershipInput {
  bucket: string;
  key: string;
  uploadId: string;
}

export interface ListPartsInput extends UploadInput, SseCustomerInput {
  maxParts?: number;
  partNumberMarker?: number;
}

export interface ListMultipartUploadsInput extends CallOptions, OwnershipInput {
  bucket: string;
  prefix?: string;
  keyMarker?: string;
  uploadIdMarker?: string;
  maxUploads?: number;
}

export interface HeadObjectInput extends CallOptions, SseCustomerInput, OwnershipInput {
  bucket: string;
  key: string;
  /** Needs `versionedSources`, except `null`: on a store that keeps no versions it names the object (as S3 for a bucket that never had versioning). */
  versionId?: string;
}

export interface GetObjectInput extends HeadObjectInput {
  /** `bytes=first-last` or `{ start, end }`. */
  range?: ByteRangeInput;
}

export interface PutObjectInput
  extends CallOptions,
    ProgressOptions,
    ObjectSettings,
    SseCustomerInput,
    OwnershipInput,
    ServerSideEncryptionRequest,
    Checksums {
  bucket: string;
  key: string;
  body: BodyInput;
  checksumAlgorithm?: ChecksumAlgorithm;
  contentLength?: number;
  contentMD5?: string;
  ifMatch?: string;
  ifNoneMatch?: string;
}

export interface DeleteObjectInput extends CallOptions, OwnershipInput {
  bucket: string;
  key: string;
  /** Needs `versionedSources`, except `null`: on a store that keeps no versions it names the object (as S3 for a bucket that never had versioning). */
  versionId?: string;
  /** Delete only if the version deleted (or hidden) has this ETag; needs `deleteConditions`. */
  ifMatch?: string;
  /** Only if it was last modified at this time (to the second); needs `deleteConditions`. */
  ifMatchLastModifiedTime?: Date;
  /** Only if it has this many bytes; needs `deleteConditions`. */
  ifMatchSize?: number;
}

export interface ListObjectsInput extends CallOptions {
  bucket: string;
  prefix?: string;
  continuationToken?: string;
  maxKeys?: number;
  /** Only keys after this one (S3 StartAfter), on every provider (see `listStartAfter`). */
  startAfter?: string;
}

/**
 * S3 CopyObject, as {@link PartCopyClient.copyObjectServerSide} takes it: every field of the S3
 * operation, camelCase. The settings fields (`contentType`, `metadata`, ...) apply under
 * `metadataDirective: 'REPLACE'`; under `COPY` (the default) the source's are carried and only
 * `storageClass` is read.
 */
export interface CopyObjectServerSideInput
  extends CallOptions,
    ObjectSettings,
    SseCustomerInput,
    OwnershipInput,
    ServerSideEncryptionRequest {
  /** Destination bucket. */
  bucket: string;
  /** Destination key. */
  key: string;
  /** `bucket/key`, `/bucket/key`, URL-encoded keys, `...?versionId=V`, access-point ARNs, or `{ bucket, key, versionId }`. */
  copySource: CopySourceInput;
  /** `COPY` (default): the source's settings; `REPLACE`: the settings given here. */
  metadataDirective?: 'COPY' | 'REPLACE';
  /** One ETag or a list. */
  copySourceIfMatch?: string | string[];
  /** One ETag or a list. */
  copySourceIfNoneMatch?: string | string[];
  /** A Date, an HTTP-date or an ISO 8601 string. */
  copySourceIfModifiedSince?: Date | string;
  /** A Date, an HTTP-date or an ISO 8601 string. */
  copySourceIfUnmodifiedSince?: Date | string;
  /** The SSE-C algorithm the source was written with (`AES256`). */
  copySourceSSECustomerAlgorithm?: 'AES256' | (string & {});
  /** The SSE-C key the source was written with: base64 text or raw bytes. */
  copySourceSSECustomerKey?: string | Uint8Array;
  /** Base64 MD5 of the source's SSE-C key (computed when absent). */
  copySourceSSECustomerKeyMD5?: string;
  /** S3 only: the account expected to own the source bucket. */
  expectedSourceBucketOwner?: string;
  /** Destination condition: copy only if the current object has this ETag. */
  ifMatch?: string;
  /** `*`: copy only if no object exists at the destination key. */
  ifNoneMatch?: string;
  /**
   * What you already know of the source (from a `headObject`), as on uploadPartCopy: a hinted
   * size over `maxWholeObjectCopySize` is refused before any request, and providers may skip
   * their metadata read. The copy is then pinned to `etag`: a source that changed fails with
   * `PreconditionFailed`. partcopy's own addition.
   */
  copySourceHint?: SourceHint;
  /**
   * The store computes the copy's full-object checksum with this algorithm (S3
   * `x-amz-checksum-algorithm`), one of the destination's `checksumAlgorithms`.
   */
  checksumAlgorithm?: ChecksumAlgorithm;
  /** Continues an interrupted copy that reported this token to `onResumeToken` (GCS rewrite). */
  resumeToken?: string;
  /** Receives the token that continues a copy the store runs in rounds, after each round. */
  onResumeToken?: (token: string) => void;
}

/**
 * The native compose, as {@link PartCopyClient.composeObjectNative} takes it: the provider's
 * normalised request (pieces already resolved and pinned, as the `composeObject` engine makes
 * them) plus the call options.
 */
export interface ComposeObjectNativeInput extends ComposeObjectRequest, CallOptions, ProgressOptions {}

/** What {@link PartCopyClient.discardComposeProgress} takes: the provider's request, and call options. */
export interface DiscardComposeProgressInput extends DiscardComposeProgressRequest, CallOptions {}

/**
 * A read URL to sign, as {@link PartCopyClient.presignGetObject} takes it: the object (or one
 * version), the bytes the reader will fetch, and how long the URL lives.
 */
export interface PresignGetObjectInput extends CallOptions {
  bucket: string;
  key: string;
  versionId?: string;
  /** The bytes the reader will ask for: `bytes=first-last` or `{ start, end }`. */
  range?: ByteRangeInput;
  /** Seconds the URL stays usable: a positive integer, at most 604800 (7 days). */
  expiresInSeconds: number;
}

/**
 * A part the destination's server stages from a URL, as
 * {@link PartCopyClient.uploadPartFromUrl} takes it. `sourceUrl` carries a secret: it is sent to
 * the provider and never appears in an event, an error message or an error's context.
 */
export interface UploadPartFromUrlInput extends CallOptions {
  bucket: string;
  key: string;
  uploadId: string;
  partNumber: number;
  /** An http(s) URL the store fetches itself, typically from {@link PartCopyClient.presignGetObject}. */
  sourceUrl: string;
  /** The inclusive bytes of the URL's object that make the part: `bytes=first-last` or `{ start, end }`. */
  range: ByteRangeInput;
  /** The source's ETag, enforced by the store on its fetch where it can. */
  sourceIfMatch?: string;
}
