// Issue 13, defect 7: temporary files and claimed uploads left by crashed processes used to stay
// forever. Real child processes are SIGKILLed at three points of a write; collectGarbage then
// removes exactly their leftovers, and every upload that can still be completed stays.
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FsProvider, GarbageKind } from '../src/index.js';
import { encodeKey } from '../src/key-encoding.js';
import {
  bytes,
  concat,
  ctx,
  errorCode,
  killChildAt,
  payload,
  provider,
  read,
  STOP,
  sameBytes,
  stageParts,
  tempDir,
  tree,
} from './helpers.js';

const bucket = 'gcbkt';
let root: { dir: string; cleanup: () => Promise<void> };
let p: FsProvider;

beforeEach(async () => {
  root = await tempDir();
  p = provider(root.dir);
  await p.createBucket({ bucket }, ctx());
});
afterEach(() => root.cleanup());

const killAt = (hook: string, body: string, ...args: string[]) => killChildAt(root.dir, hook, body, ...args);

const kinds = (report: { entries: { kind: GarbageKind }[] }) => report.entries.map((e) => e.kind).sort();

describe('collectGarbage', () => {
  it('removes what processes killed during put and completion left, and nothing else', async () => {
    await p.putObject({ bucket, key: 'put-victim', body: payload('old bytes') }, ctx());
    const parts = [bytes(1024, 1), bytes(1024, 2), bytes(10, 3)];
    const beforeClaim = await stageParts(p, bucket, 'assembling', parts);
    const afterClaim = await stageParts(p, bucket, 'claimed', parts);
    const untouched = await stageParts(p, bucket, 'untouched', parts);
    const complete = (key: string, staged: typeof beforeClaim) =>
      JSON.stringify({ bucket, key, uploadId: staged.uploadId, parts: staged.listed });

    // 1. A put killed with its bytes written, before publication.
    await killAt(
      `beforePublish: ${STOP}`,
      `await p.putObject({ bucket: ${JSON.stringify(bucket)}, key: 'put-victim', body: bodyOf('new bytes') }, c);`,
    );
    // 2. A completion killed while assembling (before it claims the upload).
    await killAt(
      `afterAssemblingPart: ({ partNumber }) => partNumber === 2 ? (${STOP})() : undefined`,
      'await p.completeMultipartUpload(JSON.parse(args[0]), c);',
      complete('assembling', beforeClaim),
    );
    // 3. A completion killed after claiming the upload, before publishing the object.
    await killAt(
      `beforePublish: ${STOP}`,
      'await p.completeMultipartUpload(JSON.parse(args[0]), c);',
      complete('claimed', afterClaim),
    );

    expect(await readdir(join(root.dir, bucket, 'tmp'))).toHaveLength(3);
    expect(await readdir(join(root.dir, bucket, 'trash'))).toHaveLength(1);
    const beforeGc = await tree(root.dir);

    // Everything is seconds old: an age of an hour collects nothing.
    expect((await p.collectGarbage({ olderThanMs: 3_600_000 })).entries).toEqual([]);
    // A dry run reports and removes nothing.
    const dry = await p.collectGarbage({ olderThanMs: 0, dryRun: true });
    expect(kinds(dry)).toEqual(['ended-upload', 'temporary-file', 'temporary-file', 'temporary-file']);
    expect(dry.dryRun).toBe(true);
    expect(await tree(root.dir)).toEqual(beforeGc);

    const report = await p.collectGarbage({ olderThanMs: 0 });
    expect(kinds(report)).toEqual(kinds(dry));
    expect(report.bytes).toBeGreaterThan(2 * (1024 + 1024 + 10)); // two assembled objects at least
    expect(await readdir(join(root.dir, bucket, 'tmp'))).toEqual([]);
    expect(await readdir(join(root.dir, bucket, 'trash'))).toEqual([]);
    expect((await p.collectGarbage({ olderThanMs: 0 })).entries).toEqual([]);

    // Nothing live was touched: the old object, the unclaimed uploads, and what can be completed.
    expect(new TextDecoder().decode(await read(p, bucket, 'put-victim'))).toBe('old bytes');
    const listed = (await p.listMultipartUploads({ bucket }, ctx())).uploads.map((u) => u.key).sort();
    expect(listed).toEqual(['assembling', 'untouched']);
    for (const [key, staged] of [
      ['assembling', beforeClaim],
      ['untouched', untouched],
    ] as const) {
      await p.completeMultipartUpload(
        { bucket, key, uploadId: staged.uploadId, parts: staged.listed },
        ctx(),
      );
      expect(sameBytes(await read(p, bucket, key), concat(...parts))).toBe(true);
    }
    // The claimed upload's completion never happened and its upload is gone, as the README says.
    expect(await errorCode(() => p.headObject({ bucket, key: 'claimed' }, ctx()))).toBe('NoSuchKey');
    expect(
      await errorCode(() => p.listParts({ bucket, key: 'claimed', uploadId: afterClaim.uploadId }, ctx())),
    ).toBe('NoSuchUpload');
  });

  it('removes orphan data files and bucket staging, keeping every named file', async () => {
    await p.putObject({ bucket, key: 'k', body: payload('live') }, ctx());
    const staged = await stageParts(p, bucket, 'up', [bytes(1024, 1)]);
    // What a death between two renames leaves (the kill points sit inside single statements).
    const keyDir = join(root.dir, bucket, 'objects', encodeKey('k'));
    await writeFile(join(keyDir, `${'f'.repeat(30)}.data`), 'orphan version bytes');
    const uploadDir = join(root.dir, bucket, 'uploads', staged.uploadId);
    await writeFile(join(uploadDir, `part-00002-${'a'.repeat(16)}.data`), 'orphan part bytes');
    await mkdir(join(root.dir, '.partcopy-tmp', `bucket-${'b'.repeat(16)}`, 'objects'), { recursive: true });
    // Names the store never makes are not its garbage.
    await writeFile(join(root.dir, bucket, 'tmp', 'notes.txt'), 'not ours');

    // A cut-off after every write: `olderThanMs: 0` is "now" in whole milliseconds, and a file
    // written within that millisecond has a later (fractional) time and was skipped now and then.
    const report = await p.collectGarbage({ before: new Date(Date.now() + 60_000) });
    expect(kinds(report)).toEqual(['bucket-staging', 'orphan-part-data', 'orphan-version-data']);
    expect(report.entries.map((e) => e.path).sort()).toEqual([
      `.partcopy-tmp/bucket-${'b'.repeat(16)}`,
      `${bucket}/objects/${encodeKey('k')}/${'f'.repeat(30)}.data`,
      `${bucket}/uploads/${staged.uploadId}/part-00002-${'a'.repeat(16)}.data`,
    ]);
    expect(await readdir(join(root.dir, bucket, 'tmp'))).toEqual(['notes.txt']);
    expect(new TextDecoder().decode(await read(p, bucket, 'k'))).toBe('live');
    await p.completeMultipartUpload(
      { bucket, key: 'up', uploadId: staged.uploadId, parts: staged.listed },
      ctx(),
    );
    expect(sameBytes(await read(p, bucket, 'up'), bytes(1024, 1))).toBe(true);
  });

  it('never follows a link: a linked bucket or tmp folder is skipped', async () => {
    const outside = await tempDir('partcopy-gc-outside-');
    try {
      await writeFile(join(outside.dir, `${'c'.repeat(16)}.tmp`), 'outside the root');
      const { rm, symlink } = await import('node:fs/promises');
      await rm(join(root.dir, bucket, 'tmp'), { recursive: true });
      await symlink(outside.dir, join(root.dir, bucket, 'tmp'));
      await symlink(outside.dir, join(root.dir, 'linked'));
      expect((await p.collectGarbage({ olderThanMs: 0 })).entries).toEqual([]);
      expect(await readdir(outside.dir)).toEqual([`${'c'.repeat(16)}.tmp`]);
    } finally {
      await outside.cleanup();
    }
  });

  it('refuses an age that is not a number of milliseconds', async () => {
    expect(await errorCode(() => p.collectGarbage({ olderThanMs: -1 }))).toBe('InvalidArgument');
    expect(await errorCode(() => p.collectGarbage({ olderThanMs: Number.NaN }))).toBe('InvalidArgument');
  });
});
