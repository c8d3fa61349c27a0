/**
 * The S3 provider: every Provider method as one S3 operation (plus the documented extra HEAD of
 * the copy source where S3's answer lacks a field), for AWS and S3-compatible servers. Each
 * operation lives in its role file; this class holds the client and the capabilities.
 */
import type { S3Client } from '@aws-sdk/client-s3';
import {
  type Capabilities,
  type CompleteMultipartUploadRequest,
  type CompleteMultipartUploadResult,
  type CreateBucketRequest,
  type CreateMultipartUploadRequest,
  type CreateMultipartUploadResult,
  type DeleteBucketRequest,
  type DeleteObjectRequest,
  type DeleteObjectResult,
  type GetBucketVersioningRequest,
  type GetBucketVersioningResult,
  type GetObjectRequest,
  type GetObjectResult,
  type HeadObjectRequest,
  type ListBucketsResult,
  type ListMultipartUploadsRequest,
  type ListMultipartUploadsResult,
  type ListObjectsRequest,
  type ListObjectsResult,
  type ListObjectVersionsRequest,
  type ListObjectVersionsResult,
  type ListPartsRequest,
  type ListPartsResult,
  type ObjectInfo,
  type OperationContext,
  type PresignedRead,
  type PresignGetObjectRequest,
  type Provider,
  type PutBucketVersioningRequest,
  type PutObjectRequest,
  type PutObjectResult,
  type ServerSideCopyRequest,
  type ServerSideCopyResult,
  SPEC_VERSION,
  type UploadPartCopyRequest,
  type UploadPartCopyResult,
  type UploadPartRequest,
  type UploadPartResult,
  type UploadRef,
  withOverrides,
} from '@partcopy/core/provider';
import { abortMultipartUpload } from './abort-upload.js';
import { createBucket, deleteBucket, listBuckets } from './bucket-operations.js';
import * as versioning from './bucket-versioning.js';
import { completeMultipartUpload } from './complete-upload.js';
import { uploadPartCopy } from './copy-part.js';
import { createMultipartUpload, listMultipartUploads, listParts } from './multipart-uploads.js';
import { deleteObject, getObject, headObject, listObjects, putObject } from './object-operations.js';
import { presignGetObject } from './presign.js';
import {
  capabilitiesForBucket,
  DIRECTORY_BUCKET_CAPABILITIES,
  S3_CAPABILITIES,
  s3CopyChecksumDefaults,
} from './s3-capabilities.js';
import { createClientWithoutDefaultChecksum, createS3Client, type S3ProviderOptions } from './s3-config.js';
import type { S3Runtime } from './s3-runtime.js';
import { UploadChecksumAlgorithms } from './upload-checksum-algorithms.js';
import { uploadPart } from './upload-part.js';
import { copyObject } from './whole-object-copy.js';

/** Amazon S3 and S3-compatible stores, through `@aws-sdk/client-s3`. */
export class S3Provider implements Provider {
  readonly specVersion = SPEC_VERSION;
  readonly name: string;
  /** Capabilities of general purpose buckets; see {@link S3Provider.capabilitiesFor}. */
  readonly capabilities: Readonly<Capabilities>;
  /** Capabilities of directory buckets (`--x-s3`). */
  readonly directoryBucketCapabilities: Readonly<Capabilities>;
  /** Escape hatch: the `S3Client` every request goes through. */
  readonly native: S3Client;
  readonly #ownsClient: boolean;
  readonly #rt: S3Runtime;

  constructor(options: S3ProviderOptions = {}) {
    const { client, owned } = createS3Client(options);
    this.native = client;
    this.#ownsClient = owned;
    this.name = options.name ?? 's3';
    // The environment's PARTCOPY_CAPABILITIES_OFF is applied by the PartCopyClient (one place).
    const checksumDefaults = s3CopyChecksumDefaults(endpointOf(options));
    this.capabilities = withOverrides(S3_CAPABILITIES, { ...checksumDefaults, ...options.capabilities });
    this.directoryBucketCapabilities = withOverrides(DIRECTORY_BUCKET_CAPABILITIES, {
      ...checksumDefaults,
      ...options.capabilities,
      ...options.directoryBucketCapabilities,
    });
    this.#rt = {
      client,
      clientWithoutDefaultChecksum: createClientWithoutDefaultChecksum(options),
      name: this.name,
      options,
      algorithms: new UploadChecksumAlgorithms(),
      capabilitiesFor: (bucket) => this.capabilitiesFor(bucket),
    };
  }

  /** The capabilities that apply to `bucket`: directory buckets have no versioning and no SSE-C. */
  capabilitiesFor(bucket: string): Readonly<Capabilities> {
    return capabilitiesForBucket(bucket, this.capabilities, this.directoryBucketCapabilities);
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

  putBucketVersioning(request: PutBucketVersioningRequest, ctx: OperationContext): Promise<void> {
    return versioning.putBucketVersioning(this.#rt, request, ctx);
  }

  getBucketVersioning(
    request: GetBucketVersioningRequest,
    ctx: OperationContext,
  ): Promise<GetBucketVersioningResult> {
    return versioning.getBucketVersioning(this.#rt, request, ctx);
  }

  listObjectVersions(
    request: ListObjectVersionsRequest,
    ctx: OperationContext,
  ): Promise<ListObjectVersionsResult> {
    return versioning.listObjectVersions(this.#rt, request, ctx);
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

  listObjects(request: ListObjectsRequest, ctx: OperationContext): Promise<ListObjectsResult> {
    return listObjects(this.#rt, request, ctx);
  }

  /** Destroys the client when this provider created it; an injected client is left to its owner. */
  async close(): Promise<void> {
    if (this.#ownsClient) this.native.destroy();
    this.#rt.clientWithoutDefaultChecksum?.destroy();
  }
}

// The endpoint the client talks to, where it can be known without a request: the option, the
// client config's string, or "custom" for an injected client built with an endpoint.
function endpointOf(options: S3ProviderOptions): string | undefined {
  if (options.endpoint !== undefined) return options.endpoint;
  const configured = options.clientConfig?.endpoint;
  if (typeof configured === 'string') return configured;
  const injected = options.client?.config as { isCustomEndpoint?: boolean } | undefined;
  return injected?.isCustomEndpoint === true || configured !== undefined ? 'custom' : undefined;
}
