/**
 * Validation and normalisation of facade input, once, before any provider call: S3-shaped input
 * (strings or structured forms) becomes the provider contract's normalised requests, and every
 * capability a request needs is checked for the buckets it names.
 */
import type * as P from '../contract/provider-contract.js';
import type { Checksums, RequestOwnership, ServerSideEncryptionRequest } from '../contract/types.js';
import { PartCopyError } from '../errors/part-copy-error.js';
import type { CapabilityGate } from '../pipeline/capability-gate.js';
import { parseByteRange, rangeLength } from '../semantics/byte-range.js';
import { parseCopySource } from '../semantics/copy-source.js';
import { checkCopySourceSize } from '../semantics/part-size-limits.js';
import type { SourceHint } from '../semantics/source-hint.js';
import type { SseCustomerKey } from '../semantics/sse-customer-key.js';
import type * as In from './inputs.js';
import {
  checkBucket,
  checkKey,
  checkOptionalPositiveInteger,
  checkPartNumber,
  destinationSseKey,
  normaliseConditions,
  requireString,
  sseKeyFrom,
} from './validate.js';

// S3's version id of the object of a bucket that never had versioning.
const NULL_VERSION_ID = 'null';

export class RequestNormaliser {
  readonly #gate: CapabilityGate;

  constructor(gate: CapabilityGate) {
    this.#gate = gate;
  }

  upload(input: In.UploadInput): P.UploadRef {
    const bucket = checkBucket(input.bucket);
    return {
      bucket,
      key: checkKey(input.key),
      uploadId: requireString(input.uploadId, 'uploadId'),
      ...this.ownership(bucket, input),
    };
  }

  createMultipartUpload(input: In.CreateMultipartUploadInput): P.CreateMultipartUploadRequest {
    const { abortSignal, sseCustomerAlgorithm, sseCustomerKey, sseCustomerKeyMD5, ...rest } = input;
    const bucket = checkBucket(input.bucket);
    const key = checkKey(input.key);
    this.serverSideEncryption(bucket, input);
    const request: P.CreateMultipartUploadRequest = {
      ...rest,
      bucket,
      key,
      ...this.ownership(bucket, input),
    };
    const sse = this.sse(bucket, input);
    if (sse) request.sseCustomer = sse;
    const algorithm = input.checksumAlgorithm;
    if (algorithm !== undefined && !this.#gate.for(bucket).checksumAlgorithms.includes(algorithm)) {
      throw this.#gate.unsupported(`the ${algorithm} checksum algorithm`);
    }
    return request;
  }

  uploadPartCopy(input: In.UploadPartCopyInput): P.UploadPartCopyRequest {
    const ref = this.upload(input);
    const capabilities = this.#gate.for(ref.bucket);
    const partNumber = checkPartNumber(input.partNumber, capabilities.maxParts);
    if (input.copySource === undefined) throw new PartCopyError('InvalidArgument', 'copySource is required');
    const source = parseCopySource(input.copySource);
    checkBucket(source.bucket, 'copySource bucket');
    checkKey(source.key, 'copySource key');
    if (source.versionId !== undefined)
      this.#gate.require(source.bucket, 'versionedSources', 'copying from a source version (versionId)');
    if (source.accessPointArn !== undefined)
      this.#gate.require(ref.bucket, 'accessPoints', 'access-point ARN copy sources');
    const request: P.UploadPartCopyRequest = {
      ...ref,
      partNumber,
      source,
      conditions: normaliseConditions(input),
    };
    if (input.copySourceRange !== undefined) {
      request.range = parseByteRange(input.copySourceRange);
      // S3 answers a copy range over the part limit with InvalidRequest (not EntityTooLarge).
      checkCopySourceSize(rangeLength(request.range), capabilities.maxPartSize, { ...ref, partNumber });
    }
    this.#copySourceConditions(source.bucket, request);
    if (input.copySourceHint !== undefined) request.sourceHint = checkSourceHint(input.copySourceHint);
    const sse = this.sse(ref.bucket, input);
    if (sse) request.sseCustomer = sse;
    this.#copySourceExtras(source.bucket, input, request);
    return request;
  }

  completeMultipartUpload(input: In.CompleteMultipartUploadInput): P.CompleteMultipartUploadRequest {
    const ref = this.upload(input);
    const parts = input.multipartUpload?.parts ?? input.parts;
    if (!Array.isArray(parts)) {
      throw new PartCopyError(
        'MalformedXML',
        'completeMultipartUpload needs multipartUpload.parts (or parts)',
      );
    }
    const { maxParts } = this.#gate.for(ref.bucket);
    const request: P.CompleteMultipartUploadRequest = {
      ...pickChecksums(input),
      ...ref,
      parts: parts.map((part, index) => ({
        ...pickChecksums(checkPartEntry(part, index)),
        partNumber: checkPartNumber(part.partNumber, maxParts, `parts[${index}].partNumber`),
        etag: requireString(part.etag, `parts[${index}].etag`),
      })),
    };
    const sse = this.sse(ref.bucket, input);
    if (sse) request.sseCustomer = sse;
    if (input.ifMatch !== undefined || input.ifNoneMatch !== undefined)
      this.#gate.require(ref.bucket, 'completeConditions', 'conditional completion (ifMatch / ifNoneMatch)');
    if (input.ifMatch !== undefined) request.ifMatch = requireString(input.ifMatch, 'ifMatch');
    if (input.ifNoneMatch !== undefined)
      request.ifNoneMatch = requireString(input.ifNoneMatch, 'ifNoneMatch');
    if (input.checksumType !== undefined) request.checksumType = input.checksumType;
    const size = checkOptionalPositiveInteger(input.mpObjectSize, 'mpObjectSize');
    if (size !== undefined) request.mpObjectSize = size;
    return request;
  }

  listParts(input: In.ListPartsInput): P.ListPartsRequest {
    const request: P.ListPartsRequest = { ...this.upload(input) };
    this.#gate.require(request.bucket, 'listParts', 'listing parts');
    const maxParts = checkOptionalPositiveInteger(input.maxParts, 'maxParts');
    const marker = checkOptionalPositiveInteger(input.partNumberMarker, 'partNumberMarker');
    if (maxParts !== undefined) request.maxParts = maxParts;
    if (marker !== undefined) request.partNumberMarker = marker;
    const sse = this.sse(request.bucket, input);
    if (sse) request.sseCustomer = sse;
    return request;
  }

  listMultipartUploads(input: In.ListMultipartUploadsInput): P.ListMultipartUploadsRequest {
    const { abortSignal, ...rest } = input;
    const bucket = checkBucket(input.bucket);
    this.#gate.require(bucket, 'listMultipartUploads', 'listing multipart uploads');
    const maxUploads = checkOptionalPositiveInteger(input.maxUploads, 'maxUploads');
    const request: P.ListMultipartUploadsRequest = { ...rest, bucket, ...this.ownership(bucket, input) };
    if (maxUploads !== undefined) request.maxUploads = maxUploads;
    return request;
  }

  head(input: In.HeadObjectInput): P.HeadObjectRequest {
    const bucket = checkBucket(input.bucket);
    const request: P.HeadObjectRequest = {
      bucket,
      key: checkKey(input.key),
      ...this.ownership(bucket, input),
    };
    const versionId = this.versionId(bucket, input.versionId);
    if (versionId !== undefined) request.versionId = versionId;
    const sse = this.sse(bucket, input);
    if (sse) request.sseCustomer = sse;
    return request;
  }

  get(input: In.GetObjectInput): P.GetObjectRequest {
    const request: P.GetObjectRequest = this.head(input);
    if (input.range !== undefined) request.range = parseByteRange(input.range, 'range');
    return request;
  }

  deleteObject(input: In.DeleteObjectInput): P.DeleteObjectRequest {
    const bucket = checkBucket(input.bucket);
    const request: P.DeleteObjectRequest = {
      bucket,
      key: checkKey(input.key),
      ...this.ownership(bucket, input),
    };
    const versionId = this.versionId(bucket, input.versionId);
    if (versionId !== undefined) request.versionId = versionId;
    const { ifMatch, ifMatchLastModifiedTime, ifMatchSize } = input;
    if (ifMatch !== undefined || ifMatchLastModifiedTime !== undefined || ifMatchSize !== undefined) {
      this.#gate.requireOn(
        bucket,
        'deleteConditions',
        'conditional deletes (ifMatch, ifMatchLastModifiedTime, ifMatchSize)',
      );
      if (ifMatch !== undefined) request.ifMatch = requireString(ifMatch, 'ifMatch');
      if (ifMatchLastModifiedTime !== undefined) request.ifMatchLastModifiedTime = ifMatchLastModifiedTime;
      if (ifMatchSize !== undefined) request.ifMatchSize = ifMatchSize;
    }
    return request;
  }

  /**
   * The version a read or delete names. On a store that keeps no versions, `null` (S3's id of the
   * object of a bucket that never had versioning) is the object itself, so it is dropped; any
   * other id needs `versionedSources`.
   */
  versionId(bucket: string, versionId: string | undefined): string | undefined {
    if (versionId === undefined) return undefined;
    const id = requireString(versionId, 'versionId');
    if (id === NULL_VERSION_ID && this.#gate.for(bucket).versionedSources === false) return undefined;
    this.#gate.require(bucket, 'versionedSources', 'object versions');
    return id;
  }

  ownership(bucket: string, input: In.OwnershipInput): RequestOwnership {
    const out: RequestOwnership = {};
    if (input.requestPayer !== undefined) {
      this.#gate.require(bucket, 'requestPayer', 'requestPayer');
      if (input.requestPayer !== 'requester')
        throw new PartCopyError('InvalidArgument', 'requestPayer must be "requester"');
      out.requestPayer = input.requestPayer;
    }
    if (input.expectedBucketOwner !== undefined) {
      this.#gate.require(bucket, 'expectedBucketOwner', 'expectedBucketOwner');
      out.expectedBucketOwner = requireString(input.expectedBucketOwner, 'expectedBucketOwner');
    }
    return out;
  }

  sse(bucket: string, input: In.SseCustomerInput): SseCustomerKey | undefined {
    const key = destinationSseKey(input);
    if (key) this.#gate.require(bucket, 'sseCustomerKey', 'SSE-C (customer-provided keys)');
    return key;
  }

  serverSideEncryption(bucket: string, input: ServerSideEncryptionRequest & In.SseCustomerInput): void {
    const { serverSideEncryption, sseKMSKeyId, sseKMSEncryptionContext, bucketKeyEnabled } = input;
    const requested = [serverSideEncryption, sseKMSKeyId, sseKMSEncryptionContext, bucketKeyEnabled];
    if (requested.some((v) => v !== undefined)) {
      this.#gate.require(
        bucket,
        'sseKms',
        'server-side encryption requests (serverSideEncryption, sseKMSKeyId, ...)',
      );
    }
    if (input.sseCustomerKey !== undefined && serverSideEncryption !== undefined) {
      throw new PartCopyError(
        'InvalidArgument',
        'serverSideEncryption and SSE-C (sseCustomerKey) cannot be combined',
      );
    }
  }

  #copySourceConditions(sourceBucket: string, request: P.UploadPartCopyRequest): void {
    const { conditions } = request;
    const require = (
      flag:
        | 'copySourceIfMatch'
        | 'copySourceIfNoneMatch'
        | 'copySourceIfModifiedSince'
        | 'copySourceIfUnmodifiedSince',
    ) => this.#gate.require(sourceBucket, flag, flag);
    if (conditions.ifMatch) require('copySourceIfMatch');
    if (conditions.ifNoneMatch) require('copySourceIfNoneMatch');
    if (conditions.ifModifiedSince) require('copySourceIfModifiedSince');
    if (conditions.ifUnmodifiedSince) require('copySourceIfUnmodifiedSince');
  }

  #copySourceExtras(
    sourceBucket: string,
    input: In.UploadPartCopyInput,
    request: P.UploadPartCopyRequest,
  ): void {
    const sourceSse = sseKeyFrom(
      input.copySourceSSECustomerAlgorithm,
      input.copySourceSSECustomerKey,
      input.copySourceSSECustomerKeyMD5,
      'copySourceSSECustomerKey',
    );
    if (sourceSse) {
      this.#gate.require(sourceBucket, 'sseCustomerKey', 'SSE-C (customer-provided keys)');
      request.sourceSseCustomer = sourceSse;
    }
    if (input.expectedSourceBucketOwner !== undefined) {
      this.#gate.require(sourceBucket, 'expectedBucketOwner', 'expectedSourceBucketOwner');
      request.expectedSourceBucketOwner = requireString(
        input.expectedSourceBucketOwner,
        'expectedSourceBucketOwner',
      );
    }
  }
}

function checkPartEntry(part: unknown, index: number): In.CompletedPartInput {
  if (typeof part !== 'object' || part === null || Array.isArray(part))
    throw new PartCopyError('MalformedXML', `parts[${index}] must be an object with partNumber and etag`);
  return part as In.CompletedPartInput;
}

/** Validates a caller's source hint (`copySourceHint` of uploadPartCopy and copyObjectServerSide). */
export function checkSourceHint(hint: SourceHint): SourceHint {
  if (typeof hint !== 'object' || hint === null)
    throw new PartCopyError('InvalidArgument', 'copySourceHint must be an object');
  const size = checkOptionalPositiveInteger(hint.size, 'copySourceHint.size');
  if (size === undefined) throw new PartCopyError('InvalidArgument', 'copySourceHint.size is required');
  const out: SourceHint = { size, etag: requireString(hint.etag, 'copySourceHint.etag') };
  if (hint.lastModified !== undefined) {
    if (!(hint.lastModified instanceof Date) || Number.isNaN(hint.lastModified.getTime()))
      throw new PartCopyError('InvalidArgument', 'copySourceHint.lastModified must be a valid Date');
    out.lastModified = hint.lastModified;
  }
  if (hint.versionId !== undefined) out.versionId = requireString(hint.versionId, 'copySourceHint.versionId');
  return out;
}

const CHECKSUM_FIELDS = [
  'checksumCRC32',
  'checksumCRC32C',
  'checksumCRC64NVME',
  'checksumSHA1',
  'checksumSHA256',
] as const;

/** The checksum fields of an input that are strings. */
export function pickChecksums(source: Checksums): Checksums {
  const out: Checksums = {};
  for (const name of CHECKSUM_FIELDS) {
    const value = source[name];
    if (typeof value === 'string') out[name] = value;
  }
  return out;
}
