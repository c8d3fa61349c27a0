import type { Storage } from '@google-cloud/storage';
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
  type StoreGarbageRequest,
  type StoreGarbageResult,
  type UploadPartCopyRequest,
  type UploadPartCopyResult,
  type UploadPartRequest,
  type UploadPartResult,
  type UploadRef,
  withOverrides,
} from '@partcopy/core/provider';
import { createBucket, deleteBucket, listBuckets } from './bucket-operations.js';
import { BucketVersioning } from './bucket-versioning.js';
import { completeMultipartUpload } from './complete-upload.js';
import { composeObject } from './compose.js';
import { discardComposeProgress } from './compose-discard.js';
import { uploadPartCopy } from './copy-part.js';
import { DEFAULT_MIN_PART_SIZE, gcsCapabilities } from './gcs-capabilities.js';
import { authFrom, endpointFrom, type GcsProviderOptions, storageFrom } from './gcs-config.js';
import { GCS_PROVIDER_NAME } from './gcs-error-map.js';
import { GcsJsonApi } from './gcs-json-api.js';
import { ManifestStore } from './gcs-manifest.js';
import { GcsObjectStore } from './gcs-object-store.js';
import type { GcsRuntime } from './gcs-runtime.js';
import { StagingNames } from './gcs-staging-names.js';
import { mediaOverHttp } from './media-download.js';
import {
  abortMultipartUpload,
  createMultipartUpload,
  listMultipartUploads,
  listParts,
} from './multipart-uploads.js';
import { deleteObject, getObject, headObject, listObjects, putObject } from './object-operations.js';
import { presignGetObject } from './presign.js';
import { collectStagingGarbage } from './staging-garbage.js';
import { streamingUpload } from './streaming-upload.js';
import { uploadPart } from './upload-part.js';
import { copyObject } from './whole-object-copy.js';

/** What `provider.native` gives: the SDK client and the JSON API transport this provider uses. */
export interface GcsNative {
  storage: Storage;
  api: GcsJsonApi;
}

/**
 * S3's multipart lifecycle on a Google Cloud Storage bucket. Parts are staged as objects under
 * a reserved prefix, whole-object part copies run on the server (objects.rewrite), other ranges
 * stream through this process, and completion composes the parts in a shallow tree. See the
 * package README for the design and its costs. Each operation lives in its role file.
 */
export class GcsProvider implements Provider {
  readonly specVersion = SPEC_VERSION;
  readonly name = GCS_PROVIDER_NAME;
  readonly capabilities: Readonly<Capabilities>;
  /** Escape hatch: the native client and the JSON API transport. */
  readonly native: GcsNative;
  readonly names: StagingNames;
  readonly #rt: GcsRuntime;

  constructor(options: GcsProviderOptions = {}) {
    const storage = storageFrom(options);
    const api = new GcsJsonApi({
      endpoint: endpointFrom(storage),
      fetch: options.fetch ?? ((url, init) => fetch(url, init)),
      // Streamed bodies go over node:http with backpressure, unless a transport was injected.
      uploadFetch: options.fetch ?? streamingUpload,
      // Reads keep Node's stream as the body (media-download.ts), unless a transport was injected.
      ...(options.fetch ? {} : { download: mediaOverHttp }),
      auth: authFrom(storage),
      // One retry owner: the PartCopyClient's pipeline retries the logical call.
      retries: options.retries ?? 0,
    });
    this.native = { storage, api };
    const prefix = options.stagingPrefix ?? '.partcopy/';
    if (!prefix.endsWith('/') || prefix === '/')
      throw new TypeError(`stagingPrefix must end with "/" and name a folder, got "${prefix}"`);
    this.names = new StagingNames(prefix);
    const store = new GcsObjectStore(api, options.deleteConcurrency ?? 32);
    this.capabilities = withOverrides(
      gcsCapabilities({
        allowClientStreaming: options.allowClientStreaming ?? true,
        minPartSize: options.minPartSize ?? DEFAULT_MIN_PART_SIZE,
      }),
      options.capabilities,
    );
    this.#rt = {
      api,
      storage,
      store,
      manifests: new ManifestStore(store, this.names),
      names: this.names,
      options,
      capabilities: this.capabilities,
      versioning: new BucketVersioning(api),
    };
  }

  createBucket(request: CreateBucketRequest, ctx: OperationContext): Promise<void> {
    return createBucket(this.#rt, request, ctx);
  }

  /** Deletes the bucket when it holds no objects; in-progress uploads' staging objects are discarded. */
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
    return copyObject(this.#rt, request, ctx);
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
    return completeMultipartUpload(this.#rt, request, ctx);
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

  /** Lists objects, never staging ones (see `object-operations.ts` for how pages are refilled). */
  listObjects(request: ListObjectsRequest, ctx: OperationContext): Promise<ListObjectsResult> {
    return listObjects(this.#rt, request, ctx);
  }

  /** Staging objects no upload names and unreadable manifests (see `staging-garbage.ts`). */
  collectStoreGarbage(request: StoreGarbageRequest, ctx: OperationContext): Promise<StoreGarbageResult> {
    return collectStagingGarbage(this.#rt, request, ctx);
  }

  async close(): Promise<void> {
    // fetch keeps no per-provider sockets to release; the injected Storage belongs to the caller.
  }
}

/** Creates a {@link GcsProvider}. */
export function createGcsProvider(options: GcsProviderOptions = {}): GcsProvider {
  return new GcsProvider(options);
}
