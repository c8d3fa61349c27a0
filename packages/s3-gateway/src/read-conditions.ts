/**
 * GET and HEAD conditions (If-Match, If-None-Match, If-Modified-Since, If-Unmodified-Since),
 * decided in RFC 9110's order with core's rules: a failed If-Match or If-Unmodified-Since is 412
 * PreconditionFailed; a failed If-None-Match or If-Modified-Since is 304 Not Modified.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { CopySourceConditions } from '@partcopy/core';
import { decideCopySourceConditions } from '@partcopy/core/provider';
import { GatewayError } from './gateway-error.js';
import { headerValue } from './sigv4-verifier.js';

export type ReadConditionResult = 'ok' | 'not-modified';

export function readConditions(headers: IncomingHttpHeaders, prefix = ''): CopySourceConditions {
  const h = (name: string) => headerValue(headers, `${prefix}${name}`);
  const conditions: CopySourceConditions = {};
  const ifMatch = h('if-match');
  if (ifMatch !== undefined) conditions.ifMatch = etagList(ifMatch);
  const ifNoneMatch = h('if-none-match');
  if (ifNoneMatch !== undefined) conditions.ifNoneMatch = etagList(ifNoneMatch);
  // An unparseable date is ignored, as HTTP says and S3 does.
  const modifiedSince = date(h('if-modified-since'));
  if (modifiedSince) conditions.ifModifiedSince = modifiedSince;
  const unmodifiedSince = date(h('if-unmodified-since'));
  if (unmodifiedSince) conditions.ifUnmodifiedSince = unmodifiedSince;
  return conditions;
}

/** Decides the conditions for a read; throws 412, or tells the caller to answer 304. */
export function decideReadConditions(
  conditions: CopySourceConditions,
  target: { etag: string; lastModified: Date },
): ReadConditionResult {
  const outcome = decideCopySourceConditions(conditions, target);
  if (outcome.ok) return 'ok';
  if (outcome.failed === 'ifNoneMatch' || outcome.failed === 'ifModifiedSince') return 'not-modified';
  throw new GatewayError(
    'PreconditionFailed',
    'At least one of the pre-conditions you specified did not hold',
    {
      Condition: outcome.failed === 'ifMatch' ? 'If-Match' : 'If-Unmodified-Since',
    },
  );
}

function etagList(text: string): string[] {
  return text
    .split(',')
    .map((e) => e.trim())
    .filter((e) => e !== '');
}

function date(text: string | undefined): Date | undefined {
  if (text === undefined) return undefined;
  const parsed = new Date(text);
  return Number.isNaN(parsed.getTime()) ? undefined : parsed;
}
