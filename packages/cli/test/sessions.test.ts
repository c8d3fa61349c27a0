import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createDefaultRegistry } from '@partcopy/cli';
import type { ProviderRegistry } from '@partcopy/core';
import type { UploadPartCopyRequest } from '@partcopy/core/provider';
import { type Interceptor, wrappedFactory } from '@partcopy/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { CliHarness, patternBytes, smallPartsFsFactory } from './cli-harness.js';

const source = patternBytes(8192, 3);
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

async function harness(intercept: Interceptor): Promise<CliHarness> {
  const registry: ProviderRegistry = createDefaultRegistry().register(
    wrappedFactory(smallPartsFsFactory, intercept),
  );
  const made = await CliHarness.create(registry);
  await writeFile(join(made.cwd, 'source.bin'), source);
  await made.ok(['mb', 'file://demo']);
  await made.ok(['put', 'source.bin', 'file://demo/src.bin']);
  return made;
}

/** A harness whose copies are interrupted when part `stopAt` is requested (once). */
async function interrupting(stopAt: number, copied: number[]) {
  const interrupt = new AbortController();
  const made = await harness(async (method, request, _ctx, next) => {
    if (method === 'uploadPartCopy') {
      const part = (request as UploadPartCopyRequest).partNumber;
      if (part === stopAt && !interrupt.signal.aborted) interrupt.abort(new Error('interrupted by SIGINT'));
      else copied.push(part);
    }
    return next();
  });
  return { h: made, signal: interrupt.signal };
}

describe('partcopy cp --resume and sessions', () => {
  it('an interrupted cp --resume keeps its session; the same command finishes it with the missing parts only', async () => {
    const copied: number[] = [];
    const setup = await interrupting(4, copied);
    h = setup.h;
    const first = await h.run([...copyArgs, '--resume'], { signal: setup.signal });
    expect(first.code).toBe(130);
    const id = /session (cp-[0-9a-f]+) kept/.exec(first.stderr)?.[1];
    expect(id, first.stderr).toBeDefined();
    expect((await h.ok(['sessions', 'list', '--json'])).json()).toMatchObject({
      sessions: [{ id, state: 'copying', plan: { partsCount: 8 } }],
    });
    copied.length = 0;
    const again = await h.ok([...copyArgs, '--resume', '--json']);
    expect(again.json()).toMatchObject({ session: { id, resumed: true, partsReused: 3 }, size: 8192 });
    expect(copied.sort((a, b) => a - b)).toEqual([4, 5, 6, 7, 8]);
    expect((await h.ok(['get', 'file://demo/dst.bin', '-'])).stdoutBytes).toEqual(Buffer.from(source));
    expect((await h.ok(['sessions', 'list', '--json'])).json()).toMatchObject({ sessions: [] });
  });

  it('sessions abort removes the upload and the record', async () => {
    const setup = await interrupting(3, []);
    h = setup.h;
    const first = await h.run([...copyArgs, '--session-id', 'mine'], { signal: setup.signal });
    expect(first.code).toBe(130);
    expect(
      (await h.ok(['uploads', 'list', 'file://demo', '--json'])).json<{ uploads: unknown[] }>().uploads,
    ).toHaveLength(1);
    const aborted = await h.ok(['sessions', 'abort', 'mine']);
    expect(aborted.stdout).toMatch(/^removed session mine; aborted upload \S+/);
    expect((await h.ok(['uploads', 'list', 'file://demo', '--json'])).json()).toMatchObject({ uploads: [] });
    expect((await h.ok(['sessions', 'list', '--json'])).json()).toMatchObject({ sessions: [] });
    const missing = await h.run(['sessions', 'resume', 'mine']);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toMatch(/no session mine/);
  });

  it('sessions resume refuses a session whose source changed, and cleans it up', async () => {
    const setup = await interrupting(2, []);
    h = setup.h;
    expect((await h.run([...copyArgs, '--session-id', 's'], { signal: setup.signal })).code).toBe(130);
    await writeFile(join(h.cwd, 'other.bin'), patternBytes(8192, 77));
    await h.ok(['put', 'other.bin', 'file://demo/src.bin']);
    const resumed = await h.run(['sessions', 'resume', 's']);
    expect(resumed.code).toBe(4);
    expect(resumed.stderr).toMatch(
      /PreconditionFailed: the source demo\/src\.bin changed since session s started/,
    );
    expect((await h.ok(['uploads', 'list', 'file://demo', '--json'])).json()).toMatchObject({ uploads: [] });
    expect((await h.ok(['sessions', 'list', '--json'])).json()).toMatchObject({ sessions: [] });
  });
});
