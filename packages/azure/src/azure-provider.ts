/**
 * The Azure Blob Storage provider: S3's multipart lifecycle on block blobs, with ranged part
 * copies done by the server (Put Block From URL). See the package README for the design.
 */
import type { BlobServiceClient } from '@azure/storage-blob';
import {
  type Capabilities,
  type CompleteMultipartUploadRequest,
  type CompleteMultipartUploadResult,
  type ComposeObjectRequest,
  type ComposeObjectResult,
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
  type ListBucketsResult,
  type ListMultipartUploadsRequest,
  type ListMultipartUploadsResult,
  type ListObjectsRequest,
  type ListObjectsResult,
  type ListPartsRequest,
  type ListPartsResult,
  MiB,
  type ObjectInfo,
  type OperationContext,
  type PresignedRead,
  type PresignGetObjectRequest,
  type Provider,
  type PutObjectRequest,
  type PutObjectResult,
  type ServerSideCopyRequest,
  type ServerSideCopyResult,
  SPEC_VERSION,
  type UploadPartCopyRequest,
  type UploadPartCopyResult,
  type UploadPartFromUrlRequest,
  type UploadPartFromUrlResult,
  type UploadPartRequest,
  type UploadPartResult,
  type UploadRef,
} from '@partcopy/core/provider';
import { azureCapabilities } from './azure-capabilities.js';
import {
  type AzureProviderOptions,
  createServiceClient,
  resolveOptions,
  type SourceAuthMode,
} from './azure-config.js';
import { type AzureRuntime, PROVIDER_NAME } from './azure-runtime.js';
import { BlockBuffers } from './block-buffers.js';
import { createBucket, deleteBucket, listBuckets } from './bucket-operations.js';
import { completeMultipartUpload } from './complete-upload.js';
import { composeObject } from './compose.js';
import { discardComposeProgress } from './compose-discard.js';
import { uploadPartCopy } from './copy-part.js';
import {
  abortMultipartUpload,
  createMultipartUpload,
  listMultipartUploads,
  listParts,
} from './multipart-uploads.js';
import { deleteObject, getObject, headObject, listObjects, putObject } from './object-operations.js';
import { presignGetObject } from './presign.js';
import { uploadPartFromUrl } from './stage-from-url.js';
import { uploadPart } from './upload-part.js';
import { copyObject } from './whole-object-copy.js';

/** Bytes of free block buffers kept for reuse (block-buffers.ts): four default transfer parts. */
const FREE_BLOCK_BUFFER_BYTES = 32 * MiB;
/** The escape hatch: the SDK client the provider sends every request with. */
export interface AzureNative {
  /** A BlobServiceClient on the provider's pipeline (same credential, plus partcopy's policy). */
  serviceClient: BlobServiceClient;
  /** How copy sources are authorised with this client. */
  sourceAuth: SourceAuthMode;
}

/** Azure Blob Storage as a partcopy provider; each operation lives in its role file. */
export class AzureProvider implements Provider {
  readonly specVersion = SPEC_VERSION;
  readonly name = PROVIDER_NAME;
  readonly capabilities: Readonly<Capabilities>;
  /** The native client, for what partcopy does not cover. */
  readonly native: AzureNative;
  readonly #rt: AzureRuntime;

  constructor(options: AzureProviderOptions) {
    const resolved = resolveOptions(options);
    const setup = createServiceClient(options);
    this.#rt = {
      service: setup.serviceClient,
      credential: setup.credential,
      sourceAuth: setup.sourceAuth,
      options: resolved,
      // Free block buffers kept for reuse: enough for a few parts in flight of the default size.
      blockBuffers: new BlockBuffers(FREE_BLOCK_BUFFER_BYTES),
    };
    // Only a shared key can mint a SAS scoped to one blob; other credentials sign nothing.
    this.capabilities = azureCapabilities(resolved.maxCopyBlockSize, {
      // uploadPart buffers one block of a streamed body at a time (payload-blocks.ts).
      uploadPartBufferSize: resolved.maxUploadBlockSize,
      // Every staged block carries its Content-MD5 (upload-part.ts).
      uploadPartChecksBlocks: true,
      ...(setup.sourceAuth === 'shared-key' ? {} : { presignedReads: false }),
      ...options.capabilities,
    });
    this.native = { serviceClient: setup.serviceClient, sourceAuth: setup.sourceAuth };
  }

  createBucket(request: CreateBucketRequest, ctx: OperationContext): Promise<void> {
    return createBucket(this.#rt, request, ctx);
  }

  listBuckets(ctx: OperationContext): Promise<ListBucketsResult> {
    return listBuckets(this.#rt, ctx);
  }

  deleteBucket(request: DeleteBucketRequest, ctx: OperationContext): Promise<void> {
    return deleteBucket(this.#rt, request, ctx);
  }

  createMultipartUpload(
    request: CreateMultipartUploadRequest,
    ctx: OperationContext,
  ): Promise<CreateMultipartUploadResult> {
    return createMultipartUpload(this.#rt, request, ctx);
  }

  uploadPart(request: UploadPartRequest, ctx: OperationContext): Promise<UploadPartResult> {
    return uploadPart(this.#rt, request, ctx);
  }

  uploadPartCopy(request: UploadPartCopyRequest, ctx: OperationContext): Promise<UploadPartCopyResult> {
    return uploadPartCopy(this.#rt, request, ctx);
  }

  copyObject(request: ServerSideCopyRequest, ctx: OperationContext): Promise<ServerSideCopyResult> {
    return copyObject(this.#rt, request, ctx, this.capabilities.maxWholeObjectCopySize);
  }

  composeObject(request: ComposeObjectRequest, ctx: OperationContext): Promise<ComposeObjectResult> {
    return composeObject(this.#rt, request, ctx);
  }

  discardComposeProgress(
    request: DiscardComposeProgressRequest,
    ctx: OperationContext,
  ): Promise<DiscardComposeProgressResult> {
    return discardComposeProgress(this.#rt, request, ctx);
  }

  completeMultipartUpload(
    request: CompleteMultipartUploadRequest,
    ctx: OperationContext,
  ): Promise<CompleteMultipartUploadResult> {
    return completeMultipartUpload(this.#rt, request, ctx, this.capabilities.minPartSize);
  }

  abortMultipartUpload(request: UploadRef, ctx: OperationContext): Promise<void> {
    return abortMultipartUpload(this.#rt, request, ctx);
  }

  listParts(request: ListPartsRequest, ctx: OperationContext): Promise<ListPartsResult> {
    return listParts(this.#rt, request, ctx);
  }

  listMultipartUploads(
    request: ListMultipartUploadsRequest,
    ctx: OperationContext,
  ): Promise<ListMultipartUploadsResult> {
    return listMultipartUploads(this.#rt, request, ctx);
  }

  presignGetObject(request: PresignGetObjectRequest, ctx: OperationContext): Promise<PresignedRead> {
    return presignGetObject(this.#rt, request, ctx);
  }

  uploadPartFromUrl(
    request: UploadPartFromUrlRequest,
    ctx: OperationContext,
  ): Promise<UploadPartFromUrlResult> {
    return uploadPartFromUrl(this.#rt, request, ctx);
  }

  headObject(request: HeadObjectRequest, ctx: OperationContext): Promise<ObjectInfo> {
    return headObject(this.#rt, request, ctx);
  }

  getObject(request: GetObjectRequest, ctx: OperationContext): Promise<GetObjectResult> {
    return getObject(this.#rt, request, ctx);
  }

  putObject(request: PutObjectRequest, ctx: OperationContext): Promise<PutObjectResult> {
    return putObject(this.#rt, request, ctx);
  }

  deleteObject(request: DeleteObjectRequest, ctx: OperationContext): Promise<DeleteObjectResult> {
    return deleteObject(this.#rt, request, ctx);
  }

  listObjects(request: ListObjectsRequest, ctx: OperationContext): Promise<ListObjectsResult> {
    return listObjects(this.#rt, request, ctx);
  }
}

/** Creates the Azure provider. */
export function createAzureProvider(options: AzureProviderOptions): AzureProvider {
  return new AzureProvider(options);
}
