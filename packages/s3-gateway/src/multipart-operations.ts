/**
 * The multipart API: Create, UploadPart, UploadPartCopy (every field of the operation), Complete,
 * Abort, ListParts, ListMultipartUploads. Upload state lives in the store, so any gateway
 * instance serves any upload.
 */
import type { ChecksumType, CompletedPartInput } from '@partcopy/core';
import { parseCopySource, quoteEtag } from '@partcopy/core/provider';
import { ownerXml } from './access-control.js';
import { withObjectAcl } from './acl-operations.js';
import { isReservedKey, refuseReservedKey } from './bucket-config-document.js';
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
import { checksumElements, counted, sourceOwner } from './object-writes.js';
import { incomingPayload } from './request-body.js';
import { headerValue } from './sigv4-verifier.js';
import { readSmallBody } from './small-body.js';
import { malformedXml, parseXmlBody } from './xml-codec.js';
import { encodeIfAsked, sendEmpty, sendXml, xmlDate } from './xml-response.js';

export async function createMultipartUpload(request: GatewayRequest): Promise<void> {
  const headers = request.req.headers;
  const algorithm = checksumAlgorithmFromHeaders(headers);
  const type = headerValue(headers, 'x-amz-checksum-type')?.toUpperCase();
  if (type !== undefined && type !== 'COMPOSITE' && type !== 'FULL_OBJECT') {
    throw new GatewayError('InvalidRequest', 'Value for x-amz-checksum-type header is invalid.');
  }
  const result = await request.client.createMultipartUpload({
    bucket: bucketOf(request),
    key: keyOf(request),
    ...withObjectAcl(request, settingsFromHeaders(headers)),
    ...sseFromHeaders(headers),
    ...sseCustomerFromHeaders(headers),
    ...ownershipFromHeaders(headers),
    ...(algorithm === undefined ? {} : { checksumAlgorithm: algorithm }),
    ...(type === undefined ? {} : { checksumType: type as ChecksumType }),
    abortSignal: request.signal,
  });
  setEncryptionHeaders(request.res, result);
  if (result.checksumAlgorithm) request.res.setHeader('x-amz-checksum-algorithm', result.checksumAlgorithm);
  if (result.checksumType) request.res.setHeader('x-amz-checksum-type', result.checksumType);
  sendXml(request, 'InitiateMultipartUploadResult', {
    Bucket: result.bucket,
    Key: result.key,
    UploadId: result.uploadId,
  });
}

export async function uploadPart(request: GatewayRequest): Promise<void> {
  const headers = request.req.headers;
  const payload = incomingPayload(request.req, request.signature);
  const result = await request.client.uploadPart({
    ...uploadOf(request),
    partNumber: partNumberOf(request),
    body: counted(payload.body, request),
    contentLength: payload.length,
    ...sseCustomerFromHeaders(headers),
    ...ownershipFromHeaders(headers),
    ...checksumsFromHeaders(headers),
    ...contentMD5FromHeaders(headers),
    abortSignal: request.signal,
  });
  request.res.setHeader('etag', quoteEtag(result.etag));
  setEncryptionHeaders(request.res, result);
  setChecksumHeaders(request.res, result);
  sendEmpty(request);
}

export async function uploadPartCopy(request: GatewayRequest): Promise<void> {
  const headers = request.req.headers;
  const copySource = headerValue(headers, 'x-amz-copy-source') as string;
  const source = parseCopySource(copySource);
  request.options.checkBucket(source.bucket);
  refuseReservedKey(source.key);
  const range = headerValue(headers, 'x-amz-copy-source-range');
  const conditions = readCopyConditions(request);
  const result = await request.client.uploadPartCopy({
    ...uploadOf(request),
    partNumber: partNumberOf(request),
    copySource,
    ...(range === undefined ? {} : { copySourceRange: range }),
    ...conditions,
    ...sseCustomerFromHeaders(headers),
    ...copySourceSseFromHeaders(headers),
    ...ownershipFromHeaders(headers),
    ...sourceOwner(request),
    abortSignal: request.signal,
  });
  const { res } = request;
  if (result.copySourceVersionId) res.setHeader('x-amz-copy-source-version-id', result.copySourceVersionId);
  // S3's answer has no field for how the bytes moved; say it for clients that care (GCS copies
  // sub-ranges by streaming them through the gateway).
  res.setHeader('x-partcopy-transfer', result.transfer);
  setEncryptionHeaders(res, result);
  if (result.requestCharged) res.setHeader('x-amz-request-charged', result.requestCharged);
  sendXml(request, 'CopyPartResult', {
    ETag: quoteEtag(result.copyPartResult.etag),
    LastModified: xmlDate(result.copyPartResult.lastModified ?? request.options.now()),
    ...checksumElements(result.copyPartResult),
  });
}

// The copy-source conditions pass through as the client wrote them: the facade parses the
// dates, so a malformed one is the facade's InvalidArgument, as on every other entry.
function readCopyConditions(request: GatewayRequest) {
  const h = (name: string) => headerValue(request.req.headers, `x-amz-copy-source-${name}`);
  const list = (text: string) =>
    text
      .split(',')
      .map((e) => e.trim())
      .filter((e) => e !== '');
  const ifMatch = h('if-match');
  const ifNoneMatch = h('if-none-match');
  const ifModifiedSince = h('if-modified-since');
  const ifUnmodifiedSince = h('if-unmodified-since');
  return {
    ...(ifMatch === undefined ? {} : { copySourceIfMatch: list(ifMatch) }),
    ...(ifNoneMatch === undefined ? {} : { copySourceIfNoneMatch: list(ifNoneMatch) }),
    ...(ifModifiedSince === undefined ? {} : { copySourceIfModifiedSince: ifModifiedSince }),
    ...(ifUnmodifiedSince === undefined ? {} : { copySourceIfUnmodifiedSince: ifUnmodifiedSince }),
  };
}

export async function completeMultipartUpload(request: GatewayRequest): Promise<void> {
  const headers = request.req.headers;
  const document = parseXmlBody(await readSmallBody(request, 4 * 1024 * 1024), 'CompleteMultipartUpload');
  const parts = ((document.Part as Array<Record<string, unknown>> | undefined) ?? []).map(completedPart);
  if (parts.length === 0) {
    throw malformedXml();
  }
  const ifMatch = headerValue(headers, 'if-match');
  const ifNoneMatch = headerValue(headers, 'if-none-match');
  const objectSize = headerValue(headers, 'x-amz-mp-object-size');
  const type = headerValue(headers, 'x-amz-checksum-type')?.toUpperCase();
  const result = await request.client.completeMultipartUpload({
    ...uploadOf(request),
    parts,
    ...sseCustomerFromHeaders(headers),
    ...ownershipFromHeaders(headers),
    ...checksumsFromHeaders(headers),
    ...(type === undefined ? {} : { checksumType: type as ChecksumType }),
    ...(ifMatch === undefined ? {} : { ifMatch }),
    ...(ifNoneMatch === undefined ? {} : { ifNoneMatch }),
    ...(objectSize === undefined ? {} : { mpObjectSize: Number(objectSize) }),
    abortSignal: request.signal,
  });
  if (result.versionId) request.res.setHeader('x-amz-version-id', result.versionId);
  setEncryptionHeaders(request.res, result);
  sendXml(request, 'CompleteMultipartUploadResult', {
    Location: `/${result.bucket}/${encodeURIComponent(result.key).replaceAll('%2F', '/')}`,
    Bucket: result.bucket,
    Key: result.key,
    ETag: quoteEtag(result.etag),
    ...checksumElements(result),
    ...(result.checksumType ? { ChecksumType: result.checksumType } : {}),
  });
}

function completedPart(part: Record<string, unknown>): CompletedPartInput {
  const partNumber = Number(part.PartNumber);
  const etag = part.ETag;
  if (!Number.isInteger(partNumber) || typeof etag !== 'string') {
    throw malformedXml();
  }
  const checksums: Record<string, string> = {};
  for (const name of ['CRC32', 'CRC32C', 'CRC64NVME', 'SHA1', 'SHA256']) {
    const value = part[`Checksum${name}`];
    if (typeof value === 'string') checksums[`checksum${name}`] = value;
  }
  return { partNumber, etag: etag.trim(), ...checksums };
}

export async function abortMultipartUpload(request: GatewayRequest): Promise<void> {
  await request.client.abortMultipartUpload({
    ...uploadOf(request),
    ...ownershipFromHeaders(request.req.headers),
    abortSignal: request.signal,
  });
  sendEmpty(request, 204);
}

export async function listParts(request: GatewayRequest): Promise<void> {
  const q = request.target.query;
  const maxParts = optionalInteger(q.get('max-parts'), 'max-parts');
  const marker = optionalInteger(q.get('part-number-marker'), 'part-number-marker');
  const result = await request.client.listParts({
    ...uploadOf(request),
    ...(maxParts === undefined ? {} : { maxParts }),
    ...(marker === undefined ? {} : { partNumberMarker: marker }),
    ...sseCustomerFromHeaders(request.req.headers),
    ...ownershipFromHeaders(request.req.headers),
    abortSignal: request.signal,
  });
  sendXml(request, 'ListPartsResult', {
    Bucket: result.bucket,
    Key: encodeIfAsked(request, result.key),
    UploadId: result.uploadId,
    Initiator: ownerXml(request),
    Owner: ownerXml(request),
    StorageClass: 'STANDARD',
    PartNumberMarker: marker ?? 0,
    ...(result.nextPartNumberMarker === undefined
      ? {}
      : { NextPartNumberMarker: result.nextPartNumberMarker }),
    MaxParts: maxParts ?? 1000,
    IsTruncated: result.isTruncated,
    ...(result.checksumAlgorithm ? { ChecksumAlgorithm: result.checksumAlgorithm } : {}),
    ...(result.checksumType ? { ChecksumType: result.checksumType } : {}),
    ...(result.parts.length === 0
      ? {}
      : {
          Part: result.parts.map((p) => ({
            PartNumber: p.partNumber,
            LastModified: xmlDate(p.lastModified),
            ETag: quoteEtag(p.etag),
            Size: p.size,
            ...checksumElements(p),
          })),
        }),
  });
}

export async function listMultipartUploads(request: GatewayRequest): Promise<void> {
  const q = request.target.query;
  const prefix = q.get('prefix');
  const keyMarker = q.get('key-marker');
  const uploadIdMarker = q.get('upload-id-marker');
  const delimiter = q.get('delimiter') ?? '';
  const maxUploads = optionalInteger(q.get('max-uploads'), 'max-uploads');
  const result = await request.client.listMultipartUploads({
    bucket: bucketOf(request),
    ...(prefix ? { prefix } : {}),
    ...(keyMarker ? { keyMarker } : {}),
    ...(uploadIdMarker ? { uploadIdMarker } : {}),
    ...(maxUploads === undefined ? {} : { maxUploads }),
    ...ownershipFromHeaders(request.req.headers),
    abortSignal: request.signal,
  });
  // Uploads under a common prefix are folded into it, within this page.
  const prefixes = new Set<string>();
  const uploads = result.uploads.filter((u) => {
    if (isReservedKey(u.key)) return false;
    if (delimiter === '') return true;
    const at = u.key.indexOf(delimiter, (prefix ?? '').length);
    if (at === -1) return true;
    prefixes.add(u.key.slice(0, at + delimiter.length));
    return false;
  });
  sendXml(request, 'ListMultipartUploadsResult', {
    Bucket: result.bucket,
    KeyMarker: encodeIfAsked(request, keyMarker ?? ''),
    UploadIdMarker: uploadIdMarker ?? '',
    ...(result.nextKeyMarker === undefined
      ? {}
      : { NextKeyMarker: encodeIfAsked(request, result.nextKeyMarker) }),
    ...(result.nextUploadIdMarker === undefined ? {} : { NextUploadIdMarker: result.nextUploadIdMarker }),
    ...(prefix === undefined ? {} : { Prefix: encodeIfAsked(request, prefix) }),
    ...(delimiter === '' ? {} : { Delimiter: delimiter }),
    MaxUploads: maxUploads ?? 1000,
    IsTruncated: result.isTruncated,
    ...(uploads.length === 0
      ? {}
      : {
          Upload: uploads.map((u) => ({
            Key: encodeIfAsked(request, u.key),
            UploadId: u.uploadId,
            Initiator: ownerXml(request),
            Owner: ownerXml(request),
            StorageClass: u.storageClass ?? 'STANDARD',
            Initiated: xmlDate(u.initiated),
            ...(u.checksumAlgorithm ? { ChecksumAlgorithm: u.checksumAlgorithm } : {}),
          })),
        }),
    ...(prefixes.size === 0
      ? {}
      : { CommonPrefixes: [...prefixes].map((p) => ({ Prefix: encodeIfAsked(request, p) })) }),
  });
}

function uploadOf(request: GatewayRequest) {
  return {
    bucket: bucketOf(request),
    key: keyOf(request),
    uploadId: request.target.query.get('uploadId') as string,
  };
}

// S3's wording for a part number that is not a number in range.
function partNumberOf(request: GatewayRequest): number {
  const text = request.target.query.get('partNumber') ?? '';
  const value = Number(text);
  if (!/^\d+$/.test(text) || !Number.isInteger(value) || value < 1 || value > 10_000) {
    throw new GatewayError(
      'InvalidArgument',
      'Part number must be an integer between 1 and 10000, inclusive',
      {
        ArgumentName: 'partNumber',
        ArgumentValue: text,
      },
    );
  }
  return value;
}

function optionalInteger(text: string | undefined, name: string): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(value)) {
    throw new GatewayError('InvalidArgument', `Provided ${name} not an integer or within integer range`, {
      ArgumentName: name,
      ArgumentValue: text,
    });
  }
  return value;
}
