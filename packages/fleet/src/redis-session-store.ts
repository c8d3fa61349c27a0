/**
 * A {@link SessionStore} in Redis: the engine's resumable sessions (`copyObject` with a
 * session) become visible to every machine that reaches the Redis, so a copy killed on one can
 * be resumed on another. Locks expire (a holder that died frees its session after `lockTtlMs`).
 */
import { randomUUID } from 'node:crypto';
import { CopySessionError, type SessionLock, type SessionStore } from '@partcopy/core';
import type { Redis } from 'ioredis';
import { fleetKeys } from './fleet-keys.js';

const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;
const RENEW = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end return 0`;

export class RedisSessionStore implements SessionStore {
  readonly description: string;
  readonly #redis: Redis;
  readonly #keys: ReturnType<typeof fleetKeys>;
  readonly #ttl: number;

  constructor(redis: Redis, options: { queue?: string; lockTtlMs?: number } = {}) {
    this.#redis = redis;
    this.#keys = fleetKeys(options.queue ?? 'partcopy');
    this.#ttl = options.lockTtlMs ?? 30_000;
    this.description = `redis sessions (${this.#keys.records})`;
  }

  async read(id: string): Promise<string | undefined> {
    return (await this.#redis.hget(this.#keys.records, id)) ?? undefined;
  }

  async write(id: string, text: string): Promise<void> {
    // One HSET: a reader sees the old text or the new one.
    await this.#redis.hset(this.#keys.records, id, text);
  }

  async remove(id: string): Promise<void> {
    await this.#redis.hdel(this.#keys.records, id);
  }

  async list(): Promise<string[]> {
    return this.#redis.hkeys(this.#keys.records);
  }

  async lock(id: string): Promise<SessionLock> {
    const key = this.#keys.lock(id);
    const owner = randomUUID();
    const taken = await this.#redis.set(key, owner, 'PX', this.#ttl, 'NX');
    if (taken !== 'OK') {
      throw new CopySessionError(
        'locked',
        id,
        `session ${id} is being run by another process (its Redis lock ${key} is held); wait for it to finish, or for the lock to expire`,
      );
    }
    // Renewed while held, so a long copy keeps its lock and a dead holder's lock runs out.
    const timer = setInterval(
      () => void this.#redis.eval(RENEW, 1, key, owner, String(this.#ttl)).catch(() => {}),
      this.#ttl / 3,
    );
    timer.unref();
    return {
      release: async () => {
        clearInterval(timer);
        await this.#redis.eval(RELEASE, 1, key, owner);
      },
    };
  }
}
