import type { ObjectRef } from '../contract/types.js';
import { PartCopyError } from '../errors/part-copy-error.js';

/** A copy source as users write it: S3's string form or a structured reference. */
export type CopySourceInput = string | { bucket: string; key: string; versionId?: string };

/** A parsed copy source; `accessPointArn` is set when the source named an S3 access point. */
export interface CopySource extends ObjectRef {
  accessPointArn?: string;
}

// arn:PARTITION:s3:REGION:ACCOUNT:accesspoint/NAME/object/KEY, and the Outposts form
// arn:PARTITION:s3-outposts:REGION:ACCOUNT:outpost/ID/accesspoint/NAME/object/KEY.
const ACCESS_POINT =
  /^(arn:[a-z0-9-]+:s3(?:-outposts)?:[a-z0-9-]*:\d*:(?:outpost\/[^/]+\/)?accesspoint\/[^/]+)\/object\/(.+)$/;

/**
 * Parses S3's `x-amz-copy-source` forms: `bucket/key`, `/bucket/key`, a URL-encoded key,
 * `...?versionId=V` (the version id is not encoded) and access-point ARNs
 * (`arn:aws:s3:REGION:ACCOUNT:accesspoint/NAME/object/KEY`). A structured
 * `{ bucket, key, versionId }` is taken as it is, the key not decoded.
 */
export function parseCopySource(input: CopySourceInput): CopySource {
  if (typeof input === 'object' && input !== null) return checkStructured(input);
  if (typeof input !== 'string') {
    throw new PartCopyError(
      'InvalidArgument',
      'copySource: expected "bucket/key" or { bucket, key, versionId }',
    );
  }
  const { path, versionId } = splitVersion(input);
  const trimmed = path.startsWith('/') ? path.slice(1) : path;
  const arn = ACCESS_POINT.exec(trimmed);
  if (arn) {
    const accessPointArn = arn[1] as string;
    return withVersion(
      { bucket: accessPointArn, key: decodeKey(arn[2] as string), accessPointArn },
      versionId,
    );
  }
  const slash = trimmed.indexOf('/');
  if (slash <= 0 || slash === trimmed.length - 1) {
    throw new PartCopyError(
      'InvalidArgument',
      `copySource: "${input}" must name a bucket and a key as bucket/key`,
    );
  }
  return withVersion(
    { bucket: trimmed.slice(0, slash), key: decodeKey(trimmed.slice(slash + 1)) },
    versionId,
  );
}

function splitVersion(input: string): { path: string; versionId?: string } {
  const question = input.indexOf('?');
  if (question < 0) return { path: input };
  const query = input.slice(question + 1);
  const match = /^versionId=([^&]+)$/.exec(query);
  if (!match) {
    throw new PartCopyError(
      'InvalidArgument',
      `copySource: the only query parameter allowed is versionId, got "?${query}"`,
    );
  }
  return { path: input.slice(0, question), versionId: match[1] as string };
}

function decodeKey(encoded: string): string {
  try {
    return decodeURIComponent(encoded);
  } catch {
    throw new PartCopyError('InvalidArgument', `copySource: the key "${encoded}" is not valid URL encoding`);
  }
}

function withVersion(source: CopySource, versionId: string | undefined): CopySource {
  return versionId === undefined ? source : { ...source, versionId };
}

function checkStructured(input: { bucket: string; key: string; versionId?: string }): CopySource {
  if (typeof input.bucket !== 'string' || input.bucket === '') {
    throw new PartCopyError('InvalidArgument', 'copySource.bucket must be a non-empty string');
  }
  if (typeof input.key !== 'string' || input.key === '') {
    throw new PartCopyError('InvalidArgument', 'copySource.key must be a non-empty string');
  }
  if (input.versionId !== undefined && (typeof input.versionId !== 'string' || input.versionId === '')) {
    throw new PartCopyError('InvalidArgument', 'copySource.versionId must be a non-empty string when given');
  }
  const source: CopySource = { bucket: input.bucket, key: input.key };
  if (input.versionId !== undefined) source.versionId = input.versionId;
  const arn = /^arn:[^:]+:s3(?:-outposts)?:/.test(input.bucket) ? input.bucket : undefined;
  if (arn !== undefined) source.accessPointArn = arn;
  return source;
}

/**
 * Encodes a key for S3's copy-source header: each `/`-separated segment URL-encoded (RFC 3986,
 * so `!'()*` too), slashes kept.
 */
export function encodeCopySourceKey(key: string): string {
  return key
    .split('/')
    .map((segment) =>
      encodeURIComponent(segment).replace(
        /[!'()*]/g,
        (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
      ),
    )
    .join('/');
}

/**
 * Formats a source as S3's `x-amz-copy-source` value: `bucket/encoded-key[?versionId=V]`, or
 * `ARN/object/encoded-key` for access points.
 */
export function formatCopySource(source: CopySource): string {
  const base = source.accessPointArn
    ? `${source.accessPointArn}/object/${encodeCopySourceKey(source.key)}`
    : `${source.bucket}/${encodeCopySourceKey(source.key)}`;
  return source.versionId === undefined ? base : `${base}?versionId=${source.versionId}`;
}
