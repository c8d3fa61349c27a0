// Issue 13, defect 2: the store used to follow symbolic links inside its root (the "stays under
// the root" check compared strings), so a link at a bucket, a working folder, a key folder, an
// upload folder or a stored file made operations read and write outside the root. Every
// operation that would pass through such a link must now refuse with a typed error, and the
// folder the link points to must stay exactly as it was.
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { collectBytes, PartCopyError } from '@partcopy/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FsProvider } from '../src/index.js';
import { encodeKey } from '../src/key-encoding.js';
import { bytes, ctx, payload, provider, stageParts, tempDir } from './helpers.js';

const bucket = 'bkt';
const key = 'k';

let sandbox: { dir: string; cleanup: () => Promise<void> };
let root: string;
let outside: string;
let p: FsProvider;
let insideUpload: string;
let outsideUpload: string;
let otherUpload: string;

beforeEach(async () => {
  sandbox = await tempDir();
  root = join(sandbox.dir, 'root');
  outside = join(sandbox.dir, 'outside');
  await mkdir(root);
  await mkdir(outside);
  // A complete store outside the root: whatever a link points at looks exactly like the real thing.
  const q = provider(outside);
  await q.createBucket({ bucket }, ctx());
  await q.putObject({ bucket, key, body: payload('outside secret') }, ctx());
  outsideUpload = (await stageParts(q, bucket, key, [bytes(1024, 9)])).uploadId;
  await q.createBucket({ bucket: 'empty' }, ctx());

  p = provider(root);
  await p.createBucket({ bucket }, ctx());
  await p.putObject({ bucket, key, body: payload('inside') }, ctx());
  insideUpload = (await stageParts(p, bucket, key, [bytes(1024, 1)])).uploadId;
  await p.createBucket({ bucket: 'other' }, ctx());
  await p.putObject({ bucket: 'other', key: 'src', body: payload(bytes(2048, 3)) }, ctx());
  otherUpload = (await p.createMultipartUpload({ bucket: 'other', key: 'dst' }, ctx())).uploadId;
  await p.createBucket({ bucket: 'empty' }, ctx());
});
afterEach(() => sandbox.cleanup());

const inRoot = (...parts: string[]) => join(root, ...parts);
const outOf = (...parts: string[]) => join(outside, ...parts);

/** Replaces `path` inside the root by a link to `target` outside it. */
async function linkAt(path: string, target: string): Promise<void> {
  await rm(path, { recursive: true, force: true });
  await symlink(target, path);
}

async function versionFile(dir: string, ext: '.json' | '.data'): Promise<string> {
  const name = (await readdir(dir)).find((n) => n.endsWith(ext));
  if (!name) throw new Error(`no ${ext} file in ${dir}`);
  return name;
}

interface Placement {
  /** Puts the link in place; returns the upload id operations should use. */
  place(): Promise<string>;
  /** The operations that pass through the link and so must refuse. */
  refused: readonly OpName[];
}

const ALL: readonly OpName[] = [
  'putObject',
  'getObject',
  'headObject',
  'listObjects',
  'deleteObject',
  'createMultipartUpload',
  'uploadPart',
  'uploadPartCopy into it',
  'uploadPartCopy from it',
  'listParts',
  'listMultipartUploads',
  'completeMultipartUpload',
  'abortMultipartUpload',
  'deleteBucket',
];

const PLACEMENTS: Record<string, Placement> = {
  'the bucket folder': {
    place: async () => {
      await linkAt(inRoot(bucket), outOf(bucket));
      return outsideUpload;
    },
    refused: [...ALL, 'createBucket'],
  },
  ...Object.fromEntries(
    ['objects', 'uploads', 'tmp', 'trash'].map((sub) => [
      `the bucket's ${sub}/ folder`,
      {
        place: async () => {
          await linkAt(inRoot(bucket, sub), outOf(bucket, sub));
          return sub === 'uploads' ? outsideUpload : insideUpload;
        },
        refused: ALL,
      },
    ]),
  ),
  "a key's folder": {
    place: async () => {
      await linkAt(inRoot(bucket, 'objects', encodeKey(key)), outOf(bucket, 'objects', encodeKey(key)));
      return insideUpload;
    },
    refused: [
      'putObject',
      'getObject',
      'headObject',
      'listObjects',
      'deleteObject',
      'uploadPartCopy from it',
      'completeMultipartUpload',
      'deleteBucket',
    ],
  },
  "an upload's folder": {
    place: async () => {
      await rm(inRoot(bucket, 'uploads', insideUpload), { recursive: true });
      await symlink(outOf(bucket, 'uploads', outsideUpload), inRoot(bucket, 'uploads', outsideUpload));
      return outsideUpload;
    },
    refused: [
      'uploadPart',
      'uploadPartCopy into it',
      'listParts',
      'listMultipartUploads',
      'completeMultipartUpload',
      'abortMultipartUpload',
    ],
  },
  'the root staging folder (.partcopy-tmp)': {
    place: async () => {
      await mkdir(outOf('.partcopy-tmp'), { recursive: true });
      await linkAt(inRoot('.partcopy-tmp'), outOf('.partcopy-tmp'));
      return insideUpload;
    },
    refused: ['createBucket of a new name', 'deleteBucket of an empty bucket'],
  },
  "a version's data file": {
    place: async () => {
      const dir = encodeKey(key);
      const outsideName = await versionFile(outOf(bucket, 'objects', dir), '.data');
      const insideName = await versionFile(inRoot(bucket, 'objects', dir), '.data');
      await linkAt(inRoot(bucket, 'objects', dir, insideName), outOf(bucket, 'objects', dir, outsideName));
      return insideUpload;
    },
    refused: ['getObject', 'uploadPartCopy from it'],
  },
  "a version's record": {
    place: async () => {
      const dir = encodeKey(key);
      const outsideName = await versionFile(outOf(bucket, 'objects', dir), '.json');
      const insideName = await versionFile(inRoot(bucket, 'objects', dir), '.json');
      await linkAt(inRoot(bucket, 'objects', dir, insideName), outOf(bucket, 'objects', dir, outsideName));
      return insideUpload;
    },
    refused: ['getObject', 'headObject', 'listObjects', 'uploadPartCopy from it'],
  },
  "an upload's record": {
    place: async () => {
      await linkAt(
        inRoot(bucket, 'uploads', insideUpload, 'upload.json'),
        outOf(bucket, 'uploads', outsideUpload, 'upload.json'),
      );
      return insideUpload;
    },
    refused: [
      'uploadPart',
      'uploadPartCopy into it',
      'listParts',
      'completeMultipartUpload',
      'abortMultipartUpload',
    ],
  },
  "a part's data file": {
    place: async () => {
      const dataOf = async (dir: string) => (await readdir(dir)).find((n) => n.endsWith('.data')) as string;
      const inDir = inRoot(bucket, 'uploads', insideUpload);
      const outDir = outOf(bucket, 'uploads', outsideUpload);
      await linkAt(join(inDir, await dataOf(inDir)), join(outDir, await dataOf(outDir)));
      return insideUpload;
    },
    refused: ['completeMultipartUpload'],
  },
  "the bucket's settings file": {
    place: async () => {
      await linkAt(inRoot(bucket, 'bucket.json'), outOf(bucket, 'bucket.json'));
      return insideUpload;
    },
    refused: [
      'putObject',
      'getObject',
      'headObject',
      'deleteObject',
      'uploadPartCopy from it',
      'completeMultipartUpload',
    ],
  },
};

type OpName =
  | 'createBucket'
  | 'createBucket of a new name'
  | 'deleteBucket'
  | 'deleteBucket of an empty bucket'
  | 'putObject'
  | 'getObject'
  | 'headObject'
  | 'listObjects'
  | 'deleteObject'
  | 'createMultipartUpload'
  | 'uploadPart'
  | 'uploadPartCopy into it'
  | 'uploadPartCopy from it'
  | 'listParts'
  | 'listMultipartUploads'
  | 'completeMultipartUpload'
  | 'abortMultipartUpload';

function run(op: OpName, uploadId: string): Promise<unknown> {
  const ref = { bucket, key, uploadId };
  switch (op) {
    case 'createBucket':
      return p.createBucket({ bucket }, ctx());
    case 'createBucket of a new name':
      return p.createBucket({ bucket: 'fresh' }, ctx());
    case 'deleteBucket':
      return p.deleteBucket({ bucket }, ctx());
    case 'deleteBucket of an empty bucket':
      return p.deleteBucket({ bucket: 'empty' }, ctx());
    case 'putObject':
      return p.putObject({ bucket, key, body: payload('written') }, ctx());
    case 'getObject':
      return p.getObject({ bucket, key }, ctx()).then((r) => collectBytes(r.body));
    case 'headObject':
      return p.headObject({ bucket, key }, ctx());
    case 'listObjects':
      return p.listObjects({ bucket }, ctx());
    case 'deleteObject':
      return p.deleteObject({ bucket, key }, ctx());
    case 'createMultipartUpload':
      return p.createMultipartUpload({ bucket, key }, ctx());
    case 'uploadPart':
      return p.uploadPart({ ...ref, partNumber: 2, body: payload('x') }, ctx());
    case 'uploadPartCopy into it':
      return p.uploadPartCopy(
        { ...ref, partNumber: 2, source: { bucket: 'other', key: 'src' }, conditions: {} },
        ctx(),
      );
    case 'uploadPartCopy from it':
      return p.uploadPartCopy(
        {
          bucket: 'other',
          key: 'dst',
          uploadId: otherUpload,
          partNumber: 1,
          source: { bucket, key },
          conditions: {},
        },
        ctx(),
      );
    case 'listParts':
      return p.listParts(ref, ctx());
    case 'listMultipartUploads':
      return p.listMultipartUploads({ bucket }, ctx());
    case 'completeMultipartUpload':
      return p
        .listParts(ref, ctx())
        .then((listed) =>
          p.completeMultipartUpload(
            { ...ref, parts: listed.parts.map((x) => ({ partNumber: x.partNumber, etag: x.etag })) },
            ctx(),
          ),
        );
    case 'abortMultipartUpload':
      return p.abortMultipartUpload(ref, ctx());
  }
}

/** Every path under `dir` with a digest of each file, following nothing. */
async function snapshot(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    const full = join(entry.parentPath, entry.name);
    const digest = entry.isFile()
      ? createHash('sha256')
          .update(await readFile(full))
          .digest('hex')
      : 'dir';
    out.push(`${relative(dir, full)} ${digest}`);
  }
  return out.sort();
}

const cases = Object.entries(PLACEMENTS).flatMap(([where, placement]) =>
  placement.refused.map((op) => [where, op, placement] as const),
);

describe('a symbolic link inside the root is never followed', () => {
  it.each(cases)('%s is a link: %s refuses', async (_, op, placement) => {
    const uploadId = await placement.place();
    const before = await snapshot(outside);
    const error = await run(op, uploadId).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(PartCopyError.isInstance(error), `expected a PartCopyError, got ${String(error)}`).toBe(true);
    const failure = error as PartCopyError;
    expect(failure.code).toBe('InternalError');
    expect(failure.retryable).toBe(false);
    expect(failure.message).toContain('symbolic link');
    expect(await snapshot(outside)).toEqual(before);
  });
});

describe('the root itself', () => {
  it('may be a link (it is trusted): every operation and collectGarbage work through it', async () => {
    const linkedRoot = join(sandbox.dir, 'root-link');
    await symlink(root, linkedRoot);
    const q = provider(linkedRoot);
    await q.createBucket({ bucket: 'via-link' }, ctx());
    await q.putObject({ bucket: 'via-link', key, body: payload('through the root link') }, ctx());
    const got = await q.getObject({ bucket: 'via-link', key }, ctx());
    expect(new TextDecoder().decode(await collectBytes(got.body))).toBe('through the root link');
    expect((await q.listObjects({ bucket: 'via-link' }, ctx())).objects.map((o) => o.key)).toEqual([key]);
    await writeFile(join(root, 'via-link', 'tmp', `${'d'.repeat(16)}.tmp`), 'left by a crash');
    const report = await q.collectGarbage({ olderThanMs: 0 });
    expect(report.entries.map((e) => e.path)).toEqual([`via-link/tmp/${'d'.repeat(16)}.tmp`]);
    await q.deleteObject({ bucket: 'via-link', key }, ctx());
    await q.deleteBucket({ bucket: 'via-link' }, ctx());
  });
});
