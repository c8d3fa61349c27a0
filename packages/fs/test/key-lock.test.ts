import { mkdir, readdir, stat, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FsProvider } from '../src/index.js';
import { encodeKey } from '../src/key-encoding.js';
import { ctx, errorCode, payload, provider, read, tempDir } from './helpers.js';

let root: { dir: string; cleanup: () => Promise<void> };
let p: FsProvider;
const bucket = 'locks';
const lockOf = (key: string) => join(root.dir, bucket, 'objects', encodeKey(key), 'lock');

beforeEach(async () => {
  root = await tempDir();
  p = provider(root.dir);
  await p.createBucket({ bucket }, ctx());
});
afterEach(() => root.cleanup());

describe('key lock', () => {
  it('waits for a held lock, honouring the abort signal', async () => {
    await mkdir(join(root.dir, bucket, 'objects', encodeKey('k')));
    await writeFile(lockOf('k'), '');
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('waited long enough')), 100);
    expect(
      await errorCode(() =>
        p.putObject({ bucket, key: 'k', body: payload('x') }, { signal: controller.signal }),
      ),
    ).toBe('RequestAborted');
    expect(await readdir(join(root.dir, bucket, 'tmp'))).toEqual([]);
    // Released: the next write goes through.
    const { unlink } = await import('node:fs/promises');
    await unlink(lockOf('k'));
    await p.putObject({ bucket, key: 'k', body: payload('x') }, ctx());
    expect(new TextDecoder().decode(await read(p, bucket, 'k'))).toBe('x');
  });

  it('takes over a lock left by a crashed process', async () => {
    await mkdir(join(root.dir, bucket, 'objects', encodeKey('k')));
    await writeFile(lockOf('k'), '');
    const old = new Date(Date.now() - 60_000);
    await utimes(lockOf('k'), old, old);
    await p.putObject({ bucket, key: 'k', body: payload('after crash') }, ctx());
    expect(new TextDecoder().decode(await read(p, bucket, 'k'))).toBe('after crash');
    await expect(stat(lockOf('k'))).rejects.toThrow();
  });

  it('a deleted bucket is not recreated by a later writer', async () => {
    await p.deleteBucket({ bucket }, ctx());
    expect(await errorCode(() => p.putObject({ bucket, key: 'k', body: payload('x') }, ctx()))).toBe(
      'NoSuchBucket',
    );
    expect(await errorCode(() => p.createMultipartUpload({ bucket, key: 'k' }, ctx()))).toBe('NoSuchBucket');
    expect(await readdir(root.dir)).not.toContain(bucket);
  });
});
