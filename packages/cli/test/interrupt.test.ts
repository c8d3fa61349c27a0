import { readdir, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { createDefaultRegistry } from '@partcopy/cli';
import { PartCopyError, type ProviderRegistry } from '@partcopy/core';
import type { UploadPartCopyRequest } from '@partcopy/core/provider';
import { type Interceptor, wrappedFactory } from '@partcopy/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { CliHarness, patternBytes, smallPartsFsFactory } from './cli-harness.js';

const source = patternBytes(8192, 11);

/**
 * Staging the fs store could leave behind: upload folders, temporary and trash files (the
 * layout its README documents). Empty after a clean abort.
 */
async function leftovers(dataDir: string): Promise<string[]> {
  const found: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
    for (const entry of entries) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) await walk(path);
      else found.push(relative(dataDir, path));
    }
  };
  for (const staging of ['.partcopy-tmp', 'demo/uploads', 'demo/tmp', 'demo/trash'])
    await walk(join(dataDir, staging));
  return found;
}

/** A harness whose file store runs `intercept` around every provider call. */
async function harness(intercept: Interceptor): Promise<CliHarness> {
  const registry: ProviderRegistry = createDefaultRegistry().register(
    wrappedFactory(smallPartsFsFactory, intercept),
  );
  const h = await CliHarness.create(registry);
  await writeFile(join(h.cwd, 'source.bin'), source);
  await h.ok(['mb', 'file://demo']);
  await h.ok(['put', 'source.bin', 'file://demo/src.bin']);
  return h;
}

const copyArgs = [
  'cp',
  'file://demo/src.bin',
  'file://demo/dst.bin',
  '--part-size',
  '1KiB',
  '--concurrency',
  '1',
];

let h: CliHarness | undefined;
afterEach(async () => {
  await h?.dispose();
  h = undefined;
});

describe('partcopy cp: interrupt and failure leave nothing behind', () => {
  it('Ctrl-C during part 3 aborts the upload and exits 130', async () => {
    const interrupt = new AbortController();
    const calls: string[] = [];
    h = await harness(async (method, request, _ctx, next) => {
      if (method === 'uploadPartCopy') {
        const part = (request as UploadPartCopyRequest).partNumber;
        calls.push(`part ${part}`);
        if (part === 3) interrupt.abort(new Error('interrupted by SIGINT'));
      } else calls.push(method);
      return next();
    });
    const run = await h.run(copyArgs, { signal: interrupt.signal });
    expect(run.code).toBe(130);
    expect(run.stderr).toMatch(/^partcopy: interrupted \(RequestAborted: /);
    expect(calls).toContain('abortMultipartUpload');
    expect(calls).not.toContain('part 4');
    expect(calls).not.toContain('completeMultipartUpload');
    expect((await h.ok(['uploads', 'list', 'file://demo', '--json'])).json()).toMatchObject({ uploads: [] });
    expect((await h.run(['head', 'file://demo/dst.bin'])).code).toBe(3);
    expect(await leftovers(h.dataDir)).toEqual([]);
  });

  it('reports an interrupt as JSON with --json', async () => {
    const interrupt = new AbortController();
    h = await harness(async (method, _request, _ctx, next) => {
      if (method === 'uploadPartCopy') interrupt.abort(new Error('interrupted by SIGINT'));
      return next();
    });
    const run = await h.run([...copyArgs, '--json'], { signal: interrupt.signal });
    expect(run.code).toBe(130);
    expect(run.stdout).toBe('');
    expect(run.errorJson()).toMatchObject({
      error: { code: 'RequestAborted', exitCode: 130 },
      interrupted: true,
    });
  });

  it('a failing part stops the copy, aborts the upload and keeps the first error', async () => {
    const calls: string[] = [];
    h = await harness(async (method, request, _ctx, next) => {
      calls.push(method);
      if (method === 'uploadPartCopy' && (request as UploadPartCopyRequest).partNumber === 4) {
        throw new PartCopyError('AccessDenied', 'scripted: access denied to part 4');
      }
      return next();
    });
    const run = await h.run([...copyArgs, '--concurrency', '3']);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      /^partcopy: AccessDenied: scripted: access denied to part 4; check the credentials[^(]*\n {2}during uploadPartCopy of demo\/dst\.bin part 4/,
    );
    expect(calls).toContain('abortMultipartUpload');
    expect(calls).not.toContain('completeMultipartUpload');
    expect((await h.ok(['uploads', 'list', 'file://demo', '--json'])).json()).toMatchObject({ uploads: [] });
    expect(await leftovers(h.dataDir)).toEqual([]);
  });

  it('a source overwritten during the copy fails it with PreconditionFailed (exit 4): every part is pinned', async () => {
    let overwritten = false;
    const harnessRef: { h?: CliHarness } = {};
    h = await harness(async (method, request, _ctx, next) => {
      if (
        method === 'uploadPartCopy' &&
        (request as UploadPartCopyRequest).partNumber === 2 &&
        !overwritten
      ) {
        overwritten = true;
        // Another writer replaces the source between part 1 and part 2.
        await writeFile(join(harnessRef.h?.cwd ?? '', 'other.bin'), patternBytes(8192, 99));
        await harnessRef.h?.ok(['put', 'other.bin', 'file://demo/src.bin']);
      }
      return next();
    });
    harnessRef.h = h;
    const run = await h.run(copyArgs);
    expect(run.code).toBe(4);
    expect(run.stderr).toMatch(/^partcopy: PreconditionFailed: /);
    expect((await h.run(['head', 'file://demo/dst.bin'])).code).toBe(3);
    expect((await h.ok(['uploads', 'list', 'file://demo', '--json'])).json()).toMatchObject({ uploads: [] });
    expect(await leftovers(h.dataDir)).toEqual([]);
  });

  it('warns with the command to run when the clean-up abort itself fails', async () => {
    h = await harness(async (method, request, _ctx, next) => {
      if (method === 'abortMultipartUpload')
        throw new PartCopyError('AccessDenied', 'scripted: cannot abort');
      if (method === 'uploadPartCopy' && (request as UploadPartCopyRequest).partNumber === 2) {
        throw new PartCopyError('AccessDenied', 'scripted: part 2 denied');
      }
      return next();
    });
    const run = await h.run(copyArgs);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      /partcopy: warning: could not abort upload (\S+) .*; run: partcopy uploads abort file:\/\/demo\/dst\.bin \1/,
    );
    expect(run.stderr).toContain('partcopy: AccessDenied: scripted: part 2 denied; check the credentials');
  });
});
