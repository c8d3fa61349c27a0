/**
 * One page of ListObjectVersions as S3 builds it, for stores that keep each key's versions
 * themselves (memory, fs): keys in S3's order, each key's versions newest first with delete
 * markers among them (the interleaving recorded in `order`), keys rolled up into common
 * prefixes at a delimiter, paged by key marker and version-id marker exactly as S3 pages them.
 * The store says which keys there are and reads a key's versions only when the page reaches it.
 */
import type { ListObjectVersionsRequest, ListObjectVersionsResult } from '../contract/bucket-versioning.js';
import { throwIfAborted } from '../errors/part-copy-error.js';

/** One version of a key as the store keeps it. */
export interface StoredVersion {
  versionId: string;
  deleteMarker: boolean;
  lastModified: Date;
  /** Of a version (not a delete marker). */
  etag?: string;
  size?: number;
  storageClass?: string;
}

/** What the page is built from; `K` is the store's handle on one key (its name at least). */
export interface VersionListingSource<K extends { key: string }> {
  /** The keys under the request's prefix from its key marker on, in S3's key order (compareKeys). */
  keys: readonly K[];
  /** A key's versions, newest first (none: the key is gone and is not listed). */
  versionsOf(key: K): StoredVersion[] | Promise<StoredVersion[]>;
  /**
   * Whether a key rolled up into a common prefix still has a version; a store for which that is
   * cheaper than reading its versions says so here (default: versionsOf is not empty).
   */
  hasVersions?(key: K): boolean | Promise<boolean>;
}

type Entry =
  | { kind: 'version'; key: string; version: StoredVersion; isLatest: boolean }
  | { kind: 'prefix'; prefix: string };

export async function versionListingPage<K extends { key: string }>(
  request: ListObjectVersionsRequest,
  source: VersionListingSource<K>,
  signal?: AbortSignal,
): Promise<ListObjectVersionsResult> {
  const result: ListObjectVersionsResult = {
    versions: [],
    deleteMarkers: [],
    order: [],
    commonPrefixes: [],
    isTruncated: false,
  };
  let count = 0;
  let last: Entry | undefined;
  for await (const entry of entriesAfterMarkers(request, source, signal)) {
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
  // The interleaving of versions and delete markers, which their times (to the second) cannot tell.
  result.order?.push(version.deleteMarker ? 'deleteMarker' : 'version');
  const { versionId, lastModified } = version;
  if (version.deleteMarker) {
    result.deleteMarkers.push({ key, versionId, isLatest, lastModified });
    return;
  }
  result.versions.push({
    key,
    versionId,
    isLatest,
    lastModified,
    etag: version.etag as string,
    size: version.size as number,
    storageClass: version.storageClass ?? 'STANDARD',
  });
}

/** The listing's entries from the markers on, each common prefix once. */
async function* entriesAfterMarkers<K extends { key: string }>(
  request: ListObjectVersionsRequest,
  source: VersionListingSource<K>,
  signal: AbortSignal | undefined,
): AsyncGenerator<Entry> {
  const prefix = request.prefix ?? '';
  const { keyMarker, versionIdMarker, delimiter } = request;
  // A marker that is a common prefix (the last entry of a page) continues after every key in it.
  const markerPrefix =
    keyMarker !== undefined && rollUp(keyMarker, prefix, delimiter) === keyMarker ? keyMarker : undefined;
  let lastPrefix: string | undefined;
  for (const handle of source.keys) {
    throwIfAborted(signal);
    const key = handle.key;
    const rolled = rollUp(key, prefix, delimiter);
    if (rolled !== undefined) {
      if (rolled === lastPrefix || rolled === markerPrefix) continue;
      // A key without versions (emptied meanwhile) does not make its prefix appear.
      const present = source.hasVersions
        ? await source.hasVersions(handle)
        : (await source.versionsOf(handle)).length > 0;
      if (!present) continue;
      lastPrefix = rolled;
      yield { kind: 'prefix', prefix: rolled };
      continue;
    }
    const newestFirst = await source.versionsOf(handle);
    yield* versionsAfterMarker(
      key,
      newestFirst,
      key === keyMarker ? versionIdMarker : undefined,
      key === keyMarker,
    );
  }
}

/**
 * A key's versions, newest first. On the marker key: none without a version-id marker (the key
 * was listed whole), the ones after it with one (all of them when it names no version here).
 */
function* versionsAfterMarker(
  key: string,
  newestFirst: StoredVersion[],
  versionIdMarker: string | undefined,
  isMarkerKey: boolean,
): Generator<Entry> {
  let from = 0;
  if (isMarkerKey) {
    if (versionIdMarker === undefined) return;
    from = newestFirst.findIndex((v) => v.versionId === versionIdMarker) + 1;
  }
  for (let i = from; i < newestFirst.length; i++) {
    yield { kind: 'version', key, version: newestFirst[i] as StoredVersion, isLatest: i === 0 };
  }
}

/** The common prefix `key` rolls up into at `delimiter` after `prefix`, if any. */
function rollUp(key: string, prefix: string, delimiter: string | undefined): string | undefined {
  if (!delimiter || !key.startsWith(prefix)) return undefined;
  const at = key.indexOf(delimiter, prefix.length);
  return at === -1 ? undefined : key.slice(0, at + delimiter.length);
}
