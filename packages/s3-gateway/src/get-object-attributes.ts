/**
 * GetObjectAttributes (`GET /bucket/key?attributes`): what HeadObject knows, as S3's XML, for
 * the attributes named in `x-amz-object-attributes` (ETag, Checksum, ObjectParts, StorageClass,
 * ObjectSize). ObjectParts lists each part's size and checksums where the store records the
 * parts (`ObjectInfo.parts`), paged by `x-amz-max-parts` and `x-amz-part-number-marker`;
 * otherwise only the part count. SSE-C keys and `versionId` are read as on HeadObject.
 */
import type { ObjectInfo } from '@partcopy/core';
import { formatHttpDate } from '@partcopy/core/provider';
import { GatewayError } from './gateway-error.js';
import { bucketOf, type GatewayRequest, keyOf } from './gateway-request.js';
import { ownershipFromHeaders, sseCustomerFromHeaders } from './object-headers.js';
import { checksumElements } from './object-writes.js';
import { headerValue } from './sigv4-verifier.js';
import { sendXml } from './xml-response.js';

const ATTRIBUTES = ['ETag', 'Checksum', 'ObjectParts', 'StorageClass', 'ObjectSize'] as const;
type Attribute = (typeof ATTRIBUTES)[number];
const DEFAULT_MAX_PARTS = 1000;

export async function getObjectAttributes(request: GatewayRequest): Promise<void> {
  const headers = request.req.headers;
  const wanted = requestedAttributes(headerValue(headers, 'x-amz-object-attributes'));
  const maxParts = partsArgument(
    headerValue(headers, 'x-amz-max-parts'),
    'x-amz-max-parts',
    DEFAULT_MAX_PARTS,
  );
  const marker = partsArgument(
    headerValue(headers, 'x-amz-part-number-marker'),
    'x-amz-part-number-marker',
    0,
  );
  const versionId = request.target.query.get('versionId');
  const info = await request.client.headObject({
    bucket: bucketOf(request),
    key: keyOf(request),
    ...(versionId === undefined ? {} : { versionId }),
    ...sseCustomerFromHeaders(headers),
    ...ownershipFromHeaders(headers),
    abortSignal: request.signal,
  });
  request.res.setHeader('last-modified', formatHttpDate(info.lastModified));
  if (info.versionId) request.res.setHeader('x-amz-version-id', info.versionId);
  const has = (name: Attribute) => wanted.has(name);
  const checksum = checksumElements(info);
  const parts = has('ObjectParts') ? objectParts(info, maxParts, marker) : undefined;
  sendXml(request, 'GetObjectAttributesResponse', {
    ...(has('ETag') ? { ETag: info.etag.replace(/^"|"$/g, '') } : {}),
    ...(has('Checksum') && Object.keys(checksum).length > 0
      ? { Checksum: { ...checksum, ...(info.checksumType ? { ChecksumType: info.checksumType } : {}) } }
      : {}),
    ...(parts === undefined ? {} : { ObjectParts: parts }),
    ...(has('StorageClass') ? { StorageClass: info.storageClass ?? 'STANDARD' } : {}),
    ...(has('ObjectSize') ? { ObjectSize: String(info.size) } : {}),
  });
}

function requestedAttributes(header: string | undefined): Set<Attribute> {
  const names = (header ?? '')
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '');
  if (names.length === 0) {
    throw new GatewayError(
      'InvalidArgument',
      'The x-amz-object-attributes header specifying the attributes to be retrieved is either missing or empty',
      { ArgumentName: 'x-amz-object-attributes' },
    );
  }
  const unknown = names.find((name) => !(ATTRIBUTES as readonly string[]).includes(name));
  if (unknown !== undefined) {
    throw new GatewayError('InvalidArgument', 'Invalid attribute name specified.', {
      ArgumentName: 'x-amz-object-attributes',
      ArgumentValue: unknown,
    });
  }
  return new Set(names as Attribute[]);
}

function partsArgument(text: string | undefined, name: string, fallback: number): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(value)) {
    throw new GatewayError('InvalidArgument', `${name} must be a non-negative integer.`, {
      ArgumentName: name,
      ArgumentValue: text,
    });
  }
  return value;
}

// Only an object completed from parts has ObjectParts; its parts are listed where the store
// recorded them, else the count alone is known.
function objectParts(
  info: ObjectInfo,
  maxParts: number,
  marker: number,
): Record<string, unknown> | undefined {
  if (info.partsCount === undefined) return undefined;
  if (info.parts === undefined) return { PartsCount: String(info.partsCount) };
  const after = info.parts
    .map((part, index) => ({ part, number: index + 1 }))
    .filter(({ number }) => number > marker);
  const page = after.slice(0, Math.min(maxParts, DEFAULT_MAX_PARTS));
  const last = page.at(-1)?.number;
  return {
    PartsCount: String(info.partsCount),
    PartNumberMarker: String(marker),
    ...(last === undefined ? {} : { NextPartNumberMarker: String(last) }),
    MaxParts: String(maxParts),
    IsTruncated: String(after.length > page.length),
    Part: page.map(({ part, number }) => ({
      ...checksumElements(part),
      PartNumber: String(number),
      Size: String(part.size),
    })),
  };
}
