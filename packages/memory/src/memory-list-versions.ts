/**
 * ListObjectVersions over the store's version lists: keys in S3's order, each key's versions
 * newest first, delete markers among them, rolled up into common prefixes at a delimiter, paged
 * by key marker and version-id marker exactly as S3 pages them.
 */
import type {
  ListObjectVersionsRequest,
  ListObjectVersionsResult,
  OperationContext,
} from '@partcopy/core/provider';
import { compareKeys } from '@partcopy/core/provider';
import type { MemoryEnv } from './memory-env.js';
import { operationContext } from './memory-env.js';
import { checkAborted } from './memory-errors.js';
import type { MemoryBucket, ObjectVersion } from './memory-store.js';
import { requireBucket } from './memory-versions.js';

/** One entry of the listing before paging: a version of a key, or a rolled-up prefix. */
type Entry =
  | { kind: 'version'; key: string; version: ObjectVersion; isLatest: boolean }
  | { kind: 'prefix'; prefix: string };

export async function listObjectVersions(
  env: MemoryEnv,
  request: ListObjectVersionsRequest,
  ctx: OperationContext,
): Promise<ListObjectVersionsResult> {
  const context = operationContext('listObjectVersions', { bucket: request.bucket });
  checkAborted(ctx.signal, context);
  const bucket = requireBucket(env.store, request.bucket, context);
  const result: ListObjectVersionsResult = {
    versions: [],
    deleteMarkers: [],
    order: [],
    commonPrefixes: [],
    isTruncated: false,
  };
  let count = 0;
  let last: Entry | undefined;
  for (const entry of entriesAfterMarkers(bucket, request)) {
    if (count === request.maxKeys) {
      result.isTruncated = request.maxKeys > 0;
      break;
    }
    add(result, entry);
    count++;
    last = entry;
  }
  if (result.isTruncated && last !== undefined) {
    if (last.kind === 'prefix') result.nextKeyMarker = last.prefix;
    else {
      result.nextKeyMarker = last.key;
      result.nextVersionIdMarker = last.version.versionId;
    }
  }
  return result;
}

function add(result: ListObjectVersionsResult, entry: Entry): void {
  if (entry.kind === 'prefix') {
    result.commonPrefixes.push(entry.prefix);
    return;
  }
  const { key, version, isLatest } = entry;
  result.order?.push(version.kind === 'deleteMarker' ? 'deleteMarker' : 'version');
  if (version.kind === 'deleteMarker') {
    result.deleteMarkers.push({
      key,
      versionId: version.versionId,
      isLatest,
      lastModified: version.lastModified,
    });
    return;
  }
  result.versions.push({
    key,
    versionId: version.versionId,
    isLatest,
    lastModified: version.lastModified,
    etag: version.etag,
    size: version.data.length,
    storageClass: version.settings.storageClass ?? 'STANDARD',
  });
}

/** The listing's entries from the markers on, each common prefix once. */
function* entriesAfterMarkers(bucket: MemoryBucket, request: ListObjectVersionsRequest): Generator<Entry> {
  const prefix = request.prefix ?? '';
  const { keyMarker, versionIdMarker, delimiter } = request;
  // A marker that is a common prefix (the last entry of a page) continues after every key in it.
  const markerPrefix =
    keyMarker !== undefined && rollUp(keyMarker, prefix, delimiter) === keyMarker ? keyMarker : undefined;
  let lastPrefix: string | undefined;
  const keys = [...bucket.keys.keys()].filter((k) => k.startsWith(prefix)).sort(compareKeys);
  for (const key of keys) {
    if (keyMarker !== undefined && compareKeys(key, keyMarker) < 0) continue;
    const rolled = rollUp(key, prefix, delimiter);
    if (rolled !== undefined) {
      if (rolled === lastPrefix || rolled === markerPrefix) continue;
      lastPrefix = rolled;
      yield { kind: 'prefix', prefix: rolled };
      continue;
    }
    const newestFirst = [...(bucket.keys.get(key) ?? [])].reverse();
    yield* versionsOf(key, newestFirst, key === keyMarker ? versionIdMarker : undefined, key === keyMarker);
  }
}

/**
 * A key's versions, newest first. On the marker key: none without a version-id marker (the key
 * was listed whole), the ones after it with one (all of them when it names no version here).
 */
function* versionsOf(
  key: string,
  newestFirst: ObjectVersion[],
  versionIdMarker: string | undefined,
  isMarkerKey: boolean,
): Generator<Entry> {
  let from = 0;
  if (isMarkerKey) {
    if (versionIdMarker === undefined) return;
    from = newestFirst.findIndex((v) => v.versionId === versionIdMarker) + 1;
  }
  for (let i = from; i < newestFirst.length; i++) {
    yield { kind: 'version', key, version: newestFirst[i] as ObjectVersion, isLatest: i === 0 };
  }
}

/** The common prefix `key` rolls up into at `delimiter` after `prefix`, if any. */
function rollUp(key: string, prefix: string, delimiter: string | undefined): string | undefined {
  if (!delimiter || !key.startsWith(prefix)) return undefined;
  const at = key.indexOf(delimiter, prefix.length);
  return at === -1 ? undefined : key.slice(0, at + delimiter.length);
}
