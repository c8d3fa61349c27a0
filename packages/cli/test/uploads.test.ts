import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CliHarness } from './cli-harness.js';

let h: CliHarness;
beforeEach(async () => {
  h = await CliHarness.create();
  await h.ok(['mb', 'file://demo']);
});
afterEach(() => h.dispose());

async function start(key: string): Promise<string> {
  const run = await h.ok(['create-multipart-upload', '--bucket', 'demo', '--key', key, '--json']);
  return run.json<{ uploadId: string }>().uploadId;
}

type Listing = { bucket: string; uploads: Array<{ key: string; uploadId: string; initiated: string }> };

async function listed(url = 'file://demo'): Promise<Array<[string, string]>> {
  const run = await h.ok(['uploads', 'list', url, '--json']);
  return run.json<Listing>().uploads.map((u) => [u.key, u.uploadId]);
}

describe('partcopy uploads', () => {
  it('lists in-progress uploads as JSON (ISO dates) and as a table', async () => {
    const a = await start('a.bin');
    const b = await start('b/c.bin');
    const run = await h.ok(['uploads', 'list', 'file://demo', '--json']);
    const result = run.json<Listing>();
    expect(result.bucket).toBe('demo');
    expect(result.uploads.map((u) => [u.key, u.uploadId])).toEqual([
      ['a.bin', a],
      ['b/c.bin', b],
    ]);
    expect(result.uploads[0]?.initiated).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    const table = await h.ok(['uploads', 'list', 'file://demo']);
    expect(table.stdout).toMatch(new RegExp(`^\\S+Z  ${a}  a\\.bin\\n\\S+Z  ${b}  b/c\\.bin\\n$`));
    expect(await listed('file://demo/b/')).toEqual([['b/c.bin', b]]);
  });

  it('aborts one upload by id, with the key in the URL or looked up from the bucket', async () => {
    const a = await start('a.bin');
    const b = await start('b.bin');
    const c = await start('c.bin');
    const byKey = await h.ok(['uploads', 'abort', 'file://demo/a.bin', a]);
    expect(byKey.stdout).toBe(`aborted upload ${a} of a.bin\n`);
    const byBucket = await h.ok(['uploads', 'abort', 'file://demo', b, '--json']);
    expect(byBucket.json()).toEqual({ bucket: 'demo', aborted: [{ key: 'b.bin', uploadId: b }] });
    expect(await listed()).toEqual([['c.bin', c]]);
  });

  it('aborts every upload with --all, or every upload of one key', async () => {
    await start('a.bin');
    await start('a.bin');
    await start('a.bin2');
    const one = await h.ok(['uploads', 'abort', 'file://demo/a.bin', '--all', '--json']);
    expect(one.json<{ aborted: unknown[] }>().aborted).toHaveLength(2);
    expect((await listed()).map(([key]) => key)).toEqual(['a.bin2']);
    await h.ok(['uploads', 'abort', 'file://demo', '--all']);
    expect(await listed()).toEqual([]);
    expect((await h.ok(['uploads', 'abort', 'file://demo', '--all'])).stdout).toBe('no uploads to abort\n');
  });

  it('exits 3 for an unknown upload id, 2 without ids or --all', async () => {
    const unknown = await h.run(['uploads', 'abort', 'file://demo', 'no-such-id', '--json']);
    expect(unknown.code).toBe(3);
    expect(unknown.errorJson().error).toMatchObject({ code: 'NoSuchUpload', exitCode: 3 });
    const neither = await h.run(['uploads', 'abort', 'file://demo']);
    expect(neither.code).toBe(2);
    expect(neither.stderr).toContain('name upload ids or give --all');
    expect((await h.run(['uploads', 'abort', 'file://demo', 'x', '--all'])).code).toBe(2);
  });

  it('exits 3 for a missing bucket', async () => {
    const run = await h.run(['uploads', 'list', 'file://nobucket']);
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(/^partcopy: NoSuchBucket: .*(?<!\(\d{3}\))\n/);
  });
});
