/** PutObject, DeleteObject, DeleteObjects and CopyObject. */
import { copyObject as engineCopy, PartCopyError } from '@partcopy/core';
import { evaluateCopySourceConditions, parseCopySource, quoteEtag } from '@partcopy/core/provider';
import { withObjectAcl } from './acl-operations.js';
import { refuseReservedKey } from './bucket-config-document.js';
import { copySettings } from './copy-tagging.js';
import {
  type DeleteConditionsInput,
  deleteConditionsFromEntry,
  deleteConditionsFromHeaders,
} from './delete-conditions.js';
import { GatewayError } from './gateway-error.js';
import { bucketOf, type GatewayRequest, keyOf } from './gateway-request.js';
import {
  checksumAlgorithmFromHeaders,
  checksumsFromHeaders,
  contentMD5FromHeaders,
  copySourceSseFromHeaders,
  ownershipFromHeaders,
  setChecksumHeaders,
  setEncryptionHeaders,
  settingsFromHeaders,
  sseCustomerFromHeaders,
  sseFromHeaders,
} from './object-headers.js';
import { readConditions } from './read-conditions.js';
import { incomingPayload } from './request-body.js';
import { s3ErrorAnswer } from './s3-error-response.js';
import { headerValue } from './sigv4-verifier.js';
import { readSmallBody } from './small-body.js';
import { malformedXml, parseXmlBody } from './xml-codec.js';
import { sendEmpty, sendXml, xmlDate } from './xml-response.js';

/** DeleteObjects takes at most 1,000 keys per request. */
const MAX_DELETE_KEYS = 1000;

export async function putObject(request: GatewayRequest): Promise<void> {
  const headers = request.req.headers;
  const payload = incomingPayload(request.req, request.signature);
  const algorithm = checksumAlgorithmFromHeaders(headers) ?? payload.trailerChecksum;
  const ifMatch = headerValue(headers, 'if-match');
  const ifNoneMatch = headerValue(headers, 'if-none-match');
  const result = await request.client.putObject({
    bucket: bucketOf(request),
    key: keyOf(request),
    body: counted(payload.body, request),
    contentLength: payload.length,
    ...withObjectAcl(request, settingsFromHeaders(headers)),
    ...sseFromHeaders(headers),
    ...sseCustomerFromHeaders(headers),
    ...ownershipFromHeaders(headers),
    ...checksumsFromHeaders(headers),
    ...(algorithm === undefined ? {} : { checksumAlgorithm: algorithm }),
    ...contentMD5FromHeaders(headers),
    ...(ifMatch === undefined ? {} : { ifMatch }),
    ...(ifNoneMatch === undefined ? {} : { ifNoneMatch }),
    abortSignal: request.signal,
  });
  request.res.setHeader('etag', quoteEtag(result.etag));
  if (result.versionId) request.res.setHeader('x-amz-version-id', result.versionId);
  setEncryptionHeaders(request.res, result);
  setChecksumHeaders(request.res, checksumsFromHeaders(headers));
  sendEmpty(request);
}

/** Counts payload bytes as the store reads them. */
export async function* counted(
  body: AsyncIterable<Uint8Array>,
  request: GatewayRequest,
): AsyncGenerator<Uint8Array> {
  for await (const chunk of body) {
    request.bytes.in += chunk.byteLength;
    yield chunk;
  }
}

export async function deleteObject(request: GatewayRequest): Promise<void> {
  const versionId = request.target.query.get('versionId');
  const conditions = deleteConditionsFromHeaders(request.req.headers);
  const result = await deleteOne(request, keyOf(request), versionId, conditions);
  if (result.deleteMarker) request.res.setHeader('x-amz-delete-marker', 'true');
  if (result.versionId) request.res.setHeader('x-amz-version-id', result.versionId);
  sendEmpty(request, 204);
}

// Deleting a key that does not exist succeeds in S3.
async function deleteOne(
  request: GatewayRequest,
  key: string,
  versionId: string | undefined,
  conditions: DeleteConditionsInput,
) {
  refuseReservedKey(key);
  try {
    return await request.client.deleteObject({
      bucket: bucketOf(request),
      key,
      ...(versionId === undefined ? {} : { versionId }),
      ...conditions,
      ...ownershipFromHeaders(request.req.headers),
      abortSignal: request.signal,
    });
  } catch (error) {
    if (PartCopyError.hasCode(error, 'NoSuchKey')) return {};
    throw error;
  }
}

export async function deleteObjects(request: GatewayRequest): Promise<void> {
  const document = parseXmlBody(await readSmallBody(request, 2 * 1024 * 1024), 'Delete');
  const quiet =
    String(document.Quiet ?? 'false')
      .trim()
      .toLowerCase() === 'true';
  const objects = (document.Object as Array<Record<string, unknown>> | undefined) ?? [];
  if (objects.length === 0 || objects.length > MAX_DELETE_KEYS) {
    throw malformedXml();
  }
  const deleted: Array<Record<string, unknown>> = [];
  const errors: Array<Record<string, unknown>> = [];
  for (const object of objects) {
    const key = typeof object.Key === 'string' ? object.Key : undefined;
    if (key === undefined || key === '') throw new GatewayError('MalformedXML', 'Each Object needs a Key.');
    const versionId = typeof object.VersionId === 'string' ? object.VersionId : undefined;
    try {
      const result = await deleteOne(request, key, versionId, deleteConditionsFromEntry(object));
      if (!quiet) {
        deleted.push({
          Key: key,
          ...(versionId === undefined ? {} : { VersionId: versionId }),
          ...(result.deleteMarker ? { DeleteMarker: true } : {}),
          ...(result.deleteMarker && result.versionId ? { DeleteMarkerVersionId: result.versionId } : {}),
        });
      }
    } catch (error) {
      if (request.signal.aborted) throw error;
      const answer = s3ErrorAnswer(error);
      errors.push({
        Key: key,
        ...(versionId === undefined ? {} : { VersionId: versionId }),
        Code: answer.code,
        Message: answer.message,
      });
    }
  }
  sendXml(request, 'DeleteResult', {
    ...(deleted.length === 0 ? {} : { Deleted: deleted }),
    ...(errors.length === 0 ? {} : { Error: errors }),
  });
}

/**
 * CopyObject: one server-side copy through the facade when the store copies whole objects (S3,
 * Azure, GCS, fs, memory all do); otherwise the engine's part copies, for a plain copy.
 */
export async function copyObject(request: GatewayRequest): Promise<void> {
  const headers = request.req.headers;
  const copySource = headerValue(headers, 'x-amz-copy-source') as string;
  const directive = (headerValue(headers, 'x-amz-metadata-directive') ?? 'COPY').toUpperCase();
  if (directive !== 'COPY' && directive !== 'REPLACE') {
    throw new GatewayError('InvalidArgument', 'Unknown metadata directive.', {
      ArgumentName: 'x-amz-metadata-directive',
    });
  }
  const source = parseCopySource(copySource);
  request.options.checkBucket(source.bucket);
  refuseReservedKey(source.key);
  const conditions = readConditions(headers, 'x-amz-copy-source-');
  const capabilities = request.client.capabilitiesFor(bucketOf(request));
  // A copy in a bucket with ACLs gets its own ACL, never the source's: its settings are written.
  // A copy onto itself under COPY stays COPY, so the store refuses it as S3 does (InvalidRequest).
  const onto = source.bucket === bucketOf(request) && source.key === keyOf(request);
  const writeSettings = (request.access?.aclsEnabled ?? false) && !onto;
  const read = await copySettings(request, source, directive, writeSettings);
  const copied = { ...read, settings: withObjectAcl(request, read.settings) };
  if (!capabilities.wholeObjectCopy)
    return copyWithEngine(request, source, conditions, copied.metadataDirective);
  // Settings read from the source bind the copy to that source (copy-tagging.ts).
  const ifSourceMatch = conditions.ifMatch ?? copied.pinnedEtag;
  const ifMatch = headerValue(headers, 'if-match');
  const ifNoneMatch = headerValue(headers, 'if-none-match');
  // The checksum the store computes over the copy, for a client that verifies it.
  const algorithm = checksumAlgorithmFromHeaders(headers);
  const result = await request.client.copyObjectServerSide({
    ...(algorithm === undefined ? {} : { checksumAlgorithm: algorithm }),
    bucket: bucketOf(request),
    key: keyOf(request),
    copySource,
    metadataDirective: copied.metadataDirective,
    ...copied.settings,
    ...sseFromHeaders(headers),
    ...sseCustomerFromHeaders(headers),
    ...copySourceSseFromHeaders(headers),
    ...ownershipFromHeaders(headers),
    ...sourceOwner(request),
    ...(ifSourceMatch ? { copySourceIfMatch: ifSourceMatch } : {}),
    ...(conditions.ifNoneMatch ? { copySourceIfNoneMatch: conditions.ifNoneMatch } : {}),
    ...(conditions.ifModifiedSince ? { copySourceIfModifiedSince: conditions.ifModifiedSince } : {}),
    ...(conditions.ifUnmodifiedSince ? { copySourceIfUnmodifiedSince: conditions.ifUnmodifiedSince } : {}),
    ...(ifMatch === undefined ? {} : { ifMatch }),
    ...(ifNoneMatch === undefined ? {} : { ifNoneMatch }),
    abortSignal: request.signal,
  });
  const { res } = request;
  if (result.versionId) res.setHeader('x-amz-version-id', result.versionId);
  if (result.copySourceVersionId) res.setHeader('x-amz-copy-source-version-id', result.copySourceVersionId);
  setEncryptionHeaders(res, result);
  sendXml(request, 'CopyObjectResult', {
    ETag: quoteEtag(result.etag),
    LastModified: xmlDate(result.lastModified ?? request.options.now()),
    ...checksumElements(result),
  });
}

async function copyWithEngine(
  request: GatewayRequest,
  source: ReturnType<typeof parseCopySource>,
  conditions: ReturnType<typeof readConditions>,
  directive: string,
): Promise<void> {
  if (directive === 'REPLACE') {
    throw new GatewayError(
      'NotImplemented',
      'This store has no whole-object copy; CopyObject with REPLACE is not implemented on it.',
    );
  }
  const info = await request.client.headObject({
    bucket: source.bucket,
    key: source.key,
    ...(source.versionId ? { versionId: source.versionId } : {}),
    abortSignal: request.signal,
  });
  evaluateCopySourceConditions(conditions, info);
  const result = await engineCopy({
    client: request.client,
    source: {
      bucket: source.bucket,
      key: source.key,
      ...(info.versionId ? { versionId: info.versionId } : {}),
    },
    destination: { bucket: bucketOf(request), key: keyOf(request) },
    signal: request.signal,
  });
  if (result.versionId) request.res.setHeader('x-amz-version-id', result.versionId);
  sendXml(request, 'CopyObjectResult', {
    ETag: quoteEtag(result.etag),
    LastModified: xmlDate(request.options.now()),
  });
}

export function sourceOwner(request: GatewayRequest): { expectedSourceBucketOwner?: string } {
  const owner = headerValue(request.req.headers, 'x-amz-source-expected-bucket-owner');
  return owner === undefined ? {} : { expectedSourceBucketOwner: owner };
}

export function checksumElements(result: {
  checksumCRC32?: string;
  checksumCRC32C?: string;
  checksumCRC64NVME?: string;
  checksumSHA1?: string;
  checksumSHA256?: string;
}): Record<string, string> {
  return {
    ...(result.checksumCRC32 ? { ChecksumCRC32: result.checksumCRC32 } : {}),
    ...(result.checksumCRC32C ? { ChecksumCRC32C: result.checksumCRC32C } : {}),
    ...(result.checksumCRC64NVME ? { ChecksumCRC64NVME: result.checksumCRC64NVME } : {}),
    ...(result.checksumSHA1 ? { ChecksumSHA1: result.checksumSHA1 } : {}),
    ...(result.checksumSHA256 ? { ChecksumSHA256: result.checksumSHA256 } : {}),
  };
}
