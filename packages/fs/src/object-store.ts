import { type FileHandle, open, rename, rmdir, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import {
  evaluateWriteConditions,
  PartCopyError,
  unusableVersionError,
  type VersionUse,
  type WriteConditions,
} from '@partcopy/core/provider';
import { readJson, removeQuietly, writeJsonAtomic } from './atomic-write.js';
import { listRealFolder, READ_NO_FOLLOW } from './entry-guard.js';
import { isNotFound } from './fs-errors.js';
import type { FsLayout } from './fs-layout.js';
import { isVersionId, newVersionId } from './ids.js';
import { decodeKeyName, isKeyName } from './key-encoding.js';
import { withKeyLock } from './key-lock.js';
import { type BucketConfig, lastModifiedNow, type ObjectRecord, type VersionRecord } from './records.js';

/** What a new version carries besides the fields the store fills in. */
export type VersionFields = Omit<VersionRecord, 'format' | 'key' | 'versionId' | 'lastModified'>;

/** A version opened for reading: its record and a handle on its immutable bytes. */
export interface PinnedObject {
  record: ObjectRecord;
  handle: FileHandle;
}

// Readers never lock; when a writer removes the version they were about to read, they look again.
const READ_ATTEMPTS = 20;

/**
 * The versions of each key, stored as immutable `VERSIONID.data` files with `VERSIONID.json`
 * records in the key's folder. The current version is the one with the greatest id (ids are
 * made in publication order under the key lock). Unversioned buckets keep only that one.
 */
export class ObjectStore {
  readonly #layout: FsLayout;

  constructor(layout: FsLayout) {
    this.#layout = layout;
  }

  /** Is versioning enabled on the bucket? Folders made by hand are unversioned. */
  async isVersioned(bucket: string): Promise<boolean> {
    const config = await readJson<BucketConfig>(this.#layout.bucketConfigFile(bucket));
    return config?.versioning === true;
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
    versioned: boolean,
    use: VersionUse = 'read',
  ): Promise<ObjectRecord> {
    const keyDir = this.#layout.keyDir(bucket, key);
    const explicit = versionId !== undefined && !(versionId === 'null' && !versioned);
    const record = explicit
      ? await this.#readVersion(keyDir, key, versionId, versioned)
      : await this.current(keyDir, key);
    if (!record || record.deleteMarker) {
      throw unusableVersionError(record ? 'deleteMarker' : 'none', explicit, use, { bucket, key });
    }
    return record as ObjectRecord;
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
    versioned: boolean,
    use: VersionUse = 'read',
  ): Promise<PinnedObject> {
    const keyDir = this.#layout.keyDir(bucket, key);
    for (let attempt = 0; attempt < READ_ATTEMPTS; attempt++) {
      const record = await this.resolve(bucket, key, versionId, versioned, use);
      try {
        const handle = await open(this.#layout.versionDataFile(keyDir, record.versionId), READ_NO_FOLLOW);
        return { record, handle };
      } catch (error) {
        if (!isNotFound(error)) throw error;
        // Replaced (unversioned) or deleted between reading the record and opening the data.
        if (versionId !== undefined && versioned)
          throw unusableVersionError('none', true, use, { bucket, key });
      }
    }
    throw retryLater(bucket, key);
  }

  /** Checks destination conditions against the current version before any work is done. */
  async checkConditions(bucket: string, key: string, conditions: WriteConditions): Promise<void> {
    if (conditions.ifMatch === undefined && conditions.ifNoneMatch === undefined) return;
    const current = await this.current(this.#layout.keyDir(bucket, key), key);
    evaluateWriteConditions(liveObject(current), conditions, 'before', { bucket, key });
  }

  /** The key's newest version record (possibly a delete marker), or `undefined`. */
  async current(keyDir: string, key: string): Promise<VersionRecord | undefined> {
    for (let attempt = 0; attempt < READ_ATTEMPTS; attempt++) {
      const newest = (await listVersionIds(keyDir)).at(-1);
      if (newest === undefined) return undefined;
      const record = await readJson<VersionRecord>(this.#layout.versionRecordFile(keyDir, newest));
      if (record) return record.key === key ? record : undefined;
    }
    throw retryLater(undefined, key);
  }

  /**
   * Publishes a new version, atomically: under the key lock, checks the destination conditions
   * against the current version, moves the finished data file in, then renames the record into
   * place (the moment the version becomes visible). In an unversioned bucket older versions are
   * then removed.
   */
  async publish(
    bucket: string,
    key: string,
    fields: VersionFields,
    options: { versioned: boolean; dataTemp?: string; conditions?: WriteConditions; signal: AbortSignal },
  ): Promise<VersionRecord> {
    const keyDir = this.#layout.keyDir(bucket, key);
    const tmpDir = this.#layout.tmpDir(bucket);
    try {
      return await this.#publishLocked({ bucket, key, keyDir, tmpDir }, fields, options);
    } finally {
      if (options.dataTemp !== undefined) await removeQuietly(options.dataTemp); // gone already on success
    }
  }

  async #publishLocked(
    where: { bucket: string; key: string; keyDir: string; tmpDir: string },
    fields: VersionFields,
    options: { versioned: boolean; dataTemp?: string; conditions?: WriteConditions; signal: AbortSignal },
  ): Promise<VersionRecord> {
    const { bucket, key, keyDir, tmpDir } = where;
    return withKeyLock(keyDir, options.signal, async () => {
      const ids = await listVersionIds(keyDir);
      evaluateWriteConditions(
        liveObject(await this.current(keyDir, key)),
        options.conditions ?? {},
        'publish',
        {
          bucket,
          key,
        },
      );
      const versionId = newVersionId(ids.at(-1));
      const record: VersionRecord = {
        format: 1,
        key,
        versionId,
        lastModified: lastModifiedNow(),
        ...fields,
      };
      if (options.dataTemp !== undefined)
        await rename(options.dataTemp, this.#layout.versionDataFile(keyDir, versionId));
      // From here a crash leaves at worst a data file without a record: invisible, swept later.
      await writeJsonAtomic(tmpDir, this.#layout.versionRecordFile(keyDir, versionId), record);
      await this.#sweep(keyDir, options.versioned ? [] : ids, versionId);
      return record;
    });
  }

  /**
   * Deletes as S3 does: versioned without a version id adds a delete marker; with one removes
   * that version (marker or not); unversioned removes the object. A missing key or version
   * succeeds.
   */
  async delete(
    bucket: string,
    key: string,
    versionId: string | undefined,
    options: { versioned: boolean; signal: AbortSignal },
  ): Promise<{ versionId?: string; deleteMarker?: boolean }> {
    if (options.versioned && versionId === undefined) {
      const marker = await this.publish(bucket, key, { deleteMarker: true }, options);
      return { versionId: marker.versionId, deleteMarker: true };
    }
    const keyDir = this.#layout.keyDir(bucket, key);
    if ((await listVersionIds(keyDir)).length === 0) return versionId === undefined ? {} : { versionId };
    const result = options.versioned
      ? await this.#deleteVersion(keyDir, key, versionId as string, options.signal)
      : await this.#deleteUnversioned(keyDir, versionId, options.signal);
    await rmdir(keyDir).catch(() => undefined); // only succeeds when nothing is left
    return result;
  }

  /** Does any key of the bucket have any version (S3's "bucket not empty")? */
  async hasAnyVersion(bucket: string): Promise<boolean> {
    const objectsDir = this.#layout.objectsDir(bucket);
    for (const name of await listDir(objectsDir)) {
      if (isKeyName(name) && (await listVersionIds(join(objectsDir, name))).length > 0) return true;
    }
    return false;
  }

  /** Current live versions of keys starting with `prefix`, in no particular order. */
  async listLive(bucket: string, prefix: string): Promise<ObjectRecord[]> {
    const objectsDir = this.#layout.objectsDir(bucket);
    const out: ObjectRecord[] = [];
    for (const name of await listDir(objectsDir)) {
      if (!isKeyName(name)) continue;
      const readable = decodeKeyName(name);
      if (readable !== undefined && !readable.startsWith(prefix)) continue;
      const record = await this.#currentOfFolder(join(objectsDir, name));
      if (record && !record.deleteMarker && record.key.startsWith(prefix)) out.push(record as ObjectRecord);
    }
    return out;
  }

  // The newest record of a key folder, looking again when a writer removed it meanwhile.
  async #currentOfFolder(keyDir: string): Promise<VersionRecord | undefined> {
    for (let attempt = 0; attempt < READ_ATTEMPTS; attempt++) {
      const newest = (await listVersionIds(keyDir)).at(-1);
      if (newest === undefined) return undefined;
      const record = await readJson<VersionRecord>(this.#layout.versionRecordFile(keyDir, newest));
      if (record) return record;
    }
    throw retryLater(undefined, '');
  }

  async #readVersion(
    keyDir: string,
    key: string,
    versionId: string,
    versioned: boolean,
  ): Promise<VersionRecord | undefined> {
    // Unversioned buckets expose no version ids but "null", and an id we never issue names nothing.
    if (!versioned || !isVersionId(versionId)) return undefined;
    const record = await readJson<VersionRecord>(this.#layout.versionRecordFile(keyDir, versionId));
    return record?.key === key ? record : undefined;
  }

  async #deleteVersion(keyDir: string, key: string, versionId: string, signal: AbortSignal) {
    if (!isVersionId(versionId)) return { versionId };
    return withKeyLock(keyDir, signal, async () => {
      const record = await readJson<VersionRecord>(this.#layout.versionRecordFile(keyDir, versionId));
      if (!record || record.key !== key) return { versionId };
      await this.#removeVersion(keyDir, versionId);
      return record.deleteMarker ? { versionId, deleteMarker: true } : { versionId };
    });
  }

  async #deleteUnversioned(keyDir: string, versionId: string | undefined, signal: AbortSignal) {
    if (versionId !== undefined && versionId !== 'null') return { versionId };
    await withKeyLock(keyDir, signal, async () => {
      for (const id of await listVersionIds(keyDir)) await this.#removeVersion(keyDir, id);
    });
    return {};
  }

  // Removes versions replaced in an unversioned bucket, and data files whose record was never
  // written (a crash between the two renames of a publication). Runs under the key lock.
  async #sweep(keyDir: string, replaced: readonly string[], keep: string): Promise<void> {
    for (const id of replaced) await this.#removeVersion(keyDir, id);
    const names = await listDir(keyDir);
    const records = new Set(names.filter((n) => n.endsWith('.json')).map((n) => n.slice(0, -5)));
    for (const name of names) {
      const id = name.slice(0, -5);
      if (name.endsWith('.data') && isVersionId(id) && id !== keep && !records.has(id))
        await removeQuietly(join(keyDir, name));
    }
  }

  // Record first: once it is gone no reader picks the version, then its bytes can go.
  async #removeVersion(keyDir: string, versionId: string): Promise<void> {
    await unlink(this.#layout.versionRecordFile(keyDir, versionId)).catch(ignoreNotFound);
    await unlink(this.#layout.versionDataFile(keyDir, versionId)).catch(ignoreNotFound);
  }
}

/** Version ids with a record in the key folder, oldest first. */
export async function listVersionIds(keyDir: string): Promise<string[]> {
  return (await listDir(keyDir))
    .filter((name) => name.endsWith('.json') && isVersionId(name.slice(0, -5)))
    .map((name) => name.slice(0, -5))
    .sort();
}

/** Folder entries, or none when the folder does not exist; a link or file there is refused. */
export async function listDir(dir: string): Promise<string[]> {
  return listRealFolder(dir);
}

function retryLater(bucket: string | undefined, key: string): PartCopyError {
  return new PartCopyError(
    'SlowDown',
    'the key is being rewritten too often to read a stable version; retry',
    { bucket, key },
  );
}

function ignoreNotFound(error: unknown): void {
  if (!isNotFound(error)) throw error;
}

/** The version as the current object, or `undefined` when there is none or it is a delete marker. */
function liveObject(current: VersionRecord | undefined): ObjectRecord | undefined {
  return current && !current.deleteMarker ? (current as ObjectRecord) : undefined;
}
