/**
 * `@partcopy/core/provider`: what a provider author needs: the provider contract (specVersion 1,
 * each method's MUSTs in its TSDoc), the error class and its codes, capabilities, and the shared
 * S3-semantics helpers (conditions, ranges, completion rules, ETags, checksums, SSE-C rules,
 * listing order) so every provider decides the same input the same way.
 *
 * Applications import `@partcopy/core`; the names both need (errors, capabilities, result
 * types) are the same objects in both entries.
 *
 * @packageDocumentation
 */

// ----- client --------------------------------------------------------------------------
export {
  assertSpecVersion,
  type ProviderFactory,
} from './client/registry.js';
export type {
  BucketEncryption,
  BucketEncryptionRequest,
  GetBucketEncryptionResult,
  PutBucketEncryptionRequest,
} from './contract/bucket-encryption.js';
export type { BucketInfo, ListBucketsResult } from './contract/bucket-listing.js';
export type {
  BucketVersioningStatus,
  DeleteMarkerEntry,
  GetBucketVersioningRequest,
  GetBucketVersioningResult,
  ListObjectVersionsRequest,
  ListObjectVersionsResult,
  ObjectVersionEntry,
  PutBucketVersioningRequest,
} from './contract/bucket-versioning.js';
export {
  CAPABILITIES_OFF_ENV,
  type Capabilities,
  type CapabilityFlag,
  type CapabilityOverrides,
  type ChecksumAlgorithm,
  GiB,
  KiB,
  MiB,
  parseCapabilitiesOff,
  type RangedCopyMode,
  TiB,
  withOverrides,
} from './contract/capabilities.js';
export {
  type BodyInput,
  collectBytes,
  ObjectBody,
  toPayload,
} from './contract/payload.js';
// ----- contract ------------------------------------------------------------------------
export {
  type CompletedPart,
  type CompleteMultipartUploadRequest,
  type CompleteMultipartUploadResult,
  type ComposeGroupReport,
  type ComposeObjectRequest,
  type ComposeObjectResult,
  type ComposePieceRequest,
  type CopyPartResult,
  type CreateBucketRequest,
  type CreateMultipartUploadRequest,
  type CreateMultipartUploadResult,
  type DeleteBucketRequest,
  type DeleteObjectRequest,
  type DeleteObjectResult,
  type DiscardComposeProgressRequest,
  type DiscardComposeProgressResult,
  type GetObjectRequest,
  type GetObjectResult,
  type HeadObjectRequest,
  type ListMultipartUploadsRequest,
  type ListMultipartUploadsResult,
  type ListObjectsRequest,
  type ListObjectsResult,
  type ListPartsRequest,
  type ListPartsResult,
  type MetadataDirective,
  type MultipartUploadInfo,
  type ObjectInfo,
  type OperationContext,
  type PartInfo,
  type PresignedRead,
  type PresignGetObjectRequest,
  type Provider,
  type PutObjectRequest,
  type PutObjectResult,
  type ServerSideCopyRequest,
  type ServerSideCopyResult,
  SPEC_VERSION,
  type StoreGarbageItem,
  type StoreGarbageRequest,
  type StoreGarbageResult,
  type UploadPartCopyRequest,
  type UploadPartCopyResult,
  type UploadPartFromUrlRequest,
  type UploadPartFromUrlResult,
  type UploadPartRequest,
  type UploadPartResult,
  type UploadRef,
} from './contract/provider-contract.js';
export type {
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
} from './contract/types.js';
// ----- engine --------------------------------------------------------------------------
export {
  type ConcurrencyStats,
  mapWithConcurrency,
} from './engine/concurrency.js';
// ----- errors --------------------------------------------------------------------------
export {
  abortedError,
  ERROR_CODES,
  type ErrorCode,
  type ErrorContext,
  isErrorCode,
  type OperationName,
  PartCopyError,
  type PartCopyErrorOptions,
  redactSecrets,
  throwIfAborted,
  unsupported,
} from './errors/part-copy-error.js';

// ----- pipeline ------------------------------------------------------------------------
export { sleep } from './pipeline/retry-policy.js';

// ----- semantics -----------------------------------------------------------------------
export {
  type ByteRangeInput,
  copyLength,
  formatByteRange,
  parseByteRange,
  rangeLength,
  resolveCopyRange,
} from './semantics/byte-range.js';
export {
  CHECKSUM_ALGORITHMS,
  type ChecksumField,
  checksumEntry,
  checksumField,
  defaultChecksumType,
  isValidChecksumPair,
  objectChecksumType,
} from './semantics/checksums/checksum-algorithms.js';
export {
  checkCompletionChecksumType,
  checkListedPartChecksums,
  checkStatedObjectChecksum,
  resolveUploadChecksum,
  type UploadChecksumSettings,
} from './semantics/checksums/checksum-upload-rules.js';
export {
  type Checksummer,
  checksumOf,
  createChecksummer,
} from './semantics/checksums/checksummer.js';
export { compositeChecksum } from './semantics/checksums/composite-checksum.js';
export {
  type CombinableChecksumAlgorithm,
  combineChecksums,
  crcCombine,
  isCombinableChecksum,
} from './semantics/checksums/crc-combine.js';
export { crc32c } from './semantics/checksums/crc32c.js';
export {
  type Crc64,
  crc64Bytes,
  crc64nvme,
} from './semantics/checksums/crc64nvme.js';
export { checkCompletedObjectSize } from './semantics/completed-object-size.js';
export {
  type CompletionRules,
  checkCompletionPartOrder,
  planCompletion,
  type StoredPart,
} from './semantics/completion.js';
export {
  type ConditionOutcome,
  type ConditionTarget,
  decideCopySourceConditions,
  evaluateCopySourceConditions,
  hasConditions,
} from './semantics/conditions.js';
export { checkContentMD5 } from './semantics/content-md5.js';
export {
  type CopySource,
  type CopySourceInput,
  encodeCopySourceKey,
  formatCopySource,
  parseCopySource,
} from './semantics/copy-source.js';
export {
  type DeleteConditions,
  evaluateDeleteConditions,
  hasDeleteConditions,
} from './semantics/delete-conditions.js';
export {
  etagMatches,
  md5Etag,
  multipartEtag,
  quoteEtag,
  unquoteEtag,
} from './semantics/etag.js';
export { resolveGetObjectRange } from './semantics/get-object-range.js';
export {
  formatHttpDate,
  parseHttpDate,
  toHttpSeconds,
} from './semantics/http-date.js';
export { compareKeys } from './semantics/key-order.js';
export {
  S3_MAX_PAGE_SIZE,
  takeListPage,
} from './semantics/list-page.js';
export {
  checkBodySize,
  checkCopySourceSize,
} from './semantics/part-size-limits.js';
export { decodePartSizes, encodePartSizes } from './semantics/part-sizes-record.js';
export { type HintedSource, type SourceHint, usableSourceHint } from './semantics/source-hint.js';
export {
  contentEtag,
  sseCustomerEtagHash,
} from './semantics/sse-customer-etag.js';
export { SseCustomerKey } from './semantics/sse-customer-key.js';
export {
  checkObjectSseCustomerKey,
  checkUploadSseCustomerKey,
  sseCustomerResult,
} from './semantics/sse-customer-rules.js';
export {
  type ListedUploadRef,
  listUploadsPage,
  type UploadListingOrder,
  type UploadListingRequest,
  type UploadPage,
  uploadsAfterMarkers,
} from './semantics/upload-listing.js';
export {
  type StoredVersion,
  type VersionListingSource,
  versionListingPage,
} from './semantics/version-listing.js';
export {
  unusableVersionError,
  type VersionUse,
} from './semantics/version-lookup.js';
export {
  evaluateWriteConditions,
  type WriteConditions,
  type WritePhase,
} from './semantics/write-conditions.js';
