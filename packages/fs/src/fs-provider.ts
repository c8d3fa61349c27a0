import { type FileHandle, mkdir, rename } from 'node:fs/promises';
import { join } from 'node:path';
import {
  type Capabilities,
  type CompleteMultipartUploadRequest,
  type CompleteMultipartUploadResult,
  type ComposeObjectRequest,
  type ComposeObjectResult,
  type CreateBucketRequest,
  type CreateMultipartUploadRequest,
  type CreateMultipartUploadResult,
  checkBodySize,
  checkObjectSseCustomerKey,
  checkContentMD5 as checkStatedContentMD5,
  checksumEntry,
  checkUploadSseCustomerKey,
  compareKeys,
  type DeleteBucketRequest,
  type DeleteObjectRequest,
  type DeleteObjectResult,
  type ErrorContext,
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
  type OperationName,
  PartCopyError,
  type Provider,
  type PutBucketVersioningRequest,
  type PutObjectRequest,
  type PutObjectResult,
  resolveGetObjectRange,
  type ServerSideCopyRequest,
  type ServerSideCopyResult,
  SPEC_VERSION,
  type StoreGarbageRequest,
  type StoreGarbageResult,
  sseCustomerResult,
  takeListPage,
  throwIfAborted,
  type UploadPartCopyRequest,
  type UploadPartCopyResult,
  type UploadPartRequest,
  type UploadPartResult,
  type UploadRef,
} from '@partcopy/core/provider';
import { removeQuietly, writeJsonAtomic } from './atomic-write.js';
import { listFolderBuckets } from './bucket-listing.js';
import { hasAnyVersion, listLive } from './bucket-scan.js';
import { composeObject } from './compose.js';
import { uploadPartCopy } from './copy-part.js';
import { CHUNK_SIZE, type SinkResult, sinkPayload } from './data-sink.js';
import { isRealFolder } from './entry-guard.js';
import { getBucketVersioning, putBucketVersioning } from './fs-bucket-versioning.js';
import { fsCapabilities } from './fs-capabilities.js';
import { isAlreadyExists, toPartCopyError } from './fs-errors.js';
import { type CollectGarbageOptions, collectGarbage, type GarbageReport } from './fs-garbage.js';
import { FsLayout } from './fs-layout.js';
import { listObjectVersions } from './fs-list-versions.js';
import { MultipartStore } from './fs-multipart.js';
import { DEFAULT_FS_LIMITS, type FsHooks, type FsLimits, type FsProviderOptions } from './fs-options.js';
import { randomToken } from './ids.js';
import { ObjectStore } from './object-store.js';
import { type BucketConfig, storedSse, storeSettings, toObjectInfo } from './records.js';
import { copyObject } from './whole-object-copy.js';

/**
 * The local file system provider: buckets are folders under `root`, every object version is an
 * immutable data file with a JSON record, multipart uploads live on disk so any process sharing
 * the root can continue them, and every publication is a single atomic rename. See the README
 * for the layout, the key encoding and the guarantees.
 */
export class FsProvider implements Provider {
  readonly specVersion = SPEC_VERSION;
  readonly name = 'fs';
  readonly capabilities: Readonly<Capabilities>;
  /** The absolute root folder. */
  readonly root: string;
  readonly #layout: FsLayout;
  readonly #objects: ObjectStore;
  readonly #multipart: MultipartStore;
  readonly #limits: FsLimits;
  readonly #hooks: FsHooks;

  constructor(options: FsProviderOptions) {
    if (typeof options?.root !== 'string' || options.root === '')
      throw new TypeError('FsProvider: options.root is required');
    const { root, capabilities, hooks, ...limits } = options;
    this.capabilities = fsCapabilities({ ...DEFAULT_FS_LIMITS, ...definedOnly(limits) }, capabilities);
    const { minPartSize, maxPartSize, maxParts, maxObjectSize } = this.capabilities;
    this.#limits = { minPartSize, maxPartSize, maxParts, maxObjectSize };
    this.#hooks = hooks ?? {};
    this.#layout = new FsLayout(root);
    this.root = this.#layout.root;
    this.#objects = new ObjectStore(this.#layout, this.#hooks);
    this.#multipart = new MultipartStore(this.#layout, this.#objects, this.#limits, this.#hooks);
  }

  createBucket(request: CreateBucketRequest, ctx: OperationContext): Promise<void> {
    return this.#run('createBucket', { bucket: request.bucket }, ctx, async () => {
      const target = this.#layout.bucketDir(request.bucket);
      if (await isRealFolder(target)) throw bucketAlreadyOwned(request.bucket); // a link there is refused
      // Built complete in a staging folder, then renamed into place: a bucket appears whole.
      const staging = join(await this.#layout.requireStagingDir(), `bucket-${randomToken()}`);
      await mkdir(staging);
      try {
        for (const sub of ['objects', 'uploads', 'tmp', 'trash']) await mkdir(join(staging, sub));
        const config: BucketConfig = {
          format: 1,
          versioning: request.versioning === true,
          ...(request.versioning === true ? { status: 'Enabled' as const } : {}),
          created: new Date().toISOString(),
        };
        await writeJsonAtomic(join(staging, 'tmp'), join(staging, 'bucket.json'), config);
        await rename(staging, target);
      } catch (error) {
        await removeQuietly(staging);
        if (isAlreadyExists(error)) throw bucketAlreadyOwned(request.bucket);
        throw error;
      }
    });
  }

  listBuckets(ctx: OperationContext): Promise<ListBucketsResult> {
    return this.#run('listBuckets', {}, ctx, async () => ({
      buckets: await listFolderBuckets(this.#layout),
    }));
  }

  deleteBucket(request: DeleteBucketRequest, ctx: OperationContext): Promise<void> {
    return this.#run('deleteBucket', { bucket: request.bucket }, ctx, async () => {
      const dir = await this.#layout.requireBucket(request.bucket);
      if (await hasAnyVersion(this.#layout, request.bucket)) {
        throw new PartCopyError('BucketNotEmpty', 'The bucket you tried to delete is not empty', {
          bucket: request.bucket,
        });
      }
      // Renamed away first so the bucket disappears at once; in-progress uploads go with it.
      const doomed = join(await this.#layout.requireStagingDir(), `deleted-${randomToken()}`);
      await rename(dir, doomed);
      await removeQuietly(doomed);
    });
  }

  createMultipartUpload(
    request: CreateMultipartUploadRequest,
    ctx: OperationContext,
  ): Promise<CreateMultipartUploadResult> {
    return this.#run('createMultipartUpload', { bucket: request.bucket, key: request.key }, ctx, () =>
      this.#multipart.create(request),
    );
  }

  uploadPart(request: UploadPartRequest, ctx: OperationContext): Promise<UploadPartResult> {
    const { bucket, key, uploadId, partNumber } = request;
    return this.#run('uploadPart', { bucket, key, uploadId, partNumber }, ctx, async () => {
      const upload = await this.#multipart.load(bucket, key, uploadId);
      checkUploadSseCustomerKey(upload.record.sseCustomerKeyMD5, request.sseCustomer, {
        bucket,
        key,
        uploadId,
        partNumber,
      });
      checkBodySize(request.body.length, this.#limits.maxPartSize, { bucket, key, uploadId, partNumber });
      const data = await sinkPayload(this.#layout.tmpDir(bucket), request.body, {
        signal: ctx.signal,
        checksumAlgorithm: upload.record.checksumAlgorithm,
        onProgress: ctx.onProgress,
        sseKeyMD5: upload.record.sseCustomerKeyMD5,
      });
      await checkContentMD5(data, request.contentMD5, { bucket, key, uploadId, partNumber });
      const part = await this.#multipart.storePart(bucket, upload, partNumber, data);
      return { etag: part.etag, ...part.checksums, ...sseCustomerResult(upload.record.sseCustomerKeyMD5) };
    });
  }

  uploadPartCopy(request: UploadPartCopyRequest, ctx: OperationContext): Promise<UploadPartCopyResult> {
    const { bucket, key, uploadId, partNumber } = request;
    return this.#run('uploadPartCopy', { bucket, key, uploadId, partNumber }, ctx, () =>
      uploadPartCopy(
        { layout: this.#layout, objects: this.#objects, multipart: this.#multipart, limits: this.#limits },
        request,
        ctx,
      ),
    );
  }

  copyObject(request: ServerSideCopyRequest, ctx: OperationContext): Promise<ServerSideCopyResult> {
    const { bucket, key } = request;
    const { maxWholeObjectCopySize } = this.capabilities;
    return this.#run('copyObject', { bucket, key }, ctx, () =>
      copyObject(
        { layout: this.#layout, objects: this.#objects, limits: { ...this.#limits, maxWholeObjectCopySize } },
        request,
        ctx,
      ),
    );
  }

  composeObject(request: ComposeObjectRequest, ctx: OperationContext): Promise<ComposeObjectResult> {
    const { bucket, key } = request;
    return this.#run('composeObject', { bucket, key }, ctx, () =>
      composeObject({ layout: this.#layout, objects: this.#objects }, request, ctx),
    );
  }

  completeMultipartUpload(
    request: CompleteMultipartUploadRequest,
    ctx: OperationContext,
  ): Promise<CompleteMultipartUploadResult> {
    const { bucket, key, uploadId } = request;
    return this.#run('completeMultipartUpload', { bucket, key, uploadId }, ctx, () =>
      this.#multipart.complete(request, ctx),
    );
  }

  abortMultipartUpload(request: UploadRef, ctx: OperationContext): Promise<void> {
    const { bucket, key, uploadId } = request;
    return this.#run('abortMultipartUpload', { bucket, key, uploadId }, ctx, () =>
      this.#multipart.abort(bucket, key, uploadId),
    );
  }

  listParts(request: ListPartsRequest, ctx: OperationContext): Promise<ListPartsResult> {
    const { bucket, key, uploadId } = request;
    return this.#run('listParts', { bucket, key, uploadId }, ctx, () => this.#multipart.listParts(request));
  }

  listMultipartUploads(
    request: ListMultipartUploadsRequest,
    ctx: OperationContext,
  ): Promise<ListMultipartUploadsResult> {
    return this.#run('listMultipartUploads', { bucket: request.bucket }, ctx, () =>
      this.#multipart.listUploads(request),
    );
  }

  headObject(request: HeadObjectRequest, ctx: OperationContext): Promise<ObjectInfo> {
    const { bucket, key } = request;
    return this.#run('headObject', { bucket, key }, ctx, async () => {
      await this.#layout.requireBucket(bucket);
      const state = await this.#objects.versioning(bucket);
      const record = await this.#objects.resolve(bucket, key, request.versionId, state);
      checkObjectSseCustomerKey(record.sseCustomerKeyMD5, request.sseCustomer, { bucket, key });
      return toObjectInfo(bucket, record, state !== undefined);
    });
  }

  getObject(request: GetObjectRequest, ctx: OperationContext): Promise<GetObjectResult> {
    const { bucket, key } = request;
    return this.#run('getObject', { bucket, key }, ctx, async () => {
      await this.#layout.requireBucket(bucket);
      const state = await this.#objects.versioning(bucket);
      const { record, handle } = await this.#objects.openPinned(bucket, key, request.versionId, state);
      try {
        checkObjectSseCustomerKey(record.sseCustomerKeyMD5, request.sseCustomer, { bucket, key });
        const range =
          request.range === undefined
            ? undefined
            : resolveGetObjectRange(request.range, record.size, { bucket, key });
        const start = range?.start ?? 0;
        const length = range ? range.end - range.start + 1 : record.size;
        const result: GetObjectResult = {
          ...toObjectInfo(bucket, record, state !== undefined),
          body: readBody(handle, start, length, ctx.signal),
          contentLength: length,
        };
        if (range) result.range = range;
        return result;
      } catch (error) {
        await handle.close();
        throw error;
      }
    });
  }

  putObject(request: PutObjectRequest, ctx: OperationContext): Promise<PutObjectResult> {
    const { bucket, key } = request;
    return this.#run('putObject', { bucket, key }, ctx, async () => {
      await this.#layout.requireBucket(bucket);
      this.#layout.keyDir(bucket, key);
      // S3 takes at most 5 GiB (the part limit) in one PutObject.
      checkBodySize(request.body.length, this.#limits.maxPartSize, { bucket, key });
      const state = await this.#objects.versioning(bucket);
      const conditions = { ifMatch: request.ifMatch, ifNoneMatch: request.ifNoneMatch };
      await this.#objects.checkConditions(bucket, key, conditions);
      const sse = storedSse(request.sseCustomer?.keyMD5);
      const settings = storeSettings(request); // before any file is written: nothing to clean up if it throws
      const data = await sinkPayload(this.#layout.tmpDir(bucket), request.body, {
        signal: ctx.signal,
        // As S3 (whose SDKs send the value they computed): the named algorithm's checksum is kept.
        checksumAlgorithm: request.checksumAlgorithm,
        onProgress: ctx.onProgress,
        sseKeyMD5: sse.sseCustomerKeyMD5,
      });
      try {
        await checkContentMD5(data, request.contentMD5, { bucket, key });
        await this.#hooks.beforePublish?.({ operation: 'putObject', bucket, key });
      } catch (error) {
        await removeQuietly(data.path);
        throw error;
      }
      const checksums = checksumEntry(request.checksumAlgorithm, data.checksum);
      const fields = { etag: data.etag, size: data.size, settings, ...sse, checksums };
      const record = await this.#objects.publish(bucket, key, fields, {
        state,
        dataTemp: data.path,
        conditions,
        signal: ctx.signal,
      });
      const result: PutObjectResult = { etag: fields.etag, ...sseCustomerResult(sse.sseCustomerKeyMD5) };
      if (state === 'Enabled') result.versionId = record.versionId;
      return result;
    });
  }

  deleteObject(request: DeleteObjectRequest, ctx: OperationContext): Promise<DeleteObjectResult> {
    const { bucket, key } = request;
    return this.#run('deleteObject', { bucket, key }, ctx, async () => {
      await this.#layout.requireBucket(bucket);
      const state = await this.#objects.versioning(bucket);
      const { ifMatch, ifMatchLastModifiedTime, ifMatchSize } = request;
      const conditions = { ifMatch, ifMatchLastModifiedTime, ifMatchSize };
      return this.#objects.delete(bucket, key, request.versionId, { state, conditions, signal: ctx.signal });
    });
  }

  /** S3 PutBucketVersioning: later writes add versions (Enabled) or replace the `null` one (Suspended). */
  putBucketVersioning(request: PutBucketVersioningRequest, ctx: OperationContext): Promise<void> {
    return this.#run('putBucketVersioning', { bucket: request.bucket }, ctx, () =>
      putBucketVersioning({ layout: this.#layout, objects: this.#objects }, request, ctx.signal),
    );
  }

  /** S3 GetBucketVersioning: no status until versioning was first enabled or suspended. */
  getBucketVersioning(
    request: GetBucketVersioningRequest,
    ctx: OperationContext,
  ): Promise<GetBucketVersioningResult> {
    return this.#run('getBucketVersioning', { bucket: request.bucket }, ctx, () =>
      getBucketVersioning({ layout: this.#layout, objects: this.#objects }, request),
    );
  }

  /** S3 ListObjectVersions: every version and delete marker, by key, newest first (fs-list-versions.ts). */
  listObjectVersions(
    request: ListObjectVersionsRequest,
    ctx: OperationContext,
  ): Promise<ListObjectVersionsResult> {
    return this.#run('listObjectVersions', { bucket: request.bucket }, ctx, () =>
      listObjectVersions({ layout: this.#layout, objects: this.#objects }, request, ctx.signal),
    );
  }

  listObjects(request: ListObjectsRequest, ctx: OperationContext): Promise<ListObjectsResult> {
    return this.#run('listObjects', { bucket: request.bucket }, ctx, async () => {
      await this.#layout.requireBucket(request.bucket);
      const after =
        request.continuationToken === undefined ? undefined : decodeToken(request.continuationToken);
      const records = (await listLive(this.#layout, request.bucket, request.prefix ?? ''))
        .filter((r) => after === undefined || compareKeys(r.key, after) > 0)
        .filter((r) => request.startAfter === undefined || compareKeys(r.key, request.startAfter) > 0)
        .sort((a, b) => compareKeys(a.key, b.key));
      const { page, isTruncated } = takeListPage(records, request.maxKeys);
      const result: ListObjectsResult = {
        objects: page.map((r) => ({
          key: r.key,
          size: r.size,
          etag: r.etag,
          lastModified: new Date(r.lastModified),
        })),
        isTruncated,
      };
      const last = page.at(-1);
      if (result.isTruncated && last)
        result.nextContinuationToken = Buffer.from(last.key, 'utf8').toString('base64url');
      return result;
    });
  }

  /**
   * Removes what crashed processes leave in the store (see README, "Collecting leftovers"):
   * temporary files, uploads whose completion or abort died after claiming them, half-made or
   * half-deleted buckets, and data files no record names, when untouched for `olderThanMs`
   * (default one day). Uploads that can still be completed are left alone: they are listed by
   * `listMultipartUploads` and ended with `abortMultipartUpload`. Safe to run while other
   * processes use the store. Meant to be called by the engine's `gc`.
   */
  async collectGarbage(options: CollectGarbageOptions = {}): Promise<GarbageReport> {
    try {
      throwIfAborted(options.signal);
      return await collectGarbage(this.#layout, options);
    } catch (error) {
      throw toPartCopyError(error, { provider: this.name }, options.signal, this.root);
    }
  }

  /**
   * The contract's store-garbage hook (the engine's `collectGarbage` calls it): this bucket's
   * leftovers, as {@link FsProvider.collectGarbage} finds them, last touched before `olderThan`.
   */
  async collectStoreGarbage(
    request: StoreGarbageRequest,
    ctx: OperationContext,
  ): Promise<StoreGarbageResult> {
    return this.#run('collectStoreGarbage', { bucket: request.bucket }, ctx, async () => {
      const report = await collectGarbage(this.#layout, {
        buckets: [request.bucket],
        before: request.olderThan,
        dryRun: request.dryRun,
        signal: ctx.signal,
      });
      // Named inside the bucket's folder (`tmp/…`), as the bucket is the request's.
      const inBucket = (path: string) => path.slice(request.bucket.length + 1);
      return {
        items: report.entries.map((e) => ({
          kind: e.kind,
          name: inBucket(e.path),
          bytes: e.bytes,
          lastModified: e.lastModified,
        })),
      };
    });
  }

  // Every operation: fail fast when already aborted, and map whatever is thrown to one error.
  async #run<T>(
    operation: OperationName,
    context: ErrorContext,
    ctx: OperationContext,
    fn: () => Promise<T>,
  ): Promise<T> {
    const full = { provider: this.name, operation, ...context };
    try {
      throwIfAborted(ctx.signal, full);
      return await fn();
    } catch (error) {
      throw toPartCopyError(error, full, ctx.signal, this.root);
    }
  }
}

/** Creates an {@link FsProvider}. */
export function createFsProvider(options: FsProviderOptions): FsProvider {
  return new FsProvider(options);
}

// Streams `length` bytes from a pinned handle, a fresh buffer per chunk (callers may keep them).
async function* readBody(
  handle: FileHandle,
  start: number,
  length: number,
  signal: AbortSignal,
): AsyncGenerator<Uint8Array> {
  try {
    let done = 0;
    while (done < length) {
      throwIfAborted(signal, { operation: 'getObject' });
      const buffer = Buffer.allocUnsafe(Math.min(CHUNK_SIZE, length - done));
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, start + done);
      if (bytesRead === 0)
        throw new PartCopyError('InternalError', 'a stored file is shorter than its record says');
      done += bytesRead;
      yield buffer.subarray(0, bytesRead);
    }
  } finally {
    await handle.close();
  }
}

// Core decides (S3's BadDigest); the store only has to drop the temporary file it wrote.
async function checkContentMD5(
  data: SinkResult,
  contentMD5: string | undefined,
  context: ErrorContext,
): Promise<void> {
  try {
    checkStatedContentMD5(contentMD5, Buffer.from(data.md5, 'hex').toString('base64'), context);
  } catch (error) {
    await removeQuietly(data.path);
    throw error;
  }
}

function bucketAlreadyOwned(bucket: string): PartCopyError {
  return new PartCopyError(
    'BucketAlreadyOwnedByYou',
    'Your previous request to create the named bucket succeeded and you already own it.',
    { bucket },
  );
}

function decodeToken(token: string): string {
  const key = Buffer.from(token, 'base64url').toString('utf8');
  if (token === '' || Buffer.from(key, 'utf8').toString('base64url') !== token) {
    throw new PartCopyError('InvalidArgument', 'The continuation token provided is incorrect');
  }
  return key;
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
