import { type FileHandle, open, rename, rmdir, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import {
  type DeleteConditions,
  evaluateDeleteConditions,
  evaluateWriteConditions,
  hasDeleteConditions,
  unusableVersionError,
  type VersionUse,
  type WriteConditions,
} from '@partcopy/core/provider';
import { readJson, removeQuietly, writeJsonAtomic } from './atomic-write.js';
import { listRealFolder, READ_NO_FOLLOW } from './entry-guard.js';
import { isNotFound, retryLater } from './fs-errors.js';
import type { FsLayout } from './fs-layout.js';
import type { FsHooks } from './fs-options.js';
import { isVersionId, newVersionId } from './ids.js';
import { withKeyLock } from './key-lock.js';
import { type BucketConfig, lastModifiedNow, type ObjectRecord, type VersionRecord } from './records.js';
import {
  findVersionFile,
  isVersionStem,
  listVersionFiles,
  NULL_VERSION_ID,
  READ_ATTEMPTS,
  type VersionFile,
  type VersioningState,
  versionIdOf,
  versionStem,
} from './version-files.js';

/** What a new version carries besides the fields the store fills in. */
export type VersionFields = Omit<VersionRecord, 'format' | 'key' | 'versionId' | 'lastModified'>;

/** A version opened for reading: its record, its file stem and a handle on its immutable bytes. */
export interface PinnedObject {
  record: ObjectRecord;
  stem: string;
  handle: FileHandle;
}

/** A version read from disk; `record.versionId` is its S3 version id (`null` included). */
interface Loaded {
  file: VersionFile;
  record: VersionRecord;
}

/** What a delete answers: the version it removed or added, and whether that is a delete marker. */
export interface DeleteOutcome {
  versionId?: string;
  deleteMarker?: boolean;
}

interface DeleteRequest {
  bucket: string;
  key: string;
  keyDir: string;
  versionId: string | undefined;
  state: VersioningState;
  conditions?: DeleteConditions;
  signal: AbortSignal;
}

/** How a write is published. */
export interface PublishOptions {
  state: VersioningState;
  dataTemp?: string;
  conditions?: WriteConditions;
  signal: AbortSignal;
}

/**
 * The versions of each key, stored as immutable `STEM.data` files with `STEM.json` records in the
 * key's folder (version-files.ts names them). The current version is the one published last (the
 * greatest order, made under the key lock). A bucket whose versioning was never enabled keeps one
 * version per key; a suspended one keeps one `null` version besides the enabled-time versions.
 */
export class ObjectStore {
  readonly #layout: FsLayout;
  readonly #hooks: FsHooks;

  constructor(layout: FsLayout, hooks: FsHooks = {}) {
    this.#layout = layout;
    this.#hooks = hooks;
  }

  /** The bucket's versioning state. Folders made by hand were never versioned. */
  async versioning(bucket: string): Promise<VersioningState> {
    return bucketVersioningState(await readJson<BucketConfig>(this.#layout.bucketConfigFile(bucket)));
  }

  /**
   * The live version a read names: the current one, or `versionId`. Fails as S3 does:
   * `NoSuchKey` when there is none or the current version is a delete marker, `NoSuchVersion`
   * for an unknown version, `InvalidRequest` for a version that is a delete marker (for reads
   * with status 405 and providerCode `MethodNotAllowed`, S3's answer outside the closed set).
   */
  async resolve(
    bucket: string,
    key: string,
    versionId: string | undefined,
    state: VersioningState,
    use: VersionUse = 'read',
  ): Promise<ObjectRecord> {
    return (await this.#resolveLoaded(bucket, key, versionId, state, use)).record as ObjectRecord;
  }

  /**
   * Resolves like {@link resolve} and opens the version's bytes. The handle keeps reading that
   * version even if a newer one replaces it meanwhile: this is how copies and reads are pinned
   * to the state their conditions were decided on.
   */
  async openPinned(
    bucket: string,
    key: string,
    versionId: string | undefined,
    state: VersioningState,
    use: VersionUse = 'read',
  ): Promise<PinnedObject> {
    const keyDir = this.#layout.keyDir(bucket, key);
    for (let attempt = 0; attempt < READ_ATTEMPTS; attempt++) {
      const { file, record } = await this.#resolveLoaded(bucket, key, versionId, state, use);
      try {
        const handle = await open(this.#layout.versionDataFile(keyDir, file.stem), READ_NO_FOLLOW);
        return { record: record as ObjectRecord, stem: file.stem, handle };
      } catch (error) {
        if (!isNotFound(error)) throw error;
        // Replaced (a null version) or deleted between reading the record and opening the data;
        // a version named by its own id is gone for good.
        if (versionId !== undefined && versionId !== NULL_VERSION_ID)
          throw unusableVersionError('none', true, use, { bucket, key });
      }
    }
    throw retryLater(bucket, key);
  }

  /** Checks destination conditions against the current version before any work is done. */
  async checkConditions(bucket: string, key: string, conditions: WriteConditions): Promise<void> {
    if (conditions.ifMatch === undefined && conditions.ifNoneMatch === undefined) return;
    const current = await this.#current(this.#layout.keyDir(bucket, key), key, undefined);
    evaluateWriteConditions(liveObject(current?.record), conditions, 'before', { bucket, key });
  }

  /**
   * Publishes a new version, atomically: under the key lock, checks the destination conditions
   * against the current version, moves the finished data file in, then renames the record into
   * place (the moment the version becomes visible). Then the versions it replaces are removed:
   * every other one while versioning was never enabled, the `null` one while suspended.
   */
  async publish(
    bucket: string,
    key: string,
    fields: VersionFields,
    options: PublishOptions,
  ): Promise<VersionRecord> {
    const keyDir = this.#layout.keyDir(bucket, key);
    try {
      return await withKeyLock(keyDir, options.signal, async () => {
        const files = await listVersionFiles(keyDir);
        const current = await this.#newest(keyDir, key, files, options.state);
        evaluateWriteConditions(liveObject(current?.record), options.conditions ?? {}, 'publish', {
          bucket,
          key,
        });
        return this.#publishLocked({ bucket, key, keyDir }, files, fields, options);
      });
    } finally {
      if (options.dataTemp !== undefined) await removeQuietly(options.dataTemp); // gone already on success
    }
  }

  /**
   * S3 DeleteObject. Without a version id: a bucket whose versioning was never enabled forgets
   * the key; an enabled one adds a delete marker, a suspended one a `null` delete marker (even
   * over a missing key, as S3). With a version id: that version (object or marker) is removed for
   * good. A missing key or version succeeds. Delete conditions are decided under the key lock
   * against what the delete would remove or hide; a conditional delete of nothing does nothing.
   */
  async delete(
    bucket: string,
    key: string,
    versionId: string | undefined,
    options: { state: VersioningState; conditions?: DeleteConditions; signal: AbortSignal },
  ): Promise<DeleteOutcome> {
    const keyDir = this.#layout.keyDir(bucket, key);
    const request: DeleteRequest = { bucket, key, keyDir, versionId, ...options };
    if (!addsDeleteMarker(request) && (await listVersionFiles(keyDir)).length === 0)
      return deletedNothing(request);
    const result = await withKeyLock(keyDir, options.signal, () => this.#deleteLocked(request));
    await rmdir(keyDir).catch(() => undefined); // only succeeds when nothing is left
    return result;
  }

  // Under the key lock: decide the conditions on what the delete would remove or hide, then add
  // the delete marker or remove the version(s).
  async #deleteLocked(request: DeleteRequest): Promise<DeleteOutcome> {
    const { bucket, key, keyDir, versionId, state } = request;
    const conditions = request.conditions ?? {};
    const files = await listVersionFiles(keyDir);
    const target =
      versionId === undefined
        ? await this.#newest(keyDir, key, files, state)
        : await this.#loadIfPresent(keyDir, key, findVersionFile(files, versionId, state), state);
    evaluateDeleteConditions(deleteTarget(target?.record), conditions, { bucket, key });
    const marks = addsDeleteMarker(request);
    if (target === undefined && (!marks || hasDeleteConditions(conditions))) return deletedNothing(request);
    if (marks) {
      const fields = { deleteMarker: true as const };
      const marker = await this.#publishLocked({ bucket, key, keyDir }, files, fields, { state });
      return { versionId: marker.versionId, deleteMarker: true };
    }
    // Never enabled: every version goes (there is one). Otherwise the named one (for `null`, with
    // any older null version an interrupted publication left behind).
    const doomed = versionId === undefined ? files : files.filter((f) => versionIdOf(f, state) === versionId);
    for (const file of doomed) await this.#removeVersion(keyDir, file.stem);
    if (state === undefined) return {};
    return target?.record.deleteMarker ? { versionId, deleteMarker: true } : { versionId };
  }

  async #resolveLoaded(
    bucket: string,
    key: string,
    versionId: string | undefined,
    state: VersioningState,
    use: VersionUse,
  ): Promise<Loaded> {
    const keyDir = this.#layout.keyDir(bucket, key);
    const found =
      versionId === undefined
        ? await this.#current(keyDir, key, state)
        : await this.#version(keyDir, key, versionId, state);
    if (!found || found.record.deleteMarker) {
      throw unusableVersionError(found ? 'deleteMarker' : 'none', versionId !== undefined, use, {
        bucket,
        key,
      });
    }
    return found;
  }

  // The key's newest version (possibly a delete marker), looking again when a writer removed it.
  async #current(keyDir: string, key: string, state: VersioningState): Promise<Loaded | undefined> {
    for (let attempt = 0; attempt < READ_ATTEMPTS; attempt++) {
      const newest = (await listVersionFiles(keyDir)).at(-1);
      if (newest === undefined) return undefined;
      const loaded = await this.#load(keyDir, newest, state);
      if (loaded) return loaded.record.key === key ? loaded : undefined;
    }
    throw retryLater(undefined, key);
  }

  // A version named by id. An enabled-time id names its files directly (no folder listing); the
  // null version is found in the listing. While versioning was never enabled only `null` exists.
  async #version(
    keyDir: string,
    key: string,
    versionId: string,
    state: VersioningState,
  ): Promise<Loaded | undefined> {
    if (versionId !== NULL_VERSION_ID) {
      if (state === undefined || !isVersionId(versionId)) return undefined;
      return this.#loadIfPresent(keyDir, key, { stem: versionId, order: versionId, isNull: false }, state);
    }
    for (let attempt = 0; attempt < READ_ATTEMPTS; attempt++) {
      const file = findVersionFile(await listVersionFiles(keyDir), NULL_VERSION_ID, state);
      if (file === undefined) return undefined;
      const loaded = await this.#load(keyDir, file, state);
      if (loaded) return loaded.record.key === key ? loaded : undefined;
    }
    throw retryLater(undefined, key);
  }

  // The newest of `files` (listed under the key lock, so none vanishes meanwhile).
  async #newest(
    keyDir: string,
    key: string,
    files: readonly VersionFile[],
    state: VersioningState,
  ): Promise<Loaded | undefined> {
    return this.#loadIfPresent(keyDir, key, files.at(-1), state);
  }

  async #loadIfPresent(
    keyDir: string,
    key: string,
    file: VersionFile | undefined,
    state: VersioningState,
  ): Promise<Loaded | undefined> {
    if (file === undefined) return undefined;
    const loaded = await this.#load(keyDir, file, state);
    return loaded?.record.key === key ? loaded : undefined; // another key: a hash collision, absent
  }

  async #load(keyDir: string, file: VersionFile, state: VersioningState): Promise<Loaded | undefined> {
    const record = await readJson<VersionRecord>(this.#layout.versionRecordFile(keyDir, file.stem));
    return record && { file, record: { ...record, versionId: versionIdOf(file, state) } };
  }

  // Under the key lock: the data file, then the record (the moment the version shows), then the
  // versions it replaces. A crash in between leaves data without a record (invisible, swept
  // later) or, while suspended, an older null version behind the new one (never shown, removed
  // by the next write of the key).
  async #publishLocked(
    where: { bucket: string; key: string; keyDir: string },
    files: readonly VersionFile[],
    fields: VersionFields,
    options: Pick<PublishOptions, 'state' | 'dataTemp'>,
  ): Promise<VersionRecord> {
    const { bucket, key, keyDir } = where;
    const { state } = options;
    const order = newVersionId(files.at(-1)?.order);
    const isNull = state !== 'Enabled';
    const file = { stem: versionStem(order, isNull), order, isNull };
    const record: VersionRecord = {
      format: 1,
      key,
      versionId: versionIdOf(file, state),
      lastModified: lastModifiedNow(),
      ...fields,
    };
    if (options.dataTemp !== undefined)
      await rename(options.dataTemp, this.#layout.versionDataFile(keyDir, file.stem));
    await writeJsonAtomic(
      this.#layout.tmpDir(bucket),
      this.#layout.versionRecordFile(keyDir, file.stem),
      record,
    );
    await this.#hooks.afterVersionRecord?.({ bucket, key });
    const replaced = state === 'Enabled' ? [] : files.filter((f) => state === undefined || f.isNull);
    await this.#sweep(keyDir, replaced, file.stem);
    return record;
  }

  // Removes the replaced versions, and data files whose record was never written (a crash
  // between the two renames of a publication). Runs under the key lock.
  async #sweep(keyDir: string, replaced: readonly VersionFile[], keep: string): Promise<void> {
    for (const file of replaced) await this.#removeVersion(keyDir, file.stem);
    const names = await listDir(keyDir);
    const records = new Set(names.filter((n) => n.endsWith('.json')).map((n) => n.slice(0, -5)));
    for (const name of names) {
      const stem = name.slice(0, -5);
      if (name.endsWith('.data') && isVersionStem(stem) && stem !== keep && !records.has(stem))
        await removeQuietly(join(keyDir, name));
    }
  }

  // Record first: once it is gone no reader picks the version, then its bytes can go.
  async #removeVersion(keyDir: string, stem: string): Promise<void> {
    await unlink(this.#layout.versionRecordFile(keyDir, stem)).catch(ignoreNotFound);
    await unlink(this.#layout.versionDataFile(keyDir, stem)).catch(ignoreNotFound);
  }
}

/** A bucket's versioning state from its config (stores before `status` kept only `versioning`). */
export function bucketVersioningState(config: BucketConfig | undefined): VersioningState {
  return config?.status ?? (config?.versioning === true ? 'Enabled' : undefined);
}

/** Folder entries, or none when the folder does not exist; a link or file there is refused. */
export async function listDir(dir: string): Promise<string[]> {
  return listRealFolder(dir);
}

function ignoreNotFound(error: unknown): void {
  if (!isNotFound(error)) throw error;
}

/** The version as the current object, or `undefined` when there is none or it is a delete marker. */
function liveObject(current: VersionRecord | undefined): ObjectRecord | undefined {
  return current && !current.deleteMarker ? (current as ObjectRecord) : undefined;
}

/** A delete without version id in a bucket that has a versioning state adds a delete marker. */
function addsDeleteMarker(request: DeleteRequest): boolean {
  return request.state !== undefined && request.versionId === undefined;
}

/** S3's answer to a delete that found nothing: the version id asked for, once versioning was ever on. */
function deletedNothing(request: DeleteRequest): DeleteOutcome {
  return request.state === undefined || request.versionId === undefined
    ? {}
    : { versionId: request.versionId };
}

/** What delete conditions are decided on: a delete marker has a time, no ETag and no size. */
function deleteTarget(
  record: VersionRecord | undefined,
): { etag?: string; lastModified: Date; size?: number } | undefined {
  if (record === undefined) return undefined;
  const lastModified = new Date(record.lastModified);
  return record.deleteMarker ? { lastModified } : { etag: record.etag, lastModified, size: record.size };
}
