// The engine's collectGarbage on the file store: abandoned uploads through the client, and the
// store's own leftovers (a crashed writer's temporary file) through the provider's
// collectStoreGarbage hook, restricted to the buckets asked for. Ages are measured from a `now`
// the test chooses, so nothing depends on the clock's speed.
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { collectGarbage, PartCopyClient } from '@partcopy/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FsProvider } from '../src/index.js';
import { ctx, provider, tempDir } from './helpers.js';

const HOUR = 3_600_000;
let root: { dir: string; cleanup: () => Promise<void> };
let p: FsProvider;
let client: PartCopyClient;

beforeEach(async () => {
  root = await tempDir();
  p = provider(root.dir);
  client = new PartCopyClient(p);
  for (const bucket of ['gcbkt', 'other']) await p.createBucket({ bucket }, ctx());
});
afterEach(() => root.cleanup());

/** What a writer killed before publishing leaves: a temporary file in the bucket's tmp folder. */
async function strayTempFile(bucket: string, name: string): Promise<string> {
  const dir = join(root.dir, bucket, 'tmp');
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, name), new Uint8Array(1234));
  return name;
}

describe('collectGarbage on the file store', () => {
  it('removes an old upload and a temporary file of the bucket asked for; dry run and age keep them', async () => {
    const stray = await strayTempFile('gcbkt', '0123456789abcdef.tmp');
    const elsewhere = await strayTempFile('other', 'fedcba9876543210.tmp');
    const upload = await client.createMultipartUpload({ bucket: 'gcbkt', key: 'abandoned' });
    const later = new Date(Date.now() + 24 * HOUR);

    // Younger than the age (measured from now): nothing is garbage.
    const young = await collectGarbage({ client, buckets: ['gcbkt'], olderThanMs: HOUR });
    expect(young.removed).toBe(0);
    expect(young.items.map((i) => [i.kind, i.action, i.reason])).toEqual([
      ['upload', 'kept', 'younger than the age'],
    ]);

    const dry = await collectGarbage({
      client,
      buckets: ['gcbkt'],
      olderThanMs: HOUR,
      now: later,
      dryRun: true,
    });
    expect(dry.items.map((i) => [i.kind, i.name, i.action])).toEqual([
      ['upload', 'abandoned', 'would-remove'],
      ['temporary-file', `tmp/${stray}`, 'would-remove'],
    ]);
    expect(dry.bytesRemoved).toBe(1234);
    expect(await readdir(join(root.dir, 'gcbkt', 'tmp'))).toEqual([stray]);
    expect((await client.listMultipartUploads({ bucket: 'gcbkt' })).uploads).toHaveLength(1);

    const progress: string[] = [];
    const report = await collectGarbage({
      client,
      buckets: ['gcbkt'],
      olderThanMs: HOUR,
      now: later,
      onProgress: (p) => progress.push(`${p.item.kind}:${p.item.action}:${p.removed}`),
    });
    expect(report.items.map((i) => [i.kind, i.action])).toEqual([
      ['upload', 'removed'],
      ['temporary-file', 'removed'],
    ]);
    expect(progress).toEqual(['upload:removed:1', 'temporary-file:removed:2']);
    expect(await readdir(join(root.dir, 'gcbkt', 'tmp'))).toEqual([]);
    await expect(client.listParts(upload)).rejects.toMatchObject({ code: 'NoSuchUpload' });
    // Another bucket's leftovers are not touched.
    expect(await readdir(join(root.dir, 'other', 'tmp'))).toEqual([elsewhere]);
  });

  it('stops with RequestAborted when its signal fires', async () => {
    await client.createMultipartUpload({ bucket: 'gcbkt', key: 'abandoned' });
    const stop = new AbortController();
    stop.abort(new Error('interrupted'));
    await expect(
      collectGarbage({ client, buckets: ['gcbkt'], olderThanMs: 0, signal: stop.signal }),
    ).rejects.toMatchObject({ code: 'RequestAborted' });
    expect((await client.listMultipartUploads({ bucket: 'gcbkt' })).uploads).toHaveLength(1);
  });
});
