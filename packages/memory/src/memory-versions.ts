/**
 * Buckets and object versions, as S3 keeps them: in a versioned bucket every write adds a
 * version and a delete without a version id adds a delete marker; in an unversioned bucket a
 * key has one version whose id is `null` and which results do not show.
 */
import type { DeleteObjectResult, ErrorContext, VersionUse } from '@partcopy/core/provider';
import { compareKeys, unusableVersionError } from '@partcopy/core/provider';
import { memoryError } from './memory-errors.js';
import type { MemoryBucket, MemoryStore, ObjectVersion, StoredObject } from './memory-store.js';

/** The version id S3 gives objects written while a bucket is not versioned. */
export const NULL_VERSION_ID = 'null';

/** The bucket, or `NoSuchBucket`. */
export function requireBucket(store: MemoryStore, name: string, context: ErrorContext): MemoryBucket {
  const bucket = store.buckets.get(name);
  if (!bucket)
    throw memoryError('NoSuchBucket', 'The specified bucket does not exist', { bucket: name, ...context });
  return bucket;
}

/**
 * The object a request names: the current version, or the version `versionId`. A key or version
 * that is missing, or a delete marker, fails with core's S3 answer for that `use`.
 */
export function resolveObject(
  bucket: MemoryBucket,
  key: string,
  versionId: string | undefined,
  use: VersionUse,
  context: ErrorContext,
): StoredObject {
  const versions = bucket.keys.get(key);
  const found =
    versionId === undefined ? versions?.at(-1) : versions?.find((version) => version.versionId === versionId);
  if (found === undefined || found.kind === 'deleteMarker') {
    throw unusableVersionError(found ? 'deleteMarker' : 'none', versionId !== undefined, use, context);
  }
  return found;
}

/** The current object at a key, if there is one (a delete marker counts as none). */
export function currentObject(bucket: MemoryBucket, key: string): StoredObject | undefined {
  const current = bucket.keys.get(key)?.at(-1);
  return current?.kind === 'object' ? current : undefined;
}

/**
 * The version id reads (head, get) show: none while the bucket's versioning was never enabled;
 * afterwards every version's, `null` included.
 */
export function visibleVersionId(bucket: MemoryBucket, version: ObjectVersion): string | undefined {
  return bucket.versioning === undefined ? undefined : version.versionId;
}

/**
 * The version id a write (put, copy, completion, compose) answers with: only while versioning is
 * enabled. S3 answers a write into a suspended bucket without one, though the version is `null`.
 */
export function writtenVersionId(bucket: MemoryBucket, version: ObjectVersion): string | undefined {
  return bucket.versioning === 'Enabled' ? version.versionId : undefined;
}

/** A version id for a new write into this bucket: fresh while enabled, `null` otherwise. */
export function nextVersionId(store: MemoryStore, bucket: MemoryBucket): string {
  return bucket.versioning === 'Enabled' ? store.newVersionId() : NULL_VERSION_ID;
}

/**
 * Makes `version` the current version of `key`, in one synchronous step. Enabled: added to the
 * versions. Suspended: it replaces the key's `null` version (object or delete marker), keeping
 * the others. Never enabled: it replaces the one version.
 */
export function publishVersion(bucket: MemoryBucket, key: string, version: ObjectVersion): void {
  const versions = bucket.keys.get(key);
  if (bucket.versioning === undefined || !versions) {
    bucket.keys.set(key, [version]);
    return;
  }
  if (bucket.versioning === 'Suspended') {
    const kept = versions.filter((v) => v.versionId !== NULL_VERSION_ID);
    versions.splice(0, versions.length, ...kept);
  }
  versions.push(version);
}

/**
 * S3 DeleteObject. Without a version id: a bucket whose versioning was never enabled forgets
 * the key; an enabled one adds a delete marker (even when the key never existed, as S3 does); a
 * suspended one makes a `null` delete marker the current version, replacing the `null` version.
 * With a version id: that version is removed for good; an unknown id succeeds (S3 deletes are
 * idempotent).
 */
export function deleteVersion(
  store: MemoryStore,
  bucket: MemoryBucket,
  key: string,
  versionId: string | undefined,
): DeleteObjectResult {
  if (versionId === undefined) return deleteCurrent(store, bucket, key);
  const versions = bucket.keys.get(key);
  const index = versions?.findIndex((version) => version.versionId === versionId) ?? -1;
  if (!versions || index < 0) return bucket.versioning === undefined ? {} : { versionId };
  const [removed] = versions.splice(index, 1);
  if (versions.length === 0) bucket.keys.delete(key);
  if (bucket.versioning === undefined) return {};
  return removed?.kind === 'deleteMarker' ? { versionId, deleteMarker: true } : { versionId };
}

function deleteCurrent(store: MemoryStore, bucket: MemoryBucket, key: string): DeleteObjectResult {
  if (bucket.versioning === undefined) {
    bucket.keys.delete(key);
    return {};
  }
  const marker = {
    kind: 'deleteMarker',
    versionId: nextVersionId(store, bucket),
    lastModified: store.now(),
  } as const;
  publishVersion(bucket, key, marker);
  return { versionId: marker.versionId, deleteMarker: true };
}

/** Keys whose current version is an object, in S3's order (UTF-8 binary, which for these
 * strings is code-point order), with that object. */
export function currentObjects(bucket: MemoryBucket, prefix = ''): Array<[string, StoredObject]> {
  const out: Array<[string, StoredObject]> = [];
  for (const [key, versions] of bucket.keys) {
    const current = versions.at(-1);
    if (current?.kind === 'object' && key.startsWith(prefix)) out.push([key, current]);
  }
  return out.sort(([a], [b]) => compareKeys(a, b));
}
