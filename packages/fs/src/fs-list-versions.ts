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
  type StoredVersion,
  versionListingPage,
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

export async function listObjectVersions(
  deps: ListVersionsDeps,
  request: ListObjectVersionsRequest,
  signal: AbortSignal,
): Promise<ListObjectVersionsResult> {
  await deps.layout.requireBucket(request.bucket);
  const state = await deps.objects.versioning(request.bucket);
  return versionListingPage(
    request,
    {
      keys: await keyFoldersInOrder(deps, request, state),
      versionsOf: async ({ keyDir }) =>
        ((await versionsOfFolder(deps.layout, keyDir, state))?.versions ?? []).map(storedVersion),
      // A rolled-up key is only checked to hold a version: its folder's names say so.
      hasVersions: async ({ keyDir }) => (await listVersionFiles(keyDir)).length > 0,
    },
    signal,
  );
}

function storedVersion(version: VersionRecord): StoredVersion {
  return {
    versionId: version.versionId,
    deleteMarker: version.deleteMarker === true,
    lastModified: new Date(version.lastModified),
    ...(version.deleteMarker
      ? {}
      : {
          etag: version.etag as string,
          size: version.size as number,
          storageClass: version.settings?.storageClass ?? 'STANDARD',
        }),
  };
}

/** A key folder with its key (read from its records when the folder name is a hash). */
interface KeyFolder {
  key: string;
  keyDir: string;
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
