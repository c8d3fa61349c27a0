// Issue 13, defect 1: something that is not a folder where a key's folder should be used to make
// every write of that key spin at 100% CPU (ENOTDIR taken for "missing", EEXIST for "created").
// Each write must now fail at once with a typed error naming the problem.
import { mkdir, readdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PartCopyError } from '@partcopy/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FsProvider } from '../src/index.js';
import { encodeKey } from '../src/key-encoding.js';
import { ctx, payload, provider, stageParts, tempDir, text } from './helpers.js';

const bucket = 'bkt';
let sandbox: { dir: string; cleanup: () => Promise<void> };
let root: string;
let p: FsProvider;
const keyDir = (key: string) => join(root, bucket, 'objects', encodeKey(key));

beforeEach(async () => {
  sandbox = await tempDir();
  root = join(sandbox.dir, 'root');
  await mkdir(root);
  p = provider(root);
  await p.createBucket({ bucket }, ctx());
});
afterEach(() => sandbox.cleanup());

// The safety net only: a fixed code below proves the call failed on its own, not by the timeout.
const guarded = () => ({ signal: AbortSignal.timeout(10_000) });

async function failure(fn: () => Promise<unknown>): Promise<PartCopyError> {
  const error = await fn().then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!PartCopyError.isInstance(error)) throw new Error(`expected a PartCopyError, got ${String(error)}`);
  return error;
}

const BLOCKERS: Record<string, (path: string) => Promise<void>> = {
  'a plain file': (path) => writeFile(path, 'not a folder'),
  'a symbolic link to a file': async (path) => {
    await writeFile(join(sandbox.dir, 'outside-file'), 'outside');
    await symlink(join(sandbox.dir, 'outside-file'), path);
  },
  'a dangling symbolic link': (path) => symlink(join(sandbox.dir, 'nowhere'), path),
  'a symbolic link to a folder outside the root': async (path) => {
    await mkdir(join(sandbox.dir, 'outside-dir'));
    await symlink(join(sandbox.dir, 'outside-dir'), path);
  },
};

describe.each(Object.entries(BLOCKERS))("%s where a key's folder should be", (_, block) => {
  beforeEach(() => block(keyDir('victim')));

  function expectRefused(error: PartCopyError): void {
    expect(error.code).toBe('InternalError');
    expect(error.code).not.toBe('RequestAborted');
    expect(error.retryable).toBe(false);
    expect(error.message).toContain(`${bucket}/objects/${encodeKey('victim')}`);
  }

  it('putObject fails at once with a typed error', async () => {
    expectRefused(await failure(() => p.putObject({ bucket, key: 'victim', body: payload('x') }, guarded())));
  });

  it('completeMultipartUpload fails and leaves the upload completable', async () => {
    const { uploadId, listed } = await stageParts(p, bucket, 'victim', [text('x')]);
    expectRefused(
      await failure(() =>
        p.completeMultipartUpload({ bucket, key: 'victim', uploadId, parts: listed }, guarded()),
      ),
    );
    expect((await p.listParts({ bucket, key: 'victim', uploadId }, ctx())).parts).toHaveLength(1);
  });

  it('deleteObject fails instead of reading or removing through it', async () => {
    expectRefused(await failure(() => p.deleteObject({ bucket, key: 'victim' }, guarded())));
  });

  it('getObject and headObject fail instead of answering NoSuchKey or reading through it', async () => {
    expectRefused(await failure(() => p.getObject({ bucket, key: 'victim' }, guarded())));
    expectRefused(await failure(() => p.headObject({ bucket, key: 'victim' }, guarded())));
  });

  it('other keys of the bucket still work, and no temporary file is left', async () => {
    await p.putObject({ bucket, key: 'neighbour', body: payload('fine') }, ctx());
    await failure(() => p.putObject({ bucket, key: 'victim', body: payload('x') }, guarded()));
    expect(await readdir(join(root, bucket, 'tmp'))).toEqual([]);
  });
});

describe('the lock file itself', () => {
  it('a folder named like the lock, older than the stale-lock age, is refused instead of spinning', async () => {
    await mkdir(keyDir('k'));
    await mkdir(join(keyDir('k'), 'lock'));
    const { utimes } = await import('node:fs/promises');
    const old = new Date(Date.now() - 60_000);
    await utimes(join(keyDir('k'), 'lock'), old, old);
    const error = await failure(() => p.putObject({ bucket, key: 'k', body: payload('x') }, guarded()));
    expect(error.code).toBe('InternalError');
    expect(error.retryable).toBe(false);
    expect(error.message).toContain('lock');
  });

  it('a symbolic link named like the lock is refused, never taken over through the link', async () => {
    await mkdir(keyDir('k'));
    await writeFile(join(sandbox.dir, 'precious'), 'keep me');
    await symlink(join(sandbox.dir, 'precious'), join(keyDir('k'), 'lock'));
    const error = await failure(() => p.putObject({ bucket, key: 'k', body: payload('x') }, guarded()));
    expect(error.code).toBe('InternalError');
    const { readFile } = await import('node:fs/promises');
    expect(await readFile(join(sandbox.dir, 'precious'), 'utf8')).toBe('keep me');
  });
});
