import { open, readFile, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { READ_NO_FOLLOW } from './entry-guard.js';
import { isNotFound } from './fs-errors.js';
import { randomToken } from './ids.js';

/**
 * Crash-safe file publication: write a temporary file in the same file system, fsync it, rename
 * it over the destination (atomic on POSIX), then fsync the folder so the rename itself survives
 * a power cut. Readers see the old file or the new one, never a torn one.
 */

/** Flushes a folder's entries (renames, creations) to disk. Skipped where folders cannot be opened. */
export async function fsyncDir(dir: string): Promise<void> {
  let handle: Awaited<ReturnType<typeof open>> | undefined;
  try {
    handle = await open(dir, 'r');
    await handle.sync();
  } catch (error) {
    // Windows cannot open or fsync a folder; the rename is still atomic there, only less durable.
    if (!['EISDIR', 'EPERM', 'EACCES', 'EINVAL', 'EBADF'].includes((error as { code?: string }).code ?? ''))
      throw error;
  } finally {
    await handle?.close();
  }
}

/** Writes bytes to `tmpDir`, fsyncs, and returns the temporary path (not yet published). */
export async function writeTempFile(tmpDir: string, data: string | Uint8Array): Promise<string> {
  const path = join(tmpDir, `${randomToken()}.tmp`);
  const handle = await open(path, 'wx');
  try {
    await handle.writeFile(data);
    await handle.sync();
  } catch (error) {
    await handle.close();
    await removeQuietly(path);
    throw error;
  }
  await handle.close();
  return path;
}

/** Moves a finished temporary file to `dest` (replacing it) and makes the rename durable. */
export async function publishFile(tempPath: string, dest: string): Promise<void> {
  try {
    await rename(tempPath, dest);
  } catch (error) {
    await removeQuietly(tempPath);
    throw error;
  }
  await fsyncDir(dirname(dest));
}

/** Atomically replaces `dest` with `value` as JSON. */
export async function writeJsonAtomic(tmpDir: string, dest: string, value: unknown): Promise<void> {
  const temp = await writeTempFile(tmpDir, `${JSON.stringify(value, null, 2)}\n`);
  await publishFile(temp, dest);
}

/** Reads a JSON file; `undefined` when it does not exist. A link there fails (ELOOP), never followed. */
export async function readJson<T>(path: string): Promise<T | undefined> {
  try {
    return JSON.parse(await readFile(path, { encoding: 'utf8', flag: READ_NO_FOLLOW })) as T;
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

/** Removes a file or folder tree, ignoring one that is already gone. */
export async function removeQuietly(path: string): Promise<void> {
  await rm(path, { recursive: true, force: true, maxRetries: 3 });
}
