import type { Storage } from '@google-cloud/storage';
import {
  type Capabilities,
  type CompleteMultipartUploadRequest,
  type CompleteMultipartUploadResult,
  type CreateBucketRequest,
  type CreateMultipartUploadRequest,
  type CreateMultipartUploadResult,
  checkContentMD5,
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
  listUploadsPage,
  type ObjectInfo,
  type OperationContext,
  type OperationName,
  PartCopyError,
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
  withOverrides,
} from '@partcopy/core/provider';
import { DEFAULT_MIN_PART_SIZE, gcsCapabilities } from './gcs-capabilities.js';
import { completeUpload, destinationPrecondition, removeStaging } from './gcs-complete.js';
import { authFrom, endpointFrom, type GcsProviderOptions, storageFrom } from './gcs-config.js';
import { checkStoredMd5, copyPart } from './gcs-copy-part.js';
import { encryptionHeaders, encryptionResult } from './gcs-encryption.js';
import { GCS_PROVIDER_NAME, type NotFoundMeaning, toPartCopyError } from './gcs-error-map.js';
import { gcsEtag } from './gcs-etag.js';
import { bucketPath, GcsHttpError, GcsJsonApi, objectPath } from './gcs-json-api.js';
import { checkPartKey, ManifestStore } from './gcs-manifest.js';
import {
  type GcsObject,
  pickSettings,
  settingsToResource,
  storeSettings,
  toObjectInfo,
} from './gcs-object-resource.js';
import { GcsObjectStore } from './gcs-object-store.js';
import { StagingNames } from './gcs-staging-names.js';
import { copyWholeObject } from './whole-object-copy.js';

/** What `provider.native` gives: the SDK client and the JSON API transport this provider uses. */
export interface GcsNative {
  storage: Storage;
  api: GcsJsonApi;
}

/**
 * S3's multipart lifecycle on a Google Cloud Storage bucket. Parts are staged as objects under
 * a reserved prefix, whole-object part copies run on the server (objects.rewrite), other ranges
 * stream through this process, and completion composes the parts in a shallow tree. See the
 * package README for the design and its costs.
 */
export class GcsProvider implements Provider {
  readonly specVersion = SPEC_VERSION;
  readonly name = GCS_PROVIDER_NAME;
  readonly capabilities: Readonly<Capabilities>;
  /** Escape hatch: the native client and the JSON API transport. */
  readonly native: GcsNative;
  readonly names: StagingNames;

  readonly #store: GcsObjectStore;
  readonly #manifests: ManifestStore;
  readonly #options: GcsProviderOptions;
  readonly #minPartSize: number;

  constructor(options: GcsProviderOptions = {}) {
    this.#options = options;
    const storage = storageFrom(options);
    const api = new GcsJsonApi({
      endpoint: endpointFrom(storage),
      fetch: options.fetch ?? ((url, init) => fetch(url, init)),
      auth: authFrom(storage),
      retries: options.retries ?? 2,
    });
    this.native = { storage, api };
    const prefix = options.stagingPrefix ?? '.partcopy/';
    if (!prefix.endsWith('/') || prefix === '/')
      throw new TypeError(`stagingPrefix must end with "/" and name a folder, got "${prefix}"`);
    this.names = new StagingNames(prefix);
    this.#store = new GcsObjectStore(api, options.deleteConcurrency ?? 32);
    this.#manifests = new ManifestStore(this.#store, this.names);
    this.#minPartSize = options.minPartSize ?? DEFAULT_MIN_PART_SIZE;
    this.capabilities = withOverrides(
      gcsCapabilities({
        allowClientStreaming: options.allowClientStreaming ?? true,
        minPartSize: this.#minPartSize,
      }),
      options.capabilities,
    );
  }

  // ----- buckets -----------------------------------------------------------------------------

  async createBucket(request: CreateBucketRequest, ctx: OperationContext): Promise<void> {
    await this.#run(
      'createBucket',
      { bucket: request.bucket },
      ctx,
      { conflict: 'BucketAlreadyExists' },
      async () => {
        const project = await this.#projectId();
        await this.native.api.json('POST', '/b', {
          query: { project },
          json: { name: request.bucket, ...(request.versioning ? { versioning: { enabled: true } } : {}) },
          signal: ctx.signal,
        });
      },
    );
  }

  /** Deletes the bucket when it holds no objects; in-progress uploads' staging objects are discarded. */
  async deleteBucket(request: DeleteBucketRequest, ctx: OperationContext): Promise<void> {
    const context = { bucket: request.bucket };
    await this.#run(
      'deleteBucket',
      context,
      ctx,
      { notFound: 'NoSuchBucket', conflict: 'BucketNotEmpty' },
      async () => {
        const all = await this.#store.listAll(request.bucket, '', ctx.signal, { versions: true });
        if (all.some((object) => !this.names.isReserved(object.name))) {
          throw new PartCopyError('BucketNotEmpty', 'The bucket you tried to delete is not empty', context);
        }
        const failures = await this.#store.deleteAll(request.bucket, all, ctx.signal);
        if (failures.length > 0) throw failures[0];
        await this.native.api.json('DELETE', bucketPath(request.bucket), {
          signal: ctx.signal,
          idempotent: true,
        });
      },
    );
  }

  // ----- multipart ---------------------------------------------------------------------------

  async createMultipartUpload(
    request: CreateMultipartUploadRequest,
    ctx: OperationContext,
  ): Promise<CreateMultipartUploadResult> {
    const context = { bucket: request.bucket, key: request.key };
    return this.#run('createMultipartUpload', context, ctx, { notFound: 'NoSuchBucket' }, async () => {
      this.#refuseReserved(request.key, context);
      this.#checkStorageClass(request.storageClass, context);
      const uploadId = StagingNames.newUploadId();
      await this.#manifests.create(
        request.bucket,
        {
          version: 1,
          key: request.key,
          uploadId,
          initiated: new Date().toISOString(),
          settings: storeSettings(pickSettings(request)),
          ...(request.sseCustomer ? { sseKeySha256: request.sseCustomer.keySHA256() } : {}),
        },
        ctx.signal,
      );
      return { bucket: request.bucket, key: request.key, uploadId, ...encryptionResult(request.sseCustomer) };
    });
  }

  async uploadPart(request: UploadPartRequest, ctx: OperationContext): Promise<UploadPartResult> {
    const context = {
      bucket: request.bucket,
      key: request.key,
      uploadId: request.uploadId,
      partNumber: request.partNumber,
    };
    return this.#run('uploadPart', context, ctx, {}, async () => {
      const upload = await this.#manifests.head(
        request.bucket,
        request.key,
        request.uploadId,
        ctx.signal,
        context,
      );
      checkPartKey(upload, request.sseCustomer, context);
      const resource: { name: string; storageClass: string; contentType: string; md5Hash?: string } = {
        name: this.names.part(request.uploadId, request.partNumber),
        storageClass: 'STANDARD',
        contentType: 'application/octet-stream',
      };
      // GCS checks a given md5Hash against the bytes and refuses the upload when they differ.
      if (request.contentMD5 !== undefined) resource.md5Hash = request.contentMD5;
      const { object, md5 } = await this.#store.insert(request.bucket, ctx.signal, {
        resource,
        chunks: request.body.chunks(),
        length: request.body.length,
        headers: encryptionHeaders(request.sseCustomer),
        onBytes: (done) => ctx.onProgress?.(done, request.body.length),
      });
      checkContentMd5(request.contentMD5, md5, context);
      checkStoredMd5(object, md5);
      return { etag: gcsEtag(object), ...encryptionResult(request.sseCustomer) };
    });
  }

  async uploadPartCopy(request: UploadPartCopyRequest, ctx: OperationContext): Promise<UploadPartCopyResult> {
    const context = {
      bucket: request.bucket,
      key: request.key,
      uploadId: request.uploadId,
      partNumber: request.partNumber,
    };
    return this.#run('uploadPartCopy', context, ctx, {}, () =>
      copyPart(
        {
          store: this.#store,
          names: this.names,
          manifests: this.#manifests,
          allowClientStreaming: this.capabilities.clientStreamedRanges,
        },
        request,
        ctx,
      ),
    );
  }

  async copyObject(request: ServerSideCopyRequest, ctx: OperationContext): Promise<ServerSideCopyResult> {
    const context = { bucket: request.bucket, key: request.key };
    return this.#run('copyObject', context, ctx, { notFound: 'NoSuchBucket' }, async () => {
      this.#refuseReserved(request.key, context);
      this.#checkStorageClass(request.settings.storageClass, context);
      const deps = { store: this.#store, maxSize: this.capabilities.maxWholeObjectCopySize };
      return copyWholeObject(deps, request, ctx);
    });
  }

  async completeMultipartUpload(
    request: CompleteMultipartUploadRequest,
    ctx: OperationContext,
  ): Promise<CompleteMultipartUploadResult> {
    const context = { bucket: request.bucket, key: request.key, uploadId: request.uploadId };
    return this.#run('completeMultipartUpload', context, ctx, {}, () =>
      completeUpload(
        {
          store: this.#store,
          names: this.names,
          manifests: this.#manifests,
          minPartSize: this.capabilities.minPartSize,
          composeConcurrency: this.#options.composeConcurrency ?? 16,
          ...(this.#options.onComposeTree ? { onComposeTree: this.#options.onComposeTree } : {}),
        },
        request,
        ctx,
      ),
    );
  }

  async abortMultipartUpload(request: UploadRef, ctx: OperationContext): Promise<void> {
    const context = { bucket: request.bucket, key: request.key, uploadId: request.uploadId };
    await this.#run('abortMultipartUpload', context, ctx, {}, async () => {
      await this.#manifests.head(request.bucket, request.key, request.uploadId, ctx.signal, context);
      await removeStaging(
        { store: this.#store, names: this.names },
        request.bucket,
        request.uploadId,
        ctx.signal,
        { provider: this.name, operation: 'abortMultipartUpload', ...context },
        'the upload was aborted',
      );
    });
  }

  async listParts(request: ListPartsRequest, ctx: OperationContext): Promise<ListPartsResult> {
    const context = { bucket: request.bucket, key: request.key, uploadId: request.uploadId };
    return this.#run('listParts', context, ctx, {}, async () => {
      await this.#manifests.head(request.bucket, request.key, request.uploadId, ctx.signal, context);
      // One listing page from the marker on: part names sort by number (five digits).
      const marker = request.partNumberMarker ?? 0;
      const page = await this.#store.listPage(
        request.bucket,
        {
          prefix: this.names.partsPrefix(request.uploadId),
          startOffset: this.names.part(request.uploadId, marker + 1),
          maxResults: Math.min(request.maxParts ?? 1000, 1000),
        },
        ctx.signal,
      );
      const parts = (page.items ?? []).flatMap((object) => {
        const partNumber = this.names.partNumberOf(request.uploadId, object.name);
        if (partNumber === undefined) return [];
        return [
          {
            partNumber,
            etag: gcsEtag(object),
            size: Number(object.size),
            lastModified: new Date(object.updated),
          },
        ];
      });
      const last = parts.at(-1);
      const isTruncated = page.nextPageToken !== undefined && last !== undefined;
      const result: ListPartsResult = {
        bucket: request.bucket,
        key: request.key,
        uploadId: request.uploadId,
        parts,
        isTruncated,
      };
      if (isTruncated) result.nextPartNumberMarker = last.partNumber;
      return result;
    });
  }

  async listMultipartUploads(
    request: ListMultipartUploadsRequest,
    ctx: OperationContext,
  ): Promise<ListMultipartUploadsResult> {
    return this.#run(
      'listMultipartUploads',
      { bucket: request.bucket },
      ctx,
      { notFound: 'NoSuchBucket' },
      async () => {
        const all = await this.#manifests.list(request.bucket, ctx.signal);
        // A marker upload that ended between two pages resumes at the marker key's greater ids.
        const page = listUploadsPage(all, request);
        return {
          bucket: request.bucket,
          ...page,
          uploads: page.uploads.map((upload) => ({
            key: upload.key,
            uploadId: upload.uploadId,
            initiated: upload.initiated,
            storageClass: 'STANDARD',
          })),
        };
      },
    );
  }

  // ----- objects -----------------------------------------------------------------------------

  async headObject(request: HeadObjectRequest, ctx: OperationContext): Promise<ObjectInfo> {
    const context = { bucket: request.bucket, key: request.key };
    return this.#run('headObject', context, ctx, {}, async () => {
      const object = await this.#readObject(request, ctx.signal, context);
      return { ...toObjectInfo(object), ...encryptionResult(request.sseCustomer) };
    });
  }

  async getObject(request: GetObjectRequest, ctx: OperationContext): Promise<GetObjectResult> {
    const context = { bucket: request.bucket, key: request.key };
    return this.#run('getObject', context, ctx, {}, async () => {
      const object = await this.#readObject(request, ctx.signal, context);
      const size = Number(object.size);
      const info = { ...toObjectInfo(object), ...encryptionResult(request.sseCustomer) };
      let range = request.range;
      if (range !== undefined) {
        if (range.start >= size) {
          throw new PartCopyError(
            'InvalidRange',
            `The requested range is not satisfiable (object size ${size})`,
            {
              provider: this.name,
              operation: 'getObject',
              ...context,
            },
          );
        }
        range = { start: range.start, end: Math.min(range.end, size - 1) };
      }
      const headers: Record<string, string> = encryptionHeaders(request.sseCustomer);
      if (range !== undefined) headers.range = `bytes=${range.start}-${range.end}`;
      // Pinned to the generation just described, so metadata and bytes belong together.
      const response = await this.native.api.stream(objectPath(request.bucket, request.key), {
        query: { generation: object.generation },
        headers,
        signal: ctx.signal,
      });
      const contentLength = range === undefined ? size : range.end - range.start + 1;
      const result: GetObjectResult = { ...info, body: bodyOf(response, ctx.signal, context), contentLength };
      if (range !== undefined) result.range = range;
      return result;
    });
  }

  async putObject(request: PutObjectRequest, ctx: OperationContext): Promise<PutObjectResult> {
    const context = { bucket: request.bucket, key: request.key };
    return this.#run('putObject', context, ctx, { notFound: 'NoSuchBucket' }, async () => {
      this.#refuseReserved(request.key, context);
      this.#checkStorageClass(request.storageClass, context);
      const ifGenerationMatch = await destinationPrecondition(
        { store: this.#store },
        request,
        ctx.signal,
        context,
      );
      const resource = { ...settingsToResource(pickSettings(request)), name: request.key } as ReturnType<
        typeof settingsToResource
      > & {
        name: string;
        md5Hash?: string;
      };
      if (request.contentMD5 !== undefined) resource.md5Hash = request.contentMD5;
      const { object, md5 } = await this.#store.insert(request.bucket, ctx.signal, {
        resource,
        chunks: request.body.chunks(),
        length: request.body.length,
        query: { ifGenerationMatch },
        headers: encryptionHeaders(request.sseCustomer),
        onBytes: (done) => ctx.onProgress?.(done, request.body.length),
      });
      checkContentMd5(request.contentMD5, md5, context);
      checkStoredMd5(object, md5);
      return {
        etag: gcsEtag(object),
        versionId: object.generation,
        ...encryptionResult(request.sseCustomer),
      };
    });
  }

  async deleteObject(request: DeleteObjectRequest, ctx: OperationContext): Promise<DeleteObjectResult> {
    const context = { bucket: request.bucket, key: request.key };
    return this.#run('deleteObject', context, ctx, {}, async () => {
      if (request.versionId !== undefined && !/^\d+$/.test(request.versionId))
        return { versionId: request.versionId };
      try {
        await this.native.api.json('DELETE', objectPath(request.bucket, request.key), {
          query: { generation: request.versionId },
          signal: ctx.signal,
          idempotent: request.versionId !== undefined,
        });
      } catch (error) {
        if (!(error instanceof GcsHttpError && error.status === 404)) throw error;
        // Deleting a missing key succeeds, as in S3; a missing bucket does not.
        if (!(await this.#store.bucketExists(request.bucket, ctx.signal))) {
          throw await this.#store.notFound(request.bucket, ctx.signal, 'NoSuchBucket', context);
        }
      }
      return request.versionId === undefined ? {} : { versionId: request.versionId };
    });
  }

  /**
   * Lists objects, never staging ones. Pages are GCS's own (the continuation token is GCS's
   * page token); a page from which staging objects were dropped is refilled from the next.
   */
  async listObjects(request: ListObjectsRequest, ctx: OperationContext): Promise<ListObjectsResult> {
    return this.#run(
      'listObjects',
      { bucket: request.bucket },
      ctx,
      { notFound: 'NoSuchBucket' },
      async () => {
        const max = request.maxKeys ?? 1000;
        const objects: ListObjectsResult['objects'] = [];
        let token = request.continuationToken;
        if (max === 0) return { objects, isTruncated: false };
        do {
          const page = await this.#store.listPage(
            request.bucket,
            { prefix: request.prefix, pageToken: token, maxResults: max - objects.length },
            ctx.signal,
          );
          for (const object of page.items ?? []) {
            if (this.names.isReserved(object.name)) continue;
            objects.push({
              key: object.name,
              size: Number(object.size),
              etag: gcsEtag(object),
              lastModified: new Date(object.updated),
            });
          }
          token = page.nextPageToken;
        } while (token && objects.length < max);
        return token
          ? { objects, isTruncated: true, nextContinuationToken: token }
          : { objects, isTruncated: false };
      },
    );
  }

  async close(): Promise<void> {
    // fetch keeps no per-provider sockets to release; the injected Storage belongs to the caller.
  }

  // ----- helpers -----------------------------------------------------------------------------

  async #run<T>(
    operation: OperationName,
    context: ErrorContext,
    ctx: OperationContext,
    meaning: NotFoundMeaning,
    fn: () => Promise<T>,
  ): Promise<T> {
    try {
      if (ctx.signal.aborted)
        throw new PartCopyError('RequestAborted', 'the operation was aborted before it started', {
          retryable: false,
        });
      return await fn();
    } catch (error) {
      throw toPartCopyError(error, { operation, ...context }, meaning, ctx.signal);
    }
  }

  async #readObject(
    request: HeadObjectRequest,
    signal: AbortSignal,
    context: ErrorContext,
  ): Promise<GcsObject> {
    if (request.versionId !== undefined && !/^\d+$/.test(request.versionId)) {
      throw await this.#store.notFound(request.bucket, signal, 'NoSuchVersion', context);
    }
    return this.#store.get(request.bucket, request.key, signal, {
      ...(request.versionId === undefined ? {} : { generation: request.versionId }),
      headers: encryptionHeaders(request.sseCustomer),
      missing: request.versionId === undefined ? 'NoSuchKey' : 'NoSuchVersion',
      context,
    });
  }

  /**
   * GCS storage classes only (S3's names other than STANDARD have no exact GCS match): checked
   * up front so a bad class fails at createMultipartUpload, not at completion.
   * https://cloud.google.com/storage/docs/storage-classes
   */
  #checkStorageClass(storageClass: string | undefined, context: ErrorContext): void {
    if (storageClass === undefined || GCS_STORAGE_CLASSES.has(storageClass)) return;
    throw new PartCopyError(
      'InvalidArgument',
      `storageClass "${storageClass}" is not a GCS storage class (${[...GCS_STORAGE_CLASSES].join(', ')})`,
      { provider: this.name, ...context },
    );
  }

  #refuseReserved(key: string, context: ErrorContext): void {
    if (this.names.isReserved(key)) {
      throw new PartCopyError(
        'InvalidArgument',
        `keys under "${this.names.prefix}" are reserved for partcopy's staging objects`,
        context,
      );
    }
  }

  async #projectId(): Promise<string> {
    const storage = this.native.storage;
    if (storage.projectId && storage.projectId !== '{{projectId}}') return storage.projectId;
    return storage.getProjectId();
  }
}

/** Creates a {@link GcsProvider}. */
export function createGcsProvider(options: GcsProviderOptions = {}): GcsProvider {
  return new GcsProvider(options);
}

const GCS_STORAGE_CLASSES = new Set([
  'STANDARD',
  'NEARLINE',
  'COLDLINE',
  'ARCHIVE',
  'MULTI_REGIONAL',
  'REGIONAL',
  'DURABLE_REDUCED_AVAILABILITY',
]);

function checkContentMd5(contentMD5: string | undefined, md5Hex: string, context: ErrorContext): void {
  checkContentMD5(contentMD5, Buffer.from(md5Hex, 'hex').toString('base64'), {
    provider: GCS_PROVIDER_NAME,
    ...context,
  });
}

/** The response body as an async iterable whose failures are partcopy errors. */
async function* bodyOf(
  response: Response,
  signal: AbortSignal,
  context: ErrorContext,
): AsyncGenerator<Uint8Array> {
  if (!response.body) return;
  try {
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) yield chunk;
  } catch (error) {
    throw toPartCopyError(error, { operation: 'getObject', ...context }, {}, signal);
  }
}
