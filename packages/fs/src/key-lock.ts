import { lstat, open, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { PartCopyError, throwIfAborted } from '@partcopy/core/provider';
import { ensureRealFolder, kindOf } from './entry-guard.js';
import { isNotFound, UnsafeEntryError } from './fs-errors.js';

/** A lock older than this was left by a crashed process and may be taken over. */
const STALE_LOCK_MS = 30_000;

/** How often in a row the key folder may vanish under us (a deleter racing) before giving up. */
const MAX_FOLDER_VANISHED = 100;

/**
 * Runs `fn` holding the key folder's lock, a file created with O_EXCL so it works across
 * processes. Publishing a version holds it only for a few renames: it makes "check the
 * destination condition, pick the next version id, publish" one step, so conditional writes
 * and version order are right even with several processes writing one key.
 */
export async function withKeyLock<T>(keyDir: string, signal: AbortSignal, fn: () => Promise<T>): Promise<T> {
  const lockPath = join(keyDir, 'lock');
  await acquire(keyDir, lockPath, signal);
  try {
    return await fn();
  } finally {
    await unlink(lockPath).catch(() => undefined);
  }
}

// Every pass either takes the lock, sleeps behind a live holder, takes over a stale lock, remakes
// a key folder a deleter just removed (bounded), or throws: no state loops without progress.
async function acquire(keyDir: string, lockPath: string, signal: AbortSignal): Promise<void> {
  let vanished = 0;
  for (let attempt = 0; ; attempt++) {
    throwIfAborted(signal);
    await keyFolder(keyDir);
    try {
      const handle = await open(lockPath, 'wx'); // O_EXCL: never follows a link at `lock`
      await handle.close();
      return;
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (code === 'EEXIST') await waitOrBreak(lockPath, attempt, signal);
      else if (isNotFound(error) && ++vanished < MAX_FOLDER_VANISHED) continue;
      else if (isNotFound(error)) throw keyFolderKeepsVanishing();
      else throw error;
    }
  }
}

// The key folder goes inside the bucket's existing objects folder: never recreate a bucket that a
// concurrent deleteBucket removed. A file or link in its place is refused, never followed.
async function keyFolder(keyDir: string): Promise<void> {
  try {
    await ensureRealFolder(keyDir);
  } catch (error) {
    if (isNotFound(error)) throw new PartCopyError('NoSuchBucket', 'The specified bucket does not exist');
    throw error;
  }
}

async function waitOrBreak(lockPath: string, attempt: number, signal: AbortSignal): Promise<void> {
  const info = await lstat(lockPath).catch((error: unknown) => {
    if (isNotFound(error)) return undefined; // released meanwhile
    throw error;
  });
  // Only a plain file is a lock this store made; a folder or link there would never go away.
  if (info && !info.isFile()) throw new UnsafeEntryError(lockPath, kindOf(info), 'file');
  if (info && Date.now() - info.mtimeMs > STALE_LOCK_MS) {
    await unlink(lockPath).catch((error: unknown) => {
      if (!isNotFound(error)) throw error; // a lock we cannot remove would be retried forever
    });
    return;
  }
  await sleep(Math.min(2 + attempt, 25), undefined, { signal }).catch(() => undefined);
}

function keyFolderKeepsVanishing(): PartCopyError {
  return new PartCopyError(
    'SlowDown',
    `the key's folder was removed by concurrent deletes ${MAX_FOLDER_VANISHED} times in a row; retry`,
    { retryable: true },
  );
}
