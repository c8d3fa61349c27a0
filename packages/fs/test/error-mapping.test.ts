// How failures inside the provider are reported. Issue 13, defect 5: a fault that is not the file
// system's (here a RangeError from an invalid Date, which the facade is meant to refuse first)
// was reported as "local file system error", and putObject left its temporary file behind.
import { mkdir, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { PartCopyError } from '@partcopy/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FsProvider } from '../src/index.js';
import { ctx, payload, provider, tempDir } from './helpers.js';

let sandbox: { dir: string; cleanup: () => Promise<void> };
let p: FsProvider;

beforeEach(async () => {
  sandbox = await tempDir();
  p = provider(sandbox.dir);
  await p.createBucket({ bucket: 'bkt' }, ctx());
});
afterEach(() => sandbox.cleanup());

async function failure(fn: () => Promise<unknown>): Promise<PartCopyError> {
  const error = await fn().then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!PartCopyError.isInstance(error)) throw new Error(`expected a PartCopyError, got ${String(error)}`);
  return error;
}

describe('error mapping', () => {
  it('a fault that is not a file system failure is not reported as one, and leaves no temporary file', async () => {
    const error = await failure(() =>
      p.putObject({ bucket: 'bkt', key: 'k', body: payload('x'), expires: new Date(Number.NaN) }, ctx()),
    );
    expect(error.code).toBe('InternalError');
    expect(error.retryable).toBe(false);
    expect(error.message).not.toContain('file system error');
    expect(error.message).toContain('RangeError');
    expect(error.providerCode).toBeUndefined();
    expect(await readdir(join(sandbox.dir, 'bkt', 'tmp'))).toEqual([]);
  });

  it('a file system failure still says so and carries its errno code', async () => {
    // A folder where the bucket's settings file belongs: reading it fails with EISDIR.
    await rm(join(sandbox.dir, 'bkt', 'bucket.json'));
    await mkdir(join(sandbox.dir, 'bkt', 'bucket.json'));
    const error = await failure(() => p.headObject({ bucket: 'bkt', key: 'k' }, ctx()));
    expect(error.code).toBe('InternalError');
    expect(error.message).toBe('local file system error (EISDIR)');
    expect(error.providerCode).toBe('EISDIR');
  });
});
