import type { BucketVersioningStatus } from '@partcopy/core/provider';
import { listRealFolder } from './entry-guard.js';
import { isVersionId } from './ids.js';

/**
 * The version files of a key folder and what their names mean (see README "Versioning").
 *
 * Every version (object or delete marker) is `STEM.json` with its bytes in `STEM.data`. The stem
 * starts with the version's ORDER, a 30-hex id made under the key lock, so the greatest order is
 * the current version. A version written while versioning was enabled is `ORDER` and its S3
 * version id is ORDER; the `null` version (written while versioning was never enabled or
 * suspended) is `ORDER-null`. The name alone says which is which: finding the current version or
 * the `null` version never reads more than the folder listing and one record.
 */

/** A bucket's versioning state; `undefined` while versioning was never enabled. */
export type VersioningState = BucketVersioningStatus | undefined;

/** The version id S3 gives writes made while versioning is never enabled or suspended. */
export const NULL_VERSION_ID = 'null';

const NULL_SUFFIX = '-null';

/**
 * Readers never lock: when a writer removes the version a reader was about to read, it lists the
 * folder again, this many times at most.
 */
export const READ_ATTEMPTS = 20;

/** One version's files in a key folder, named by its stem. */
export interface VersionFile {
  /** The file name without `.json` / `.data`. */
  stem: string;
  /** Publication order (a 30-hex id); the greatest is the current version. */
  order: string;
  /** Written as the `null` version. */
  isNull: boolean;
}

/** The stem of a version published at `order`. */
export function versionStem(order: string, isNull: boolean): string {
  return isNull ? `${order}${NULL_SUFFIX}` : order;
}

/** The version a stem names, or `undefined` for a name this store never makes. */
export function parseVersionStem(stem: string): VersionFile | undefined {
  const isNull = stem.endsWith(NULL_SUFFIX);
  const order = isNull ? stem.slice(0, -NULL_SUFFIX.length) : stem;
  return isVersionId(order) ? { stem, order, isNull } : undefined;
}

/** Is this the stem of a version file (object or delete marker)? */
export function isVersionStem(stem: string): boolean {
  return parseVersionStem(stem) !== undefined;
}

/**
 * The S3 version id of a version file. While versioning was never enabled every version is the
 * `null` one (stores written before versioning states existed named those by order alone).
 */
export function versionIdOf(file: VersionFile, state: VersioningState): string {
  return file.isNull || state === undefined ? NULL_VERSION_ID : file.order;
}

/** The versions that have a record in the key folder, oldest first. */
export async function listVersionFiles(keyDir: string): Promise<VersionFile[]> {
  const files: VersionFile[] = [];
  for (const name of await listRealFolder(keyDir)) {
    const file = name.endsWith('.json') ? parseVersionStem(name.slice(0, -5)) : undefined;
    if (file) files.push(file);
  }
  return files.sort((a, b) => (a.order < b.order ? -1 : a.order > b.order ? 1 : 0));
}

/**
 * The file of version `versionId` among `files`: for `null` the newest null version (a crash can
 * leave an older one behind until the key is next written; it is never shown).
 */
export function findVersionFile(
  files: readonly VersionFile[],
  versionId: string,
  state: VersioningState,
): VersionFile | undefined {
  return files.findLast((file) => versionIdOf(file, state) === versionId);
}

/**
 * The files a listing shows, oldest first: all but the `null` versions an interrupted
 * publication left behind a newer `null` version.
 */
export function shownVersionFiles(files: readonly VersionFile[], state: VersioningState): VersionFile[] {
  const newestNull = files.findLast((file) => versionIdOf(file, state) === NULL_VERSION_ID);
  return files.filter((file) => versionIdOf(file, state) !== NULL_VERSION_ID || file === newestNull);
}
