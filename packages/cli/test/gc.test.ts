import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createDefaultRegistry } from '@partcopy/cli';
import type { UploadPartCopyRequest } from '@partcopy/core/provider';
import { wrappedFactory } from '@partcopy/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { CliHarness, patternBytes, smallPartsFsFactory } from './cli-harness.js';

let h: CliHarness | undefined;
afterEach(async () => {
  await h?.dispose();
  h = undefined;
});

type Report = {
  dryRun: boolean;
  reports: Array<{ store: string; removed: number; kept: number; items: Array<Record<string, unknown>> }>;
};

async function uploads(cli: CliHarness): Promise<string[]> {
  const run = await cli.ok(['uploads', 'list', 'file://demo', '--json']);
  return run.json<{ uploads: Array<{ key: string }> }>().uploads.map((u) => u.key);
}

describe('partcopy gc', () => {
  it('keeps young uploads, lists old ones in a dry run, then removes them and temporary files', async () => {
    h = await CliHarness.create();
    await h.ok(['mb', 'file://demo']);
    await h.ok(['create-multipart-upload', '--bucket', 'demo', '--key', 'abandoned.bin']);
    const tmp = join(h.dataDir, 'demo', 'tmp');
    await mkdir(tmp, { recursive: true });
    await writeFile(join(tmp, '00112233445566ff.tmp'), new Uint8Array(10));

    const young = await h.ok(['gc', 'file://demo', '--older-than', '1h', '--json']);
    expect(young.json<Report>().reports[0]).toMatchObject({
      store: 'file',
      removed: 0,
      kept: 1,
      items: [{ kind: 'upload', name: 'abandoned.bin', action: 'kept', reason: 'younger than the age' }],
    });

    const dry = await h.ok(['gc', 'file://demo', '--older-than', '0s', '--dry-run']);
    expect(dry.stdout).toMatch(
      /^would-remove +upload +file:\/\/demo +abandoned\.bin +[0-9a-f]+ +0s +0 B *$/m,
    );
    expect(dry.stdout).toMatch(
      /^would-remove +temporary-file +file:\/\/demo +tmp\/00112233445566ff\.tmp +0s +10 B *$/m,
    );
    expect(dry.stdout).toMatch(/would remove 2 item\(s\) \(10 B known\), kept 0\n$/);
    expect(await uploads(h)).toEqual(['abandoned.bin']);
    expect(await readdir(tmp)).toHaveLength(1);

    const wet = await h.ok(['gc', 'file://demo', '--older-than', '0s', '--json']);
    expect(wet.json<Report>()).toMatchObject({ dryRun: false, reports: [{ removed: 2, kept: 0 }] });
    expect(await uploads(h)).toEqual([]);
    expect(await readdir(tmp)).toEqual([]);
  });

  it('keeps the upload of an interrupted cp --resume; sessions abort then removes it', async () => {
    const interrupt = new AbortController();
    const registry = createDefaultRegistry().register(
      wrappedFactory(smallPartsFsFactory, async (method, request, _ctx, next) => {
        if (method === 'uploadPartCopy' && (request as UploadPartCopyRequest).partNumber === 2)
          interrupt.abort(new Error('interrupted by SIGINT'));
        return next();
      }),
    );
    h = await CliHarness.create(registry);
    await writeFile(join(h.cwd, 'source.bin'), patternBytes(4096, 2));
    await h.ok(['mb', 'file://demo']);
    await h.ok(['put', 'source.bin', 'file://demo/src.bin']);
    const copy = [
      'cp',
      'file://demo/src.bin',
      'file://demo/dst.bin',
      '--part-size',
      '1KiB',
      '--concurrency',
      '1',
    ];
    const first = await h.run([...copy, '--resume', '--session-id', 'kept-one'], {
      signal: interrupt.signal,
    });
    expect(first.code, first.stderr).toBe(130);
    await h.ok(['create-multipart-upload', '--bucket', 'demo', '--key', 'stray.bin']);

    const report = (await h.ok(['gc', 'file://demo', '--older-than', '0s', '--json'])).json<Report>();
    expect(report.reports[0]?.items.map((i) => [i.name, i.action, i.reason ?? ''])).toEqual([
      ['dst.bin', 'kept', 'session kept-one'],
      ['stray.bin', 'removed', ''],
    ]);
    expect(await uploads(h)).toEqual(['dst.bin']);
    await h.ok(['sessions', 'abort', 'kept-one']);
    expect(await uploads(h)).toEqual([]);
  });

  it('refuses a missing or malformed age, and keys instead of buckets (usage errors)', async () => {
    h = await CliHarness.create();
    expect((await h.run(['gc', 'file://demo'])).stderr).toMatch(/--older-than is required/);
    const bad = await h.run(['gc', 'file://demo', '--older-than', '7 days']);
    expect([bad.code, bad.stderr]).toEqual([2, expect.stringMatching(/"7 days" is not an age/)]);
    const key = await h.run(['gc', 'file://demo/some/key', '--older-than', '1d']);
    expect([key.code, key.stderr]).toEqual([2, expect.stringMatching(/gc takes buckets/)]);
    const missing = await h.run(['gc', 'file://nobucket', '--older-than', '1d']);
    expect(missing.code).toBe(3);
  });
});
