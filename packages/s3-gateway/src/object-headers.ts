/**
 * S3's object headers both ways: request headers as the facade's inputs (settings, SSE-C,
 * SSE, ownership, checksums, conditions) and an object's description as response headers.
 */
import type { IncomingHttpHeaders, ServerResponse } from 'node:http';
import type {
  ChecksumAlgorithm,
  Checksums,
  EncryptionResult,
  ObjectInfo,
  ObjectSettings,
  OwnershipInput,
  ServerSideEncryptionRequest,
  SseCustomerInput,
} from '@partcopy/core';
import { formatHttpDate, parseHttpDate, quoteEtag } from '@partcopy/core/provider';
import { GatewayError } from './gateway-error.js';
import { OBJECT_ACL_METADATA, withoutAclMetadata } from './object-acl-metadata.js';
import { headerValue } from './sigv4-verifier.js';

/** S3's limit on user metadata: names and values together. */
const MAX_METADATA_BYTES = 2048;

const CHECKSUM_HEADERS: ReadonlyArray<[ChecksumAlgorithm, keyof Checksums]> = [
  ['CRC32', 'checksumCRC32'],
  ['CRC32C', 'checksumCRC32C'],
  ['CRC64NVME', 'checksumCRC64NVME'],
  ['SHA1', 'checksumSHA1'],
  ['SHA256', 'checksumSHA256'],
];

/** The object settings a PUT, CopyObject (REPLACE) or CreateMultipartUpload states. */
export function settingsFromHeaders(headers: IncomingHttpHeaders): ObjectSettings {
  const h = (name: string) => headerValue(headers, name);
  const settings: ObjectSettings = {};
  const contentType = h('content-type');
  if (contentType !== undefined) settings.contentType = contentType;
  const cacheControl = h('cache-control');
  if (cacheControl !== undefined) settings.cacheControl = cacheControl;
  const disposition = h('content-disposition');
  if (disposition !== undefined) settings.contentDisposition = disposition;
  // aws-chunked is how the body travelled, not how the object is encoded.
  const encoding = h('content-encoding')
    ?.split(',')
    .map((e) => e.trim())
    .filter((e) => e !== '' && e !== 'aws-chunked')
    .join(', ');
  if (encoding) settings.contentEncoding = encoding;
  const language = h('content-language');
  if (language !== undefined) settings.contentLanguage = language;
  const expires = h('expires');
  if (expires !== undefined) {
    try {
      settings.expires = parseHttpDate(expires, 'Expires');
    } catch {
      // S3 stores an unparseable Expires as given; the contract keeps dates only, so drop it.
    }
  }
  const storageClass = h('x-amz-storage-class');
  if (storageClass !== undefined) settings.storageClass = storageClass;
  const tagging = h('x-amz-tagging');
  if (tagging !== undefined) settings.tagging = parseTagging(tagging);
  const metadata = metadataFromHeaders(headers);
  if (metadata !== undefined) settings.metadata = metadata;
  return settings;
}

function metadataFromHeaders(headers: IncomingHttpHeaders): Record<string, string> | undefined {
  let metadata: Record<string, string> | undefined;
  let size = 0;
  for (const [name, value] of Object.entries(headers)) {
    if (!name.startsWith('x-amz-meta-') || value === undefined) continue;
    const key = name.slice('x-amz-meta-'.length);
    // The gateway's own entry: a client cannot write an object's ACL as metadata.
    if (key === OBJECT_ACL_METADATA) continue;
    const text = Array.isArray(value) ? value.join(',') : value;
    size += Buffer.byteLength(key) + Buffer.byteLength(text);
    metadata ??= {};
    metadata[key] = text;
  }
  if (size > MAX_METADATA_BYTES) {
    throw new GatewayError(
      'MetadataTooLarge',
      'Your metadata headers exceed the maximum allowed metadata size.',
      {
        Size: String(size),
        MaxSizeAllowed: String(MAX_METADATA_BYTES),
      },
    );
  }
  return metadata;
}

function parseTagging(text: string): Record<string, string> {
  const tags: Record<string, string> = {};
  for (const [key, value] of new URLSearchParams(text)) tags[key] = value;
  return tags;
}

/** SSE-C of the object itself, or (`copy-source`) of a copy's source. */
export function sseCustomerFromHeaders(headers: IncomingHttpHeaders, copySource = false): SseCustomerInput {
  const prefix = copySource
    ? 'x-amz-copy-source-server-side-encryption-customer-'
    : 'x-amz-server-side-encryption-customer-';
  const algorithm = headerValue(headers, `${prefix}algorithm`);
  const key = headerValue(headers, `${prefix}key`);
  const keyMD5 = headerValue(headers, `${prefix}key-md5`);
  return {
    ...(algorithm === undefined ? {} : { sseCustomerAlgorithm: algorithm }),
    ...(key === undefined ? {} : { sseCustomerKey: key }),
    ...(keyMD5 === undefined ? {} : { sseCustomerKeyMD5: keyMD5 }),
  };
}

/** The copy source's SSE-C, named as UploadPartCopy and CopyObject inputs name it. */
export function copySourceSseFromHeaders(headers: IncomingHttpHeaders): {
  copySourceSSECustomerAlgorithm?: string;
  copySourceSSECustomerKey?: string;
  copySourceSSECustomerKeyMD5?: string;
} {
  const sse = sseCustomerFromHeaders(headers, true);
  return {
    ...(sse.sseCustomerAlgorithm === undefined
      ? {}
      : { copySourceSSECustomerAlgorithm: sse.sseCustomerAlgorithm }),
    ...(sse.sseCustomerKey === undefined ? {} : { copySourceSSECustomerKey: sse.sseCustomerKey as string }),
    ...(sse.sseCustomerKeyMD5 === undefined ? {} : { copySourceSSECustomerKeyMD5: sse.sseCustomerKeyMD5 }),
  };
}

/**
 * `Content-MD5` as the store checks it. One that is not the base64 form of 16 bytes cannot match
 * any body: S3 refuses it before reading the body, InvalidDigest rather than BadDigest.
 */
export function contentMD5FromHeaders(headers: IncomingHttpHeaders): { contentMD5?: string } {
  const stated = headerValue(headers, 'content-md5');
  if (stated === undefined) return {};
  if (!/^[A-Za-z0-9+/]{22}==$/.test(stated)) {
    throw new GatewayError('InvalidDigest', 'The Content-MD5 you specified was invalid.');
  }
  return { contentMD5: stated };
}

const SSE_METHODS = new Set(['AES256', 'aws:kms', 'aws:kms:dsse']);
const SSE_C_HEADERS = ['algorithm', 'key', 'key-md5'].map(
  (h) => `x-amz-server-side-encryption-customer-${h}`,
);

/**
 * The encryption headers of a write, checked together as S3 checks them before the store sees
 * them: a known method, KMS fields only with a KMS method, SSE-C whole (algorithm, key and its
 * MD5) and never beside another method. Each refusal is 400 InvalidArgument.
 */
function checkEncryptionHeaders(headers: IncomingHttpHeaders): void {
  const h = (name: string) => headerValue(headers, name);
  const method = h('x-amz-server-side-encryption');
  const refuse = (message: string, name: string) => {
    throw new GatewayError('InvalidArgument', message, { ArgumentName: name });
  };
  if (method !== undefined && !SSE_METHODS.has(method)) {
    refuse('The encryption method specified is not supported', 'x-amz-server-side-encryption');
  }
  const kms = method?.startsWith('aws:kms') === true;
  for (const name of [
    'x-amz-server-side-encryption-aws-kms-key-id',
    'x-amz-server-side-encryption-context',
  ]) {
    if (!kms && h(name) !== undefined) {
      refuse(
        'Server Side Encryption with AWS KMS managed key requires HTTP header x-amz-server-side-encryption : aws:kms',
        name,
      );
    }
  }
  const customer = SSE_C_HEADERS.filter((name) => h(name) !== undefined);
  if (customer.length > 0 && customer.length < SSE_C_HEADERS.length) {
    refuse(
      'Requests specifying Server Side Encryption with Customer provided keys must provide an appropriate secret key, its MD5 and the algorithm.',
      SSE_C_HEADERS.find((name) => h(name) === undefined) as string,
    );
  }
  if (customer.length > 0 && method !== undefined) {
    refuse(
      'Server Side Encryption with Customer provided key is incompatible with the encryption method specified',
      'x-amz-server-side-encryption',
    );
  }
}

/** Server-side encryption with store-managed keys (checked with the request's SSE-C headers). */
export function sseFromHeaders(headers: IncomingHttpHeaders): ServerSideEncryptionRequest {
  checkEncryptionHeaders(headers);
  const h = (name: string) => headerValue(headers, name);
  const sse: ServerSideEncryptionRequest = {};
  const mode = h('x-amz-server-side-encryption');
  if (mode !== undefined) sse.serverSideEncryption = mode;
  const kmsKey = h('x-amz-server-side-encryption-aws-kms-key-id');
  if (kmsKey !== undefined) sse.sseKMSKeyId = kmsKey;
  const context = h('x-amz-server-side-encryption-context');
  if (context !== undefined) sse.sseKMSEncryptionContext = context;
  const bucketKey = h('x-amz-server-side-encryption-bucket-key-enabled');
  if (bucketKey !== undefined) sse.bucketKeyEnabled = bucketKey.toLowerCase() === 'true';
  return sse;
}

export function ownershipFromHeaders(headers: IncomingHttpHeaders): OwnershipInput {
  const owner = headerValue(headers, 'x-amz-expected-bucket-owner');
  const payer = headerValue(headers, 'x-amz-request-payer');
  return {
    ...(owner === undefined ? {} : { expectedBucketOwner: owner }),
    ...(payer === 'requester' ? { requestPayer: 'requester' as const } : {}),
  };
}

/** Checksums stated in headers (`x-amz-checksum-crc32: ...`). */
export function checksumsFromHeaders(headers: IncomingHttpHeaders): Checksums {
  const checksums: Checksums = {};
  for (const [algorithm, field] of CHECKSUM_HEADERS) {
    const value = headerValue(headers, `x-amz-checksum-${algorithm.toLowerCase()}`);
    if (value !== undefined) checksums[field] = value;
  }
  return checksums;
}

/** The algorithm named by `x-amz-checksum-algorithm` / `x-amz-sdk-checksum-algorithm`, if any. */
export function checksumAlgorithmFromHeaders(headers: IncomingHttpHeaders): ChecksumAlgorithm | undefined {
  const named =
    headerValue(headers, 'x-amz-checksum-algorithm') ?? headerValue(headers, 'x-amz-sdk-checksum-algorithm');
  return named === undefined ? undefined : checksumAlgorithm(named);
}

/** `CRC32` from `crc32` or `x-amz-checksum-crc32`; anything else is InvalidRequest. */
export function checksumAlgorithm(name: string): ChecksumAlgorithm {
  const upper = name.toUpperCase().replace(/^X-AMZ-CHECKSUM-/, '');
  const found = CHECKSUM_HEADERS.find(([algorithm]) => algorithm === upper);
  if (!found)
    throw new GatewayError('InvalidRequest', `Value for x-amz-checksum-algorithm header is invalid: ${name}`);
  return found[0];
}

/** Response headers of checksums (GET and HEAD send them only with `x-amz-checksum-mode: ENABLED`). */
export function setChecksumHeaders(res: ServerResponse, checksums: Checksums): void {
  for (const [algorithm, field] of CHECKSUM_HEADERS) {
    const value = checksums[field];
    if (value !== undefined) res.setHeader(`x-amz-checksum-${algorithm.toLowerCase()}`, value);
  }
}

export function setEncryptionHeaders(res: ServerResponse, result: EncryptionResult): void {
  if (result.serverSideEncryption) res.setHeader('x-amz-server-side-encryption', result.serverSideEncryption);
  if (result.sseKMSKeyId) res.setHeader('x-amz-server-side-encryption-aws-kms-key-id', result.sseKMSKeyId);
  if (result.bucketKeyEnabled) res.setHeader('x-amz-server-side-encryption-bucket-key-enabled', 'true');
  if (result.sseCustomerAlgorithm) {
    res.setHeader('x-amz-server-side-encryption-customer-algorithm', result.sseCustomerAlgorithm);
  }
  if (result.sseCustomerKeyMD5)
    res.setHeader('x-amz-server-side-encryption-customer-key-md5', result.sseCustomerKeyMD5);
}

/** Everything GET and HEAD say about an object except its length and range. */
export function setObjectHeaders(res: ServerResponse, info: ObjectInfo, withChecksums: boolean): void {
  res.setHeader('etag', quoteEtag(info.etag));
  res.setHeader('last-modified', formatHttpDate(info.lastModified));
  res.setHeader('accept-ranges', 'bytes');
  res.setHeader('content-type', info.contentType ?? 'binary/octet-stream');
  if (info.cacheControl) res.setHeader('cache-control', info.cacheControl);
  if (info.contentDisposition) res.setHeader('content-disposition', info.contentDisposition);
  if (info.contentEncoding) res.setHeader('content-encoding', info.contentEncoding);
  if (info.contentLanguage) res.setHeader('content-language', info.contentLanguage);
  if (info.expires) res.setHeader('expires', formatHttpDate(info.expires));
  if (info.storageClass && info.storageClass !== 'STANDARD')
    res.setHeader('x-amz-storage-class', info.storageClass);
  if (info.versionId) res.setHeader('x-amz-version-id', info.versionId);
  if (info.partsCount !== undefined) res.setHeader('x-amz-mp-parts-count', String(info.partsCount));
  if (info.tagging) res.setHeader('x-amz-tagging-count', String(Object.keys(info.tagging).length));
  for (const [name, value] of Object.entries(withoutAclMetadata(info.metadata) ?? {}))
    res.setHeader(`x-amz-meta-${name}`, value);
  setEncryptionHeaders(res, info);
  if (info.requestCharged) res.setHeader('x-amz-request-charged', info.requestCharged);
  if (withChecksums) {
    setChecksumHeaders(res, info);
    // FULL_OBJECT or COMPOSITE: what a copy's checksum verification reads (engine copy-checksums).
    if (info.checksumType) res.setHeader('x-amz-checksum-type', info.checksumType);
  }
}
