/**
 * The in-memory provider: S3's UploadPartCopy and multipart semantics over a {@link MemoryStore}.
 * It is the reference the conformance kit is first proven on, so every behaviour follows S3
 * (error codes included) and each deviation is documented where it is made.
 */
import type {
  BucketEncryptionRequest,
  Capabilities,
  CompleteMultipartUploadRequest,
  CompleteMultipartUploadResult,
  ComposeObjectRequest,
  ComposeObjectResult,
  CreateBucketRequest,
  CreateMultipartUploadRequest,
  CreateMultipartUploadResult,
  DeleteBucketRequest,
  DeleteObjectRequest,
  DeleteObjectResult,
  GetBucketEncryptionResult,
  GetBucketVersioningRequest,
  GetBucketVersioningResult,
  GetObjectRequest,
  GetObjectResult,
  HeadObjectRequest,
  ListBucketsResult,
  ListMultipartUploadsRequest,
  ListMultipartUploadsResult,
  ListObjectsRequest,
  ListObjectsResult,
  ListObjectVersionsRequest,
  ListObjectVersionsResult,
  ListPartsRequest,
  ListPartsResult,
  ObjectInfo,
  OperationContext,
  Provider,
  PutBucketEncryptionRequest,
  PutBucketVersioningRequest,
  PutObjectRequest,
  PutObjectResult,
  ServerSideCopyRequest,
  ServerSideCopyResult,
  UploadPartCopyRequest,
  UploadPartCopyResult,
  UploadPartRequest,
  UploadPartResult,
  UploadRef,
} from '@partcopy/core/provider';
import { SPEC_VERSION } from '@partcopy/core/provider';
import { uploadPartCopy } from './copy-part.js';
import * as buckets from './memory-buckets.js';
import { type MemoryProviderOptions, memoryCapabilities } from './memory-capabilities.js';
import { completeMultipartUpload } from './memory-completion.js';
import { composeObject } from './memory-compose.js';
import type { MemoryEnv } from './memory-env.js';
import { MEMORY_PROVIDER_NAME } from './memory-errors.js';
import { listObjectVersions } from './memory-list-versions.js';
import * as multipart from './memory-multipart.js';
import * as objects from './memory-objects.js';
import { MemoryStore } from './memory-store.js';
import { copyObject } from './memory-whole-object-copy.js';

/** A provider whose store is process memory. See the package README for semantics. */
export class MemoryProvider implements Provider {
  readonly specVersion = SPEC_VERSION;
  readonly name = MEMORY_PROVIDER_NAME;
  readonly capabilities: Readonly<Capabilities>;
  /** The state this provider reads and writes; share it to model several processes. */
  readonly store: MemoryStore;
  readonly #env: MemoryEnv;

  constructor(options: MemoryProviderOptions = {}) {
    this.store = options.store ?? new MemoryStore();
    this.capabilities = memoryCapabilities(options);
    this.#env = { store: this.store, capabilities: this.capabilities };
  }

  createBucket(request: CreateBucketRequest, ctx: OperationContext): Promise<void> {
    return buckets.createBucket(this.#env, request, ctx);
  }

  listBuckets(ctx: OperationContext): Promise<ListBucketsResult> {
    return buckets.listBuckets(this.#env, ctx);
  }

  deleteBucket(request: DeleteBucketRequest, ctx: OperationContext): Promise<void> {
    return buckets.deleteBucket(this.#env, request, ctx);
  }

  putBucketVersioning(request: PutBucketVersioningRequest, ctx: OperationContext): Promise<void> {
    return buckets.putBucketVersioning(this.#env, request, ctx);
  }

  putBucketEncryption(request: PutBucketEncryptionRequest, ctx: OperationContext): Promise<void> {
    return buckets.putBucketEncryption(this.#env, request, ctx);
  }

  getBucketEncryption(
    request: BucketEncryptionRequest,
    ctx: OperationContext,
  ): Promise<GetBucketEncryptionResult> {
    return buckets.getBucketEncryption(this.#env, request, ctx);
  }

  deleteBucketEncryption(request: BucketEncryptionRequest, ctx: OperationContext): Promise<void> {
    return buckets.deleteBucketEncryption(this.#env, request, ctx);
  }

  getBucketVersioning(
    request: GetBucketVersioningRequest,
    ctx: OperationContext,
  ): Promise<GetBucketVersioningResult> {
    return buckets.getBucketVersioning(this.#env, request, ctx);
  }

  listObjectVersions(
    request: ListObjectVersionsRequest,
    ctx: OperationContext,
  ): Promise<ListObjectVersionsResult> {
    return listObjectVersions(this.#env, request, ctx);
  }

  createMultipartUpload(
    request: CreateMultipartUploadRequest,
    ctx: OperationContext,
  ): Promise<CreateMultipartUploadResult> {
    return multipart.createMultipartUpload(this.#env, request, ctx);
  }

  uploadPart(request: UploadPartRequest, ctx: OperationContext): Promise<UploadPartResult> {
    return multipart.uploadPart(this.#env, request, ctx);
  }

  uploadPartCopy(request: UploadPartCopyRequest, ctx: OperationContext): Promise<UploadPartCopyResult> {
    return uploadPartCopy(this.#env, request, ctx);
  }

  copyObject(request: ServerSideCopyRequest, ctx: OperationContext): Promise<ServerSideCopyResult> {
    return copyObject(this.#env, request, ctx);
  }

  composeObject(request: ComposeObjectRequest, ctx: OperationContext): Promise<ComposeObjectResult> {
    return composeObject(this.#env, request, ctx);
  }

  completeMultipartUpload(
    request: CompleteMultipartUploadRequest,
    ctx: OperationContext,
  ): Promise<CompleteMultipartUploadResult> {
    return completeMultipartUpload(this.#env, request, ctx);
  }

  abortMultipartUpload(request: UploadRef, ctx: OperationContext): Promise<void> {
    return multipart.abortMultipartUpload(this.#env, request, ctx);
  }

  listParts(request: ListPartsRequest, ctx: OperationContext): Promise<ListPartsResult> {
    return multipart.listParts(this.#env, request, ctx);
  }

  listMultipartUploads(
    request: ListMultipartUploadsRequest,
    ctx: OperationContext,
  ): Promise<ListMultipartUploadsResult> {
    return multipart.listMultipartUploads(this.#env, request, ctx);
  }

  headObject(request: HeadObjectRequest, ctx: OperationContext): Promise<ObjectInfo> {
    return objects.headObject(this.#env, request, ctx);
  }

  getObject(request: GetObjectRequest, ctx: OperationContext): Promise<GetObjectResult> {
    return objects.getObject(this.#env, request, ctx);
  }

  putObject(request: PutObjectRequest, ctx: OperationContext): Promise<PutObjectResult> {
    return objects.putObject(this.#env, request, ctx);
  }

  deleteObject(request: DeleteObjectRequest, ctx: OperationContext): Promise<DeleteObjectResult> {
    return objects.deleteObject(this.#env, request, ctx);
  }

  listObjects(request: ListObjectsRequest, ctx: OperationContext): Promise<ListObjectsResult> {
    return objects.listObjects(this.#env, request, ctx);
  }
}

/** Creates a memory provider (a private store unless `options.store` is given). */
export function createMemoryProvider(options: MemoryProviderOptions = {}): MemoryProvider {
  return new MemoryProvider(options);
}
