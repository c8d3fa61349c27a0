/**
 * The gateway's reads and writes of bucket configuration documents (bucket-config-document.ts),
 * with the documents it read kept for a short time.
 *
 * Why: authorization reads a bucket's document on every request naming the bucket, and CORS on
 * every request carrying an Origin. Without a cache, each GET or PUT of an object would cost a
 * second store request (a network round trip on a cloud store). With it, a busy bucket's document
 * is read about once per `ttlMs` per gateway instance, and concurrent reads of one bucket share
 * one store request.
 *
 * What it costs: a change made through another gateway instance over the same store applies here
 * within `ttlMs` (S3's own bucket settings, ACLs and policies, are eventually consistent too).
 * Changes made through this instance apply at once: every write forgets the bucket's entry.
 * A failed read (NoSuchBucket, a store error) is never kept.
 */
import type { PartCopyClient } from '@partcopy/core';
import {
  type BucketConfig,
  createBucketConfig,
  deleteBucketConfig,
  readBucketConfig,
  type StoredBucketConfig,
  updateBucketConfig,
} from './bucket-config-document.js';

/** Default time a document read is reused, in milliseconds. */
export const DEFAULT_BUCKET_CONFIG_CACHE_MS = 1000;

/** Entries beyond this many make a read sweep out the expired ones. */
const SWEEP_ABOVE = 1024;

interface Entry {
  reading: Promise<StoredBucketConfig | undefined>;
  /** When the read finished (monotonic ms); undefined while it runs. */
  readAt: number | undefined;
}

export class BucketConfigs {
  readonly #client: PartCopyClient;
  readonly #ttlMs: number;
  readonly #now: () => number;
  readonly #entries = new Map<string, Entry>();

  constructor(client: PartCopyClient, ttlMs = DEFAULT_BUCKET_CONFIG_CACHE_MS, now = () => performance.now()) {
    this.#client = client;
    this.#ttlMs = ttlMs;
    this.#now = now;
  }

  /** The bucket's document (undefined: none); NoSuchBucket when the bucket is missing. */
  read(bucket: string, signal?: AbortSignal): Promise<StoredBucketConfig | undefined> {
    if (this.#ttlMs <= 0) return readBucketConfig(this.#client, bucket, signal);
    const cached = this.#entries.get(bucket);
    if (cached !== undefined && (cached.readAt === undefined || this.#now() - cached.readAt < this.#ttlMs)) {
      return copyOf(cached.reading);
    }
    if (this.#entries.size > SWEEP_ABOVE) this.#sweep();
    // The shared read is not tied to one request's signal: another request may be waiting on it.
    const entry: Entry = { reading: readBucketConfig(this.#client, bucket), readAt: undefined };
    this.#entries.set(bucket, entry);
    entry.reading.then(
      () => {
        entry.readAt = this.#now();
      },
      () => {
        if (this.#entries.get(bucket) === entry) this.#entries.delete(bucket);
      },
    );
    return copyOf(signal === undefined ? entry.reading : abortable(entry.reading, signal));
  }

  /** updateBucketConfig, then this instance reads the new document at once. */
  async update(
    bucket: string,
    change: (current: BucketConfig | undefined) => BucketConfig | undefined,
    signal?: AbortSignal,
  ): Promise<BucketConfig | undefined> {
    try {
      return await updateBucketConfig(this.#client, bucket, change, signal);
    } finally {
      this.forget(bucket);
    }
  }

  /** Sets one setting of the document (CORS rules, tags, public access block...). */
  async set(bucket: string, setting: string, value: unknown, signal?: AbortSignal): Promise<void> {
    await this.update(bucket, (config) => ({ ...config, [setting]: value }), signal);
  }

  /** Removes one setting; nothing is written when the document has none. */
  async unset(bucket: string, setting: string, signal?: AbortSignal): Promise<void> {
    await this.update(
      bucket,
      (config) => {
        if (config?.[setting] === undefined) return undefined;
        const { [setting]: _removed, ...rest } = config;
        return rest;
      },
      signal,
    );
  }

  /** createBucketConfig, then this instance reads the new document at once. */
  async create(bucket: string, config: BucketConfig, signal?: AbortSignal): Promise<void> {
    try {
      await createBucketConfig(this.#client, bucket, config, signal);
    } finally {
      this.forget(bucket);
    }
  }

  /** deleteBucketConfig, and the entry is forgotten. */
  async remove(bucket: string, signal?: AbortSignal): Promise<void> {
    try {
      await deleteBucketConfig(this.#client, bucket, signal);
    } finally {
      this.forget(bucket);
    }
  }

  /** Drops what this instance read of the bucket (it was created, deleted or changed). */
  forget(bucket: string): void {
    this.#entries.delete(bucket);
  }

  #sweep(): void {
    const now = this.#now();
    for (const [bucket, entry] of this.#entries) {
      if (entry.readAt !== undefined && now - entry.readAt >= this.#ttlMs) this.#entries.delete(bucket);
    }
  }
}

// Each caller gets its own copy: a shared document must not be changed by one request's handler.
async function copyOf(
  reading: Promise<StoredBucketConfig | undefined>,
): Promise<StoredBucketConfig | undefined> {
  const stored = await reading;
  return stored === undefined ? undefined : structuredClone(stored);
}

function abortable<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
