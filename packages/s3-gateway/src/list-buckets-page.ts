/**
 * ListBuckets paging, as S3 pages it: `prefix`, `max-buckets` (1 to 10,000) and an opaque
 * `continuation-token`; the answer carries a ContinuationToken only when more buckets remain.
 */

import { GatewayError } from './gateway-error.js';
import type { BucketListing } from './gateway-options.js';

export interface BucketPage {
  buckets: BucketListing[];
  continuationToken?: string;
}

/** One page of `sorted` (in name order) for the request's query. */
export function pageBuckets(
  sorted: readonly BucketListing[],
  query: ReadonlyMap<string, string>,
): BucketPage {
  const prefix = query.get('prefix') ?? '';
  const after = tokenName(query.get('continuation-token'));
  const max = maxBuckets(query.get('max-buckets'));
  const remaining = sorted.filter(
    (b) => b.name.startsWith(prefix) && (after === undefined || b.name > after),
  );
  const buckets = remaining.slice(0, max);
  const last = buckets.at(-1);
  return remaining.length > buckets.length && last !== undefined
    ? { buckets, continuationToken: Buffer.from(last.name, 'utf8').toString('base64url') }
    : { buckets };
}

function maxBuckets(text: string | undefined): number {
  if (text === undefined) return 10_000;
  const value = Number(text);
  if (!/^\d+$/.test(text) || value < 1 || value > 10_000) {
    throw new GatewayError('InvalidArgument', 'max-buckets must be an integer from 1 to 10000.', {
      ArgumentName: 'max-buckets',
      ArgumentValue: text,
    });
  }
  return value;
}

function tokenName(token: string | undefined): string | undefined {
  if (token === undefined || token === '') return undefined;
  const name = Buffer.from(token, 'base64url').toString('utf8');
  if (Buffer.from(name, 'utf8').toString('base64url') !== token) {
    throw new GatewayError('InvalidArgument', 'The continuation token provided is incorrect', {
      ArgumentName: 'continuation-token',
    });
  }
  return name;
}
