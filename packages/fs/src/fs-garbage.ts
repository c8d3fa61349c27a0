import { lstat, readdir, rm } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { PartCopyError, throwIfAborted } from '@partcopy/core/provider';
import { readJson } from './atomic-write.js';
import { isBucketName } from './bucket-name.js';
import { entryKind, listRealFolder } from './entry-guard.js';
import { isNotFound } from './fs-errors.js';
import type { FsLayout } from './fs-layout.js';
import { isUploadId } from './ids.js';
import { isKeyName } from './key-encoding.js';
import { withKeyLock } from './key-lock.js';
import type { PartRecord } from './records.js';
import { isVersionStem } from './version-files.js';

/** Options of {@link FsProvider.collectGarbage}. */
export interface CollectGarbageOptions {
  /**
   * Only leftovers untouched (no write, rename or change) for at least this many milliseconds are
   * collected. Default: one day. Keep it well above the longest write or completion you run: a
   * temporary file that a live but stalled writer has not touched for that long is collected too,
   * and that writer then fails instead of publishing.
   */
  olderThanMs?: number;
  /**
   * Instead of `olderThanMs`: leftovers last touched before this time are collected (the engine's
   * `collectGarbage` passes its cut-off here).
   */
  before?: Date;
  /**
   * Only these buckets' leftovers; absent: every bucket, and the store's own staging of bucket
   * creations and deletions, which belongs to no bucket.
   */
  buckets?: readonly string[];
  /** Report what would be removed, remove nothing. */
  dryRun?: boolean;
  /** Stops the walk between entries (`RequestAborted`). */
  signal?: AbortSignal;
}

/** What a collected leftover was. */
export type GarbageKind =
  /** `BUCKET/tmp/*.tmp`: a put, part, copy or completion that died before publishing. */
  | 'temporary-file'
  /** `BUCKET/trash/UPLOADID-*`: an upload whose completion or abort died after claiming it. */
  | 'ended-upload'
  /** `ROOT/.partcopy-tmp/*`: a createBucket or deleteBucket that died half-way. */
  | 'bucket-staging'
  /** `UPLOADID/part-*.data` no part record names: a part upload that died between two renames. */
  | 'orphan-part-data'
  /** `KEYNAME/VERSIONID.data` without its record: a publication that died between two renames. */
  | 'orphan-version-data';

/** One leftover found (and removed, unless a dry run). */
export interface GarbageEntry {
  kind: GarbageKind;
  /** Path relative to the root, `/`-separated. */
  path: string;
  /** Bytes of the files it holds. */
  bytes: number;
  /** Milliseconds since it was last touched. */
  ageMs: number;
  /** When it was last touched (written, renamed or changed). */
  lastModified: Date;
}

/** What {@link FsProvider.collectGarbage} found. */
export interface GarbageReport {
  dryRun: boolean;
  entries: GarbageEntry[];
  /** Sum of the entries' bytes. */
  bytes: number;
}

const DAY_MS = 24 * 60 * 60 * 1000;
const TEMP_FILE = /^[0-9a-f]{16}\.tmp$/;
const ENDED_UPLOAD = /^[0-9a-f]{32}-[0-9a-f]{16}$/;
const BUCKET_STAGING = /^(?:bucket|deleted)-[0-9a-f]{16}$/;
const PART_RECORD = /^part-\d{5}\.json$/;
const PART_DATA = /^part-\d{5}-[0-9a-f]{16}\.data$/;

/**
 * Finds and removes what crashed processes leave behind in an fs store: files and folders only
 * this store creates, recognised by their exact name patterns, older than a given age. Never a
 * live object version, never an upload that can still be completed (those are visible through
 * `listMultipartUploads` and ended by `abortMultipartUpload`). Links are never followed: a
 * bucket or working folder that is not a real folder is skipped.
 */
export async function collectGarbage(
  layout: FsLayout,
  options: CollectGarbageOptions = {},
): Promise<GarbageReport> {
  const cutoff = cutoffOf(options);
  const walk = new GarbageWalk(layout, cutoff, options);
  if (options.buckets === undefined) await walk.inFolder(layout.stagingDir, BUCKET_STAGING, 'bucket-staging');
  const only = options.buckets === undefined ? undefined : new Set(options.buckets);
  for (const bucket of await bucketNames(layout.root)) {
    if (only !== undefined && !only.has(bucket)) continue;
    await walk.inFolder(layout.tmpDir(bucket), TEMP_FILE, 'temporary-file');
    await walk.inFolder(layout.trashDir(bucket), ENDED_UPLOAD, 'ended-upload');
    await walk.orphanPartData(layout.uploadsDir(bucket));
    await walk.orphanVersionData(layout.objectsDir(bucket));
  }
  const entries = walk.entries;
  return { dryRun: options.dryRun === true, entries, bytes: entries.reduce((sum, e) => sum + e.bytes, 0) };
}

// Leftovers last touched before this time (ms since the epoch) are collected.
function cutoffOf(options: CollectGarbageOptions): number {
  if (options.before !== undefined) {
    if (!(options.before instanceof Date) || Number.isNaN(options.before.getTime()))
      throw new PartCopyError('InvalidArgument', 'before must be a valid Date');
    return options.before.getTime();
  }
  const olderThanMs = options.olderThanMs ?? DAY_MS;
  if (typeof olderThanMs !== 'number' || !(olderThanMs >= 0)) {
    throw new PartCopyError('InvalidArgument', 'olderThanMs must be a number of milliseconds, 0 or more');
  }
  return Date.now() - olderThanMs;
}

class GarbageWalk {
  readonly entries: GarbageEntry[] = [];
  readonly #layout: FsLayout;
  readonly #cutoff: number;
  readonly #dryRun: boolean;
  readonly #signal: AbortSignal;
  readonly #now = Date.now();

  constructor(layout: FsLayout, cutoff: number, options: CollectGarbageOptions) {
    this.#layout = layout;
    this.#cutoff = cutoff;
    this.#dryRun = options.dryRun === true;
    this.#signal = options.signal ?? new AbortController().signal;
  }

  /** Every entry of `dir` whose name matches `pattern`. */
  async inFolder(dir: string, pattern: RegExp, kind: GarbageKind): Promise<void> {
    for (const name of await realFolderNames(dir)) {
      if (pattern.test(name)) await this.#collect(join(dir, name), kind);
    }
  }

  /** Part data files inside each upload that no part record names. */
  async orphanPartData(uploadsDir: string): Promise<void> {
    for (const uploadId of await realFolderNames(uploadsDir)) {
      if (!isUploadId(uploadId)) continue;
      const dir = join(uploadsDir, uploadId);
      const names = await realFolderNames(dir);
      const named = new Set<string>();
      for (const name of names.filter((n) => PART_RECORD.test(n))) {
        const record = await readJson<PartRecord>(join(dir, name)).catch(() => undefined);
        if (record?.dataFile) named.add(record.dataFile);
      }
      for (const name of names) {
        if (PART_DATA.test(name) && !named.has(name))
          await this.#collect(join(dir, name), 'orphan-part-data');
      }
    }
  }

  /**
   * Version data files without a record. Checked again under the key's lock, where publication
   * renames the data file and then its record, so nothing being published is ever taken.
   */
  async orphanVersionData(objectsDir: string): Promise<void> {
    for (const keyName of await realFolderNames(objectsDir)) {
      if (!isKeyName(keyName)) continue;
      const keyDir = join(objectsDir, keyName);
      if ((await orphanDataFiles(keyDir)).length === 0) continue;
      await withKeyLock(keyDir, this.#signal, async () => {
        for (const name of await orphanDataFiles(keyDir))
          await this.#collect(join(keyDir, name), 'orphan-version-data');
      });
    }
  }

  async #collect(path: string, kind: GarbageKind): Promise<void> {
    throwIfAborted(this.#signal);
    const info = await lstat(path).catch(ignoreGone);
    if (!info) return;
    // ctime moves on every write and rename (a claim, a move into place), mtime only on writes.
    const touched = Math.max(info.mtimeMs, info.ctimeMs);
    if (touched > this.#cutoff) return;
    const ageMs = this.#now - touched;
    const bytes = info.isDirectory() ? await treeBytes(path) : info.size;
    if (!this.#dryRun) await rm(path, { recursive: true, force: true, maxRetries: 3 });
    const name = relative(this.#layout.root, path).split(sep).join('/');
    this.entries.push({ kind, path: name, bytes, ageMs, lastModified: new Date(touched) });
  }
}

// Bucket folders under the root: valid names that are real folders (a link is skipped, not followed).
// The root itself is trusted and may be a link, so it is listed through it.
async function bucketNames(root: string): Promise<string[]> {
  const names: string[] = [];
  for (const name of (await readdir(root).catch(ignoreGone)) ?? []) {
    if (isBucketName(name) && (await entryKind(join(root, name))) === 'folder') names.push(name);
  }
  return names;
}

// The names in a real folder; none when it is missing or is not a real folder (never followed).
async function realFolderNames(dir: string): Promise<string[]> {
  if ((await entryKind(dir)) !== 'folder') return [];
  return listRealFolder(dir);
}

async function orphanDataFiles(keyDir: string): Promise<string[]> {
  const names = await realFolderNames(keyDir);
  const records = new Set(names.filter((n) => n.endsWith('.json')).map((n) => n.slice(0, -5)));
  return names.filter(
    (n) => n.endsWith('.data') && isVersionStem(n.slice(0, -5)) && !records.has(n.slice(0, -5)),
  );
}

// Bytes of every file below a folder, links not followed.
async function treeBytes(dir: string): Promise<number> {
  let total = 0;
  const entries = await readdir(dir, { withFileTypes: true, recursive: true }).catch(() => []);
  for (const entry of entries) {
    if (!entry.isFile()) continue;
    const info = await lstat(join(entry.parentPath, entry.name)).catch(ignoreGone);
    total += info?.size ?? 0;
  }
  return total;
}

function ignoreGone(error: unknown): undefined {
  if (isNotFound(error)) return undefined;
  throw error;
}
