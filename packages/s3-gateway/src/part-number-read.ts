/**
 * GetObject and HeadObject by `partNumber`: the bytes of one part of the object as it was
 * uploaded. A store that records the parts' sizes (`ObjectInfo.parts`) tells where each begins;
 * otherwise the gateway answers what it can know: an object stored in one piece is its own part 1
 * (S3 answers that as a 206 of the whole object); a part past the last is InvalidPartNumber; a
 * part of an object completed from several parts is NotImplemented, never a guessed byte range.
 */
import type { ServerResponse } from 'node:http';
import type { ByteRange, Capabilities, ObjectInfo } from '@partcopy/core';
import { GatewayError } from './gateway-error.js';
import type { GatewayRequest } from './gateway-request.js';
import { setChecksumHeaders } from './object-headers.js';
import { headerValue } from './sigv4-verifier.js';

/** The `partNumber` query parameter, checked as S3 checks it, or undefined when absent. */
export function requestedPartNumber(request: GatewayRequest): number | undefined {
  const text = request.target.query.get('partNumber');
  if (text === undefined) return undefined;
  const partNumber = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(partNumber) || partNumber < 1 || partNumber > 10_000) {
    throw new GatewayError(
      'InvalidArgument',
      'Part number must be an integer between 1 and 10000, inclusive',
      {
        ArgumentName: 'partNumber',
        ArgumentValue: text,
      },
    );
  }
  if (headerValue(request.req.headers, 'range') !== undefined) {
    throw new GatewayError(
      'InvalidRequest',
      'Cannot specify both Range header and partNumber query parameter',
    );
  }
  return partNumber;
}

/**
 * The byte range of part `partNumber` of the object `info` describes, or undefined for an empty
 * object (its one part has no bytes: answered whole).
 */
export function partRange(
  info: ObjectInfo,
  partNumber: number,
  capabilities: Pick<Capabilities, 'multipartEtag'>,
): ByteRange | undefined {
  const parts = partCount(info, capabilities);
  if (parts === undefined) {
    throw new GatewayError(
      'NotImplemented',
      'Reading by partNumber is not implemented on this store: it does not report whether an object was uploaded in parts.',
    );
  }
  if (partNumber > parts) {
    throw new GatewayError('InvalidPartNumber', 'The requested partnumber is not satisfiable', {
      PartNumberRequested: String(partNumber),
      ActualPartCount: String(parts),
    });
  }
  if (info.parts !== undefined && info.parts.length === parts) {
    const start = info.parts.slice(0, partNumber - 1).reduce((sum, part) => sum + part.size, 0);
    const size = info.parts[partNumber - 1]?.size ?? 0;
    if (size > 0) return { start, end: start + size - 1 };
    if (info.size === 0) return undefined;
  }
  if (info.parts !== undefined && info.parts.length === parts) {
    throw new GatewayError(
      'NotImplemented',
      'Reading an empty part of a non-empty object is not implemented.',
    );
  }
  if (parts > 1) {
    throw new GatewayError(
      'NotImplemented',
      'Reading one part of an object completed from several parts is not implemented: the store does not report where each part begins.',
    );
  }
  return info.size === 0 ? undefined : { start: 0, end: info.size - 1 };
}

/**
 * With checksum mode on, a read of one part answers that part's checksums and the object's
 * checksum type, as S3 does (the object's own checksum covers other bytes).
 */
export function setPartChecksumHeaders(res: ServerResponse, info: ObjectInfo, partNumber: number): void {
  const part = info.parts?.[partNumber - 1];
  if (part === undefined) return;
  setChecksumHeaders(res, part);
  if (info.checksumType) res.setHeader('x-amz-checksum-type', info.checksumType);
}

// The part count the store reports, else the one an S3 multipart ETag (`...-N`) carries; a plain
// ETag means one part only where the store gives multipart objects S3's ETags.
function partCount(info: ObjectInfo, capabilities: Pick<Capabilities, 'multipartEtag'>): number | undefined {
  if (info.partsCount !== undefined) return info.partsCount;
  const suffix = /-(\d+)"?$/.exec(info.etag)?.[1];
  if (suffix !== undefined) return Number(suffix);
  return capabilities.multipartEtag ? 1 : undefined;
}
