import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CliHarness, patternBytes } from './cli-harness.js';

let h: CliHarness;
const a = patternBytes(10_000, 3);
const b = patternBytes(7, 5);

beforeEach(async () => {
  h = await CliHarness.create();
  await writeFile(join(h.cwd, 'a.bin'), a);
  await writeFile(join(h.cwd, 'b.bin'), b);
  await h.ok(['mb', 'file://demo']);
  await h.ok(['put', 'a.bin', 'file://demo/a.bin']);
  await h.ok(['put', 'b.bin', 'file://demo/b.bin']);
});
afterEach(() => h.dispose());

async function download(url: string): Promise<Buffer> {
  return (await h.ok(['get', url, '-'])).stdoutBytes;
}

describe('partcopy compose', () => {
  it('joins whole objects and ranges (URL[a-b]) in order and reports the bytes', async () => {
    const run = await h.ok([
      'compose',
      'file://demo/out.bin',
      'file://demo/b.bin',
      'file://demo/a.bin[100-199]',
      'file://demo/a.bin[bytes=0-9]',
      'file://demo/b.bin',
      '--json',
    ]);
    const result = run.json();
    expect(result).toMatchObject({
      destination: 'file://demo/out.bin',
      pieces: 4,
      distinctSources: 2,
      size: 124,
    });
    const want = Buffer.concat([b, a.subarray(100, 200), a.subarray(0, 10), b]);
    expect(Buffer.compare(await download('file://demo/out.bin'), want)).toBe(0);
  });

  it('reads thousands of pieces from a line manifest and from a JSON manifest', async () => {
    const lines = ['# pieces', ...Array.from({ length: 2000 }, (_, i) => `file://demo/a.bin[${i}-${i}]`)];
    await writeFile(join(h.cwd, 'pieces.txt'), `${lines.join('\n')}\n`);
    await h.ok(['compose', 'file://demo/lines.bin', '--manifest', 'pieces.txt']);
    expect(Buffer.compare(await download('file://demo/lines.bin'), Buffer.from(a.subarray(0, 2000)))).toBe(0);
    const json = [{ url: 'file://demo/b.bin' }, { url: 'file://demo/a.bin', range: 'bytes=5-9' }];
    await writeFile(join(h.cwd, 'pieces.json'), JSON.stringify(json));
    await h.ok(['compose', 'file://demo/json.bin', '--manifest', 'pieces.json']);
    expect(
      Buffer.compare(await download('file://demo/json.bin'), Buffer.concat([b, a.subarray(5, 10)])),
    ).toBe(0);
  });

  it('prints the plan and writes nothing with --dry-run', async () => {
    const run = await h.ok([
      'compose',
      'file://demo/dry.bin',
      'file://demo/a.bin',
      'file://demo/b.bin',
      '--dry-run',
    ]);
    expect(run.stdout).toMatch(/dry run: native: 2 pieces from 2 sources/);
    const head = await h.run(['head', 'file://demo/dry.bin']);
    expect(head.code).not.toBe(0);
  });

  it('refuses a range past the end before writing anything', async () => {
    const run = await h.run(['compose', 'file://demo/bad.bin', 'file://demo/b.bin[0-7]']);
    expect(run.code).not.toBe(0);
    expect(run.stderr).toMatch(/past the end/);
    expect((await h.run(['head', 'file://demo/bad.bin'])).code).not.toBe(0);
  });

  it('keeps a resumable multipart compose in the session dir with every other kind and removes it when done', async () => {
    await h.ok([
      'compose',
      'file://demo/resumable.bin',
      'file://demo/a.bin',
      'file://demo/b.bin',
      '--multipart',
      '--resume',
      '--session-dir',
      'sessions',
    ]);
    expect((await readdir(join(h.cwd, 'sessions'))).filter((f) => f.endsWith('.json'))).toEqual([]);
    expect(Buffer.compare(await download('file://demo/resumable.bin'), Buffer.concat([a, b]))).toBe(0);
    const listed = await h.ok(['sessions', 'list', '--session-dir', 'sessions']);
    expect(listed.stderr).not.toMatch(/corrupt/);
  });
});
