/**
 * Normalises S3 CopyObject input for {@link PartCopyClient.copyObjectServerSide}: the copy source,
 * its conditions and SSE-C key, the metadata directive with the settings it reads, destination
 * conditions and the source hint, each refused with `Unsupported` where the capabilities of the
 * bucket it concerns rule it out. Ownership and SSE fields go through the shared normaliser.
 */
import type { Capabilities } from '../contract/capabilities.js';
import type { MetadataDirective, ServerSideCopyRequest } from '../contract/provider-contract.js';
import type { ObjectSettings } from '../contract/types.js';
import { PartCopyError } from '../errors/part-copy-error.js';
import type { CapabilityGate } from '../pipeline/capability-gate.js';
import { parseCopySource } from '../semantics/copy-source.js';
import { checkCopySourceSize } from '../semantics/part-size-limits.js';
import type { SourceHint } from '../semantics/source-hint.js';
import type { CopyObjectServerSideInput } from './inputs.js';
import { checkSourceHint, type RequestNormaliser } from './normalise.js';
import { checkBucket, checkKey, normaliseConditions, requireString, sseKeyFrom } from './validate.js';

type Require = (flag: keyof Capabilities, what: string) => void;

const SETTING_FIELDS = [
  'contentType',
  'contentEncoding',
  'contentDisposition',
  'contentLanguage',
  'cacheControl',
  'expires',
  'metadata',
  'storageClass',
  'tagging',
] as const satisfies readonly (keyof ObjectSettings)[];

/** Validates and normalises a CopyObject input; capability checks per bucket named. */
export function normaliseServerSideCopy(
  input: CopyObjectServerSideInput,
  gate: CapabilityGate,
  normalise: RequestNormaliser,
): ServerSideCopyRequest {
  const bucket = checkBucket(input.bucket);
  const key = checkKey(input.key);
  const onDestination: Require = (flag, what) => gate.require(bucket, flag, what);
  onDestination('wholeObjectCopy', 'whole-object server-side copy (copyObject)');
  if (input.copySource === undefined) throw new PartCopyError('InvalidArgument', 'copySource is required');
  const source = parseCopySource(input.copySource);
  checkBucket(source.bucket, 'copySource bucket');
  checkKey(source.key, 'copySource key');
  const onSource: Require = (flag, what) => gate.require(source.bucket, flag, what);
  if (source.versionId !== undefined)
    onSource('versionedSources', 'copying from a source version (versionId)');
  if (source.accessPointArn !== undefined) onDestination('accessPoints', 'access-point ARN copy sources');
  const conditions = normaliseConditions(input);
  if (conditions.ifMatch) onSource('copySourceIfMatch', 'copySourceIfMatch');
  if (conditions.ifNoneMatch) onSource('copySourceIfNoneMatch', 'copySourceIfNoneMatch');
  if (conditions.ifModifiedSince) onSource('copySourceIfModifiedSince', 'copySourceIfModifiedSince');
  if (conditions.ifUnmodifiedSince) onSource('copySourceIfUnmodifiedSince', 'copySourceIfUnmodifiedSince');
  normalise.serverSideEncryption(bucket, input);
  const metadataDirective = directive(input.metadataDirective);
  const request: ServerSideCopyRequest = {
    bucket,
    key,
    source,
    conditions,
    metadataDirective,
    settings: pickSettings(input, metadataDirective),
    ...normalise.ownership(bucket, input),
  };
  addServerSideEncryption(request, input);
  const sse = normalise.sse(bucket, input);
  if (sse) request.sseCustomer = sse;
  addDestinationConditions(request, input, onDestination);
  const sourceSse = sseKeyFrom(
    input.copySourceSSECustomerAlgorithm,
    input.copySourceSSECustomerKey,
    input.copySourceSSECustomerKeyMD5,
    'copySourceSSECustomerKey',
  );
  if (sourceSse) {
    onSource('sseCustomerKey', 'SSE-C (customer-provided keys)');
    request.sourceSseCustomer = sourceSse;
  }
  if (input.expectedSourceBucketOwner !== undefined) {
    onSource('expectedBucketOwner', 'expectedSourceBucketOwner');
    request.expectedSourceBucketOwner = requireString(
      input.expectedSourceBucketOwner,
      'expectedSourceBucketOwner',
    );
  }
  if (input.checksumAlgorithm !== undefined) {
    if (!gate.for(bucket).checksumAlgorithms.includes(input.checksumAlgorithm))
      throw gate.unsupported(`the ${input.checksumAlgorithm} checksum algorithm`);
    request.checksumAlgorithm = input.checksumAlgorithm;
  }
  if (input.resumeToken !== undefined) request.resumeToken = input.resumeToken;
  checkNotOntoItself(request, input);
  if (input.copySourceHint !== undefined)
    request.sourceHint = sourceHint(input.copySourceHint, gate.for(bucket), request);
  return request;
}

function directive(value: unknown): MetadataDirective {
  if (value === undefined || value === 'COPY' || value === 'REPLACE') return value ?? 'COPY';
  throw new PartCopyError(
    'InvalidArgument',
    `metadataDirective must be "COPY" or "REPLACE" (got ${String(value)})`,
  );
}

/** Under COPY only the storage class is read (S3 never carries it); under REPLACE every setting. */
function pickSettings(
  input: CopyObjectServerSideInput,
  metadataDirective: MetadataDirective,
): ObjectSettings {
  const settings: ObjectSettings = {};
  for (const field of SETTING_FIELDS) {
    if (metadataDirective === 'COPY' && field !== 'storageClass') continue;
    const value = input[field];
    if (value !== undefined) (settings as Record<string, unknown>)[field] = value;
  }
  return settings;
}

function addServerSideEncryption(request: ServerSideCopyRequest, input: CopyObjectServerSideInput): void {
  const { serverSideEncryption, sseKMSKeyId, sseKMSEncryptionContext, bucketKeyEnabled } = input;
  if (serverSideEncryption !== undefined) request.serverSideEncryption = serverSideEncryption;
  if (sseKMSKeyId !== undefined) request.sseKMSKeyId = sseKMSKeyId;
  if (sseKMSEncryptionContext !== undefined) request.sseKMSEncryptionContext = sseKMSEncryptionContext;
  if (bucketKeyEnabled !== undefined) request.bucketKeyEnabled = bucketKeyEnabled;
}

function addDestinationConditions(
  request: ServerSideCopyRequest,
  input: CopyObjectServerSideInput,
  require: Require,
): void {
  if (input.ifMatch === undefined && input.ifNoneMatch === undefined) return;
  require('wholeObjectCopyConditions', 'conditional whole-object copy (ifMatch / ifNoneMatch)');
  if (input.ifMatch !== undefined) request.ifMatch = requireString(input.ifMatch, 'ifMatch');
  if (input.ifNoneMatch !== undefined) request.ifNoneMatch = requireString(input.ifNoneMatch, 'ifNoneMatch');
}

/** A hint is checked like any input; a hinted size over the limit is refused before any request. */
function sourceHint(
  hint: SourceHint,
  capabilities: Readonly<Capabilities>,
  request: ServerSideCopyRequest,
): SourceHint {
  const checked = checkSourceHint(hint);
  checkCopySourceSize(checked.size, capabilities.maxWholeObjectCopySize, {
    bucket: request.bucket,
    key: request.key,
    sourceBucket: request.source.bucket,
    sourceKey: request.source.key,
  });
  return checked;
}

/**
 * S3 refuses a copy of the current object onto itself that changes nothing (InvalidRequest,
 * "This copy request is illegal because it is trying to copy an object to itself without changing
 * the object's metadata, storage class, website redirect location or encryption attributes.").
 */
function checkNotOntoItself(request: ServerSideCopyRequest, input: CopyObjectServerSideInput): void {
  const { source } = request;
  if (source.bucket !== request.bucket || source.key !== request.key || source.versionId !== undefined)
    return;
  const changes =
    request.metadataDirective === 'REPLACE' ||
    request.settings.storageClass !== undefined ||
    input.sseCustomerKey !== undefined ||
    input.serverSideEncryption !== undefined ||
    input.sseKMSKeyId !== undefined;
  if (changes) return;
  throw new PartCopyError(
    'InvalidRequest',
    "This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata, storage class, website redirect location or encryption attributes.",
  );
}
