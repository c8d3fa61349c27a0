/**
 * The S3 provider: every Provider method as one S3 operation (plus the documented extra HEAD of
 * the copy source where S3's answer lacks a field), for AWS and S3-compatible servers.
 */
import { Readable } from 'node:stream';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  DeleteBucketCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  type HeadObjectCommandOutput,
  ListMultipartUploadsCommand,
  ListObjectsV2Command,
  ListPartsCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  type S3Client,
  type ChecksumAlgorithm as SdkChecksumAlgorithm,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import {
  type Capabilities,
  type ChecksumAlgorithm,
  type CompleteMultipartUploadRequest,
  type CompleteMultipartUploadResult,
  type CreateBucketRequest,
  type CreateMultipartUploadRequest,
  type CreateMultipartUploadResult,
  checkCompletionPartOrder,
  type DeleteBucketRequest,
  type DeleteObjectRequest,
  type DeleteObjectResult,
  type ErrorContext,
  type GetObjectRequest,
  type GetObjectResult,
  type HeadObjectRequest,
  type ListMultipartUploadsRequest,
  type ListMultipartUploadsResult,
  type ListObjectsRequest,
  type ListObjectsResult,
  type ListPartsRequest,
  type ListPartsResult,
  type ObjectInfo,
  type OperationContext,
  type OperationName,
  PartCopyError,
  type Payload,
  type Provider,
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
} from '@partcopy/core/provider';
import { directoryBucketLocation } from './directory-bucket.js';
import { checkDirectoryBucketRequest } from './directory-bucket-guard.js';
import { recordEmbeddedErrors } from './embedded-error.js';
import {
  capabilitiesForBucket,
  DIRECTORY_BUCKET_CAPABILITIES,
  resolveCapabilities,
  S3_CAPABILITIES,
} from './s3-capabilities.js';
import { createS3Client, type S3ProviderOptions } from './s3-config.js';
import { copyPart } from './s3-copy-part.js';
import {
  checksumsFrom,
  checksumsInput,
  compact,
  encryptionFrom,
  etagFrom,
  ownershipInput,
  settingsInput,
  sseCustomerInput,
  sseKmsInput,
} from './s3-fields.js';
import { streamObjectBody } from './s3-object-body.js';
import { callS3, callS3RetryingEmbedded } from './s3-send.js';
import { pageUploads } from './s3-upload-pages.js';
import { UploadChecksumAlgorithms } from './upload-checksum-algorithms.js';
import { copyWholeObject } from './whole-object-copy.js';

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
  readonly #options: S3ProviderOptions;
  readonly #algorithms = new UploadChecksumAlgorithms();

  constructor(options: S3ProviderOptions = {}) {
    const env = options.env ?? process.env;
    const { client, owned } = createS3Client(options);
    this.native = client;
    this.#ownsClient = owned;
    this.#options = options;
    this.name = options.name ?? 's3';
    this.capabilities = resolveCapabilities(S3_CAPABILITIES, options.capabilities, env);
    this.directoryBucketCapabilities = resolveCapabilities(
      DIRECTORY_BUCKET_CAPABILITIES,
      { ...options.capabilities, ...options.directoryBucketCapabilities },
      env,
    );
  }

  /** The capabilities that apply to `bucket`: directory buckets have no versioning and no SSE-C. */
  capabilitiesFor(bucket: string): Readonly<Capabilities> {
    return capabilitiesForBucket(bucket, this.capabilities, this.directoryBucketCapabilities);
  }

  #context(operation: OperationName, extra: ErrorContext): ErrorContext {
    return { provider: this.name, operation, ...extra };
  }

  async createBucket(request: CreateBucketRequest, ctx: OperationContext): Promise<void> {
    const context = this.#context('createBucket', { bucket: request.bucket });
    checkDirectoryBucketRequest(this, context, { bucket: request.bucket, versioning: request.versioning });
    await this.#refuseExistingBucket(request.bucket, ctx, context);
    const location = directoryBucketLocation(request.bucket);
    const configuration = location
      ? {
          Location: { Type: location.type, Name: location.zoneId },
          Bucket: { Type: 'Directory' as const, DataRedundancy: location.dataRedundancy },
        }
      : undefined;
    await callS3(ctx.signal, context, (abortSignal) =>
      this.native.send(
        new CreateBucketCommand(
          compact({ Bucket: request.bucket, CreateBucketConfiguration: configuration }),
        ),
        { abortSignal },
      ),
    );
    if (!request.versioning) return;
    try {
      await callS3(ctx.signal, context, (abortSignal) =>
        this.native.send(
          new PutBucketVersioningCommand({
            Bucket: request.bucket,
            VersioningConfiguration: { Status: 'Enabled' },
          }),
          { abortSignal },
        ),
      );
    } catch (error) {
      // Leave no half-made bucket behind: the caller asked for a versioned one. (Skipped, like
      // every request, once the caller's signal has fired.)
      await this.native
        .send(new DeleteBucketCommand({ Bucket: request.bucket }), { abortSignal: ctx.signal })
        .catch(() => undefined);
      throw error;
    }
  }

  // S3 answers CreateBucket for a bucket you already own with 200 in us-east-1 (and moto does
  // everywhere); the contract wants BucketAlreadyOwnedByYou, so one HeadBucket asks first.
  // A 403 says nothing certain (another account's bucket, bad credentials, or a policy without
  // s3:ListBucket on a name that is free): CreateBucket is sent and its own answer decides
  // (409 BucketAlreadyExists, 403 AccessDenied, or success).
  async #refuseExistingBucket(bucket: string, ctx: OperationContext, context: ErrorContext): Promise<void> {
    try {
      await callS3(ctx.signal, context, (abortSignal) =>
        this.native.send(new HeadBucketCommand({ Bucket: bucket }), { abortSignal }),
      );
    } catch (error) {
      if (PartCopyError.hasCode(error, 'NoSuchKey') || PartCopyError.hasCode(error, 'NoSuchBucket')) return;
      if (PartCopyError.hasCode(error, 'AccessDenied')) return;
      throw error;
    }
    throw new PartCopyError('BucketAlreadyOwnedByYou', `The bucket ${bucket} already exists and is yours`, {
      ...context,
      providerCode: 'HeadBucket',
    });
  }

  async deleteBucket(request: DeleteBucketRequest, ctx: OperationContext): Promise<void> {
    const context = this.#context('deleteBucket', { bucket: request.bucket });
    await callS3(ctx.signal, context, (abortSignal) =>
      this.native.send(new DeleteBucketCommand({ Bucket: request.bucket }), { abortSignal }),
    );
  }

  async createMultipartUpload(
    request: CreateMultipartUploadRequest,
    ctx: OperationContext,
  ): Promise<CreateMultipartUploadResult> {
    const context = this.#context('createMultipartUpload', { bucket: request.bucket, key: request.key });
    checkDirectoryBucketRequest(this, context, request);
    const output = await callS3(ctx.signal, context, (abortSignal) =>
      this.native.send(
        new CreateMultipartUploadCommand(
          compact({
            Bucket: request.bucket,
            Key: request.key,
            ...settingsInput(request),
            ...sseCustomerInput(request.sseCustomer),
            ...sseKmsInput(request),
            ...ownershipInput(request),
            ChecksumAlgorithm: request.checksumAlgorithm,
            ChecksumType: request.checksumType,
          }),
        ),
        { abortSignal },
      ),
    );
    const uploadId = output.UploadId ?? '';
    if (uploadId === '')
      throw new PartCopyError('InternalError', 'CreateMultipartUpload returned no UploadId', context);
    const algorithm = (output.ChecksumAlgorithm ?? request.checksumAlgorithm) as
      | ChecksumAlgorithm
      | undefined;
    this.#algorithms.remember(uploadId, algorithm);
    return compact({
      ...encryptionFrom(output),
      bucket: request.bucket,
      key: request.key,
      uploadId,
      checksumAlgorithm: algorithm,
      checksumType: output.ChecksumType ?? request.checksumType,
    });
  }

  // The algorithm the upload was created with: parts must carry a checksum of that algorithm.
  #uploadAlgorithm(request: UploadPartRequest, ctx: OperationContext, context: ErrorContext) {
    return this.#algorithms.resolve(request.uploadId, async () => {
      const output = await callS3(ctx.signal, context, (abortSignal) =>
        this.native.send(
          new ListPartsCommand(
            compact({
              Bucket: request.bucket,
              Key: request.key,
              UploadId: request.uploadId,
              MaxParts: 1,
              ...sseCustomerInput(request.sseCustomer),
              ...ownershipInput(request),
            }),
          ),
          { abortSignal },
        ),
      );
      return output.ChecksumAlgorithm as ChecksumAlgorithm | undefined;
    });
  }

  async uploadPart(request: UploadPartRequest, ctx: OperationContext): Promise<UploadPartResult> {
    const context = this.#uploadContext('uploadPart', request, request.partNumber);
    checkDirectoryBucketRequest(this, context, request);
    const algorithm = (await this.#uploadAlgorithm(request, ctx, context)) as
      | SdkChecksumAlgorithm
      | undefined;
    const output = await callS3(ctx.signal, context, (abortSignal) =>
      this.native.send(
        new UploadPartCommand(
          compact({
            Bucket: request.bucket,
            Key: request.key,
            UploadId: request.uploadId,
            PartNumber: request.partNumber,
            Body: bodyOf(request.body),
            ContentLength: request.body.length,
            ContentMD5: request.contentMD5,
            ChecksumAlgorithm: algorithm,
            ...sseCustomerInput(request.sseCustomer),
            ...ownershipInput(request),
          }),
        ),
        { abortSignal },
      ),
    );
    ctx.onProgress?.(request.body.length, request.body.length);
    return compact({ ...encryptionFrom(output), ...checksumsFrom(output), etag: etagFrom(output.ETag) });
  }

  async uploadPartCopy(request: UploadPartCopyRequest, ctx: OperationContext): Promise<UploadPartCopyResult> {
    const context = this.#uploadContext('uploadPartCopy', request, request.partNumber, {
      sourceBucket: request.source.bucket,
      sourceKey: request.source.key,
      sourceVersionId: request.source.versionId,
    });
    checkDirectoryBucketRequest(this, context, request);
    checkDirectoryBucketRequest(this, context, {
      bucket: request.source.bucket,
      sseCustomer: request.sourceSseCustomer,
      versionId: request.source.versionId,
      requestPayer: request.requestPayer,
    });
    return copyPart(
      {
        client: this.native,
        retry: this.#options.embeddedErrorRetry,
        context,
        headSource: (copy, headCtx) =>
          this.#head(
            compact({
              bucket: copy.source.bucket,
              key: copy.source.key,
              versionId: copy.source.versionId,
              sseCustomer: copy.sourceSseCustomer,
              requestPayer: copy.requestPayer,
              expectedBucketOwner: copy.expectedSourceBucketOwner,
            }),
            headCtx,
            context,
          ),
      },
      request,
      ctx,
    );
  }

  async copyObject(request: ServerSideCopyRequest, ctx: OperationContext): Promise<ServerSideCopyResult> {
    const { bucket, key, source } = request;
    const context = this.#context('copyObject', {
      bucket,
      key,
      ...compact({ sourceBucket: source.bucket, sourceKey: source.key, sourceVersionId: source.versionId }),
    });
    const headSource = (copy: ServerSideCopyRequest, headCtx: OperationContext) =>
      this.#head(
        compact({
          bucket: copy.source.bucket,
          key: copy.source.key,
          versionId: copy.source.versionId,
          sseCustomer: copy.sourceSseCustomer,
          requestPayer: copy.requestPayer,
          expectedBucketOwner: copy.expectedSourceBucketOwner,
        }),
        headCtx,
        context,
      );
    const { maxWholeObjectCopySize: maxSize } = this.capabilitiesFor(bucket);
    const deps = {
      client: this.native,
      retry: this.#options.embeddedErrorRetry,
      context,
      headSource,
      maxSize,
    };
    return copyWholeObject(deps, request, ctx);
  }

  async completeMultipartUpload(
    request: CompleteMultipartUploadRequest,
    ctx: OperationContext,
  ): Promise<CompleteMultipartUploadResult> {
    const context = this.#uploadContext('completeMultipartUpload', request);
    checkDirectoryBucketRequest(this, context, request);
    // S3 checks these too; checking here gives S3's code on S3-compatible servers that answer
    // differently (or accept an unordered list).
    checkCompletionPartOrder(request.parts, context);
    const input = compact({
      Bucket: request.bucket,
      Key: request.key,
      UploadId: request.uploadId,
      MultipartUpload: {
        Parts: request.parts.map((part) =>
          compact({ PartNumber: part.partNumber, ETag: part.etag, ...checksumsInput(part) }),
        ),
      },
      ...checksumsInput(request),
      ChecksumType: request.checksumType,
      MpuObjectSize: request.mpObjectSize,
      IfMatch: request.ifMatch,
      IfNoneMatch: request.ifNoneMatch,
      ...sseCustomerInput(request.sseCustomer),
      ...ownershipInput(request),
    });
    const output = await callS3RetryingEmbedded(
      ctx.signal,
      context,
      this.#options.embeddedErrorRetry,
      (abortSignal) =>
        this.native.send(recordEmbeddedErrors(new CompleteMultipartUploadCommand(input)), { abortSignal }),
    );
    this.#algorithms.forget(request.uploadId);
    return compact({
      ...encryptionFrom(output),
      ...checksumsFrom(output),
      bucket: request.bucket,
      key: request.key,
      etag: etagFrom(output.ETag),
      versionId: output.VersionId,
      location: output.Location,
      checksumType: output.ChecksumType,
    });
  }

  async abortMultipartUpload(request: UploadRef, ctx: OperationContext): Promise<void> {
    const context = this.#uploadContext('abortMultipartUpload', request);
    if (this.#options.compatibility?.checkUploadBeforeAbort) {
      await callS3(ctx.signal, context, (abortSignal) =>
        this.native.send(
          new ListPartsCommand({
            Bucket: request.bucket,
            Key: request.key,
            UploadId: request.uploadId,
            MaxParts: 1,
            ...ownershipInput(request),
          }),
          { abortSignal },
        ),
      );
    }
    await callS3(ctx.signal, context, (abortSignal) =>
      this.native.send(
        new AbortMultipartUploadCommand({
          Bucket: request.bucket,
          Key: request.key,
          UploadId: request.uploadId,
          ...ownershipInput(request),
        }),
        { abortSignal },
      ),
    );
    this.#algorithms.forget(request.uploadId);
  }

  async listParts(request: ListPartsRequest, ctx: OperationContext): Promise<ListPartsResult> {
    const context = this.#uploadContext('listParts', request);
    checkDirectoryBucketRequest(this, context, request);
    const output = await callS3(ctx.signal, context, (abortSignal) =>
      this.native.send(
        new ListPartsCommand(
          compact({
            Bucket: request.bucket,
            Key: request.key,
            UploadId: request.uploadId,
            MaxParts: request.maxParts,
            PartNumberMarker:
              request.partNumberMarker === undefined ? undefined : String(request.partNumberMarker),
            ...sseCustomerInput(request.sseCustomer),
            ...ownershipInput(request),
          }),
        ),
        { abortSignal },
      ),
    );
    const isTruncated = output.IsTruncated === true;
    return compact({
      ...encryptionFrom(output),
      bucket: request.bucket,
      key: request.key,
      uploadId: request.uploadId,
      parts: (output.Parts ?? []).map((part) =>
        compact({
          ...checksumsFrom(part),
          partNumber: part.PartNumber ?? 0,
          etag: etagFrom(part.ETag),
          size: part.Size ?? 0,
          lastModified: part.LastModified ?? new Date(0),
        }),
      ),
      isTruncated,
      nextPartNumberMarker:
        isTruncated && output.NextPartNumberMarker !== undefined
          ? Number(output.NextPartNumberMarker)
          : undefined,
      checksumAlgorithm: output.ChecksumAlgorithm as ChecksumAlgorithm | undefined,
      checksumType: output.ChecksumType,
    });
  }

  async listMultipartUploads(
    request: ListMultipartUploadsRequest,
    ctx: OperationContext,
  ): Promise<ListMultipartUploadsResult> {
    const context = this.#context('listMultipartUploads', { bucket: request.bucket });
    const output = await callS3(ctx.signal, context, (abortSignal) =>
      this.native.send(
        new ListMultipartUploadsCommand(
          compact({
            Bucket: request.bucket,
            Prefix: request.prefix,
            KeyMarker: request.keyMarker,
            UploadIdMarker: request.uploadIdMarker,
            MaxUploads: request.maxUploads,
            ...ownershipInput(request),
          }),
        ),
        { abortSignal },
      ),
    );
    const isTruncated = output.IsTruncated === true;
    const page = pageUploads(request, {
      uploads: (output.Uploads ?? []).map((upload) =>
        compact({
          key: upload.Key ?? '',
          uploadId: upload.UploadId ?? '',
          initiated: upload.Initiated ?? new Date(0),
          storageClass: upload.StorageClass,
          checksumAlgorithm: upload.ChecksumAlgorithm as ChecksumAlgorithm | undefined,
        }),
      ),
      isTruncated,
      nextKeyMarker: isTruncated ? output.NextKeyMarker : undefined,
      nextUploadIdMarker: isTruncated ? output.NextUploadIdMarker : undefined,
    });
    return compact({ bucket: request.bucket, ...page });
  }

  async headObject(request: HeadObjectRequest, ctx: OperationContext): Promise<ObjectInfo> {
    const context = this.#context('headObject', { bucket: request.bucket, key: request.key });
    return this.#head(request, ctx, context);
  }

  // HEAD answers carry no error body: a 404 may be a missing bucket or a missing key, so a
  // HeadBucket (only on that failure path) tells which.
  async #head(request: HeadObjectRequest, ctx: OperationContext, context: ErrorContext): Promise<ObjectInfo> {
    checkDirectoryBucketRequest(this, context, request);
    try {
      const output = await callS3(ctx.signal, context, (abortSignal) =>
        this.native.send(
          new HeadObjectCommand(
            compact({
              Bucket: request.bucket,
              Key: request.key,
              VersionId: request.versionId,
              ...sseCustomerInput(request.sseCustomer),
              ...ownershipInput(request),
            }),
          ),
          { abortSignal },
        ),
      );
      return objectInfo(request.bucket, request.key, output);
    } catch (error) {
      if (!PartCopyError.hasCode(error, 'NoSuchKey')) throw error;
      throw await this.#whichIsMissing(error, request.bucket, ctx, context);
    }
  }

  async #whichIsMissing(
    error: PartCopyError,
    bucket: string,
    ctx: OperationContext,
    context: ErrorContext,
  ): Promise<PartCopyError> {
    try {
      await callS3(ctx.signal, context, (abortSignal) =>
        this.native.send(new HeadBucketCommand({ Bucket: bucket }), { abortSignal }),
      );
      return error;
    } catch (bucketError) {
      if (!PartCopyError.hasCode(bucketError, 'NoSuchKey')) return error;
      return new PartCopyError('NoSuchBucket', `The specified bucket does not exist: ${bucket}`, {
        ...context,
        providerCode: 'NotFound',
        cause: bucketError,
      });
    }
  }

  async getObject(request: GetObjectRequest, ctx: OperationContext): Promise<GetObjectResult> {
    const context = this.#context('getObject', { bucket: request.bucket, key: request.key });
    checkDirectoryBucketRequest(this, context, request);
    const output = await callS3(ctx.signal, context, (abortSignal) =>
      this.native.send(
        new GetObjectCommand(
          compact({
            Bucket: request.bucket,
            Key: request.key,
            VersionId: request.versionId,
            Range: request.range ? `bytes=${request.range.start}-${request.range.end}` : undefined,
            ...sseCustomerInput(request.sseCustomer),
            ...ownershipInput(request),
          }),
        ),
        { abortSignal },
      ),
    );
    const info = objectInfo(request.bucket, request.key, output);
    const contentLength = output.ContentLength ?? 0;
    const total = totalSize(output.ContentRange);
    return compact({
      ...info,
      size: total ?? info.size,
      body: streamObjectBody(output.Body, ctx.signal, context),
      contentLength,
      range: request.range,
    });
  }

  async putObject(request: PutObjectRequest, ctx: OperationContext): Promise<PutObjectResult> {
    const context = this.#context('putObject', { bucket: request.bucket, key: request.key });
    checkDirectoryBucketRequest(this, context, request);
    const output = await callS3(ctx.signal, context, (abortSignal) =>
      this.native.send(
        new PutObjectCommand(
          compact({
            Bucket: request.bucket,
            Key: request.key,
            Body: bodyOf(request.body),
            ContentLength: request.body.length,
            ContentMD5: request.contentMD5,
            IfMatch: request.ifMatch,
            IfNoneMatch: request.ifNoneMatch,
            ...settingsInput(request),
            ...sseCustomerInput(request.sseCustomer),
            ...sseKmsInput(request),
            ...ownershipInput(request),
          }),
        ),
        { abortSignal },
      ),
    );
    ctx.onProgress?.(request.body.length, request.body.length);
    return compact({ ...encryptionFrom(output), etag: etagFrom(output.ETag), versionId: output.VersionId });
  }

  async deleteObject(request: DeleteObjectRequest, ctx: OperationContext): Promise<DeleteObjectResult> {
    const context = this.#context('deleteObject', { bucket: request.bucket, key: request.key });
    checkDirectoryBucketRequest(this, context, request);
    const output = await callS3(ctx.signal, context, (abortSignal) =>
      this.native.send(
        new DeleteObjectCommand(
          compact({
            Bucket: request.bucket,
            Key: request.key,
            VersionId: request.versionId,
            ...ownershipInput(request),
          }),
        ),
        { abortSignal },
      ),
    );
    return compact({
      versionId: output.VersionId,
      deleteMarker: output.DeleteMarker,
      requestCharged: output.RequestCharged === 'requester' ? ('requester' as const) : undefined,
    });
  }

  async listObjects(request: ListObjectsRequest, ctx: OperationContext): Promise<ListObjectsResult> {
    const context = this.#context('listObjects', { bucket: request.bucket });
    const output = await callS3(ctx.signal, context, (abortSignal) =>
      this.native.send(
        new ListObjectsV2Command(
          compact({
            Bucket: request.bucket,
            Prefix: request.prefix,
            ContinuationToken: request.continuationToken,
            MaxKeys: request.maxKeys,
          }),
        ),
        { abortSignal },
      ),
    );
    const isTruncated = output.IsTruncated === true;
    return compact({
      objects: (output.Contents ?? []).map((item) => ({
        key: item.Key ?? '',
        size: item.Size ?? 0,
        etag: etagFrom(item.ETag),
        lastModified: item.LastModified ?? new Date(0),
      })),
      nextContinuationToken: isTruncated ? output.NextContinuationToken : undefined,
      isTruncated,
    });
  }

  /** Destroys the client when this provider created it; an injected client is left to its owner. */
  async close(): Promise<void> {
    if (this.#ownsClient) this.native.destroy();
  }

  #uploadContext(
    operation: OperationName,
    request: UploadRef,
    partNumber?: number,
    extra: ErrorContext = {},
  ): ErrorContext {
    return this.#context(operation, {
      bucket: request.bucket,
      key: request.key,
      uploadId: request.uploadId,
      partNumber,
      ...extra,
    });
  }
}

/** In-memory bodies go as bytes (the SDK can checksum and retry them); streams as a Readable. */
function bodyOf(payload: Payload): Uint8Array | Readable {
  return payload.bytes ?? Readable.from(payload.chunks(), { objectMode: false });
}

/** `bytes 0-9/1234` → 1234. */
function totalSize(contentRange: string | undefined): number | undefined {
  const match = contentRange ? /\/(\d+)$/.exec(contentRange) : null;
  return match ? Number(match[1]) : undefined;
}

function objectInfo(bucket: string, key: string, output: HeadObjectCommandOutput): ObjectInfo {
  return compact({
    ...encryptionFrom(output),
    ...checksumsFrom(output),
    bucket,
    key,
    etag: etagFrom(output.ETag),
    size: output.ContentLength ?? 0,
    lastModified: output.LastModified ?? new Date(0),
    versionId: output.VersionId,
    partsCount: output.PartsCount,
    contentType: output.ContentType,
    contentEncoding: output.ContentEncoding,
    contentDisposition: output.ContentDisposition,
    contentLanguage: output.ContentLanguage,
    cacheControl: output.CacheControl,
    expires: output.Expires,
    metadata: output.Metadata,
    storageClass: output.StorageClass,
  });
}
