import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CliHarness, patternBytes } from './cli-harness.js';

let h: CliHarness;
const source = patternBytes(10_000, 7);

beforeEach(async () => {
  h = await CliHarness.create();
  await writeFile(join(h.cwd, 'source.bin'), source);
  await h.ok(['mb', 'file://demo']);
  await h.ok(['put', 'source.bin', 'file://demo/src.bin']);
});
afterEach(() => h.dispose());

async function download(url: string): Promise<Buffer> {
  const run = await h.ok(['get', url, '-']);
  return run.stdoutBytes;
}

describe('partcopy cp', () => {
  it('copies a whole object through several part copies, byte for byte', async () => {
    const run = await h.ok([
      'cp',
      'file://demo/src.bin',
      'file://demo/copy.bin',
      '--part-size',
      '2KiB',
      '--json',
    ]);
    const result = run.json();
    expect(result).toMatchObject({
      source: 'file://demo/src.bin',
      destination: 'file://demo/copy.bin',
      bucket: 'demo',
      key: 'copy.bin',
      size: 10_000,
      partsCount: 5,
      partSize: 2048,
      sourceRange: 'bytes=0-9999',
      transfer: 'server-side',
      bytesServerSide: 10_000,
      bytesClientStreamed: 0,
    });
    expect(result.etag).toMatch(/^"[0-9a-f]{32}-5"$/);
    expect(Buffer.compare(await download('file://demo/copy.bin'), Buffer.from(source))).toBe(0);
  });

  it('copies a byte range (bytes=a-b and the a-b shorthand)', async () => {
    await h.ok([
      'cp',
      'file://demo/src.bin',
      'file://demo/range.bin',
      '--range',
      'bytes=1000-6499',
      '--part-size',
      '1K',
    ]);
    expect(
      Buffer.compare(await download('file://demo/range.bin'), Buffer.from(source.subarray(1000, 6500))),
    ).toBe(0);
    const run = await h.ok([
      'cp',
      'file://demo/src.bin',
      'file://demo/tail.bin',
      '--range',
      '9990-9999',
      '--json',
    ]);
    expect(run.json()).toMatchObject({ size: 10, partsCount: 1, sourceRange: 'bytes=9990-9999' });
    expect([...(await download('file://demo/tail.bin'))]).toEqual([...source.subarray(9990)]);
  });

  it('prints a summary line for people', async () => {
    // An explicit part size keeps this a part copy on stores that also offer a whole-object copy.
    const run = await h.ok(['cp', 'file://demo/src.bin', 'file://demo/copy.bin', '--part-size', '1MiB']);
    expect(run.stdout).toMatch(
      /^copied file:\/\/demo\/src\.bin to file:\/\/demo\/copy\.bin: 9\.77 KiB in 1 part \(server-side\)/,
    );
  });

  it('copies with bounded concurrency and leaves no upload behind', async () => {
    await h.ok([
      'cp',
      'file://demo/src.bin',
      'file://demo/c.bin',
      '--part-size',
      '1KiB',
      '--concurrency',
      '3',
    ]);
    expect((await h.ok(['uploads', 'list', 'file://demo', '--json'])).json()).toMatchObject({ uploads: [] });
  });

  it('fails with InvalidArgument (exit 1) for a range past the end, and creates nothing', async () => {
    const run = await h.run(['cp', 'file://demo/src.bin', 'file://demo/bad.bin', '--range', 'bytes=0-10000']);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^partcopy: InvalidArgument: .*10000(?<!\(\d{3}\))\n/);
    expect((await h.run(['head', 'file://demo/bad.bin'])).code).toBe(3);
    expect((await h.ok(['uploads', 'list', 'file://demo', '--json'])).json()).toMatchObject({ uploads: [] });
  });

  it('refuses a part size below the store minimum for a multi-part copy', async () => {
    const run = await h.run([
      'cp',
      'file://demo/src.bin',
      'file://demo/x.bin',
      '--part-size',
      '100',
      '--json',
    ]);
    expect(run.code).toBe(1);
    expect(run.errorJson().error).toMatchObject({ code: 'InvalidArgument', exitCode: 1 });
    expect(String(run.errorJson().error.message)).toContain('below the smallest part allowed (1024 bytes)');
  });

  it('exits 3 for a missing source', async () => {
    const run = await h.run(['cp', 'file://demo/nope.bin', 'file://demo/x.bin']);
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(/^partcopy: NoSuchKey: .*(?<!\(\d{3}\))\n/);
  });

  it('transfers between stores, streamed, and reports how the bytes moved', async () => {
    await h.ok(['mb', 'mem://across']);
    const run = await h.ok(['cp', 'file://demo/src.bin', 'mem://across/x.bin', '--json']);
    const result = run.json<Record<string, unknown>>();
    expect(result).toMatchObject({ strategy: 'stream', transfer: 'client-streamed', bytesServerSide: 0 });
    expect(result.bytesClientStreamed).toBe(result.size);
    const human = await h.ok(['cp', 'mem://across/x.bin', 'file://demo/back.bin']);
    expect(human.stdout).toMatch(
      /^transferred mem:\/\/across\/x\.bin to file:\/\/demo\/back\.bin: .* strategy: stream \(/,
    );
    expect(human.stdout).toMatch(
      /bytes: 0 B server-side, .* through this process; verified: size \+ part-md5/,
    );
    const back = await h.ok(['get', 'file://demo/back.bin', '-']);
    const original = await h.ok(['get', 'file://demo/src.bin', '-']);
    expect(back.stdoutBytes.equals(original.stdoutBytes)).toBe(true);
  });

  it('refuses a server-side pull the stores cannot do, and --strategy within one store', async () => {
    await h.ok(['mb', 'mem://pull']);
    const pull = await h.run(['cp', 'file://demo/src.bin', 'mem://pull/x.bin', '--strategy', 'server-pull']);
    expect(pull.code).toBe(5);
    expect(pull.stderr).toMatch(
      /Unsupported: a server-side pull is impossible here: the source store \(fs\) cannot sign a read URL/,
    );
    const same = await h.run(['cp', 'file://demo/src.bin', 'file://demo/y.bin', '--strategy', 'stream']);
    expect(same.code).toBe(2);
    const bad = await h.run(['cp', 'file://demo/src.bin', 'mem://pull/x.bin', '--strategy', 'teleport']);
    expect(bad.code).toBe(2);
  });

  it('copies an empty object', async () => {
    await writeFile(join(h.cwd, 'empty'), '');
    await h.ok(['put', 'empty', 'file://demo/empty']);
    const run = await h.ok(['cp', 'file://demo/empty', 'file://demo/empty2', '--json']);
    expect(run.json()).toMatchObject({ size: 0, partsCount: 0 });
    expect((await h.ok(['head', 'file://demo/empty2', '--json'])).json()).toMatchObject({ size: 0 });
  });

  it('keeps the data folder to buckets and objects only after a copy', async () => {
    await h.ok(['cp', 'file://demo/src.bin', 'file://demo/copy.bin', '--part-size', '2KiB']);
    const listed = (await h.ok(['ls', 'file://demo', '--json'])).json<{
      objects: Array<{ key: string; size: number }>;
    }>();
    expect(listed.objects.map((o) => [o.key, o.size])).toEqual([
      ['copy.bin', 10_000],
      ['src.bin', 10_000],
    ]);
    expect(await readdir(h.dataDir)).toContain('demo');
    expect(await readFile(join(h.cwd, 'source.bin'))).toEqual(Buffer.from(source));
  });
});
