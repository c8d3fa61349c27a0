/**
 * Reads across the key folders of a bucket, without locks: is anything left (DeleteBucket), the
 * current objects (ListObjects), the folders under a prefix and every version of one folder
 * (ListObjectVersions). A version removed while it is read is simply left out.
 */
import { join } from 'node:path';
import { readJson } from './atomic-write.js';
import { listRealFolder } from './entry-guard.js';
import { retryLater } from './fs-errors.js';
import type { FsLayout } from './fs-layout.js';
import { decodeKeyName, isKeyName, keyNamePrefixTest } from './key-encoding.js';
import type { ObjectRecord, VersionRecord } from './records.js';
import {
  listVersionFiles,
  READ_ATTEMPTS,
  shownVersionFiles,
  type VersioningState,
  versionIdOf,
} from './version-files.js';

/** A key folder, with its key when the folder's name is readable (not a hash). */
export interface KeyFolder {
  keyDir: string;
  key?: string;
}

/** Does any key of the bucket have any version (S3's "bucket not empty")? */
export async function hasAnyVersion(layout: FsLayout, bucket: string): Promise<boolean> {
  const objectsDir = layout.objectsDir(bucket);
  for (const name of await listRealFolder(objectsDir)) {
    if (isKeyName(name) && (await listVersionFiles(join(objectsDir, name))).length > 0) return true;
  }
  return false;
}

/** Current live versions of keys starting with `prefix`, in no particular order. */
export async function listLive(layout: FsLayout, bucket: string, prefix: string): Promise<ObjectRecord[]> {
  const out: ObjectRecord[] = [];
  for (const { keyDir } of await keyFolders(layout, bucket, prefix)) {
    const record = await currentOfFolder(layout, keyDir);
    if (record && !record.deleteMarker && record.key.startsWith(prefix)) out.push(record as ObjectRecord);
  }
  return out;
}

/**
 * The key folders of a bucket that may hold keys starting with `prefix`: readable names are
 * picked by their encoding and checked decoded; hashed names cannot be, their records tell.
 */
export async function keyFolders(layout: FsLayout, bucket: string, prefix: string): Promise<KeyFolder[]> {
  const objectsDir = layout.objectsDir(bucket);
  const mayHold = keyNamePrefixTest(prefix);
  const out: KeyFolder[] = [];
  for (const name of await listRealFolder(objectsDir)) {
    if (!mayHold(name) || !isKeyName(name)) continue;
    const key = decodeKeyName(name);
    if (key === undefined) out.push({ keyDir: join(objectsDir, name) });
    else if (key.startsWith(prefix)) out.push({ keyDir: join(objectsDir, name), key });
  }
  return out;
}

/**
 * Every version of a key folder that a listing shows, newest first, with the real key.
 * `undefined` for a folder with no version.
 */
export async function versionsOfFolder(
  layout: FsLayout,
  keyDir: string,
  state: VersioningState,
): Promise<{ key: string; versions: VersionRecord[] } | undefined> {
  const versions: VersionRecord[] = [];
  for (const file of shownVersionFiles(await listVersionFiles(keyDir), state).reverse()) {
    const record = await readJson<VersionRecord>(layout.versionRecordFile(keyDir, file.stem));
    if (record) versions.push({ ...record, versionId: versionIdOf(file, state) });
  }
  const key = versions[0]?.key;
  return key === undefined ? undefined : { key, versions: versions.filter((v) => v.key === key) };
}

// The newest record of a key folder, looking again when a writer removed it meanwhile.
async function currentOfFolder(layout: FsLayout, keyDir: string): Promise<VersionRecord | undefined> {
  for (let attempt = 0; attempt < READ_ATTEMPTS; attempt++) {
    const newest = (await listVersionFiles(keyDir)).at(-1);
    if (newest === undefined) return undefined;
    const record = await readJson<VersionRecord>(layout.versionRecordFile(keyDir, newest.stem));
    if (record) return record;
  }
  throw retryLater(undefined, '');
}
