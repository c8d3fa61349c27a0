/**
 * `@partcopy/core`: S3 UploadPartCopy semantics on every store, for applications.
 *
 * - {@link PartCopyClient}: the S3-shaped facade over one provider (validation, capability
 *   checks, retries, events, error context: the call pipeline).
 * - {@link copyObject}: the managed copy engine (plan, parts in parallel, pinned source, clean-up).
 * - {@link collectGarbage}: abandoned uploads and store leftovers older than an age, on any store.
 * - {@link PartCopyError}: the one error class, with S3's error codes.
 * - {@link ProviderRegistry}: `scheme://bucket/key` URLs resolved to providers.
 *
 * Provider authors import `@partcopy/core/provider` (the contract and the S3-semantics helpers);
 * tests import `@partcopy/core/testing`. Every name below is exported on purpose and recorded in
 * the package's API report.
 *
 * @packageDocumentation
 */

export type {
  BucketEncryptionInput,
  CallOptions,
  CompletedPartInput,
  CompleteMultipartUploadInput,
  ComposeObjectNativeInput,
  CopyObjectServerSideInput,
  CreateBucketInput,
  CreateMultipartUploadInput,
  DeleteBucketInput,
  DeleteObjectInput,
  DiscardComposeProgressInput,
  GetBucketVersioningInput,
  GetObjectInput,
  HeadObjectInput,
  ListBucketsInput,
  ListMultipartUploadsInput,
  ListObjectsInput,
  ListObjectVersionsInput,
  ListPartsInput,
  OwnershipInput,
  PresignGetObjectInput,
  ProgressOptions,
  PutBucketEncryptionInput,
  PutBucketVersioningInput,
  PutObjectInput,
  SseCustomerInput,
  UploadInput,
  UploadPartCopyInput,
  UploadPartFromUrlInput,
  UploadPartInput,
} from './client/inputs.js';
// ----- the facade and its inputs -----------------------------------------------------------
export {
  type GetObjectOutput,
  PartCopyClient,
  type PartCopyClientOptions,
} from './client/part-copy-client.js';
export {
  formatObjectUrl,
  type ObjectUrl,
  type ProviderFactory,
  ProviderRegistry,
  parseObjectUrl,
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
// ----- capabilities --------------------------------------------------------------------------
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
} from './contract/capabilities.js';
export { type BodyInput, collectBytes, ObjectBody } from './contract/payload.js';
// ----- what calls return ---------------------------------------------------------------------
export type {
  CompletedPart,
  CompleteMultipartUploadResult,
  CopyPartResult,
  CreateMultipartUploadResult,
  DeleteObjectResult,
  GetObjectResult,
  ListMultipartUploadsResult,
  ListObjectsResult,
  ListPartsResult,
  MetadataDirective,
  MultipartUploadInfo,
  ObjectInfo,
  PartInfo,
  PresignedRead,
  PresignGetObjectRequest,
  Provider,
  PutObjectResult,
  ServerSideCopyResult,
  UploadPartCopyResult,
  UploadPartFromUrlRequest,
  UploadPartFromUrlResult,
  UploadPartResult,
} from './contract/provider-contract.js';
// The contract's request types too: `Provider` is part of the app API (PartCopyClient takes
// one), and these describe it. The helpers for implementing one live in ./provider.
export {
  type CompleteMultipartUploadRequest,
  type ComposeGroupReport,
  type ComposeObjectRequest as ComposeObjectNativeRequest,
  type ComposeObjectResult as ComposeObjectNativeResult,
  type ComposePieceRequest,
  type CreateBucketRequest,
  type CreateMultipartUploadRequest,
  type DeleteBucketRequest,
  type DeleteObjectRequest,
  type DiscardComposeProgressRequest,
  type DiscardComposeProgressResult,
  type GetObjectRequest,
  type HeadObjectRequest,
  type ListMultipartUploadsRequest,
  type ListObjectsRequest,
  type ListPartsRequest,
  type OperationContext,
  type PutObjectRequest,
  type ServerSideCopyRequest,
  SPEC_VERSION,
  type StoreGarbageItem,
  type StoreGarbageRequest,
  type StoreGarbageResult,
  type UploadPartCopyRequest,
  type UploadPartRequest,
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
export { COMPLETION_CLOCK_SKEW_MS, isPublishedUpload } from './engine/completion-recognition.js';
export { composeObject } from './engine/compose-object.js';
// ----- the copy engine -----------------------------------------------------------------------
export {
  type ComposePart,
  type ComposePartPlan,
  type ComposePlanLimits,
  type ComposePlanOptions,
  type ComposeSlice,
  clientBytesLowerBound,
  planComposeParts,
} from './engine/compose-part-plan.js';
export { type ComposeSessionRecord, composeSessionId } from './engine/compose-session.js';
export type {
  ComposeDestination,
  ComposeMode,
  ComposeObjectRequest,
  ComposeObjectResult,
  ComposePlanSummary,
  ComposeProgress,
  ComposeSource,
  ComposeStrategy,
  PinnedPiece,
} from './engine/compose-types.js';
export type {
  CopyMetrics,
  CopyProgress,
} from './engine/copy-metrics.js';
export { copyObject } from './engine/copy-object.js';
export {
  type CopyPlan,
  type CopyPlanInput,
  type CopyStrategy,
  DEFAULT_COPY_CONCURRENCY,
  ENGINE_MIN_PART_SIZE,
  ENGINE_TARGET_PART_SIZE,
  ENGINE_WHOLE_OBJECT_MAX_ON_RANGED_STORES,
  enginePartSize,
  type PlanCapabilities,
  planCopy,
} from './engine/copy-plan.js';
export type { CopySessionRecord } from './engine/copy-session.js';
export type {
  CopyObjectRequest,
  CopyObjectResult,
  CopyRunOptions,
  CopySessionOptions,
  CopyStart,
  ResumeCopyRequest,
} from './engine/copy-types.js';
export type { ContentVerification, CopyVerification, VerifyMode } from './engine/copy-verification.js';
export { FileSessionStore } from './engine/file-session-store.js';
export {
  type CollectGarbageRequest,
  collectGarbage,
  type GarbageAction,
  type GarbageCollectionReport,
  type GarbageItem,
  type GarbageProgress,
} from './engine/garbage-collection.js';
export {
  type CopyPartPlan,
  DEFAULT_COPY_PART_SIZE,
  type PartPlanLimits,
  type PlanCopyPartsOptions,
  type PlannedPart,
  planCopyParts,
  smallestPartSize,
} from './engine/part-plan.js';
export {
  type AbortCopySessionResult,
  abortCopySession,
  type CopySessionEntry,
  listCopySessions,
  resumeCopy,
  sessionIdFor,
} from './engine/resume-copy.js';
export { CopySessionError, type CopySessionProblem } from './engine/session-error.js';
export {
  SESSION_FORMAT,
  SESSION_FORMAT_VERSION,
  type SessionEnvelope,
  type SessionKind,
} from './engine/session-record.js';
export { MemorySessionStore, type SessionLock, type SessionStore } from './engine/session-store.js';
export {
  type AbortSessionResult,
  abortSession,
  listSessions,
  nativeComposeStaged,
  type ResumeComposeRequest,
  type ResumeTransferRequest,
  readSession,
  resumeCompose,
  resumeTransfer,
  type SessionEntry,
  type SessionRecord,
  type SessionSummary,
} from './engine/sessions.js';
export { transferObject } from './engine/transfer/transfer-object.js';
export {
  BUFFERED_PART_SIZE,
  PULL_PART_SIZE,
  TRANSFER_BUFFER_BUDGET,
  TRANSFER_CONCURRENCY,
  TRANSFER_PART_SIZE,
} from './engine/transfer/transfer-plan.js';
export type { TransferSessionRecord } from './engine/transfer/transfer-session.js';
export type {
  TransferCheck,
  TransferEndpoint,
  TransferObjectRequest,
  TransferObjectResult,
  TransferPlanStrategy,
  TransferSessionOptions,
  TransferSource,
  TransferStart,
  TransferStrategy,
  TransferVerification,
  TransferVerifyMode,
} from './engine/transfer/transfer-types.js';

export type { WholeObjectCopyInput, WholeObjectCopyOutput } from './engine/whole-object-copy.js';
// ----- errors, events, retries ---------------------------------------------------------------
export {
  ERROR_CODES,
  type ErrorCode,
  type ErrorContext,
  type OperationName,
  PartCopyError,
  type PartCopyErrorOptions,
  redactSecrets,
} from './errors/part-copy-error.js';
export {
  type CapabilityOverrideSources,
  effectiveCapabilities,
} from './pipeline/capability-gate.js';
export type { EventContext, PartCopyEvent, PartCopyEventListener } from './pipeline/events.js';
export type { PartCopyMetrics } from './pipeline/metrics.js';
export type { RetryOptions } from './pipeline/retry-policy.js';
export type { ByteRangeInput } from './semantics/byte-range.js';
export type { CopySourceInput } from './semantics/copy-source.js';
export type { SourceHint } from './semantics/source-hint.js';
export { SseCustomerKey } from './semantics/sse-customer-key.js';
