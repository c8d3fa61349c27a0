/**
 * The facade applications call: S3's multipart and object API, with UploadPartCopy, on any
 * provider. Each method validates and normalises its input once ({@link RequestNormaliser}) and
 * runs through the one call pipeline ({@link CallPipeline}): capability checks per bucket,
 * retries, events and metrics, and error context.
 */

import type * as E from '../contract/bucket-encryption.js';
import type * as L from '../contract/bucket-listing.js';
import type * as V from '../contract/bucket-versioning.js';
import type { Capabilities, CapabilityOverrides } from '../contract/capabilities.js';
import { ObjectBody, toPayload } from '../contract/payload.js';
import type * as P from '../contract/provider-contract.js';
import { PartCopyError } from '../errors/part-copy-error.js';
import { CallPipeline, type PreparedCall } from '../pipeline/call-pipeline.js';
import { CapabilityGate } from '../pipeline/capability-gate.js';
import { EventHub, type PartCopyEventListener } from '../pipeline/events.js';
import { MetricsRecorder, type PartCopyMetrics } from '../pipeline/metrics.js';
import { DEFAULT_RETRY, type RetryOptions } from '../pipeline/retry-policy.js';
import { checkBodySize } from '../semantics/part-size-limits.js';
import { normaliseBucketEncryption } from './bucket-encryption-input.js';
import {
  checkComposePieces,
  checkFieldTypes,
  type FacadeOperation,
  INPUT_FIELDS,
  OBJECT_SETTINGS,
} from './field-types.js';
import type * as In from './inputs.js';
import { listAfter } from './list-start-after.js';
import { pickChecksums, RequestNormaliser } from './normalise.js';
import { assertSpecVersion } from './registry.js';
import { normalisePresignGet, normaliseUploadFromUrl } from './server-pull-input.js';
import { normaliseServerSideCopy } from './server-side-copy-input.js';
import { checkBucket, checkKey, checkPartNumber } from './validate.js';
import { normaliseListObjectVersions, normalisePutBucketVersioning } from './versioning-input.js';

/** Options of a {@link PartCopyClient}. */
export interface PartCopyClientOptions {
  /** Layered over the provider's capabilities, e.g. to switch off a feature an emulator lacks. */
  capabilities?: CapabilityOverrides;
  /**
   * Environment read for `PARTCOPY_CAPABILITIES_OFF` (flags to switch off, comma-separated).
   * Default `process.env`; `{}` ignores the environment.
   */
  env?: Record<string, string | undefined>;
  /**
   * The retry policy: the client is the one retry owner (providers switch their SDKs' retries
   * off). Retryable errors of idempotent calls are tried again with exponential backoff and full
   * jitter, at most `maxAttempts` times in all (default 3, at most 10); after `SlowDown` (the store
   * asks to send less) from a base five times larger, as the AWS SDKs do. `false` turns it off.
   */
  retry?: RetryOptions | false;
  /** Observe every attempt: request, response, error (with the retry decision) and progress. */
  onEvent?: PartCopyEventListener;
}

/** GetObject's result: the provider's, with a body that can be iterated or read whole. */
export interface GetObjectOutput extends Omit<P.GetObjectResult, 'body'> {
  body: ObjectBody;
}

/** The most attempts a retry policy may ask for: a bound on what one call can cost. */
const MAX_ATTEMPTS_LIMIT = 10;

/**
 * S3's multipart and object API, UploadPartCopy included, on any partcopy provider.
 *
 * Same input, same bytes, same error code on every provider: input is validated once here, what
 * a bucket cannot do is refused with `Unsupported` before any request, and every failure is a
 * {@link PartCopyError} naming the provider, the operation and the objects involved.
 *
 * @example
 * ```ts
 * import { PartCopyClient } from '@partcopy/core';
 * import { createS3Provider } from '@partcopy/s3';
 *
 * const client = new PartCopyClient(createS3Provider({ region: 'eu-west-1' }));
 * const { uploadId } = await client.createMultipartUpload({ bucket: 'dst', key: 'big.bin' });
 * const part = await client.uploadPartCopy({
 *   bucket: 'dst', key: 'big.bin', uploadId, partNumber: 1,
 *   copySource: 'src/big.bin', copySourceRange: 'bytes=0-104857599',
 * });
 * await client.completeMultipartUpload({
 *   bucket: 'dst', key: 'big.bin', uploadId,
 *   parts: [{ partNumber: 1, etag: part.copyPartResult.etag }],
 * });
 * ```
 */
export class PartCopyClient {
  /** The provider this client drives (its `native` SDK client, where it has one, is the escape hatch). */
  readonly provider: P.Provider;
  /** What the store can do, overrides applied; see {@link PartCopyClient.capabilitiesFor} for one bucket. */
  readonly capabilities: Readonly<Capabilities>;
  readonly #events = new EventHub();
  readonly #metrics = new MetricsRecorder();
  readonly #gate: CapabilityGate;
  readonly #normalise: RequestNormaliser;
  readonly #pipeline: CallPipeline;

  /**
   * @param provider - A provider implementing contract specVersion 1 (`createS3Provider(...)`, ...).
   * @param options - Capability overrides, the retry policy and an event listener.
   * @throws PartCopyError `InvalidArgument` when the provider implements another contract version.
   */
  constructor(provider: P.Provider, options: PartCopyClientOptions = {}) {
    assertSpecVersion(provider);
    this.provider = provider;
    this.#gate = new CapabilityGate(provider, { capabilities: options.capabilities, env: options.env });
    this.capabilities = this.#gate.capabilities;
    this.#normalise = new RequestNormaliser(this.#gate);
    this.#pipeline = new CallPipeline(provider.name, this.#events, retryPolicy(options.retry));
    this.#events.on((event) => this.#metrics.record(event));
    if (options.onEvent) this.#events.on(options.onEvent);
  }

  /**
   * The capabilities of one bucket: they differ by bucket on some stores (S3 directory buckets
   * have no versions and no SSE-C). Every request is checked against the buckets it names.
   *
   * @example
   * ```ts
   * if (client.capabilitiesFor('logs--usw2-az1--x-s3').versionedSources) { ... }
   * ```
   */
  capabilitiesFor(bucket: string): Readonly<Capabilities> {
    return this.#gate.for(bucket);
  }

  /**
   * Adds an event listener (every attempt's request, response and error, and progress); returns
   * a function that removes it. A listener that throws never fails a call.
   *
   * @example
   * ```ts
   * const off = client.on((e) => { if (e.type === 'error' && e.willRetry) console.warn(e.code); });
   * ```
   */
  on(listener: PartCopyEventListener): () => void {
    return this.#events.on(listener);
  }

  /**
   * Metrics since the client was created: calls and attempts by operation, retries, failures,
   * and payload bytes copied on the server versus through this process.
   *
   * @example
   * ```ts
   * const { bytesServerSide, bytesThroughClient, retries } = client.metrics();
   * ```
   */
  metrics(): PartCopyMetrics {
    return this.#metrics.snapshot();
  }

  // ----- buckets -----------------------------------------------------------------------------

  /**
   * Creates a bucket, optionally versioned (needs `capabilities.versionedBuckets`).
   *
   * @example
   * ```ts
   * await client.createBucket({ bucket: 'media', versioning: true });
   * ```
   */
  async createBucket(input: In.CreateBucketInput): Promise<void> {
    return this.#call('createBucket', input, () => {
      const bucket = checkBucket(input.bucket);
      const create = this.provider.createBucket?.bind(this.provider);
      if (!create) throw this.#gate.unsupported('creating buckets');
      if (input.versioning) this.#gate.require(bucket, 'versionedBuckets', 'versioned buckets');
      const request: P.CreateBucketRequest = { bucket };
      if (input.versioning !== undefined) request.versioning = input.versioning;
      // Not repeated: a retried create would answer BucketAlreadyOwnedByYou for its own success.
      return { target: { bucket }, idempotent: false, send: (ctx) => create(request, ctx) };
    });
  }

  /**
   * Deletes an empty bucket (`BucketNotEmpty` otherwise).
   *
   * @example
   * ```ts
   * await client.deleteBucket({ bucket: 'scratch' });
   * ```
   */
  async deleteBucket(input: In.DeleteBucketInput): Promise<void> {
    return this.#call('deleteBucket', input, () => {
      const bucket = checkBucket(input.bucket);
      const remove = this.provider.deleteBucket?.bind(this.provider);
      if (!remove) throw this.#gate.unsupported('deleting buckets');
      return { target: { bucket }, idempotent: true, send: (ctx) => remove({ bucket }, ctx) };
    });
  }

  /**
   * Enables or suspends a bucket's versioning (S3 PutBucketVersioning); needs
   * `capabilities.bucketVersioning`.
   *
   * @example
   * ```ts
   * await client.putBucketVersioning({ bucket: 'media', status: 'Enabled' });
   * ```
   */
  async putBucketVersioning(input: In.PutBucketVersioningInput): Promise<void> {
    return this.#call('putBucketVersioning', input, () => {
      const request = normalisePutBucketVersioning(input);
      this.#gate.requireOn(
        request.bucket,
        'bucketVersioning',
        'setting bucket versioning (putBucketVersioning)',
      );
      const put = this.provider.putBucketVersioning?.bind(this.provider);
      if (!put) throw this.#gate.unsupported('setting bucket versioning (putBucketVersioning)');
      // Setting the same state twice is the same state.
      return { target: { bucket: request.bucket }, idempotent: true, send: (ctx) => put(request, ctx) };
    });
  }

  /**
   * Sets a bucket's default encryption (S3 PutBucketEncryption): writes that name no encryption
   * get it; needs `capabilities.bucketEncryption`.
   *
   * @example
   * ```ts
   * await client.putBucketEncryption({ bucket: 'media', encryption: { serverSideEncryption: 'AES256' } });
   * ```
   */
  async putBucketEncryption(input: In.PutBucketEncryptionInput): Promise<void> {
    return this.#call('putBucketEncryption', input, () => {
      const bucket = checkBucket(input.bucket);
      const encryption = normaliseBucketEncryption(input.encryption);
      this.#gate.requireOn(bucket, 'bucketEncryption', 'bucket default encryption (putBucketEncryption)');
      const put = this.provider.putBucketEncryption?.bind(this.provider);
      if (!put) throw this.#gate.unsupported('bucket default encryption (putBucketEncryption)');
      return { target: { bucket }, idempotent: true, send: (ctx) => put({ bucket, encryption }, ctx) };
    });
  }

  /** A bucket's default encryption, absent when it has none; needs `capabilities.bucketEncryption`. */
  async getBucketEncryption(input: In.BucketEncryptionInput): Promise<E.GetBucketEncryptionResult> {
    return this.#call('getBucketEncryption', input, () => {
      const bucket = checkBucket(input.bucket);
      this.#gate.requireOn(bucket, 'bucketEncryption', 'bucket default encryption (getBucketEncryption)');
      const get = this.provider.getBucketEncryption?.bind(this.provider);
      if (!get) throw this.#gate.unsupported('bucket default encryption (getBucketEncryption)');
      return { target: { bucket }, idempotent: true, send: (ctx) => get({ bucket }, ctx) };
    });
  }

  /** Removes a bucket's default encryption; needs `capabilities.bucketEncryption`. */
  async deleteBucketEncryption(input: In.BucketEncryptionInput): Promise<void> {
    return this.#call('deleteBucketEncryption', input, () => {
      const bucket = checkBucket(input.bucket);
      this.#gate.requireOn(bucket, 'bucketEncryption', 'bucket default encryption (deleteBucketEncryption)');
      const remove = this.provider.deleteBucketEncryption?.bind(this.provider);
      if (!remove) throw this.#gate.unsupported('bucket default encryption (deleteBucketEncryption)');
      return { target: { bucket }, idempotent: true, send: (ctx) => remove({ bucket }, ctx) };
    });
  }

  /**
   * A bucket's versioning state (S3 GetBucketVersioning): `status` is absent for a bucket whose
   * versioning was never enabled; needs `capabilities.bucketVersioning`.
   *
   * @example
   * ```ts
   * const { status } = await client.getBucketVersioning({ bucket: 'media' }); // 'Enabled' | 'Suspended' | undefined
   * ```
   */
  async getBucketVersioning(input: In.GetBucketVersioningInput): Promise<V.GetBucketVersioningResult> {
    return this.#call('getBucketVersioning', input, () => {
      const bucket = checkBucket(input.bucket);
      this.#gate.requireOn(bucket, 'bucketVersioning', 'reading bucket versioning (getBucketVersioning)');
      const get = this.provider.getBucketVersioning?.bind(this.provider);
      if (!get) throw this.#gate.unsupported('reading bucket versioning (getBucketVersioning)');
      return { target: { bucket }, idempotent: true, send: (ctx) => get({ bucket }, ctx) };
    });
  }

  /**
   * Lists the store's buckets (S3 ListBuckets); needs `capabilities.listBuckets`.
   *
   * @example
   * ```ts
   * const { buckets } = await client.listBuckets();
   * for (const b of buckets) console.log(b.name, b.creationDate);
   * ```
   */
  async listBuckets(input: In.ListBucketsInput = {}): Promise<L.ListBucketsResult> {
    return this.#call('listBuckets', input, () => {
      const list = this.provider.listBuckets?.bind(this.provider);
      // An optional flag: absent means the store cannot list its buckets.
      if (!list || this.#gate.for(undefined).listBuckets !== true)
        throw this.#gate.unsupported('listing buckets (listBuckets)');
      return { target: {}, idempotent: true, send: (ctx) => list(ctx) };
    });
  }

  /**
   * Lists every version and delete marker, one page at a time (S3 ListObjectVersions); needs
   * `capabilities.listObjectVersions`.
   *
   * @example
   * ```ts
   * let page = await client.listObjectVersions({ bucket: 'media', prefix: 'cats/' });
   * for (const v of page.versions) console.log(v.key, v.versionId, v.isLatest);
   * while (page.isTruncated) {
   *   page = await client.listObjectVersions({
   *     bucket: 'media', prefix: 'cats/', keyMarker: page.nextKeyMarker, versionIdMarker: page.nextVersionIdMarker,
   *   });
   * }
   * ```
   */
  async listObjectVersions(input: In.ListObjectVersionsInput): Promise<V.ListObjectVersionsResult> {
    return this.#call('listObjectVersions', input, () => {
      const request = normaliseListObjectVersions(input);
      this.#gate.requireOn(
        request.bucket,
        'listObjectVersions',
        'listing object versions (listObjectVersions)',
      );
      const list = this.provider.listObjectVersions?.bind(this.provider);
      if (!list) throw this.#gate.unsupported('listing object versions (listObjectVersions)');
      return { target: { bucket: request.bucket }, idempotent: true, send: (ctx) => list(request, ctx) };
    });
  }

  // ----- multipart ---------------------------------------------------------------------------

  /**
   * Starts a multipart upload; the returned `uploadId` names it in every later call, from any
   * process. Never retried: a repeated create would leave an orphaned upload behind.
   *
   * @example
   * ```ts
   * const { uploadId } = await client.createMultipartUpload({
   *   bucket: 'dst', key: 'joined.mp4', contentType: 'video/mp4',
   * });
   * ```
   */
  async createMultipartUpload(input: In.CreateMultipartUploadInput): Promise<P.CreateMultipartUploadResult> {
    return this.#call('createMultipartUpload', input, () => {
      const request = this.#normalise.createMultipartUpload(input);
      const target = { bucket: request.bucket, key: request.key };
      return { target, idempotent: false, send: (ctx) => this.provider.createMultipartUpload(request, ctx) };
    });
  }

  /**
   * Uploads part `partNumber` from a body (bytes, a string, or a stream with `contentLength`).
   * Bodies held in memory are retried; streams cannot be replayed and are sent once.
   *
   * @example
   * ```ts
   * const { etag } = await client.uploadPart({
   *   bucket: 'dst', key: 'joined.mp4', uploadId, partNumber: 2, body: new Uint8Array(5 * 1024 * 1024),
   * });
   * ```
   */
  async uploadPart(input: In.UploadPartInput): Promise<P.UploadPartResult> {
    return this.#call('uploadPart', input, () => {
      const ref = this.#normalise.upload(input);
      const partNumber = checkPartNumber(input.partNumber, this.#gate.for(ref.bucket).maxParts);
      const body = toPayload(input.body, input.contentLength);
      checkBodySize(body.length, this.#gate.for(ref.bucket).maxPartSize, { ...ref, partNumber });
      const request: P.UploadPartRequest = { ...pickChecksums(input), ...ref, partNumber, body };
      if (input.checksumAlgorithm !== undefined) request.checksumAlgorithm = input.checksumAlgorithm;
      const sse = this.#normalise.sse(ref.bucket, input);
      if (sse) request.sseCustomer = sse;
      if (input.contentMD5 !== undefined) request.contentMD5 = input.contentMD5;
      if (input.md5CheckedByCaller === true && body.bytes === undefined) request.md5CheckedByCaller = true;
      return {
        target: { ...ref, partNumber },
        idempotent: body.bytes !== undefined, // a stream cannot be replayed
        send: (ctx) => this.provider.uploadPart(request, ctx),
        bytesOf: () => ({ bytes: body.length }),
      };
    });
  }

  /**
   * S3 UploadPartCopy on any provider: part `partNumber` made of bytes of an existing object, on
   * the server where the store can (`result.transfer` says how the bytes moved).
   *
   * @example
   * ```ts
   * const part = await client.uploadPartCopy({
   *   bucket: 'dst', key: 'joined.mp4', uploadId, partNumber: 1,
   *   copySource: { bucket: 'src', key: 'camera/a.mp4', versionId: '3HL4kqtJlcpXroDTDmJ' },
   *   copySourceRange: { start: 0, end: 104857599 },
   *   copySourceIfMatch: '"9b2cf535f27731c974343645a3985328"', // pin the source
   * });
   * console.log(part.copyPartResult.etag, part.transfer, part.bytesCopied);
   * ```
   */
  async uploadPartCopy(input: In.UploadPartCopyInput): Promise<P.UploadPartCopyResult> {
    return this.#call('uploadPartCopy', input, () => {
      const request = this.#normalise.uploadPartCopy(input);
      const { bucket, key, uploadId, partNumber, source } = request;
      return {
        target: { bucket, key, uploadId, partNumber, sourceBucket: source.bucket, sourceKey: source.key },
        idempotent: true,
        send: (ctx) => this.provider.uploadPartCopy(request, ctx),
        bytesOf: (result) => ({ bytes: result.bytesCopied, transfer: result.transfer }),
      };
    });
  }

  /**
   * Completes an upload from the listed parts (S3's rules: ascending, existing, at least the
   * minimum size but the last) and publishes the object atomically.
   *
   * @example
   * ```ts
   * const done = await client.completeMultipartUpload({
   *   bucket: 'dst', key: 'joined.mp4', uploadId,
   *   multipartUpload: { parts: [{ partNumber: 1, etag: part.copyPartResult.etag }] },
   *   ifNoneMatch: '*', // only if nothing is there yet
   * });
   * ```
   */
  async completeMultipartUpload(
    input: In.CompleteMultipartUploadInput,
  ): Promise<P.CompleteMultipartUploadResult> {
    return this.#call('completeMultipartUpload', input, () => {
      const request = this.#normalise.completeMultipartUpload(input);
      const { bucket, key, uploadId } = request;
      return {
        target: { bucket, key, uploadId },
        idempotent: true,
        send: (ctx) => this.provider.completeMultipartUpload(request, ctx),
      };
    });
  }

  /**
   * Aborts an upload: every staged part is discarded and the id answers `NoSuchUpload` afterwards.
   *
   * @example
   * ```ts
   * await client.abortMultipartUpload({ bucket: 'dst', key: 'joined.mp4', uploadId });
   * ```
   */
  async abortMultipartUpload(input: In.UploadInput): Promise<void> {
    return this.#call('abortMultipartUpload', input, () => {
      const ref = this.#normalise.upload(input);
      const target = { bucket: ref.bucket, key: ref.key, uploadId: ref.uploadId };
      return { target, idempotent: true, send: (ctx) => this.provider.abortMultipartUpload(ref, ctx) };
    });
  }

  /**
   * Lists an upload's parts in ascending part number, one page at a time.
   *
   * @example
   * ```ts
   * const { parts, isTruncated, nextPartNumberMarker } = await client.listParts({ bucket: 'dst', key: 'k', uploadId });
   * ```
   */
  async listParts(input: In.ListPartsInput): Promise<P.ListPartsResult> {
    return this.#call('listParts', input, () => {
      const request = this.#normalise.listParts(input);
      const { bucket, key, uploadId } = request;
      return {
        target: { bucket, key, uploadId },
        idempotent: true,
        send: (ctx) => this.provider.listParts(request, ctx),
      };
    });
  }

  /**
   * Lists the bucket's uploads in progress, by key then initiation time, one page at a time.
   *
   * @example
   * ```ts
   * const { uploads } = await client.listMultipartUploads({ bucket: 'dst', prefix: 'videos/' });
   * ```
   */
  async listMultipartUploads(input: In.ListMultipartUploadsInput): Promise<P.ListMultipartUploadsResult> {
    return this.#call('listMultipartUploads', input, () => {
      const request = this.#normalise.listMultipartUploads(input);
      return {
        target: { bucket: request.bucket },
        idempotent: true,
        send: (ctx) => this.provider.listMultipartUploads(request, ctx),
      };
    });
  }

  // ----- objects -----------------------------------------------------------------------------

  /**
   * An object's (or one version's) metadata: size, ETag, settings, checksums.
   *
   * @example
   * ```ts
   * const { size, etag } = await client.headObject({ bucket: 'src', key: 'camera/a.mp4' });
   * ```
   */
  async headObject(input: In.HeadObjectInput): Promise<P.ObjectInfo> {
    return this.#call('headObject', input, () => {
      const request = this.#normalise.head(input);
      const target = { bucket: request.bucket, key: request.key };
      return { target, idempotent: true, send: (ctx) => this.provider.headObject(request, ctx) };
    });
  }

  /**
   * Reads an object, or an inclusive byte range of it, as a stream.
   *
   * @example
   * ```ts
   * const { body } = await client.getObject({ bucket: 'src', key: 'a.bin', range: 'bytes=0-1023' });
   * const bytes = await body.bytes();
   * ```
   */
  async getObject(input: In.GetObjectInput): Promise<GetObjectOutput> {
    const result = await this.#call('getObject', input, () => {
      const request = this.#normalise.get(input);
      return {
        target: { bucket: request.bucket, key: request.key },
        idempotent: true,
        send: (ctx) => this.provider.getObject(request, ctx),
        bytesOf: (r: P.GetObjectResult) => ({ bytes: r.contentLength }),
      };
    });
    return { ...result, body: new ObjectBody(result.body) };
  }

  /**
   * Writes an object atomically, optionally only if it does not exist (`ifNoneMatch: '*'`) or
   * still has a given ETag (`ifMatch`).
   *
   * @example
   * ```ts
   * const { etag } = await client.putObject({ bucket: 'dst', key: 'hello.txt', body: 'hello', contentType: 'text/plain' });
   * ```
   */
  async putObject(input: In.PutObjectInput): Promise<P.PutObjectResult> {
    return this.#call('putObject', input, () => {
      const { abortSignal, onProgress, body: raw, contentLength, ...rest } = input;
      const { sseCustomerAlgorithm, sseCustomerKey, sseCustomerKeyMD5, ...settings } = rest;
      const bucket = checkBucket(input.bucket);
      const key = checkKey(input.key);
      const body = toPayload(raw, contentLength);
      const { maxObjectSize } = this.#gate.for(bucket);
      if (body.length > maxObjectSize) {
        throw new PartCopyError(
          'EntityTooLarge',
          `the body is ${body.length} bytes; ${this.provider.name} accepts at most ${maxObjectSize}`,
        );
      }
      this.#normalise.serverSideEncryption(bucket, input);
      const request: P.PutObjectRequest = {
        ...settings,
        bucket,
        key,
        body,
        ...this.#normalise.ownership(bucket, input),
      };
      const sse = this.#normalise.sse(bucket, input);
      if (sse) request.sseCustomer = sse;
      return {
        target: { bucket, key },
        idempotent: body.bytes !== undefined,
        send: (ctx) => this.provider.putObject(request, ctx),
        bytesOf: () => ({ bytes: body.length }),
      };
    });
  }

  /**
   * Deletes an object or one version; deleting a missing key succeeds, as on S3.
   *
   * @example
   * ```ts
   * await client.deleteObject({ bucket: 'dst', key: 'old.bin' });
   * ```
   */
  async deleteObject(input: In.DeleteObjectInput): Promise<P.DeleteObjectResult> {
    return this.#call('deleteObject', input, () => {
      const request = this.#normalise.deleteObject(input);
      const target = { bucket: request.bucket, key: request.key };
      return { target, idempotent: true, send: (ctx) => this.provider.deleteObject(request, ctx) };
    });
  }

  /**
   * Lists objects in key order, one page at a time (upload staging never appears).
   *
   * @example
   * ```ts
   * let token: string | undefined;
   * do {
   *   const page = await client.listObjects({ bucket: 'src', prefix: 'logs/', continuationToken: token });
   *   for (const o of page.objects) console.log(o.key, o.size);
   *   token = page.nextContinuationToken;
   * } while (token);
   * ```
   */
  async listObjects(input: In.ListObjectsInput): Promise<P.ListObjectsResult> {
    return this.#call('listObjects', input, () => {
      const { abortSignal, startAfter, ...rest } = input;
      const request: P.ListObjectsRequest = { ...rest, bucket: checkBucket(input.bucket) };
      const native = startAfter !== undefined && this.capabilitiesFor(request.bucket).listStartAfter === true;
      return {
        target: { bucket: request.bucket },
        idempotent: true,
        send: (ctx) =>
          startAfter === undefined
            ? this.provider.listObjects(request, ctx)
            : native
              ? this.provider.listObjects({ ...request, startAfter }, ctx)
              : listAfter(this.provider, request, startAfter, ctx),
      };
    });
  }

  /**
   * S3 CopyObject on any provider whose capabilities have `wholeObjectCopy`: `key` becomes a copy
   * of the whole source object, made on the store's side, pinned to the source the conditions
   * were decided on. Sources over `maxWholeObjectCopySize` fail with `InvalidRequest` (use part
   * copies or the `copyObject` engine for those).
   *
   * @example
   * ```ts
   * const copied = await client.copyObjectServerSide({
   *   bucket: 'backups', key: 'photos/cat.jpg', copySource: 'photos/cat.jpg',
   *   copySourceIfMatch: '"9b2cf535f27731c974343645a3985328"', // pin the source
   * });
   * console.log(copied.etag, copied.transfer, copied.bytesCopied);
   * ```
   */
  async copyObjectServerSide(input: In.CopyObjectServerSideInput): Promise<P.ServerSideCopyResult> {
    return this.#call('copyObject', input, () => {
      const request = normaliseServerSideCopy(input, this.#gate, this.#normalise);
      const copy = this.provider.copyObject?.bind(this.provider);
      if (!copy) throw this.#gate.unsupported('whole-object server-side copy (copyObject)');
      const { bucket, key, source } = request;
      return {
        target: { bucket, key, sourceBucket: source.bucket, sourceKey: source.key },
        idempotent: true,
        send: (ctx) =>
          copy(request, input.onResumeToken ? { ...ctx, onResumeToken: input.onResumeToken } : ctx),
        bytesOf: (result) => ({ bytes: result.bytesCopied, transfer: result.transfer }),
      };
    });
  }

  /**
   * Native compose on a provider whose capabilities have `nativeCompose`: the destination becomes
   * the pieces, in order, each pinned to its ETag, published atomically. This is the primitive the
   * `composeObject` engine uses (it resolves and pins the pieces first); call the engine instead
   * unless you already hold pinned, resolved pieces.
   *
   * @example
   * ```ts
   * const joined = await client.composeObjectNative({
   *   bucket: 'logs', key: 'day.log', settings: {},
   *   pieces: [{ source: { bucket: 'logs', key: 'a.log' }, etag: '"9b2c..."', size: 10, sourceSize: 10 }],
   * });
   * console.log(joined.etag, joined.bytesServerSide, joined.groups);
   * ```
   */
  async composeObjectNative(input: In.ComposeObjectNativeInput): Promise<P.ComposeObjectResult> {
    return this.#call('composeObject', input, () => {
      const { abortSignal: _signal, onProgress: _progress, ...fields } = input;
      // The settings are the new object's; none given (or `undefined`) means none, as in
      // putObject, and their fields are checked as putObject's are.
      const request = { ...fields, settings: fields.settings ?? {} };
      checkFieldTypes(request.settings, OBJECT_SETTINGS);
      checkBucket(request.bucket);
      checkKey(request.key);
      checkComposePieces(request.pieces);
      if (request.resumeKey !== undefined) checkResumeKey(request.resumeKey);
      for (const piece of request.pieces) {
        checkBucket(piece.source.bucket);
        checkKey(piece.source.key);
        this.#gate.require(piece.source.bucket, 'nativeCompose', 'native compose (composeObject)');
      }
      this.#gate.require(request.bucket, 'nativeCompose', 'native compose (composeObject)');
      const compose = this.provider.composeObject?.bind(this.provider);
      if (!compose) throw this.#gate.unsupported('native compose (composeObject)');
      const first = request.pieces[0] as P.ComposePieceRequest;
      return {
        target: {
          bucket: request.bucket,
          key: request.key,
          sourceBucket: first.source.bucket,
          sourceKey: first.source.key,
        },
        idempotent: true,
        send: (ctx) => compose(request, ctx),
      };
    });
  }

  /**
   * Discards what a resumable native compose staged under `resumeKey` for a destination (what
   * `abortSession` does for a native compose session); needs `Provider.discardComposeProgress`.
   * An existing destination is never changed: what could not be removed without changing it is
   * counted in `left`.
   */
  async discardComposeProgress(
    input: In.DiscardComposeProgressInput,
  ): Promise<P.DiscardComposeProgressResult> {
    return this.#call('discardComposeProgress', input, () => {
      const { abortSignal: _signal, ...request } = input;
      checkBucket(request.bucket);
      checkKey(request.key);
      checkResumeKey(request.resumeKey);
      const discard = this.provider.discardComposeProgress?.bind(this.provider);
      if (!discard) throw this.#gate.unsupported("discarding a native compose's staged progress");
      return {
        target: { bucket: request.bucket, key: request.key },
        idempotent: true,
        send: (ctx) => discard(request, ctx),
      };
    });
  }

  // ----- server-side pull -------------------------------------------------------------------

  /**
   * Signs a URL another server can read the object (or one version, or a range of it) from,
   * without credentials, until `expiresAt`; needs `capabilities.presignedReads`. The URL carries
   * a secret: keep it out of logs (`redactSecrets` removes it from text). The `transferObject`
   * engine uses this for a server-side pull.
   *
   * @example
   * ```ts
   * const { url, expiresAt } = await client.presignGetObject({
   *   bucket: 'src', key: 'big.bin', range: { start: 0, end: 8388607 }, expiresInSeconds: 900,
   * });
   * ```
   */
  async presignGetObject(input: In.PresignGetObjectInput): Promise<P.PresignedRead> {
    return this.#call('presignGetObject', input, () => {
      const request = normalisePresignGet(input, this.#gate);
      this.#gate.requireOn(request.bucket, 'presignedReads', 'signed read URLs (presignGetObject)');
      const presign = this.provider.presignGetObject?.bind(this.provider);
      if (!presign) throw this.#gate.unsupported('signed read URLs (presignGetObject)');
      return {
        target: { bucket: request.bucket, key: request.key },
        idempotent: true, // signing reads nothing and changes nothing
        send: (ctx) => presign(request, ctx),
      };
    });
  }

  /**
   * Stages part `partNumber` from bytes the store's own server fetches from `sourceUrl` (Azure
   * Put Block From URL); needs `capabilities.uploadPartFromUrl`. No payload byte passes through
   * this process. The URL is never quoted in an event, an error message or an error's context.
   *
   * @example
   * ```ts
   * const { url } = await source.presignGetObject({ bucket: 'src', key: 'big.bin', range, expiresInSeconds: 900 });
   * const { etag } = await client.uploadPartFromUrl({
   *   bucket: 'dst', key: 'big.bin', uploadId, partNumber: 1, sourceUrl: url, range,
   * });
   * ```
   */
  async uploadPartFromUrl(input: In.UploadPartFromUrlInput): Promise<P.UploadPartFromUrlResult> {
    return this.#call('uploadPartFromUrl', input, () => {
      const request = normaliseUploadFromUrl(input, this.#gate);
      this.#gate.requireOn(
        request.bucket,
        'uploadPartFromUrl',
        'staging parts from a URL (uploadPartFromUrl)',
      );
      const stage = this.provider.uploadPartFromUrl?.bind(this.provider);
      if (!stage) throw this.#gate.unsupported('staging parts from a URL (uploadPartFromUrl)');
      const { bucket, key, uploadId, partNumber } = request;
      return {
        target: { bucket, key, uploadId, partNumber },
        // Staging the same block from the same URL again gives the same part.
        idempotent: true,
        send: (ctx) => stage(request, ctx),
        bytesOf: (result) => ({ bytes: result.bytesCopied, transfer: result.transfer }),
      };
    });
  }

  /**
   * Runs one call through the pipeline after the checks every input gets: it is an object, and
   * each optional field has its declared type ({@link INPUT_FIELDS}).
   */
  #call<T>(operation: FacadeOperation, input: object, prepare: () => PreparedCall<T>): Promise<T> {
    const fields = isObject(input) ? (input as In.CallOptions & In.ProgressOptions) : {};
    const options = { signal: fields.abortSignal, onProgress: fields.onProgress };
    return this.#pipeline.run(operation, fields, options, () => {
      if (!isObject(input)) throw new PartCopyError('InvalidArgument', `${operation} needs an input object`);
      checkFieldTypes(input, INPUT_FIELDS[operation]);
      return prepare();
    });
  }

  /**
   * Releases the provider's clients and sockets.
   *
   * @example
   * ```ts
   * try { ... } finally { await client.close(); }
   * ```
   */
  async close(): Promise<void> {
    await this.provider.close?.();
  }
}

function isObject(value: unknown): value is object {
  return typeof value === 'object' && value !== null;
}

function retryPolicy(options: RetryOptions | false | undefined): Required<RetryOptions> {
  if (options === false) return { ...DEFAULT_RETRY, maxAttempts: 1 };
  const policy = { ...DEFAULT_RETRY, ...options };
  const { maxAttempts } = policy;
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1 || maxAttempts > MAX_ATTEMPTS_LIMIT) {
    throw new PartCopyError(
      'InvalidArgument',
      `retry.maxAttempts must be an integer from 1 to ${MAX_ATTEMPTS_LIMIT} (got ${String(maxAttempts)})`,
    );
  }
  return policy;
}

// A compose's resume key names staged things in the store: plain characters only.
function checkResumeKey(resumeKey: unknown): void {
  if (typeof resumeKey === 'string' && /^[A-Za-z0-9._-]{1,200}$/.test(resumeKey)) return;
  throw new PartCopyError('InvalidArgument', 'resumeKey must be 1 to 200 letters, digits, ".", "_" or "-"');
}
