/**
 * Bucket versioning as S3 answers it: PutBucketVersioning, GetBucketVersioning and
 * ListObjectVersions through the store's versioning operations (capabilities `bucketVersioning`
 * and `listObjectVersions`), and the delete-marker headers of a read that meets one.
 *
 * A store without those operations gets S3's answer for what it cannot do: NotImplemented, except
 * where the answer is exact without them (a store that keeps no versions at all has buckets S3
 * never versioned: no versioning state, each object its one `null` version).
 */
import { type ListObjectVersionsResult, PartCopyError } from '@partcopy/core';
import { quoteEtag } from '@partcopy/core/provider';
import { ownerXml } from './access-control.js';
import { isReservedKey } from './bucket-config-document.js';
import { GatewayError } from './gateway-error.js';
import { bucketOf, type GatewayRequest, keyOf } from './gateway-request.js';
import { listUnversionedObjectVersions } from './list-object-versions.js';
import { parseMaxKeys } from './list-objects.js';
import { readSmallBody } from './small-body.js';
import { versionsInListingOrder } from './version-listing-order.js';
import { malformedXml, parseXmlBody, xmlDocumentInOrder } from './xml-codec.js';
import { encodeIfAsked, sendEmpty, sendXml, sendXmlText, xmlDate } from './xml-response.js';

type Handler = (request: GatewayRequest) => Promise<void>;

/** PUT ?versioning: `<VersioningConfiguration><Status>Enabled|Suspended</Status>`. */
export async function putBucketVersioning(request: GatewayRequest): Promise<void> {
  const document = parseXmlBody(await readSmallBody(request, 64 * 1024), 'VersioningConfiguration');
  const status = document.Status;
  if (status !== 'Enabled' && status !== 'Suspended') {
    throw malformedXml();
  }
  // MFA delete needs a device the gateway does not have; "Disabled" is what every bucket is.
  if (document.MfaDelete !== undefined && document.MfaDelete !== 'Disabled') {
    throw new GatewayError('NotImplemented', 'MFA delete is not implemented by this gateway.');
  }
  await request.client.putBucketVersioning({
    bucket: bucketOf(request),
    status,
    abortSignal: request.signal,
  });
  sendEmpty(request);
}

/** GET ?versioning: the store's state, or "never enabled" where the store keeps no versions. */
export async function getBucketVersioning(request: GatewayRequest): Promise<void> {
  const bucket = bucketOf(request);
  const capabilities = request.client.capabilitiesFor(bucket);
  if (capabilities.bucketVersioning) {
    const { status } = await request.client.getBucketVersioning({ bucket, abortSignal: request.signal });
    sendXml(request, 'VersioningConfiguration', status === undefined ? {} : { Status: status });
    return;
  }
  if (capabilities.versionedBuckets || capabilities.versionedSources) {
    throw new GatewayError(
      'NotImplemented',
      'GetBucketVersioning is not implemented on this store: it can keep versions but cannot report a bucket’s versioning state.',
    );
  }
  // The listing answers whether the bucket exists (NoSuchBucket otherwise).
  await request.client.listObjects({ bucket, maxKeys: 1, abortSignal: request.signal });
  sendXml(request, 'VersioningConfiguration', {});
}

/** GET ?versions: every version and delete marker, in S3's XML. */
export async function listObjectVersions(request: GatewayRequest): Promise<void> {
  const bucket = bucketOf(request);
  if (!request.client.capabilitiesFor(bucket).listObjectVersions)
    return listUnversionedObjectVersions(request);
  const q = request.target.query;
  const prefix = q.get('prefix') ?? '';
  const delimiter = q.get('delimiter') ?? '';
  const keyMarker = q.get('key-marker') ?? '';
  const versionIdMarker = q.get('version-id-marker') ?? '';
  const maxKeys = parseMaxKeys(q.get('max-keys'));
  const listed = withoutReservedVersions(
    await request.client.listObjectVersions({
      bucket,
      prefix,
      delimiter,
      keyMarker,
      versionIdMarker,
      maxKeys,
      abortSignal: request.signal,
    }),
  );
  const encode = (text: string) => encodeIfAsked(request, text);
  const head: Record<string, unknown> = {
    Name: bucket,
    Prefix: encode(prefix),
    KeyMarker: encode(keyMarker),
    VersionIdMarker: versionIdMarker,
    NextKeyMarker: listed.nextKeyMarker === undefined ? undefined : encode(listed.nextKeyMarker),
    NextVersionIdMarker: listed.nextVersionIdMarker,
    MaxKeys: maxKeys,
    Delimiter: delimiter === '' ? undefined : encode(delimiter),
    IsTruncated: listed.isTruncated,
    EncodingType: q.get('encoding-type') === 'url' ? 'url' : undefined,
  };
  const entries = versionsInListingOrder(listed).map((item) =>
    item.kind === 'version'
      ? {
          Version: {
            Key: encode(item.entry.key),
            VersionId: item.entry.versionId,
            IsLatest: item.entry.isLatest,
            LastModified: xmlDate(item.entry.lastModified),
            ETag: quoteEtag(item.entry.etag),
            Size: item.entry.size,
            Owner: ownerXml(request),
            StorageClass: item.entry.storageClass ?? 'STANDARD',
          },
        }
      : {
          DeleteMarker: {
            Key: encode(item.entry.key),
            VersionId: item.entry.versionId,
            IsLatest: item.entry.isLatest,
            LastModified: xmlDate(item.entry.lastModified),
            Owner: ownerXml(request),
          },
        },
  );
  const children = [
    ...Object.entries(head)
      .filter(([, value]) => value !== undefined)
      .map(([name, value]) => ({ [name]: value })),
    ...entries,
    ...listed.commonPrefixes.map((p) => ({ CommonPrefixes: { Prefix: encode(p) } })),
  ];
  // Version and DeleteMarker interleave, which a document of plain objects cannot say.
  sendXmlText(request, xmlDocumentInOrder('ListVersionsResult', children));
}

// The gateway's own configuration document (bucket-config-document.ts) is no client's version: a
// page may hold fewer entries than max-keys then, which S3's paging allows (IsTruncated still says
// whether more follow).
function withoutReservedVersions(listed: ListObjectVersionsResult): ListObjectVersionsResult {
  // In listing order first, so the order of what is kept is known whatever the store said.
  const kept = versionsInListingOrder(listed).filter((item) => !isReservedKey(item.entry.key));
  return {
    ...listed,
    versions: listed.versions.filter((v) => !isReservedKey(v.key)),
    deleteMarkers: listed.deleteMarkers.filter((m) => !isReservedKey(m.key)),
    order: kept.map((item) => item.kind),
    commonPrefixes: listed.commonPrefixes.filter((p) => !isReservedKey(p)),
  };
}

/**
 * A GET or HEAD of an object whose answer is a delete marker carries S3's headers: with a
 * version id naming a marker (405), `x-amz-delete-marker: true` and that id; without one, when
 * the key's current version is a marker (404), the same for the current marker, found by listing
 * the key's newest entry where the store lists versions.
 */
export function withDeleteMarkerHeaders(handle: Handler): Handler {
  return async (request) => {
    try {
      await handle(request);
    } catch (error) {
      await markDeleteMarker(request, error);
      throw error;
    }
  };
}

async function markDeleteMarker(request: GatewayRequest, error: unknown): Promise<void> {
  if (request.res.headersSent || !PartCopyError.isInstance(error)) return;
  const versionId = request.target.query.get('versionId');
  if (versionId !== undefined) {
    if (error.status === 405) setMarkerHeaders(request, versionId);
    return;
  }
  const bucket = bucketOf(request);
  if (error.code !== 'NoSuchKey' || !request.client.capabilitiesFor(bucket).listObjectVersions) return;
  const key = keyOf(request);
  try {
    if (!(await mayHoldDeleteMarkers(request, bucket))) return;
    const listed = await request.client.listObjectVersions({
      bucket,
      prefix: key,
      maxKeys: 1,
      abortSignal: request.signal,
    });
    const marker = listed.deleteMarkers[0];
    if (marker?.key === key && marker.isLatest) setMarkerHeaders(request, marker.versionId);
  } catch {
    // The headers are extra information: the read's own error is the answer.
  }
}

/**
 * A bucket whose versioning was never enabled holds no delete marker: its state (one small read
 * on a folder) spares the listing, which on a folder reads the name of every key of the bucket.
 */
async function mayHoldDeleteMarkers(request: GatewayRequest, bucket: string): Promise<boolean> {
  if (!request.client.capabilitiesFor(bucket).bucketVersioning) return true;
  const { status } = await request.client.getBucketVersioning({ bucket, abortSignal: request.signal });
  return status !== undefined;
}

function setMarkerHeaders(request: GatewayRequest, versionId: string): void {
  request.res.setHeader('x-amz-delete-marker', 'true');
  request.res.setHeader('x-amz-version-id', versionId);
}
