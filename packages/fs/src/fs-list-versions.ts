/**
 * ListObjectVersions over the key folders: keys in S3's order, each key's versions newest first,
 * delete markers among them, rolled up into common prefixes at a delimiter, paged by key marker
 * and version-id marker exactly as S3 (and @partcopy/memory, the reference) pages them.
 *
 * Only what a page needs is read: readable folder names give the keys without opening anything,
 * keys before the marker are skipped unread, a rolled-up key is only checked to hold a version,
 * and records are read key by key until the page is full.
 */
import {
  compareKeys,
  type ListObjectVersionsRequest,
  type ListObjectVersionsResult,
  throwIfAborted,
} from '@partcopy/core/provider';
import { keyFolders, versionsOfFolder } from './bucket-scan.js';
import type { FsLayout } from './fs-layout.js';
import type { ObjectStore } from './object-store.js';
import type { VersionRecord } from './records.js';
import { listVersionFiles, type VersioningState } from './version-files.js';

export interface ListVersionsDeps {
  layout: FsLayout;
  objects: ObjectStore;
}

/** One entry of the listing before paging: a version of a key, or a rolled-up prefix. */
type Entry =
  | { kind: 'version'; key: string; version: VersionRecord; isLatest: boolean }
  | { kind: 'prefix'; prefix: string };

/** A key folder with its key (read from its records when the folder name is a hash). */
interface KeyFolder {
  key: string;
  keyDir: string;
}

export async function listObjectVersions(
  deps: ListVersionsDeps,
  request: ListObjectVersionsRequest,
  signal: AbortSignal,
): Promise<ListObjectVersionsResult> {
  await deps.layout.requireBucket(request.bucket);
  const state = await deps.objects.versioning(request.bucket);
  const result: ListObjectVersionsResult = {
    versions: [],
    deleteMarkers: [],
    order: [],
    commonPrefixes: [],
    isTruncated: false,
  };
  let count = 0;
  let last: Entry | undefined;
  for await (const entry of entriesAfterMarkers(deps, request, state, signal)) {
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
  const lastModified = new Date(version.lastModified);
  // The interleaving of versions and delete markers, which their times (to the second) cannot tell.
  result.order?.push(version.deleteMarker ? 'deleteMarker' : 'version');
  if (version.deleteMarker) {
    result.deleteMarkers.push({ key, versionId: version.versionId, isLatest, lastModified });
    return;
  }
  result.versions.push({
    key,
    versionId: version.versionId,
    isLatest,
    lastModified,
    etag: version.etag as string,
    size: version.size as number,
    storageClass: version.settings?.storageClass ?? 'STANDARD',
  });
}

/** The listing's entries from the markers on, each common prefix once. */
async function* entriesAfterMarkers(
  deps: ListVersionsDeps,
  request: ListObjectVersionsRequest,
  state: VersioningState,
  signal: AbortSignal,
): AsyncGenerator<Entry> {
  const prefix = request.prefix ?? '';
  const { keyMarker, versionIdMarker, delimiter } = request;
  // A marker that is a common prefix (the last entry of a page) continues after every key in it.
  const markerPrefix =
    keyMarker !== undefined && rollUp(keyMarker, prefix, delimiter) === keyMarker ? keyMarker : undefined;
  let lastPrefix: string | undefined;
  for (const { key, keyDir } of await keyFoldersInOrder(deps, request, state)) {
    throwIfAborted(signal);
    const rolled = rollUp(key, prefix, delimiter);
    if (rolled !== undefined) {
      if (rolled === lastPrefix || rolled === markerPrefix) continue;
      if ((await listVersionFiles(keyDir)).length === 0) continue; // an emptied folder holds no key
      lastPrefix = rolled;
      yield { kind: 'prefix', prefix: rolled };
      continue;
    }
    const newestFirst = (await versionsOfFolder(deps.layout, keyDir, state))?.versions ?? [];
    yield* versionsOf(key, newestFirst, key === keyMarker ? versionIdMarker : undefined, key === keyMarker);
  }
}

/** The key folders under the prefix from the key marker on, in S3's key order. */
async function keyFoldersInOrder(
  deps: ListVersionsDeps,
  request: ListObjectVersionsRequest,
  state: VersioningState,
): Promise<KeyFolder[]> {
  const prefix = request.prefix ?? '';
  const out: KeyFolder[] = [];
  for (const folder of await keyFolders(deps.layout, request.bucket, prefix)) {
    const key = folder.key ?? (await versionsOfFolder(deps.layout, folder.keyDir, state))?.key;
    if (key === undefined || !key.startsWith(prefix)) continue;
    if (request.keyMarker !== undefined && compareKeys(key, request.keyMarker) < 0) continue;
    out.push({ key, keyDir: folder.keyDir });
  }
  return out.sort((a, b) => compareKeys(a.key, b.key));
}

/**
 * A key's versions, newest first. On the marker key: none without a version-id marker (the key
 * was listed whole), the ones after it with one (all of them when it names no version here).
 */
function* versionsOf(
  key: string,
  newestFirst: VersionRecord[],
  versionIdMarker: string | undefined,
  isMarkerKey: boolean,
): Generator<Entry> {
  let from = 0;
  if (isMarkerKey) {
    if (versionIdMarker === undefined) return;
    from = newestFirst.findIndex((v) => v.versionId === versionIdMarker) + 1;
  }
  for (let i = from; i < newestFirst.length; i++) {
    yield { kind: 'version', key, version: newestFirst[i] as VersionRecord, isLatest: i === 0 };
  }
}

/** The common prefix `key` rolls up into at `delimiter` after `prefix`, if any. */
function rollUp(key: string, prefix: string, delimiter: string | undefined): string | undefined {
  if (!delimiter || !key.startsWith(prefix)) return undefined;
  const at = key.indexOf(delimiter, prefix.length);
  return at === -1 ? undefined : key.slice(0, at + delimiter.length);
}
