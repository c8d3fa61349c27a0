/**
 * ListObjectVersions over the store's version lists, paged as S3 pages it by the core's
 * versionListingPage: keys in S3's order, each key's versions newest first.
 */
import type {
  ListObjectVersionsRequest,
  ListObjectVersionsResult,
  OperationContext,
  StoredVersion,
} from '@partcopy/core/provider';
import { compareKeys, versionListingPage } from '@partcopy/core/provider';
import type { MemoryEnv } from './memory-env.js';
import { operationContext } from './memory-env.js';
import { checkAborted } from './memory-errors.js';
import type { ObjectVersion } from './memory-store.js';
import { requireBucket } from './memory-versions.js';

export async function listObjectVersions(
  env: MemoryEnv,
  request: ListObjectVersionsRequest,
  ctx: OperationContext,
): Promise<ListObjectVersionsResult> {
  const context = operationContext('listObjectVersions', { bucket: request.bucket });
  checkAborted(ctx.signal, context);
  const bucket = requireBucket(env.store, request.bucket, context);
  const prefix = request.prefix ?? '';
  const { keyMarker } = request;
  const keys = [...bucket.keys.keys()]
    .filter((k) => k.startsWith(prefix) && (keyMarker === undefined || compareKeys(k, keyMarker) >= 0))
    .sort(compareKeys)
    .map((key) => ({ key }));
  return versionListingPage(request, {
    keys,
    versionsOf: ({ key }) => [...(bucket.keys.get(key) ?? [])].reverse().map(storedVersion),
  });
}

function storedVersion(version: ObjectVersion): StoredVersion {
  if (version.kind === 'deleteMarker') {
    return { versionId: version.versionId, deleteMarker: true, lastModified: version.lastModified };
  }
  return {
    versionId: version.versionId,
    deleteMarker: false,
    lastModified: version.lastModified,
    etag: version.etag,
    size: version.data.length,
    ...(version.settings.storageClass === undefined ? {} : { storageClass: version.settings.storageClass }),
  };
}
