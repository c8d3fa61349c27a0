/**
 * ListObjects V1 and V2 with S3's delimiter, prefix, marker / start-after and paging, over the
 * contract's plain listing (prefix and an opaque page token). Common prefixes are folded here;
 * the V2 continuation token records the store's page token and the last name answered, so a
 * page resumes where the previous one stopped.
 */
import { compareKeys, quoteEtag } from '@partcopy/core/provider';
import { ownerXml } from './access-control.js';
import { isReservedKey } from './bucket-config-document.js';
import { GatewayError } from './gateway-error.js';
import { bucketOf, type GatewayRequest } from './gateway-request.js';
import { encodeIfAsked, sendXml, xmlDate } from './xml-response.js';

interface ListedObject {
  key: string;
  size: number;
  etag: string;
  lastModified: Date;
}

type Entry = { kind: 'object'; object: ListedObject } | { kind: 'prefix'; prefix: string };

interface Position {
  /** The store's page token of the page holding the next entry (undefined: the first page). */
  page?: string | undefined;
  /** The last name answered: entries up to it (and inside it, for a common prefix) are skipped. */
  after?: string | undefined;
}

const MAX_KEYS = 1000;

export async function listObjectsV1(request: GatewayRequest): Promise<void> {
  const q = request.target.query;
  const prefix = q.get('prefix') ?? '';
  const delimiter = q.get('delimiter') ?? '';
  const marker = q.get('marker') ?? '';
  const maxKeys = parseMaxKeys(q.get('max-keys'));
  const page = await collect(request, prefix, delimiter, { after: marker || undefined }, maxKeys);
  const last = page.entries.at(-1);
  const lastName = last === undefined ? undefined : last.kind === 'object' ? last.object.key : last.prefix;
  sendXml(request, 'ListBucketResult', {
    Name: bucketOf(request),
    // V1's Prefix goes back as given even with encoding-type=url, as S3 answers it: clients
    // (botocore) decode it in V2 only, and ceph/s3-tests checks a prefix of "\n" round-trips.
    Prefix: prefix,
    Marker: encodeIfAsked(request, marker),
    ...(page.truncated && delimiter !== '' && lastName !== undefined
      ? { NextMarker: encodeIfAsked(request, lastName) }
      : {}),
    MaxKeys: maxKeys,
    ...(delimiter === '' ? {} : { Delimiter: encodeIfAsked(request, delimiter) }),
    IsTruncated: page.truncated,
    ...(q.get('encoding-type') === 'url' ? { EncodingType: 'url' } : {}),
    ...entriesXml(request, page.entries, true),
  });
}

export async function listObjectsV2(request: GatewayRequest): Promise<void> {
  const q = request.target.query;
  const prefix = q.get('prefix') ?? '';
  const delimiter = q.get('delimiter') ?? '';
  const startAfter = q.get('start-after') ?? '';
  const token = q.get('continuation-token');
  const maxKeys = parseMaxKeys(q.get('max-keys'));
  // An empty continuation token is the first page (S3 echoes it).
  const position =
    token === undefined || token === '' ? { after: startAfter || undefined } : decodeToken(token);
  const page = await collect(request, prefix, delimiter, position, maxKeys);
  sendXml(request, 'ListBucketResult', {
    Name: bucketOf(request),
    Prefix: encodeIfAsked(request, prefix),
    ...(startAfter === '' ? {} : { StartAfter: encodeIfAsked(request, startAfter) }),
    ...(token === undefined ? {} : { ContinuationToken: token }),
    ...(page.truncated ? { NextContinuationToken: encodeToken(page.next) } : {}),
    KeyCount: page.entries.length,
    MaxKeys: maxKeys,
    ...(delimiter === '' ? {} : { Delimiter: encodeIfAsked(request, delimiter) }),
    IsTruncated: page.truncated,
    ...(q.get('encoding-type') === 'url' ? { EncodingType: 'url' } : {}),
    ...entriesXml(request, page.entries, q.get('fetch-owner') === 'true'),
  });
}

function entriesXml(
  request: GatewayRequest,
  entries: readonly Entry[],
  withOwner: boolean,
): Record<string, unknown> {
  const contents = entries.flatMap((e) => (e.kind === 'object' ? [e.object] : []));
  const prefixes = entries.flatMap((e) => (e.kind === 'prefix' ? [e.prefix] : []));
  return {
    ...(contents.length === 0
      ? {}
      : {
          Contents: contents.map((o) => ({
            Key: encodeIfAsked(request, o.key),
            LastModified: xmlDate(o.lastModified),
            ETag: quoteEtag(o.etag),
            Size: o.size,
            StorageClass: 'STANDARD',
            ...(withOwner ? { Owner: ownerXml(request) } : {}),
          })),
        }),
    ...(prefixes.length === 0
      ? {}
      : { CommonPrefixes: prefixes.map((p) => ({ Prefix: encodeIfAsked(request, p) })) }),
  };
}

/** S3's max-keys: a non-negative integer (InvalidArgument otherwise), at most 1,000. */
export function parseMaxKeys(text: string | undefined): number {
  if (text === undefined) return MAX_KEYS;
  const value = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(value)) {
    throw new GatewayError('InvalidArgument', 'Provided max-keys not an integer or within integer range', {
      ArgumentName: 'max-keys',
      ArgumentValue: text,
    });
  }
  return Math.min(value, MAX_KEYS);
}

// Reads the store's pages from `position` until `maxKeys` entries are collected, then looks one
// entry further to know whether the listing is truncated.
async function collect(
  request: GatewayRequest,
  prefix: string,
  delimiter: string,
  position: Position,
  maxKeys: number,
): Promise<{ entries: Entry[]; truncated: boolean; next: Position }> {
  const entries: Entry[] = [];
  // S3 answers max-keys=0 with an empty page that is not truncated.
  if (maxKeys === 0) return { entries, truncated: false, next: position };
  let after = position.after;
  let pageToken = position.page;
  let lastPrefix: string | undefined =
    after !== undefined && delimiter !== '' && after.endsWith(delimiter) ? after : undefined;
  for (;;) {
    // A listing that resumes after a name (V1 marker, V2 start-after) starts there in the store
    // (or in the facade, for a store that cannot), not at the start of the prefix.
    const page = await request.client.listObjects({
      bucket: bucketOf(request),
      ...(prefix === '' ? {} : { prefix }),
      ...(pageToken === undefined ? {} : { continuationToken: pageToken }),
      ...(pageToken === undefined && after !== undefined ? { startAfter: after } : {}),
      abortSignal: request.signal,
    });
    for (const object of page.objects) {
      // The gateway's own documents are skipped before anything counts them (max-keys, prefixes).
      if (isReservedKey(object.key)) continue;
      if (after !== undefined && compareKeys(object.key, after) <= 0) continue;
      if (lastPrefix !== undefined && object.key.startsWith(lastPrefix)) continue;
      const folded = commonPrefix(object.key, prefix, delimiter);
      if (entries.length === maxKeys) {
        return { entries, truncated: true, next: { page: pageToken, after } };
      }
      if (folded === undefined) {
        entries.push({ kind: 'object', object });
        after = object.key;
      } else {
        entries.push({ kind: 'prefix', prefix: folded });
        lastPrefix = folded;
        after = folded;
      }
    }
    if (!page.isTruncated || page.nextContinuationToken === undefined) {
      return { entries, truncated: false, next: { after } };
    }
    pageToken = page.nextContinuationToken;
  }
}

function commonPrefix(key: string, prefix: string, delimiter: string): string | undefined {
  if (delimiter === '') return undefined;
  const at = key.indexOf(delimiter, prefix.length);
  return at === -1 ? undefined : key.slice(0, at + delimiter.length);
}

function encodeToken(position: Position): string {
  return Buffer.from(JSON.stringify(position), 'utf8').toString('base64url');
}

function decodeToken(token: string): Position {
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as Position;
    if (typeof parsed !== 'object' || parsed === null) throw new Error('not an object');
    return {
      page: typeof parsed.page === 'string' ? parsed.page : undefined,
      after: typeof parsed.after === 'string' ? parsed.after : undefined,
    };
  } catch {
    throw new GatewayError('InvalidArgument', 'The continuation token provided is incorrect', {
      ArgumentName: 'continuation-token',
    });
  }
}
