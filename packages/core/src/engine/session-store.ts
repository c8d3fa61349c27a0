/**
 * Where copy sessions are kept. The engine serialises and checks records itself; a store keeps
 * text under an id, atomically, and gives one process at a time the right to run a session.
 * {@link FileSessionStore} is the default; {@link MemorySessionStore} serves tests and processes
 * that only need to resume within themselves; anything else (a database, a bucket) implements
 * this interface.
 */
import { CopySessionError } from './session-error.js';

/** The right to run one session; release it when the run ends, however it ends. */
export interface SessionLock {
  release(): Promise<void>;
}

export interface SessionStore {
  /** A label for messages (`file sessions in /home/me/.partcopy/sessions`). */
  readonly description: string;
  /** The record's text, or undefined when there is none. */
  read(id: string): Promise<string | undefined>;
  /** Replaces the record atomically: a reader sees the old text or the new, never a torn one. */
  write(id: string, text: string): Promise<void>;
  /** Removes the record; removing a missing one succeeds. */
  remove(id: string): Promise<void>;
  /** Ids of the records kept, in no particular order. */
  list(): Promise<string[]>;
  /**
   * Takes the session's lock, or fails at once with a {@link CopySessionError} `locked` when
   * another run holds it (concurrent resumes of one session: one wins, the other is told).
   */
  lock(id: string): Promise<SessionLock>;
}

/** Sessions in this process's memory: lost with it. */
export class MemorySessionStore implements SessionStore {
  readonly description = 'memory sessions';
  readonly #records = new Map<string, string>();
  readonly #locked = new Set<string>();

  async read(id: string): Promise<string | undefined> {
    return this.#records.get(id);
  }

  async write(id: string, text: string): Promise<void> {
    this.#records.set(id, text);
  }

  async remove(id: string): Promise<void> {
    this.#records.delete(id);
  }

  async list(): Promise<string[]> {
    return [...this.#records.keys()];
  }

  async lock(id: string): Promise<SessionLock> {
    if (this.#locked.has(id)) throw lockedError(id, 'another run in this process');
    this.#locked.add(id);
    return { release: async () => void this.#locked.delete(id) };
  }
}

/** The error a second run of a locked session gets. */
export function lockedError(id: string, holder: string): CopySessionError {
  return new CopySessionError(
    'locked',
    id,
    `session ${id} is being run by ${holder}; wait for it to finish, or stop it and resume again`,
  );
}
