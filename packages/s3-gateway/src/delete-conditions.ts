/**
 * S3's conditional deletes as the gateway reads them: DeleteObject's `If-Match`,
 * `x-amz-if-match-last-modified-time` (an HTTP date) and `x-amz-if-match-size` headers, and a
 * DeleteObjects entry's `ETag`, `LastModifiedTime` (ISO 8601) and `Size`.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { parseHttpDate } from '@partcopy/core/provider';
import { GatewayError } from './gateway-error.js';
import { headerValue } from './sigv4-verifier.js';

/** The conditions of one delete, as the facade's deleteObject takes them. */
export interface DeleteConditionsInput {
  ifMatch?: string;
  ifMatchLastModifiedTime?: Date;
  ifMatchSize?: number;
}

export function deleteConditionsFromHeaders(headers: IncomingHttpHeaders): DeleteConditionsInput {
  const out: DeleteConditionsInput = {};
  const ifMatch = headerValue(headers, 'if-match');
  if (ifMatch !== undefined) out.ifMatch = ifMatch;
  const time = headerValue(headers, 'x-amz-if-match-last-modified-time');
  if (time !== undefined)
    out.ifMatchLastModifiedTime = parseHttpDate(time, 'x-amz-if-match-last-modified-time');
  const size = headerValue(headers, 'x-amz-if-match-size');
  if (size !== undefined) out.ifMatchSize = parseSize(size, 'x-amz-if-match-size');
  return out;
}

export function deleteConditionsFromEntry(entry: Record<string, unknown>): DeleteConditionsInput {
  const out: DeleteConditionsInput = {};
  if (typeof entry.ETag === 'string') out.ifMatch = entry.ETag;
  if (typeof entry.LastModifiedTime === 'string') {
    const time = new Date(entry.LastModifiedTime);
    if (Number.isNaN(time.getTime())) throw invalid('LastModifiedTime', entry.LastModifiedTime);
    out.ifMatchLastModifiedTime = time;
  }
  if (typeof entry.Size === 'string') out.ifMatchSize = parseSize(entry.Size, 'Size');
  return out;
}

function parseSize(text: string, name: string): number {
  const value = Number(text);
  if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(value)) throw invalid(name, text);
  return value;
}

function invalid(name: string, value: string): GatewayError {
  return new GatewayError('InvalidArgument', `Invalid ${name}`, { ArgumentName: name, ArgumentValue: value });
}
