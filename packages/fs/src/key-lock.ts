import { mkdir, open, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { PartCopyError, throwIfAborted } from '@partcopy/core/provider';
import { isNotFound } from './fs-errors.js';

/** A lock older than this was left by a crashed process and may be taken over. */
const STALE_LOCK_MS = 30_000;

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

async function acquire(keyDir: string, lockPath: string, signal: AbortSignal): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    throwIfAborted(signal);
    try {
      const handle = await open(lockPath, 'wx');
      await handle.close();
      return;
    } catch (error) {
      const code = (error as { code?: string }).code;
      // The key folder may not exist yet, or a deleter may just have removed it.
      if (isNotFound(error)) await mkdirInExisting(keyDir);
      else if (code === 'EEXIST') await waitOrBreak(lockPath, attempt, signal);
      else throw error;
    }
  }
}

// The key folder goes inside the bucket's existing objects folder: never recreate a bucket that a
// concurrent deleteBucket removed.
async function mkdirInExisting(keyDir: string): Promise<void> {
  try {
    await mkdir(keyDir);
  } catch (error) {
    if ((error as { code?: string }).code === 'EEXIST') return;
    if (isNotFound(error)) throw new PartCopyError('NoSuchBucket', 'The specified bucket does not exist');
    throw error;
  }
}

async function waitOrBreak(lockPath: string, attempt: number, signal: AbortSignal): Promise<void> {
  const info = await stat(lockPath).catch(() => undefined);
  if (info && Date.now() - info.mtimeMs > STALE_LOCK_MS) {
    await unlink(lockPath).catch(() => undefined);
    return;
  }
  await sleep(Math.min(2 + attempt, 25), undefined, { signal }).catch(() => undefined);
}
