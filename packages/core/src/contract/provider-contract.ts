/**
 * The provider contract (specVersion 1): what a storage plugin implements.
 *
 * The facade ({@link PartCopyClient}) validates and normalises every request before a provider
 * sees it, so providers MUST trust their input and MUST NOT validate syntax again. Each method's
 * TSDoc states what it MUST do; `@partcopy/conformance` asserts exactly those MUSTs, error codes
 * included. Every failure MUST be a {@link PartCopyError} with one of the closed codes (map SDK
 * errors in one table per provider); no message may contain a secret.
 *
 * Every method receives an {@link OperationContext}: it MUST pass `ctx.signal` to every request
 * it makes and stop promptly with `RequestAborted` when it fires.
 */

import type { SourceHint } from '../semantics/source-hint.js';
import type { SseCustomerKey } from '../semantics/sse-customer-key.js';
import type {
  BucketEncryptionRequest,
  GetBucketEncryptionResult,
  PutBucketEncryptionRequest,
} from './bucket-encryption.js';
import type { ListBucketsResult } from './bucket-listing.js';
import type {
  GetBucketVersioningRequest,
  GetBucketVersioningResult,
  ListObjectVersionsRequest,
  ListObjectVersionsResult,
  PutBucketVersioningRequest,
} from './bucket-versioning.js';
import type { Capabilities, ChecksumAlgorithm } from './capabilities.js';
import type {
  ByteRange,
  Checksums,
  ChecksumType,
  CopySourceConditions,
  EncryptionResult,
  ObjectPart,
  ObjectRef,
  ObjectSettings,
  Payload,
  RequestCharged,
  RequestOwnership,
  ServerSideEncryptionRequest,
  TransferMode,
} from './types.js';

/** The contract version this package implements. */
export const SPEC_VERSION = 1 as const;

/** Passed to every provider call. */
export interface OperationContext {
  /** MUST be forwarded to every request; fires when the caller gives up. */
  signal: AbortSignal;
  /** Long operations report bytes done so far (cumulative) here. */
  onProgress?: (bytesDone: number, bytesTotal?: number) => void;
  /**
   * A whole-object copy the store runs in rounds (GCS rewrite) reports, after each unfinished
   * round, the token that continues it (`ServerSideCopyRequest.resumeToken`), so an interrupted
   * copy can be continued by another process instead of restarted.
   */
  onResumeToken?: (token: string) => void;
}

// ----- buckets -------------------------------------------------------------------------------

export interface CreateBucketRequest {
  bucket: string;
  /** Enable versioning (only when `capabilities.versionedBuckets`). */
  versioning?: boolean;
}

export interface DeleteBucketRequest {
  bucket: string;
}

// ----- objects -------------------------------------------------------------------------------

export interface HeadObjectRequest extends ObjectRef, RequestOwnership {
  sseCustomer?: SseCustomerKey;
}

export interface ObjectInfo extends Checksums, EncryptionResult, RequestCharged, ObjectSettings {
  bucket: string;
  key: string;
  /** Quoted, as S3 returns it: `"9b2cf535f27731c974343645a3985328"` or `"...-3"`. */
  etag: string;
  size: number;
  lastModified: Date;
  versionId?: string;
  /** Parts count, for objects completed by a multipart upload, where the store knows it. */
  partsCount?: number;
  /**
   * What the object's checksum fields describe: `FULL_OBJECT` (the checksum of all its bytes) or
   * `COMPOSITE` (the checksum of its parts' checksums, `-N`). Absent when the store does not say.
   */
  checksumType?: ChecksumType;
  /**
   * The parts the object was completed from, in part-number order (part 1 first), where the store
   * records them: what reading one part (S3's `partNumber`) and S3's GetObjectAttributes need.
   * When present it MUST have `partsCount` entries whose sizes add up to `size`.
   */
  parts?: ObjectPart[];
}

export interface GetObjectRequest extends HeadObjectRequest {
  range?: ByteRange;
}

export interface GetObjectResult extends ObjectInfo {
  /** The bytes (the range when one was asked for), streamed. */
  body: AsyncIterable<Uint8Array>;
  /** Bytes in `body`. */
  contentLength: number;
  /** The range served, when one was asked for. */
  range?: ByteRange;
}

export interface PutObjectRequest
  extends ObjectSettings,
    RequestOwnership,
    ServerSideEncryptionRequest,
    Checksums {
  bucket: string;
  key: string;
  body: Payload;
  checksumAlgorithm?: ChecksumAlgorithm;
  sseCustomer?: SseCustomerKey;
  contentMD5?: string;
  /** Write only if the current object's ETag matches (S3 conditional write). */
  ifMatch?: string;
  /** `*`: write only if no object exists. */
  ifNoneMatch?: string;
}

export interface PutObjectResult extends EncryptionResult, RequestCharged {
  etag: string;
  versionId?: string;
}

export interface DeleteObjectRequest extends ObjectRef, RequestOwnership {
  /**
   * S3's conditional delete, only when `capabilities.deleteConditions`: delete only if the version
   * it would remove or hide (the named one, or the current one) has this ETag (`*`: any).
   */
  ifMatch?: string;
  /** Only if that version was last modified at this time (to the second). */
  ifMatchLastModifiedTime?: Date;
  /** Only if that version has this many bytes. */
  ifMatchSize?: number;
}

export interface DeleteObjectResult extends RequestCharged {
  versionId?: string;
  deleteMarker?: boolean;
}

export interface ListObjectsRequest {
  bucket: string;
  prefix?: string;
  continuationToken?: string;
  maxKeys?: number;
  /**
   * Only keys after this one in key order (S3's StartAfter). The facade passes it only to a
   * provider whose capabilities have `listStartAfter`, which MUST then list no key at or before
   * it; for any other provider the facade pages from the start and drops those keys itself.
   */
  startAfter?: string;
}

export interface ListObjectsResult {
  objects: Array<{ key: string; size: number; etag: string; lastModified: Date }>;
  nextContinuationToken?: string;
  isTruncated: boolean;
}

// ----- multipart -----------------------------------------------------------------------------

export interface CreateMultipartUploadRequest
  extends ObjectSettings,
    RequestOwnership,
    ServerSideEncryptionRequest {
  bucket: string;
  key: string;
  sseCustomer?: SseCustomerKey;
  checksumAlgorithm?: ChecksumAlgorithm;
  checksumType?: ChecksumType;
}

export interface CreateMultipartUploadResult extends EncryptionResult, RequestCharged {
  bucket: string;
  key: string;
  uploadId: string;
  checksumAlgorithm?: ChecksumAlgorithm;
  checksumType?: ChecksumType;
}

/** Identifies one multipart upload. */
export interface UploadRef extends RequestOwnership {
  bucket: string;
  key: string;
  uploadId: string;
}

export interface UploadPartRequest extends UploadRef, Checksums {
  partNumber: number;
  body: Payload;
  /** The algorithm of the checksum sent with the part (the upload's algorithm). */
  checksumAlgorithm?: ChecksumAlgorithm;
  sseCustomer?: SseCustomerKey;
  contentMD5?: string;
  /**
   * The caller computes this streamed body's MD5 as it passes and checks it against the part ETag
   * the store answers (it has seen this store's part ETags are MD5s). The provider MAY then leave
   * out a checksum of its own over the same bytes (the S3 SDK's default CRC32), a second pass over
   * every byte that would check nothing more.
   */
  md5CheckedByCaller?: boolean;
}

export interface UploadPartResult extends Checksums, EncryptionResult, RequestCharged {
  etag: string;
}

/** The normalised UploadPartCopy request. */
export interface UploadPartCopyRequest extends UploadRef {
  partNumber: number;
  /** The source object, optionally one version of it. */
  source: ObjectRef & { accessPointArn?: string };
  /** Bytes of the source to copy; absent means the whole source. Syntax already validated. */
  range?: ByteRange;
  conditions: CopySourceConditions;
  /**
   * Destination SSE-C key. The provider MUST check it against the key the upload was created
   * with (upload state lives in the store, so only the provider can): missing or different is
   * `InvalidRequest`, as S3 answers.
   */
  sseCustomer?: SseCustomerKey;
  /** The key the source was written with. */
  sourceSseCustomer?: SseCustomerKey;
  expectedSourceBucketOwner?: string;
  /**
   * What the caller already knows of the source (size, ETag, last-modified, version), so the
   * provider MAY skip its metadata read (`usableSourceHint` of `@partcopy/core/provider` says when it can). A provider
   * that uses it MUST pin the copy to `sourceHint.etag` (or its version/generation): a source that
   * no longer matches the hint fails with `PreconditionFailed`. With a true hint the answer MUST
   * be the same as without it.
   */
  sourceHint?: SourceHint;
}

export interface CopyPartResult extends Checksums {
  etag: string;
  lastModified?: Date;
}

export interface UploadPartCopyResult extends EncryptionResult, RequestCharged {
  copySourceVersionId?: string;
  copyPartResult: CopyPartResult;
  /** How the bytes moved: on the server, or streamed through this process. */
  transfer: TransferMode;
  /** Bytes written into the part. */
  bytesCopied: number;
}

export interface CompletedPart extends Checksums {
  partNumber: number;
  etag: string;
}

export interface CompleteMultipartUploadRequest extends UploadRef, Checksums {
  /** As the caller listed them; the provider MUST apply S3's completion rules to this list. */
  parts: CompletedPart[];
  sseCustomer?: SseCustomerKey;
  /** Destination condition: complete only if the current object has this ETag. */
  ifMatch?: string;
  /** `*`: complete only if no object exists at the key. */
  ifNoneMatch?: string;
  checksumType?: ChecksumType;
  /** Expected total size, when the caller wants it checked (S3 `x-amz-mp-object-size`). */
  mpObjectSize?: number;
}

export interface CompleteMultipartUploadResult extends Checksums, EncryptionResult, RequestCharged {
  bucket: string;
  key: string;
  etag: string;
  versionId?: string;
  location?: string;
  checksumType?: ChecksumType;
  /**
   * Every block of the new object was staged with its MD5, which the store checked on arrival,
   * and the completion's server-side copy of each block was checked by the store against that
   * same MD5, whichever process staged it (Azure: Put Block with a transactional Content-MD5,
   * then Put Block From URL with `x-ms-source-content-md5`). Absent where a store says nothing of
   * the kind.
   */
  blocksChecked?: boolean;
}

export interface PartInfo extends Checksums {
  partNumber: number;
  etag: string;
  size: number;
  lastModified: Date;
}

export interface ListPartsRequest extends UploadRef {
  maxParts?: number;
  /** List parts after this part number. */
  partNumberMarker?: number;
  sseCustomer?: SseCustomerKey;
}

export interface ListPartsResult extends RequestCharged {
  bucket: string;
  key: string;
  uploadId: string;
  parts: PartInfo[];
  isTruncated: boolean;
  nextPartNumberMarker?: number;
  checksumAlgorithm?: ChecksumAlgorithm;
  checksumType?: ChecksumType;
}

export interface ListMultipartUploadsRequest extends RequestOwnership {
  bucket: string;
  prefix?: string;
  keyMarker?: string;
  uploadIdMarker?: string;
  maxUploads?: number;
}

export interface MultipartUploadInfo {
  key: string;
  uploadId: string;
  initiated: Date;
  storageClass?: string;
  checksumAlgorithm?: ChecksumAlgorithm;
}

export interface ListMultipartUploadsResult {
  bucket: string;
  uploads: MultipartUploadInfo[];
  isTruncated: boolean;
  nextKeyMarker?: string;
  nextUploadIdMarker?: string;
}

// ----- whole-object copy ---------------------------------------------------------------------

/**
 * What the destination of a whole-object copy carries (S3's `x-amz-metadata-directive`):
 * - `COPY` (the default): the source's settings (content type, encoding, disposition, language,
 *   cache control, expires, user metadata and tags); settings in the request are ignored, except
 *   `storageClass`.
 * - `REPLACE`: exactly the settings in the request; settings absent from it are unset.
 *
 * As on S3, the storage class is never carried: the destination gets `settings.storageClass` when
 * given (under either directive) and the store's default otherwise. Tags follow the metadata
 * directive (S3 has a separate `x-amz-tagging-directive`; providers send it with the same value).
 */
export type MetadataDirective = 'COPY' | 'REPLACE';

/** The normalised whole-object copy request (S3 CopyObject). */
export interface ServerSideCopyRequest extends RequestOwnership, ServerSideEncryptionRequest {
  /** Destination bucket and key. */
  bucket: string;
  key: string;
  /** The source object, optionally one version of it. */
  source: ObjectRef & { accessPointArn?: string };
  /** Source conditions, decided as S3 CopyObject decides them. */
  conditions: CopySourceConditions;
  metadataDirective: MetadataDirective;
  /** The destination's settings under `REPLACE`; only `storageClass` is read under `COPY`. */
  settings: ObjectSettings;
  /** Destination condition: write only if the current object has this ETag (S3 `If-Match`). */
  ifMatch?: string;
  /** `*`: write only if no object exists at the destination key (S3 `If-None-Match`). */
  ifNoneMatch?: string;
  /** Destination SSE-C key: the copy is written with it. */
  sseCustomer?: SseCustomerKey;
  /** The key the source was written with. */
  sourceSseCustomer?: SseCustomerKey;
  expectedSourceBucketOwner?: string;
  /**
   * The store computes the copy's full-object checksum with this algorithm (S3
   * `x-amz-checksum-algorithm` on CopyObject); one of `capabilities.checksumAlgorithms`.
   */
  checksumAlgorithm?: ChecksumAlgorithm;
  /**
   * A token an interrupted copy of the same source to the same destination reported through
   * `ctx.onResumeToken`: the provider continues that copy. A provider whose copies are one call
   * ignores it; one that finds the token no longer valid starts over.
   */
  resumeToken?: string;
  /**
   * What the caller already knows of the source, as on uploadPartCopy: the provider MAY skip its
   * metadata read (`usableSourceHint` of `@partcopy/core/provider` says when it can). A provider
   * that uses it MUST pin the copy to `sourceHint.etag` (or its version/generation): a source that
   * no longer matches the hint fails with `PreconditionFailed`. With a true hint the answer MUST
   * be the same as without it.
   */
  sourceHint?: SourceHint;
}

export interface ServerSideCopyResult extends Checksums, EncryptionResult, RequestCharged {
  /** The new object's ETag, quoted. */
  etag: string;
  /** The new object's version, in a versioned destination bucket. */
  versionId?: string;
  /** The version of the source that was copied, in a versioned source bucket. */
  copySourceVersionId?: string;
  lastModified?: Date;
  /** How the bytes moved: always `server-side` for this operation. */
  transfer: TransferMode;
  /** Bytes in the new object. */
  bytesCopied: number;
}

// ----- store-specific garbage ---------------------------------------------------------------

/** What {@link Provider.collectStoreGarbage} is asked to do, for one bucket. */
export interface StoreGarbageRequest {
  /** The bucket to clean. */
  bucket: string;
  /** Leftovers last changed before this time are garbage; newer ones MUST be kept. */
  olderThan: Date;
  /** Report what would be removed and remove nothing. */
  dryRun: boolean;
}

/** One leftover found by {@link Provider.collectStoreGarbage}. */
export interface StoreGarbageItem {
  /** What it is, in the provider's words (`staging-object`, `temporary-file`, ...). */
  kind: string;
  /** Its name in the store (object name, or path relative to the store's root). */
  name: string;
  /** When it was last changed. */
  lastModified: Date;
  /** Its size, where the store tells it. */
  bytes?: number;
}

/** What {@link Provider.collectStoreGarbage} found (and removed, unless a dry run). */
export interface StoreGarbageResult {
  /** Each leftover found, removed unless the request was a dry run. */
  items: StoreGarbageItem[];
}

// ----- native compose ------------------------------------------------------------------------

/** One piece of a native compose: bytes of one source, pinned to the ETag they were planned on. */
export interface ComposePieceRequest {
  /** The source object, optionally one version of it. */
  source: ObjectRef;
  /** Inclusive bytes of the source; absent means the whole source. Already checked against its size. */
  range?: ByteRange;
  /** The pin: the source's ETag (quoted) when the compose was planned. */
  etag: string;
  /** Bytes this piece contributes (at least 1: the engine drops empty pieces). */
  size: number;
  /** The source's whole size, as read when the compose was planned. */
  sourceSize: number;
}

/** The normalised native compose request: the destination becomes the pieces, in order. */
export interface ComposeObjectRequest {
  bucket: string;
  key: string;
  /** At least one piece; their sizes sum to at most `capabilities.maxObjectSize`. */
  pieces: ComposePieceRequest[];
  /** The new object's settings (content type, metadata, ...). */
  settings: ObjectSettings;
  /** Destination condition: publish only if the current object has this ETag. */
  ifMatch?: string;
  /** `*`: publish only if no object exists at the key. */
  ifNoneMatch?: string;
  /**
   * Names this compose across processes (a session's key: letters, digits, `.`, `_`, `-`; never a
   * secret). A provider with `capabilities.resumableNativeCompose` MUST derive the names of what it
   * stages from it, so that a later call with the same key and the same pinned pieces reuses what an
   * interrupted call staged and stages only the rest; it MUST NOT remove that staged progress when
   * the call fails or is aborted (the next commit of the key, or the store's own expiry, does).
   * Providers without the capability ignore it.
   */
  resumeKey?: string;
}

/** How one run of consecutive pieces was made. */
export interface ComposeGroupReport {
  /** e.g. `put-block-from-url`, `compose`, `streamed`, `in-store`. */
  strategy: string;
  /** Index of the group's first piece in the request, and how many pieces it holds. */
  firstPiece: number;
  pieces: number;
  bytes: number;
  transfer: TransferMode;
}

export interface ComposeObjectResult {
  /** The new object's ETag, quoted. */
  etag: string;
  versionId?: string;
  size: number;
  /** Payload bytes the store copied itself, and bytes that passed through this process. */
  bytesServerSide: number;
  bytesClientStreamed: number;
  /** Requests the provider sent to the store (including staging and clean-up). */
  requests: number;
  /** The same requests by the store's own names (e.g. `compose`, `delete`, `putBlockFromUrl`), where counted. */
  requestsByKind?: Record<string, number>;
  /** With a `resumeKey`: staged units (Azure blocks) an earlier call left that this one reused. */
  stagedReused?: number;
  /** Runs of pieces by how they were made, in piece order. */
  groups: ComposeGroupReport[];
}

/**
 * What a resumable native compose staged under `resumeKey` for one destination: what an aborted
 * compose session must remove.
 */
export interface DiscardComposeProgressRequest {
  /** The compose's destination. */
  bucket: string;
  key: string;
  /** The key the compose staged under ({@link ComposeObjectRequest.resumeKey}). */
  resumeKey: string;
  /** Count what would be removed (in `removed`) and remove nothing. */
  dryRun?: boolean;
}

export interface DiscardComposeProgressResult {
  /** Staged units removed (GCS staging objects and composites, Azure uncommitted blocks). */
  removed: number;
  /** Staged units the store cannot remove without changing an existing destination, and why. */
  left: number;
  leftReason?: string;
  /** Requests sent to the store. */
  requests: number;
}

// ----- server-side pull (optional) ------------------------------------------------------------

/** A read of an object that someone else (another store's server) may perform without credentials. */
export interface PresignGetObjectRequest extends ObjectRef {
  /** Seconds the URL stays usable. */
  expiresInSeconds: number;
  /**
   * The bytes the reader will ask for: a provider that signs the range into the URL (or its
   * headers) MUST restrict the URL to it; one that cannot MAY sign the whole object.
   */
  range?: ByteRange;
}

export interface PresignedRead {
  /**
   * The signed URL. It carries a secret (signature, SAS): it MUST NOT appear in a message, event
   * or log; `redactSecrets` of `@partcopy/core` removes it from text.
   */
  url: string;
  /** When the URL stops working. */
  expiresAt: Date;
  /** Pins the URL carries (a version or generation in its query), when the store has them. */
  pinnedVersion?: string;
}

/** Stage part `partNumber` from bytes another server serves at a URL (Azure Put Block From URL). */
export interface UploadPartFromUrlRequest extends UploadRef {
  partNumber: number;
  /** A URL the store fetches itself; carries a secret, never logged. */
  sourceUrl: string;
  /** The inclusive bytes of the URL's object that make the part. */
  range: ByteRange;
  /** The source's ETag, enforced by the store on each fetch where it can (`x-ms-source-if-match`). */
  sourceIfMatch?: string;
}

export interface UploadPartFromUrlResult {
  /** The part's ETag, for completion. */
  etag: string;
  bytesCopied: number;
  /** Always `server-side`: no payload byte passes through this process. */
  transfer: TransferMode;
}

/**
 * What every storage plugin implements.
 *
 * Shared rules for every method:
 * - A missing bucket MUST fail with `NoSuchBucket`; a missing object with `NoSuchKey`;
 *   an unknown, aborted or completed upload id with `NoSuchUpload`.
 * - State MUST live in the store, not in the provider instance: a second instance (another
 *   process) holding the same upload id MUST be able to list, complete or abort the upload.
 * - ETags MUST be returned quoted, as S3 returns them.
 */
export interface Provider {
  /** The contract version; the facade refuses any other. */
  readonly specVersion: typeof SPEC_VERSION;
  /** Short provider name used in errors and events (`s3`, `azure`, `memory`, ...). */
  readonly name: string;
  /** What the provider can do. The facade refuses the rest with `Unsupported`. */
  readonly capabilities: Readonly<Capabilities>;
  /**
   * Capabilities of one bucket, where they differ by bucket (S3 directory buckets have no
   * versioning and no SSE-C). Optional. The client's capability gate consults it for every bucket
   * a request names (copy sources included) and refuses what a bucket cannot do with
   * `Unsupported` before the provider is called; applications read it through
   * `PartCopyClient.capabilitiesFor(bucket)`. It MUST be synchronous and cheap (a table lookup).
   */
  capabilitiesFor?(bucket: string): Readonly<Capabilities>;

  /**
   * MUST create an empty bucket, with versioning when asked (only if
   * `capabilities.versionedBuckets`). An existing bucket MUST fail with `BucketAlreadyOwnedByYou`
   * or `BucketAlreadyExists`. Optional: absent when the store has no buckets to manage.
   */
  createBucket?(request: CreateBucketRequest, ctx: OperationContext): Promise<void>;

  /**
   * MUST list every bucket the provider's credentials reach (S3 ListBuckets), its own staging
   * buckets excepted. Optional: present only when `capabilities.listBuckets` is true.
   */
  listBuckets?(ctx: OperationContext): Promise<ListBucketsResult>;

  /**
   * MUST delete an empty bucket; a bucket holding objects MUST fail with `BucketNotEmpty`.
   * In-progress uploads of the bucket MAY be discarded. Optional, like createBucket.
   */
  deleteBucket?(request: DeleteBucketRequest, ctx: OperationContext): Promise<void>;

  /**
   * MUST set the bucket's versioning state, as S3 PutBucketVersioning: from then on a write adds
   * a version (`Enabled`), or replaces the key's `null` version (`Suspended`: writes get the
   * version id `null`, a delete without a version id makes a `null` delete marker). Versions
   * already kept stay. Missing bucket: `NoSuchBucket`. Optional: present only when
   * `capabilities.bucketVersioning` is true.
   */
  putBucketVersioning?(request: PutBucketVersioningRequest, ctx: OperationContext): Promise<void>;

  /**
   * MUST return the bucket's versioning state as S3 GetBucketVersioning does: no `status` for a
   * bucket whose versioning was never enabled (including one created without versioning),
   * `Enabled` for one created with `versioning: true`. Missing bucket: `NoSuchBucket`. Optional,
   * with `capabilities.bucketVersioning`.
   */
  getBucketVersioning?(
    request: GetBucketVersioningRequest,
    ctx: OperationContext,
  ): Promise<GetBucketVersioningResult>;

  /**
   * MUST keep `encryption` as the bucket's default (S3 PutBucketEncryption), replacing any: from
   * then on a put, upload creation or copy that names no encryption (and no SSE-C key) MUST be
   * written and answered with it. Missing bucket: `NoSuchBucket`. Optional, with
   * `capabilities.bucketEncryption`.
   */
  putBucketEncryption?(request: PutBucketEncryptionRequest, ctx: OperationContext): Promise<void>;

  /**
   * MUST return the bucket's default encryption, or no `encryption` when it has none. Missing
   * bucket: `NoSuchBucket`. Optional, with `capabilities.bucketEncryption`.
   */
  getBucketEncryption?(
    request: BucketEncryptionRequest,
    ctx: OperationContext,
  ): Promise<GetBucketEncryptionResult>;

  /**
   * MUST remove the bucket's default encryption (nothing to remove is not an error); objects
   * already written keep theirs. Optional, with `capabilities.bucketEncryption`.
   */
  deleteBucketEncryption?(request: BucketEncryptionRequest, ctx: OperationContext): Promise<void>;

  /**
   * S3 ListObjectVersions: MUST list every version and delete marker of the keys under `prefix`,
   * by key (UTF-8 binary order), newest first within a key, the current one `isLatest`; versions
   * written while versioning was never enabled or suspended have the id `null`. With a
   * `delimiter`, keys are rolled up into common prefixes as ListObjects does. At most `maxKeys`
   * entries (versions, delete markers and common prefixes together); when more remain,
   * `isTruncated` with `nextKeyMarker` (and `nextVersionIdMarker` after a version or marker) that
   * continue exactly after the last entry. Missing bucket: `NoSuchBucket`. Optional: present only
   * when `capabilities.listObjectVersions` is true.
   */
  listObjectVersions?(
    request: ListObjectVersionsRequest,
    ctx: OperationContext,
  ): Promise<ListObjectVersionsResult>;

  /**
   * MUST start a multipart upload and return an id that names it in every later call,
   * from any process. MUST record the object settings (content type, metadata, ...) so the
   * completed object carries them. Nothing is visible at the key until completion.
   */
  createMultipartUpload(
    request: CreateMultipartUploadRequest,
    ctx: OperationContext,
  ): Promise<CreateMultipartUploadResult>;

  /**
   * MUST store the body as part `partNumber`, replacing a part of the same number, and return
   * its ETag (quoted MD5 of the bytes where the store can compute it). Part ETags MUST change
   * when the part's bytes change.
   */
  uploadPart(request: UploadPartRequest, ctx: OperationContext): Promise<UploadPartResult>;

  /**
   * MUST make part `partNumber` out of bytes `range.start..range.end` (inclusive; the whole
   * source when `range` is absent) of the source object, replacing a part of the same number.
   *
   * - Source conditions MUST be decided exactly as S3 does
   *   ({@link @partcopy/core!provider.evaluateCopySourceConditions | evaluateCopySourceConditions});
   *   failure is `PreconditionFailed`. The decision MUST hold for the bytes copied: when the
   *   source changes between the check and the copy, the copy MUST fail with `PreconditionFailed`
   *   (pin the ETag or generation the decision was made on).
   * - A range past the source's end MUST fail with `InvalidArgument` naming the source size
   *   ({@link @partcopy/core!provider.resolveCopyRange | resolveCopyRange}).
   * - Missing upload: `NoSuchUpload`; missing source bucket: `NoSuchBucket`; missing source
   *   key: `NoSuchKey`; unknown `versionId`: `NoSuchVersion` (or `NoSuchKey`, as some S3
   *   servers answer); a `versionId` naming a delete marker: `InvalidRequest`.
   * - MUST report honestly in `transfer` whether bytes passed through this process, and
   *   MUST NOT stream through the client unless `capabilities` say it may.
   */
  uploadPartCopy(request: UploadPartCopyRequest, ctx: OperationContext): Promise<UploadPartCopyResult>;

  /**
   * MUST check S3's completion rules before changing anything
   * ({@link @partcopy/core!provider.planCompletion | planCompletion}):
   * at least one part, part numbers ascending (`InvalidPartOrder`), every listed part existing
   * with the given ETag (`InvalidPart`), every part but the last at least
   * `capabilities.minPartSize` (`EntityTooSmall`). Then MUST publish the object atomically:
   * readers see the old object or the new one, never a torn one. On success the upload is gone
   * (`NoSuchUpload` afterwards) and no staged data remains; on failure the destination is
   * untouched and the upload can be completed again.
   */
  completeMultipartUpload(
    request: CompleteMultipartUploadRequest,
    ctx: OperationContext,
  ): Promise<CompleteMultipartUploadResult>;

  /**
   * MUST discard the upload and every part it staged, leaving nothing behind that the
   * provider could remove, and MUST NOT change an existing object at the key. Afterwards the
   * id fails with `NoSuchUpload`.
   */
  abortMultipartUpload(request: UploadRef, ctx: OperationContext): Promise<void>;

  /** MUST list the upload's parts in ascending part number with size and ETag, paginated. */
  listParts(request: ListPartsRequest, ctx: OperationContext): Promise<ListPartsResult>;

  /** MUST list in-progress uploads of the bucket ordered by key then initiation, paginated. */
  listMultipartUploads(
    request: ListMultipartUploadsRequest,
    ctx: OperationContext,
  ): Promise<ListMultipartUploadsResult>;

  /**
   * S3 CopyObject: MUST make `key` a copy of the whole source object, on the store's side.
   * Optional: present only when `capabilities.wholeObjectCopy` is true.
   *
   * - Source conditions MUST be decided exactly as S3 CopyObject decides them
   *   ({@link @partcopy/core!provider.evaluateCopySourceConditions | evaluateCopySourceConditions});
   *   failure is `PreconditionFailed` (412, never 304), and the destination is untouched.
   * - Pinned: the decision MUST hold for the bytes copied. When the source changes between the
   *   check and the copy, the copy MUST fail with `PreconditionFailed` (pin the ETag, version or
   *   generation the decision was made on), never copy the newer bytes.
   * - A source larger than `capabilities.maxWholeObjectCopySize` MUST fail with
   *   `InvalidRequest` (S3's answer to CopyObject over 5 GiB) before anything is written.
   * - Atomic publish: readers of the destination see the old object or the whole copy, never a
   *   torn one; on any failure the destination is untouched.
   * - Settings per {@link MetadataDirective}; destination `ifMatch` / `ifNoneMatch` as S3's
   *   conditional writes
   *   ({@link @partcopy/core!provider.evaluateWriteConditions | evaluateWriteConditions}; only when
   *   `capabilities.wholeObjectCopyConditions`).
   * - Missing source or destination bucket: `NoSuchBucket`; missing source key: `NoSuchKey`;
   *   unknown `versionId`: `NoSuchVersion` (or `NoSuchKey`); a delete marker: `InvalidRequest`.
   * - SSE-C: the source key MUST match the source's (as uploadPartCopy); the copy is written with
   *   the destination key when one is given, unencrypted by a customer key otherwise.
   * - MUST NOT move the bytes through this process: `transfer` is `server-side`.
   */
  copyObject?(request: ServerSideCopyRequest, ctx: OperationContext): Promise<ServerSideCopyResult>;

  /**
   * Native compose: MUST make `key` the concatenation of the pieces, in order, doing on the
   * store's side whatever the store can. Optional: present only when `capabilities.nativeCompose`.
   *
   * - Every piece MUST be pinned to `etag` (or the version/generation read with it): a source that
   *   changed fails with `PreconditionFailed`. Missing source: `NoSuchKey` (`NoSuchBucket`).
   * - Atomic publish with `ifMatch` / `ifNoneMatch` as S3's conditional writes: readers see the old
   *   object or the whole result; on any failure or abort the destination is untouched and no
   *   intermediate object, staged block or part the provider could remove is left behind.
   * - Ranged pieces the server cannot copy MAY stream through this process only when
   *   `capabilities.clientStreamedRanges` allows it (the engine refuses the rest before calling);
   *   the result MUST count those bytes in `bytesClientStreamed`.
   */
  composeObject?(request: ComposeObjectRequest, ctx: OperationContext): Promise<ComposeObjectResult>;

  /**
   * Discards what `composeObject` staged under `resumeKey` for this destination (a compose session
   * being aborted). Optional: present where `capabilities.resumableNativeCompose` is true.
   *
   * - MUST remove every staged unit (object, block, part) it can, every version of it included;
   *   nothing staged is not an error (`removed: 0`).
   * - MUST leave an existing destination's bytes, settings and ETag as they are: what the store
   *   cannot remove without changing them is counted in `left`, with the reason.
   */
  discardComposeProgress?(
    request: DiscardComposeProgressRequest,
    ctx: OperationContext,
  ): Promise<DiscardComposeProgressResult>;

  /**
   * MUST return a URL from which any HTTP client can read the object (the range, where the store
   * signs ranges) until `expiresAt`, without other credentials: S3 presigned GET, GCS V4 signed
   * URL, Azure SAS. The URL MUST be read-only and scoped to this one object (and version, when
   * given). Optional: present only when `capabilities.presignedReads` is true.
   */
  presignGetObject?(request: PresignGetObjectRequest, ctx: OperationContext): Promise<PresignedRead>;

  /**
   * MUST make part `partNumber` out of `range` of the object served at `sourceUrl`, fetched by the
   * store's server: no payload byte passes through this process. With `sourceIfMatch`, a source
   * whose ETag differs MUST fail with `PreconditionFailed` where the store can check it. The URL
   * MUST NOT appear in any message. Optional: present only when `capabilities.uploadPartFromUrl`.
   */
  uploadPartFromUrl?(
    request: UploadPartFromUrlRequest,
    ctx: OperationContext,
  ): Promise<UploadPartFromUrlResult>;

  /** MUST return the object's (or version's) metadata. */
  headObject(request: HeadObjectRequest, ctx: OperationContext): Promise<ObjectInfo>;

  /**
   * MUST stream the object (or the inclusive range) without buffering it whole. As S3: a range
   * starting at or past the end fails with `InvalidRange` (416); a range whose end runs past the
   * end is served up to the last byte, and `range` reports what was served.
   */
  getObject(request: GetObjectRequest, ctx: OperationContext): Promise<GetObjectResult>;

  /** MUST store the object atomically and return its ETag (and versionId when versioned). */
  putObject(request: PutObjectRequest, ctx: OperationContext): Promise<PutObjectResult>;

  /**
   * MUST delete the object or version; deleting a missing key succeeds (as S3). With
   * `capabilities.deleteConditions`, the conditions MUST be decided against the version the delete
   * would remove or hide ({@link @partcopy/core!provider.evaluateDeleteConditions | evaluateDeleteConditions}):
   * failure is `PreconditionFailed` and nothing changes.
   */
  deleteObject(request: DeleteObjectRequest, ctx: OperationContext): Promise<DeleteObjectResult>;

  /** MUST list objects by key order, paginated; staging data of uploads MUST NOT appear. */
  listObjects(request: ListObjectsRequest, ctx: OperationContext): Promise<ListObjectsResult>;

  /**
   * MUST find, and unless `dryRun` remove, the leftovers of the provider's own making in `bucket`
   * that belong to no in-progress upload (staging objects of ended or unknown uploads, temporary
   * files of crashed writers) and were last changed before `olderThan`, and report each one.
   * MUST NOT touch user objects, an upload that `listMultipartUploads` lists (those are collected
   * through `abortMultipartUpload`), or anything changed at or after `olderThan`. Optional:
   * present only when `capabilities.storeGarbageCollection` is true.
   */
  collectStoreGarbage?(request: StoreGarbageRequest, ctx: OperationContext): Promise<StoreGarbageResult>;

  /** Releases clients, sockets and timers. Optional. */
  close?(): Promise<void>;
}
