/**
 * S3 PutBucketVersioning / GetBucketVersioning on the fs store: the state lives in the bucket's
 * `bucket.json` (`status`), replaced atomically. A bucket never had versioning until it is first
 * enabled or suspended, and never returns to that.
 */
import { link, rename, unlink } from 'node:fs/promises';
import type {
  GetBucketVersioningRequest,
  GetBucketVersioningResult,
  PutBucketVersioningRequest,
} from '@partcopy/core/provider';
import { readJson, writeJsonAtomic } from './atomic-write.js';
import { keyFolders } from './bucket-scan.js';
import { isAlreadyExists, isNotFound } from './fs-errors.js';
import type { FsLayout } from './fs-layout.js';
import { withKeyLock } from './key-lock.js';
import { bucketVersioningState, type ObjectStore } from './object-store.js';
import type { BucketConfig } from './records.js';
import { listVersionFiles, type VersionFile, versionStem } from './version-files.js';

export interface BucketVersioningDeps {
  layout: FsLayout;
  objects: ObjectStore;
}

/** The state applies to later writes; versions already kept stay as they are. */
export async function putBucketVersioning(
  deps: BucketVersioningDeps,
  request: PutBucketVersioningRequest,
  signal: AbortSignal,
): Promise<void> {
  const { layout } = deps;
  await layout.requireBucket(request.bucket);
  const file = layout.bucketConfigFile(request.bucket);
  const config = await readJson<BucketConfig>(file);
  if (bucketVersioningState(config) === undefined) await nameLegacyNullVersions(deps, request.bucket, signal);
  const next: BucketConfig = {
    format: 1,
    versioning: request.status === 'Enabled',
    status: request.status,
    created: config?.created ?? new Date().toISOString(),
  };
  await writeJsonAtomic(layout.tmpDir(request.bucket), file, next);
}

/** No status until versioning was first enabled (or suspended). */
export async function getBucketVersioning(
  deps: BucketVersioningDeps,
  request: GetBucketVersioningRequest,
): Promise<GetBucketVersioningResult> {
  await deps.layout.requireBucket(request.bucket);
  const status = await deps.objects.versioning(request.bucket);
  return status === undefined ? {} : { status };
}

/**
 * Stores written before versioning states existed named an unversioned bucket's objects by their
 * order alone (`ORDER.json`), which once versioning is on means an enabled-time version. Before
 * the first state is written, such versions are renamed to the `null` version they are
 * (`ORDER-null`), each under its key lock: the data is linked first, so a reader always finds
 * the bytes of the record it read. Interrupted, the bucket stays unversioned (where both names
 * mean `null`) and the next PutBucketVersioning finishes the job.
 */
async function nameLegacyNullVersions(
  deps: BucketVersioningDeps,
  bucket: string,
  signal: AbortSignal,
): Promise<void> {
  for (const { keyDir } of await keyFolders(deps.layout, bucket, '')) {
    const unmarked = (await listVersionFiles(keyDir)).filter((file) => !file.isNull);
    if (unmarked.length === 0) continue;
    await withKeyLock(keyDir, signal, async () => {
      for (const file of (await listVersionFiles(keyDir)).filter((f) => !f.isNull))
        await renameToNull(deps.layout, keyDir, file);
    });
  }
}

async function renameToNull(layout: FsLayout, keyDir: string, file: VersionFile): Promise<void> {
  const stem = versionStem(file.order, true);
  const oldData = layout.versionDataFile(keyDir, file.stem);
  await link(oldData, layout.versionDataFile(keyDir, stem)).catch((error: unknown) => {
    // A delete marker has no data; an earlier interrupted run may have linked it already.
    if (!isNotFound(error) && !isAlreadyExists(error)) throw error;
  });
  await rename(layout.versionRecordFile(keyDir, file.stem), layout.versionRecordFile(keyDir, stem));
  await unlink(oldData).catch((error: unknown) => {
    if (!isNotFound(error)) throw error;
  });
}
