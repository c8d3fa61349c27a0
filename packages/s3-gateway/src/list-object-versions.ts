/**
 * ListObjectVersions on a store without the contract's listing of versions (capability
 * `listObjectVersions` off; versioning-operations.ts serves the others). It can be answered
 * exactly only on a store that keeps no versions (capabilities `versionedSources` and
 * `versionedBuckets` both false, e.g. Azure without blob versioning): every bucket is one S3 never
 * versioned, whose versions are its objects, each `VersionId` "null" and latest, with no delete
 * markers. On a store that can keep versions but not list them the answer is NotImplemented
 * rather than a listing that silently omits noncurrent versions and delete markers.
 */
import { compareKeys, quoteEtag } from '@partcopy/core/provider';
import { ownerXml } from './access-control.js';
import { isReservedKey } from './bucket-config-document.js';
import { GatewayError } from './gateway-error.js';
import { bucketOf, type GatewayRequest } from './gateway-request.js';
import { encodeIfAsked, sendXml, xmlDate } from './xml-response.js';

const MAX_KEYS = 1000;

export async function listUnversionedObjectVersions(request: GatewayRequest): Promise<void> {
  const capabilities = request.client.capabilitiesFor(bucketOf(request));
  if (capabilities.versionedSources || capabilities.versionedBuckets) {
    throw new GatewayError(
      'NotImplemented',
      'ListObjectVersions is not implemented on a store that can keep versions: the store contract has no listing of them.',
    );
  }
  const q = request.target.query;
  const prefix = q.get('prefix') ?? '';
  const delimiter = q.get('delimiter') ?? '';
  const keyMarker = q.get('key-marker') ?? '';
  const maxKeys = Math.min(Number(q.get('max-keys') ?? MAX_KEYS) || 0, MAX_KEYS);
  const versions: Array<{ key: string; size: number; etag: string; lastModified: Date }> = [];
  const prefixes: string[] = [];
  let truncated = false;
  let last: string | undefined;
  let token: string | undefined;
  do {
    const page = await request.client.listObjects({
      bucket: bucketOf(request),
      ...(prefix === '' ? {} : { prefix }),
      ...(token === undefined ? {} : { continuationToken: token }),
      abortSignal: request.signal,
    });
    for (const object of page.objects) {
      if (isReservedKey(object.key)) continue;
      if (keyMarker !== '' && compareKeys(object.key, keyMarker) <= 0) continue;
      const at = delimiter === '' ? -1 : object.key.indexOf(delimiter, prefix.length);
      const folded = at === -1 ? undefined : object.key.slice(0, at + delimiter.length);
      if (folded !== undefined && folded === prefixes.at(-1)) continue;
      if (versions.length + prefixes.length === maxKeys) {
        truncated = true;
        break;
      }
      if (folded === undefined) versions.push(object);
      else prefixes.push(folded);
      last = folded ?? object.key;
    }
    token = page.isTruncated ? page.nextContinuationToken : undefined;
  } while (!truncated && token !== undefined);
  sendXml(request, 'ListVersionsResult', {
    Name: bucketOf(request),
    Prefix: encodeIfAsked(request, prefix),
    KeyMarker: encodeIfAsked(request, keyMarker),
    VersionIdMarker: q.get('version-id-marker') ?? '',
    ...(truncated && last !== undefined
      ? { NextKeyMarker: encodeIfAsked(request, last), NextVersionIdMarker: 'null' }
      : {}),
    MaxKeys: maxKeys,
    ...(delimiter === '' ? {} : { Delimiter: encodeIfAsked(request, delimiter) }),
    IsTruncated: truncated,
    ...(q.get('encoding-type') === 'url' ? { EncodingType: 'url' } : {}),
    ...(versions.length === 0
      ? {}
      : {
          Version: versions.map((o) => ({
            Key: encodeIfAsked(request, o.key),
            VersionId: 'null',
            IsLatest: true,
            LastModified: xmlDate(o.lastModified),
            ETag: quoteEtag(o.etag),
            Size: o.size,
            Owner: ownerXml(request),
            StorageClass: 'STANDARD',
          })),
        }),
    ...(prefixes.length === 0
      ? {}
      : { CommonPrefixes: prefixes.map((p) => ({ Prefix: encodeIfAsked(request, p) })) }),
  });
}
