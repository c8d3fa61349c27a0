/**
 * ListBuckets on a folder: every real folder under the root whose name is a valid bucket name
 * (the staging folder and anything hidden are not buckets), with the creation time its
 * `bucket.json` records, else the folder's birth time (a folder made by hand).
 */
import { lstat } from 'node:fs/promises';
import type { BucketInfo } from '@partcopy/core/provider';
import { readJson } from './atomic-write.js';
import { isBucketName } from './bucket-name.js';
import { listRealFolder } from './entry-guard.js';
import type { FsLayout } from './fs-layout.js';
import type { BucketConfig } from './records.js';

export async function listFolderBuckets(layout: FsLayout): Promise<BucketInfo[]> {
  const buckets: BucketInfo[] = [];
  for (const name of await listRealFolder(layout.root)) {
    if (!isBucketName(name)) continue;
    const dir = layout.bucketDir(name);
    const info = await lstat(dir).catch(() => undefined);
    if (!info?.isDirectory()) continue; // a link or a file is never a bucket
    const config = await readJson<BucketConfig>(layout.bucketConfigFile(name));
    const created = config?.created === undefined ? info.birthtime : new Date(config.created);
    buckets.push({ name, creationDate: created });
  }
  return buckets;
}
