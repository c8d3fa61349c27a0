import { constants, type Stats } from 'node:fs';
import { lstat, mkdir, readdir } from 'node:fs/promises';
import { UnsafeEntryError } from './fs-errors.js';

/**
 * The store never follows a symbolic link inside its root (see README, "What the store trusts").
 * Folders are checked with `lstat` before they are used, stored files are opened with
 * `O_NOFOLLOW`, and new files are created with `O_EXCL` (which never follows a link either).
 */

/** Added to every open of a stored file: a link there fails (`ELOOP`) instead of being followed. */
export const NO_FOLLOW: number = constants.O_NOFOLLOW ?? 0; // Windows has no O_NOFOLLOW

/** Flags to read a stored file without following a link. */
export const READ_NO_FOLLOW: number = constants.O_RDONLY | NO_FOLLOW;

/** What is found at a path, the path's last component not followed. */
export type EntryKind = 'folder' | 'file' | 'symbolic link' | 'special file' | 'missing';

export async function entryKind(path: string): Promise<EntryKind> {
  try {
    return kindOf(await lstat(path));
  } catch (error) {
    if ((error as { code?: string }).code === 'ENOENT') return 'missing';
    throw error;
  }
}

export function kindOf(info: Stats): EntryKind {
  if (info.isDirectory()) return 'folder';
  if (info.isSymbolicLink()) return 'symbolic link';
  return info.isFile() ? 'file' : 'special file';
}

/** True for a real folder, false when nothing is there; anything else is refused. */
export async function isRealFolder(path: string): Promise<boolean> {
  const kind = await entryKind(path);
  if (kind === 'folder') return true;
  if (kind === 'missing') return false;
  throw new UnsafeEntryError(path, kind, 'folder');
}

/**
 * Makes sure a real folder is at `path`, creating it (never its parents) when nothing is there.
 * A missing parent surfaces as Node's ENOENT for the caller to name (usually NoSuchBucket).
 */
export async function ensureRealFolder(path: string): Promise<void> {
  if (await isRealFolder(path)) return;
  try {
    await mkdir(path);
  } catch (error) {
    if ((error as { code?: string }).code !== 'EEXIST') throw error;
    // Someone made it meanwhile: accept it only if it is a real folder.
    if (!(await isRealFolder(path))) throw error;
  }
}

/** The names in a real folder; none when it does not exist; a link or file there is refused. */
export async function listRealFolder(path: string): Promise<string[]> {
  if (!(await isRealFolder(path))) return [];
  try {
    return await readdir(path);
  } catch (error) {
    if ((error as { code?: string }).code === 'ENOENT') return []; // removed meanwhile
    throw error;
  }
}
