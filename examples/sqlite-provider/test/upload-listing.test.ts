/**
 * Paging ListMultipartUploads through several uploads of one key: upload ids are random UUIDs,
 * so resuming after `uploadIdMarker` must go by the marker's place in S3's order (key, then
 * initiation), not by comparing ids.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { SqliteProvider } from '../src/index.js';

const dir = mkdtempSync(join(tmpdir(), 'partcopy-sqlite-listing-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const ctx = () => ({ signal: new AbortController().signal });

it('pages one upload at a time through every upload of a key, each exactly once, in initiation order', async () => {
  const provider = new SqliteProvider({ path: join(dir, 'store.sqlite'), minPartSize: 1024 });
  await provider.createBucket({ bucket: 'b' }, ctx());
  const created: string[] = [];
  for (let i = 0; i < 6; i++) {
    created.push((await provider.createMultipartUpload({ bucket: 'b', key: 'same' }, ctx())).uploadId);
    // Distinct initiation times, so the expected order is the creation order.
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  const seen: string[] = [];
  let markers: { keyMarker?: string; uploadIdMarker?: string } = {};
  for (let page = 0; page < 10; page++) {
    const listed = await provider.listMultipartUploads({ bucket: 'b', maxUploads: 1, ...markers }, ctx());
    seen.push(...listed.uploads.map((u) => u.uploadId));
    if (!listed.isTruncated) break;
    markers = {
      keyMarker: listed.nextKeyMarker as string,
      uploadIdMarker: listed.nextUploadIdMarker as string,
    };
  }
  expect(seen).toEqual(created);
});
