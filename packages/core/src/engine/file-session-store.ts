/**
 * The default session store: one JSON file per session in a folder, written atomically (a
 * temporary file, fsync, rename, fsync of the folder) so a crash leaves the old record or the
 * new one. A run holds `<id>.lock`, created with O_EXCL; a lock whose process is gone (same host,
 * pid not alive: the run was killed) is taken over, any other is refused.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, open, readdir, readFile, rename, rm } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { PartCopyError } from '../errors/part-copy-error.js';
import { lockedError, type SessionLock, type SessionStore } from './session-store.js';

const RECORD_SUFFIX = '.json';
const LOCK_SUFFIX = '.lock';
const SAFE_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

interface LockOwner {
  pid: number;
  host: string;
}

export class FileSessionStore implements SessionStore {
  readonly folder: string;
  readonly description: string;

  constructor(folder: string) {
    this.folder = folder;
    this.description = `file sessions in ${folder}`;
  }

  async read(id: string): Promise<string | undefined> {
    try {
      return await readFile(this.#path(id, RECORD_SUFFIX), 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }

  async write(id: string, text: string): Promise<void> {
    const target = this.#path(id, RECORD_SUFFIX);
    await mkdir(this.folder, { recursive: true });
    const temp = `${target}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    const file = await open(temp, 'wx', 0o600);
    try {
      await file.writeFile(text, 'utf8');
      await file.sync();
    } finally {
      await file.close();
    }
    try {
      await rename(temp, target);
    } catch (error) {
      await rm(temp, { force: true });
      throw error;
    }
    await this.#syncFolder();
  }

  async remove(id: string): Promise<void> {
    await rm(this.#path(id, RECORD_SUFFIX), { force: true });
    await this.#syncFolder();
  }

  async list(): Promise<string[]> {
    const names = await readdir(this.folder).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return [] as string[];
      throw error;
    });
    return names
      .filter((name) => name.endsWith(RECORD_SUFFIX) && SAFE_ID.test(name.slice(0, -RECORD_SUFFIX.length)))
      .map((name) => name.slice(0, -RECORD_SUFFIX.length));
  }

  async lock(id: string): Promise<SessionLock> {
    const path = this.#path(id, LOCK_SUFFIX);
    await mkdir(this.folder, { recursive: true });
    const owner: LockOwner = { pid: process.pid, host: hostname() };
    // Two tries: the second after removing a lock whose holder is dead.
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        const file = await open(path, 'wx', 0o600);
        try {
          await file.writeFile(JSON.stringify(owner), 'utf8');
          await file.sync();
        } finally {
          await file.close();
        }
        return { release: () => this.#release(path) };
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
        const holder = await readOwner(path);
        if (attempt === 0 && holder !== undefined && isDead(holder)) {
          await rm(path, { force: true });
          continue;
        }
        throw lockedError(id, holder ? `process ${holder.pid} on ${holder.host}` : 'another process');
      }
    }
    throw lockedError(id, 'another process');
  }

  async #release(path: string): Promise<void> {
    const holder = await readOwner(path);
    if (holder?.pid === process.pid && holder.host === hostname()) await rm(path, { force: true });
  }

  #path(id: string, suffix: string): string {
    if (!SAFE_ID.test(id)) {
      throw new PartCopyError(
        'InvalidArgument',
        `"${id}" is not a session id (letters, digits, ".", "_" and "-", starting with a letter or digit)`,
      );
    }
    return join(this.folder, `${id}${suffix}`);
  }

  // A rename is durable only once the folder's entry is on disk.
  async #syncFolder(): Promise<void> {
    const dir = await open(this.folder, 'r').catch(() => undefined);
    if (dir === undefined) return;
    try {
      await dir.sync();
    } catch {
      // Some file systems refuse fsync on a folder; the rename itself is still atomic.
    } finally {
      await dir.close();
    }
  }
}

async function readOwner(path: string): Promise<LockOwner | undefined> {
  try {
    const value = JSON.parse(await readFile(path, 'utf8')) as Partial<LockOwner>;
    return typeof value.pid === 'number' && typeof value.host === 'string'
      ? { pid: value.pid, host: value.host }
      : undefined;
  } catch {
    return undefined;
  }
}

// Only a holder on this host can be proven dead; a lock from another host is respected.
function isDead(owner: LockOwner): boolean {
  if (owner.host !== hostname()) return false;
  try {
    process.kill(owner.pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}
