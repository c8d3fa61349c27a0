/**
 * The facade applications call. It validates and normalises S3-shaped input once, refuses what
 * the provider's capabilities rule out with `Unsupported`, calls the provider, wraps every failure
 * in a `PartCopyError` with context, retries retryable errors with backoff, and emits events.
 */

import { type Capabilities, type CapabilityOverrides, withOverrides } from '../contract/capabilities.js';
import { ObjectBody, toPayload } from '../contract/payload.js';
import type * as P from '../contract/provider-contract.js';
import type { Checksums, RequestOwnership, ServerSideEncryptionRequest } from '../contract/types.js';
import {
  abortedError,
  type ErrorContext,
  type OperationName,
  PartCopyError,
  redactSecrets,
} from '../errors/part-copy-error.js';
import { type EventContext, EventHub, type PartCopyEventListener } from '../pipeline/events.js';
import { backoffDelay, DEFAULT_RETRY, type RetryOptions, sleep } from '../pipeline/retry-policy.js';
import { parseByteRange, rangeLength } from '../semantics/byte-range.js';
import { parseCopySource } from '../semantics/copy-source.js';
import { checkBodySize, checkCopySourceSize } from '../semantics/part-size-limits.js';
import type * as In from './inputs.js';
import { assertSpecVersion } from './registry.js';
import {
  checkBucket,
  checkKey,
  checkOptionalPositiveInteger,
  checkPartNumber,
  destinationSseKey,
  normaliseConditions,
  requireCapability,
  requireString,
  sseKeyFrom,
} from './validate.js';

export interface PartCopyClientOptions {
  /** Layered over the provider's capabilities, e.g. to switch off a feature an emulator lacks. */
  capabilities?: CapabilityOverrides;
  /** Retry policy for retryable errors; `false` or `{ maxAttempts: 1 }` turns it off. */
  retry?: RetryOptions | false;
  /** Observe every call: request, response, error (with retry decision) and progress events. */
  onEvent?: PartCopyEventListener;
}

/** GetObject's result: the provider's, with a body that can be iterated or read whole. */
export interface GetObjectOutput extends Omit<P.GetObjectResult, 'body'> {
  body: ObjectBody;
}

interface RunPlan<T> {
  operation: OperationName;
  context: Omit<EventContext, 'callId' | 'provider' | 'operation'>;
  signal: AbortSignal | undefined;
  /** False for calls that must not be repeated (creating an upload, streamed bodies). */
  retryable: boolean;
  onProgress?: In.ProgressOptions['onProgress'];
  call: (ctx: P.OperationContext) => Promise<T>;
  bytesOf?: (result: T) => { bytes?: number; transfer?: P.UploadPartCopyResult['transfer'] };
}

let nextCallId = 1;

export class PartCopyClient {
  readonly provider: P.Provider;
  readonly capabilities: Readonly<Capabilities>;
  readonly #events = new EventHub();
  readonly #retry: Required<RetryOptions>;
  readonly #overrides: CapabilityOverrides;

  constructor(provider: P.Provider, options: PartCopyClientOptions = {}) {
    assertSpecVersion(provider);
    this.provider = provider;
    this.#overrides = options.capabilities ?? {};
    this.capabilities = withOverrides(provider.capabilities, this.#overrides);
    this.#retry =
      options.retry === false ? { ...DEFAULT_RETRY, maxAttempts: 1 } : { ...DEFAULT_RETRY, ...options.retry };
    if (options.onEvent) this.#events.on(options.onEvent);
  }

  /** The capabilities for one bucket (they differ by bucket on some stores, e.g. S3 directory buckets). */
  capabilitiesFor(bucket: string): Readonly<Capabilities> {
    const own = this.provider.capabilitiesFor?.(bucket);
    return own ? withOverrides(own, this.#overrides) : this.capabilities;
  }

  /** Adds an event listener; returns a function that removes it. */
  on(listener: PartCopyEventListener): () => void {
    return this.#events.on(listener);
  }

  // ----- buckets -----------------------------------------------------------------------------

  async createBucket(input: In.CreateBucketInput): Promise<void> {
    return this.#contextual('createBucket', input, async () => {
      const bucket = checkBucket(input.bucket);
      const create = this.provider.createBucket?.bind(this.provider);
      if (!create) throw this.#unsupported('createBucket', 'creating buckets', { bucket });
      if (input.versioning) this.#require('versionedBuckets', 'versioned buckets');
      const request: P.CreateBucketRequest = { bucket };
      if (input.versioning !== undefined) request.versioning = input.versioning;
      await this.#run({
        operation: 'createBucket',
        context: { bucket },
        signal: input.abortSignal,
        retryable: false,
        call: (ctx) => create(request, ctx),
      });
    });
  }

  async deleteBucket(input: In.DeleteBucketInput): Promise<void> {
    return this.#contextual('deleteBucket', input, async () => {
      const bucket = checkBucket(input.bucket);
      const remove = this.provider.deleteBucket?.bind(this.provider);
      if (!remove) throw this.#unsupported('deleteBucket', 'deleting buckets', { bucket });
      await this.#run({
        operation: 'deleteBucket',
        context: { bucket },
        signal: input.abortSignal,
        retryable: true,
        call: (ctx) => remove({ bucket }, ctx),
      });
    });
  }

  // ----- multipart ---------------------------------------------------------------------------

  async createMultipartUpload(input: In.CreateMultipartUploadInput): Promise<P.CreateMultipartUploadResult> {
    return this.#contextual('createMultipartUpload', input, async () => {
      const { abortSignal, sseCustomerAlgorithm, sseCustomerKey, sseCustomerKeyMD5, ...rest } = input;
      const bucket = checkBucket(input.bucket);
      const key = checkKey(input.key);
      this.#checkServerSideEncryption(input);
      const request: P.CreateMultipartUploadRequest = { ...rest, bucket, key, ...this.#ownership(input) };
      const sse = this.#sse(input);
      if (sse) request.sseCustomer = sse;
      if (
        input.checksumAlgorithm !== undefined &&
        !this.capabilities.checksumAlgorithms.includes(input.checksumAlgorithm)
      ) {
        throw this.#unsupported(
          'createMultipartUpload',
          `the ${input.checksumAlgorithm} checksum algorithm`,
          {
            bucket,
            key,
          },
        );
      }
      return this.#run({
        operation: 'createMultipartUpload',
        context: { bucket, key },
        signal: abortSignal,
        retryable: false, // a repeated create would leave an orphaned upload behind
        call: (ctx) => this.provider.createMultipartUpload(request, ctx),
      });
    });
  }

  async uploadPart(input: In.UploadPartInput): Promise<P.UploadPartResult> {
    return this.#contextual('uploadPart', input, async () => {
      const ref = this.#upload(input);
      const partNumber = checkPartNumber(input.partNumber, this.capabilities.maxParts);
      const body = toPayload(input.body, input.contentLength);
      checkBodySize(body.length, this.capabilities.maxPartSize, { ...ref, partNumber });
      const request: P.UploadPartRequest = { ...pickChecksums(input), ...ref, partNumber, body };
      if (input.checksumAlgorithm !== undefined) request.checksumAlgorithm = input.checksumAlgorithm;
      const sse = this.#sse(input);
      if (sse) request.sseCustomer = sse;
      if (input.contentMD5 !== undefined) request.contentMD5 = input.contentMD5;
      return this.#run({
        operation: 'uploadPart',
        context: { bucket: ref.bucket, key: ref.key, uploadId: ref.uploadId, partNumber },
        signal: input.abortSignal,
        retryable: body.bytes !== undefined, // a stream cannot be replayed
        onProgress: input.onProgress,
        call: (ctx) => this.provider.uploadPart(request, ctx),
        bytesOf: () => ({ bytes: body.length }),
      });
    });
  }

  /** S3 UploadPartCopy on any provider: part `partNumber` made of bytes of an existing object. */
  async uploadPartCopy(input: In.UploadPartCopyInput): Promise<P.UploadPartCopyResult> {
    return this.#contextual('uploadPartCopy', input, async () => {
      const request = this.#normaliseUploadPartCopy(input);
      const { source } = request;
      return this.#run({
        operation: 'uploadPartCopy',
        context: {
          bucket: request.bucket,
          key: request.key,
          uploadId: request.uploadId,
          partNumber: request.partNumber,
          sourceBucket: source.bucket,
          sourceKey: source.key,
        },
        signal: input.abortSignal,
        retryable: true,
        onProgress: input.onProgress,
        call: (ctx) => this.provider.uploadPartCopy(request, ctx),
        bytesOf: (result) => ({ bytes: result.bytesCopied, transfer: result.transfer }),
      });
    });
  }

  async completeMultipartUpload(
    input: In.CompleteMultipartUploadInput,
  ): Promise<P.CompleteMultipartUploadResult> {
    return this.#contextual('completeMultipartUpload', input, async () => {
      const ref = this.#upload(input);
      const parts = input.multipartUpload?.parts ?? input.parts;
      if (!Array.isArray(parts)) {
        throw new PartCopyError(
          'MalformedXML',
          'completeMultipartUpload needs multipartUpload.parts (or parts)',
          { ...ref, operation: 'completeMultipartUpload' },
        );
      }
      const request: P.CompleteMultipartUploadRequest = {
        ...pickChecksums(input),
        ...ref,
        parts: parts.map((part, index) => ({
          ...pickChecksums(part),
          partNumber: checkPartNumber(
            part.partNumber,
            this.capabilities.maxParts,
            `parts[${index}].partNumber`,
          ),
          etag: requireString(part.etag, `parts[${index}].etag`),
        })),
      };
      const sse = this.#sse(input);
      if (sse) request.sseCustomer = sse;
      if (input.ifMatch !== undefined || input.ifNoneMatch !== undefined)
        this.#require('completeConditions', 'conditional completion (ifMatch / ifNoneMatch)');
      if (input.ifMatch !== undefined) request.ifMatch = requireString(input.ifMatch, 'ifMatch');
      if (input.ifNoneMatch !== undefined)
        request.ifNoneMatch = requireString(input.ifNoneMatch, 'ifNoneMatch');
      if (input.checksumType !== undefined) request.checksumType = input.checksumType;
      const size = checkOptionalPositiveInteger(input.mpObjectSize, 'mpObjectSize');
      if (size !== undefined) request.mpObjectSize = size;
      return this.#run({
        operation: 'completeMultipartUpload',
        context: { bucket: ref.bucket, key: ref.key, uploadId: ref.uploadId },
        signal: input.abortSignal,
        retryable: true,
        call: (ctx) => this.provider.completeMultipartUpload(request, ctx),
      });
    });
  }

  async abortMultipartUpload(input: In.UploadInput): Promise<void> {
    return this.#contextual('abortMultipartUpload', input, async () => {
      const ref = this.#upload(input);
      await this.#run({
        operation: 'abortMultipartUpload',
        context: { bucket: ref.bucket, key: ref.key, uploadId: ref.uploadId },
        signal: input.abortSignal,
        retryable: true,
        call: (ctx) => this.provider.abortMultipartUpload(ref, ctx),
      });
    });
  }

  async listParts(input: In.ListPartsInput): Promise<P.ListPartsResult> {
    return this.#contextual('listParts', input, async () => {
      this.#require('listParts', 'listing parts');
      const request: P.ListPartsRequest = { ...this.#upload(input) };
      const maxParts = checkOptionalPositiveInteger(input.maxParts, 'maxParts');
      const marker = checkOptionalPositiveInteger(input.partNumberMarker, 'partNumberMarker');
      if (maxParts !== undefined) request.maxParts = maxParts;
      if (marker !== undefined) request.partNumberMarker = marker;
      const sse = this.#sse(input);
      if (sse) request.sseCustomer = sse;
      return this.#run({
        operation: 'listParts',
        context: { bucket: request.bucket, key: request.key, uploadId: request.uploadId },
        signal: input.abortSignal,
        retryable: true,
        call: (ctx) => this.provider.listParts(request, ctx),
      });
    });
  }

  async listMultipartUploads(input: In.ListMultipartUploadsInput): Promise<P.ListMultipartUploadsResult> {
    return this.#contextual('listMultipartUploads', input, async () => {
      this.#require('listMultipartUploads', 'listing multipart uploads');
      const { abortSignal, ...rest } = input;
      const bucket = checkBucket(input.bucket);
      const maxUploads = checkOptionalPositiveInteger(input.maxUploads, 'maxUploads');
      const request: P.ListMultipartUploadsRequest = { ...rest, bucket, ...this.#ownership(input) };
      if (maxUploads !== undefined) request.maxUploads = maxUploads;
      return this.#run({
        operation: 'listMultipartUploads',
        context: { bucket },
        signal: abortSignal,
        retryable: true,
        call: (ctx) => this.provider.listMultipartUploads(request, ctx),
      });
    });
  }

  // ----- objects -----------------------------------------------------------------------------

  async headObject(input: In.HeadObjectInput): Promise<P.ObjectInfo> {
    return this.#contextual('headObject', input, async () => {
      const request = this.#headRequest(input);
      return this.#run({
        operation: 'headObject',
        context: { bucket: request.bucket, key: request.key },
        signal: input.abortSignal,
        retryable: true,
        call: (ctx) => this.provider.headObject(request, ctx),
      });
    });
  }

  async getObject(input: In.GetObjectInput): Promise<GetObjectOutput> {
    return this.#contextual('getObject', input, async () => {
      const request: P.GetObjectRequest = this.#headRequest(input);
      if (input.range !== undefined) request.range = parseByteRange(input.range, 'range');
      const result = await this.#run({
        operation: 'getObject',
        context: { bucket: request.bucket, key: request.key },
        signal: input.abortSignal,
        retryable: true,
        call: (ctx) => this.provider.getObject(request, ctx),
        bytesOf: (r) => ({ bytes: r.contentLength }),
      });
      return { ...result, body: new ObjectBody(result.body) };
    });
  }

  async putObject(input: In.PutObjectInput): Promise<P.PutObjectResult> {
    return this.#contextual('putObject', input, async () => {
      const {
        abortSignal,
        onProgress,
        body: rawBody,
        contentLength,
        sseCustomerAlgorithm,
        sseCustomerKey,
        sseCustomerKeyMD5,
        ...rest
      } = input;
      const bucket = checkBucket(input.bucket);
      const key = checkKey(input.key);
      const body = toPayload(rawBody, contentLength);
      if (body.length > this.capabilities.maxObjectSize) {
        throw new PartCopyError(
          'EntityTooLarge',
          `the body is ${body.length} bytes; ${this.provider.name} accepts at most ${this.capabilities.maxObjectSize}`,
          { bucket, key },
        );
      }
      this.#checkServerSideEncryption(input);
      const request: P.PutObjectRequest = { ...rest, bucket, key, body, ...this.#ownership(input) };
      const sse = this.#sse(input);
      if (sse) request.sseCustomer = sse;
      return this.#run({
        operation: 'putObject',
        context: { bucket, key },
        signal: abortSignal,
        retryable: body.bytes !== undefined,
        onProgress,
        call: (ctx) => this.provider.putObject(request, ctx),
        bytesOf: () => ({ bytes: body.length }),
      });
    });
  }

  async deleteObject(input: In.DeleteObjectInput): Promise<P.DeleteObjectResult> {
    return this.#contextual('deleteObject', input, async () => {
      const bucket = checkBucket(input.bucket);
      const key = checkKey(input.key);
      const request: P.DeleteObjectRequest = { bucket, key, ...this.#ownership(input) };
      if (input.versionId !== undefined) {
        this.#require('versionedSources', 'object versions');
        request.versionId = requireString(input.versionId, 'versionId');
      }
      return this.#run({
        operation: 'deleteObject',
        context: { bucket, key },
        signal: input.abortSignal,
        retryable: true,
        call: (ctx) => this.provider.deleteObject(request, ctx),
      });
    });
  }

  async listObjects(input: In.ListObjectsInput): Promise<P.ListObjectsResult> {
    return this.#contextual('listObjects', input, async () => {
      const { abortSignal, ...rest } = input;
      const bucket = checkBucket(input.bucket);
      const request: P.ListObjectsRequest = { ...rest, bucket };
      return this.#run({
        operation: 'listObjects',
        context: { bucket },
        signal: abortSignal,
        retryable: true,
        call: (ctx) => this.provider.listObjects(request, ctx),
      });
    });
  }

  /** Releases the provider's clients and sockets. */
  async close(): Promise<void> {
    await this.provider.close?.();
  }

  // ----- normalisation -----------------------------------------------------------------------

  #normaliseUploadPartCopy(input: In.UploadPartCopyInput): P.UploadPartCopyRequest {
    const ref = this.#upload(input);
    const partNumber = checkPartNumber(input.partNumber, this.capabilities.maxParts);
    if (input.copySource === undefined) throw new PartCopyError('InvalidArgument', 'copySource is required');
    const parsed = parseCopySource(input.copySource);
    checkBucket(parsed.bucket, 'copySource bucket');
    checkKey(parsed.key, 'copySource key');
    if (parsed.versionId !== undefined)
      this.#require('versionedSources', 'copying from a source version (versionId)');
    if (parsed.accessPointArn !== undefined) this.#require('accessPoints', 'access-point ARN copy sources');
    const request: P.UploadPartCopyRequest = {
      ...ref,
      partNumber,
      source: parsed,
      conditions: normaliseConditions(input),
    };
    if (input.copySourceRange !== undefined) {
      request.range = parseByteRange(input.copySourceRange);
      // S3 answers a copy range over the part limit with InvalidRequest (not EntityTooLarge).
      checkCopySourceSize(rangeLength(request.range), this.capabilities.maxPartSize, { ...ref, partNumber });
    }
    this.#checkConditionCapabilities(request);
    const sse = this.#sse(input);
    if (sse) request.sseCustomer = sse;
    const sourceSse = sseKeyFrom(
      input.copySourceSSECustomerAlgorithm,
      input.copySourceSSECustomerKey,
      input.copySourceSSECustomerKeyMD5,
      'copySourceSSECustomerKey',
    );
    if (sourceSse) {
      this.#require('sseCustomerKey', 'SSE-C (customer-provided keys)');
      request.sourceSseCustomer = sourceSse;
    }
    if (input.expectedSourceBucketOwner !== undefined) {
      this.#require('expectedBucketOwner', 'expectedSourceBucketOwner');
      request.expectedSourceBucketOwner = requireString(
        input.expectedSourceBucketOwner,
        'expectedSourceBucketOwner',
      );
    }
    return request;
  }

  #checkConditionCapabilities(request: P.UploadPartCopyRequest): void {
    const { conditions } = request;
    if (conditions.ifMatch) this.#require('copySourceIfMatch', 'copySourceIfMatch');
    if (conditions.ifNoneMatch) this.#require('copySourceIfNoneMatch', 'copySourceIfNoneMatch');
    if (conditions.ifModifiedSince) this.#require('copySourceIfModifiedSince', 'copySourceIfModifiedSince');
    if (conditions.ifUnmodifiedSince)
      this.#require('copySourceIfUnmodifiedSince', 'copySourceIfUnmodifiedSince');
  }

  #upload(input: In.UploadInput): P.UploadRef {
    return {
      bucket: checkBucket(input.bucket),
      key: checkKey(input.key),
      uploadId: requireString(input.uploadId, 'uploadId'),
      ...this.#ownership(input),
    };
  }

  #headRequest(input: In.HeadObjectInput): P.HeadObjectRequest {
    const request: P.HeadObjectRequest = {
      bucket: checkBucket(input.bucket),
      key: checkKey(input.key),
      ...this.#ownership(input),
    };
    if (input.versionId !== undefined) {
      this.#require('versionedSources', 'object versions');
      request.versionId = requireString(input.versionId, 'versionId');
    }
    const sse = this.#sse(input);
    if (sse) request.sseCustomer = sse;
    return request;
  }

  #ownership(input: In.OwnershipInput): RequestOwnership {
    const out: RequestOwnership = {};
    if (input.requestPayer !== undefined) {
      this.#require('requestPayer', 'requestPayer');
      if (input.requestPayer !== 'requester')
        throw new PartCopyError('InvalidArgument', 'requestPayer must be "requester"');
      out.requestPayer = input.requestPayer;
    }
    if (input.expectedBucketOwner !== undefined) {
      this.#require('expectedBucketOwner', 'expectedBucketOwner');
      out.expectedBucketOwner = requireString(input.expectedBucketOwner, 'expectedBucketOwner');
    }
    return out;
  }

  #sse(input: In.SseCustomerInput) {
    const key = destinationSseKey(input);
    if (key) this.#require('sseCustomerKey', 'SSE-C (customer-provided keys)');
    return key;
  }

  #checkServerSideEncryption(input: ServerSideEncryptionRequest & In.SseCustomerInput): void {
    const { serverSideEncryption, sseKMSKeyId, sseKMSEncryptionContext, bucketKeyEnabled } = input;
    if (
      [serverSideEncryption, sseKMSKeyId, sseKMSEncryptionContext, bucketKeyEnabled].some(
        (v) => v !== undefined,
      )
    ) {
      this.#require('sseKms', 'server-side encryption requests (serverSideEncryption, sseKMSKeyId, ...)');
    }
    if (input.sseCustomerKey !== undefined && serverSideEncryption !== undefined) {
      throw new PartCopyError(
        'InvalidArgument',
        'serverSideEncryption and SSE-C (sseCustomerKey) cannot be combined',
      );
    }
  }

  #require(flag: keyof Capabilities, what: string): void {
    requireCapability(this.capabilities, flag, what, this.provider.name);
  }

  #unsupported(operation: OperationName, what: string, context: ErrorContext): PartCopyError {
    return new PartCopyError('Unsupported', `${this.provider.name} does not support ${what}`, {
      ...context,
      operation,
      provider: this.provider.name,
    });
  }

  // ----- the call layer: events, retries, error wrapping --------------------------------------

  /**
   * Runs one facade call so that every error it throws, validation and capability refusals
   * included, names the provider, the operation and the objects involved.
   */
  async #contextual<T>(operation: OperationName, input: object, call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      if (!PartCopyError.isInstance(error)) throw error;
      const { bucket, key, uploadId, partNumber } = input as Partial<Record<string, unknown>>;
      const context: ErrorContext = { provider: this.provider.name, operation };
      if (typeof bucket === 'string') context.bucket = bucket;
      if (typeof key === 'string') context.key = key;
      if (typeof uploadId === 'string') context.uploadId = uploadId;
      if (typeof partNumber === 'number' && Number.isInteger(partNumber)) context.partNumber = partNumber;
      throw error.withContext(context);
    }
  }

  async #run<T>(plan: RunPlan<T>): Promise<T> {
    const signal = plan.signal ?? new AbortController().signal;
    const base: EventContext = {
      callId: nextCallId++,
      provider: this.provider.name,
      operation: plan.operation,
      ...plan.context,
    };
    const errorContext: ErrorContext = {
      ...plan.context,
      provider: this.provider.name,
      operation: plan.operation,
    };
    const maxAttempts = plan.retryable ? this.#retry.maxAttempts : 1;
    const ctx: P.OperationContext = {
      signal,
      onProgress: (bytesDone, bytesTotal) => {
        this.#events.emit({
          ...base,
          type: 'progress',
          bytesDone,
          ...(bytesTotal === undefined ? {} : { bytesTotal }),
        });
        plan.onProgress?.(bytesTotal === undefined ? { bytesDone } : { bytesDone, bytesTotal });
      },
    };
    for (let attempt = 1; ; attempt++) {
      if (signal.aborted) throw abortedError(signal, errorContext);
      const started = performance.now();
      this.#events.emit({ ...base, type: 'request', attempt });
      try {
        const result = await plan.call(ctx);
        const extra = plan.bytesOf?.(result) ?? {};
        this.#events.emit({
          ...base,
          type: 'response',
          attempt,
          durationMs: performance.now() - started,
          ...extra,
        });
        return result;
      } catch (raw) {
        const error = toPartCopyError(raw, signal, errorContext);
        const willRetry = error.retryable && attempt < maxAttempts && !signal.aborted;
        const retryDelayMs = willRetry ? backoffDelay(attempt, this.#retry) : undefined;
        this.#events.emit({
          ...base,
          type: 'error',
          attempt,
          durationMs: performance.now() - started,
          code: error.code,
          status: error.status,
          retryable: error.retryable,
          willRetry,
          ...(retryDelayMs === undefined ? {} : { retryDelayMs }),
          message: error.message,
        });
        if (!willRetry) throw error;
        await sleep(retryDelayMs ?? 0, signal).catch(() => {
          throw abortedError(signal, errorContext);
        });
      }
    }
  }
}

/** Any failure as a `PartCopyError` with the call's context; never leaks a secret. */
function toPartCopyError(raw: unknown, signal: AbortSignal, context: ErrorContext): PartCopyError {
  if (PartCopyError.isInstance(raw)) return raw.withContext(context);
  if (signal.aborted) return abortedError(signal, context);
  const message = raw instanceof Error ? raw.message : String(raw);
  return new PartCopyError(
    'InternalError',
    `unexpected failure in provider ${context.provider}: ${redactSecrets(message)}`,
    {
      ...context,
      retryable: false,
      cause: raw,
    },
  );
}

const CHECKSUM_FIELDS = [
  'checksumCRC32',
  'checksumCRC32C',
  'checksumCRC64NVME',
  'checksumSHA1',
  'checksumSHA256',
] as const;

function pickChecksums(source: Checksums): Checksums {
  const out: Checksums = {};
  for (const name of CHECKSUM_FIELDS) {
    const value = source[name];
    if (typeof value === 'string') out[name] = value;
  }
  return out;
}
