/**
 * GetObject and HeadObject: ranges (closed, open and suffix forms), conditions, response header
 * overrides, and the body streamed to the client with backpressure. A client that goes away
 * aborts the store's read through the request's signal.
 */
import type { ByteRange, GetObjectOutput, ObjectInfo } from '@partcopy/core';
import { GatewayError } from './gateway-error.js';
import { bucketOf, type GatewayRequest, keyOf } from './gateway-request.js';
import { ownershipFromHeaders, setObjectHeaders, sseCustomerFromHeaders } from './object-headers.js';
import { partRange, requestedPartNumber, setPartChecksumHeaders } from './part-number-read.js';
import { decideReadConditions, readConditions } from './read-conditions.js';
import { refuseWriteEncryptionHeaders } from './read-encryption-headers.js';
import { writeBody } from './response-body.js';
import { headerValue } from './sigv4-verifier.js';
import { sendEmpty, sendXml } from './xml-response.js';

// `response-*` query parameters of a GET replace these answer headers (presigned downloads).
const RESPONSE_OVERRIDES = [
  ['response-content-type', 'content-type'],
  ['response-content-language', 'content-language'],
  ['response-expires', 'expires'],
  ['response-cache-control', 'cache-control'],
  ['response-content-disposition', 'content-disposition'],
  ['response-content-encoding', 'content-encoding'],
] as const;

/** A Range header as S3 reads it; anything it cannot serve as one range is ignored (whole object). */
type RangeRequest = { kind: 'closed'; range: ByteRange } | { kind: 'suffix'; length: number } | undefined;

export async function headObject(request: GatewayRequest): Promise<void> {
  const partNumber = requestedPartNumber(request);
  const info = await request.client.headObject(objectInput(request));
  if (decideReadConditions(readConditions(request.req.headers), info) === 'not-modified') {
    return notModified(request, info);
  }
  // HEAD answers a Range (or a part) as GET would, without the bytes: 206 and Content-Range.
  const range =
    partNumber === undefined
      ? rangeOfSize(parseRange(headerValue(request.req.headers, 'range')), info.size)
      : partRange(info, partNumber, capabilitiesOf(request));
  setObjectHeaders(request.res, info, checksumMode(request) && range === undefined);
  if (partNumber !== undefined && checksumMode(request))
    setPartChecksumHeaders(request.res, info, partNumber);
  request.res.setHeader('content-length', String(range ? range.end - range.start + 1 : info.size));
  if (range) {
    request.res.setHeader('content-range', `bytes ${range.start}-${range.end}/${info.size}`);
  }
  applyOverrides(request);
  request.res.statusCode = range ? 206 : 200;
  request.res.end();
}

export async function getObjectTagging(request: GatewayRequest): Promise<void> {
  const info = await request.client.headObject(objectInput(request));
  if (info.versionId) request.res.setHeader('x-amz-version-id', info.versionId);
  const tags = Object.entries(info.tagging ?? {}).map(([Key, Value]) => ({ Key, Value }));
  sendXml(request, 'Tagging', { TagSet: tags.length === 0 ? '' : { Tag: tags } });
}

export async function getObject(request: GatewayRequest): Promise<void> {
  const partNumber = requestedPartNumber(request);
  const range =
    partNumber === undefined
      ? await resolveRange(request, parseRange(headerValue(request.req.headers, 'range')))
      : partRange(await request.client.headObject(objectInput(request)), partNumber, capabilitiesOf(request));
  const object = await request.client.getObject({ ...objectInput(request), ...(range ? { range } : {}) });
  try {
    if (decideReadConditions(readConditions(request.req.headers), object) === 'not-modified') {
      await closeBody(object);
      return notModified(request, object);
    }
  } catch (error) {
    await closeBody(object);
    throw error;
  }
  const { res } = request;
  setObjectHeaders(res, object, checksumMode(request) && object.range === undefined);
  if (partNumber !== undefined && checksumMode(request)) setPartChecksumHeaders(res, object, partNumber);
  res.setHeader('content-length', String(object.contentLength));
  if (object.range) {
    res.statusCode = 206;
    res.setHeader('content-range', `bytes ${object.range.start}-${object.range.end}/${object.size}`);
  }
  applyOverrides(request);
  await writeBody(res, object.body, request.signal, (count) => {
    request.bytes.out += count;
  });
}

function objectInput(request: GatewayRequest) {
  refuseWriteEncryptionHeaders(request.req.headers);
  const versionId = request.target.query.get('versionId');
  return {
    bucket: bucketOf(request),
    key: keyOf(request),
    ...(versionId === undefined ? {} : { versionId }),
    ...sseCustomerFromHeaders(request.req.headers),
    ...ownershipFromHeaders(request.req.headers),
    abortSignal: request.signal,
  };
}

function capabilitiesOf(request: GatewayRequest) {
  return request.client.capabilitiesFor(bucketOf(request));
}

function checksumMode(request: GatewayRequest): boolean {
  return headerValue(request.req.headers, 'x-amz-checksum-mode')?.toUpperCase() === 'ENABLED';
}

export function parseRange(header: string | undefined): RangeRequest {
  if (header === undefined) return undefined;
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match) return undefined;
  const [, first = '', last = ''] = match;
  if (first === '' && last === '') return undefined;
  if (first === '') return { kind: 'suffix', length: Number(last) };
  const start = Number(first);
  const end = last === '' ? Number.MAX_SAFE_INTEGER : Number(last);
  if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end) || end < start) return undefined;
  return { kind: 'closed', range: { start, end } };
}

/** A Range header resolved against an object's size (HEAD): undefined for the whole object. */
function rangeOfSize(range: RangeRequest, size: number): ByteRange | undefined {
  if (range === undefined) return undefined;
  const resolved =
    range.kind === 'closed'
      ? { start: range.range.start, end: Math.min(range.range.end, size - 1) }
      : { start: Math.max(0, size - range.length), end: size - 1 };
  if (resolved.start > resolved.end || (range.kind === 'suffix' && range.length === 0)) {
    throw new GatewayError('InvalidRange', 'The requested range is not satisfiable', {
      RangeRequested: headerValueOrEmpty(range),
      ActualObjectSize: String(size),
    });
  }
  return resolved;
}

function headerValueOrEmpty(range: NonNullable<RangeRequest>): string {
  return range.kind === 'suffix'
    ? `bytes=-${range.length}`
    : `bytes=${range.range.start}-${range.range.end === Number.MAX_SAFE_INTEGER ? '' : range.range.end}`;
}

// A suffix range needs the object's size: one HEAD, then the last bytes of what it described.
async function resolveRange(request: GatewayRequest, range: RangeRequest): Promise<ByteRange | undefined> {
  if (range === undefined) return undefined;
  if (range.kind === 'closed') return range.range;
  const info = await request.client.headObject(objectInput(request));
  if (range.length === 0 || info.size === 0) {
    throw new GatewayError('InvalidRange', 'The requested range is not satisfiable', {
      RangeRequested: `bytes=-${range.length}`,
      ActualObjectSize: String(info.size),
    });
  }
  return { start: Math.max(0, info.size - range.length), end: info.size - 1 };
}

function applyOverrides(request: GatewayRequest): void {
  for (const [parameter, header] of RESPONSE_OVERRIDES) {
    const value = request.target.query.get(parameter);
    if (value !== undefined) request.res.setHeader(header, value);
  }
}

function notModified(request: GatewayRequest, info: ObjectInfo): void {
  request.res.setHeader('etag', `"${info.etag.replace(/^"|"$/g, '')}"`);
  request.res.setHeader('last-modified', info.lastModified.toUTCString());
  sendEmpty(request, 304);
}

// A store's body may hold a file or a socket that only its generator's cleanup releases, and an
// unstarted generator runs no cleanup on return(): start it, then end it.
async function closeBody(object: GetObjectOutput): Promise<void> {
  const iterator = object.body[Symbol.asyncIterator]();
  try {
    await iterator.next();
  } finally {
    await iterator.return?.();
  }
}
