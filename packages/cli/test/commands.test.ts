import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Capture, CliHarness, patternBytes } from './cli-harness.js';

let h: CliHarness;
const data = patternBytes(5000, 5);

beforeEach(async () => {
  h = await CliHarness.create();
  await writeFile(join(h.cwd, 'data.bin'), data);
});
afterEach(() => h.dispose());

describe('object commands', () => {
  it('mb, put, head, ls, get, rm, rb round trip with --json shapes', async () => {
    expect((await h.ok(['mb', 'file://demo', '--json'])).json()).toEqual({ bucket: 'demo' });
    const put = (
      await h.ok([
        'put',
        'data.bin',
        'file://demo/dir/data.bin',
        '--content-type',
        'application/x-demo',
        '--metadata',
        'a=1,b=2',
        '--json',
      ])
    ).json();
    expect(put).toMatchObject({ bucket: 'demo', key: 'dir/data.bin', size: 5000 });
    expect(put.etag).toMatch(/^"[0-9a-f]{32}"$/);

    const head = (await h.ok(['head', 'file://demo/dir/data.bin', '--json'])).json();
    expect(head).toMatchObject({
      bucket: 'demo',
      key: 'dir/data.bin',
      size: 5000,
      etag: put.etag,
      contentType: 'application/x-demo',
      metadata: { a: '1', b: '2' },
    });
    expect(head.lastModified).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);

    const ls = (await h.ok(['ls', 'file://demo', '--json'])).json<{
      objects: Array<{ key: string; size: number }>;
    }>();
    expect(ls.objects.map((o) => [o.key, o.size])).toEqual([['dir/data.bin', 5000]]);
    expect((await h.ok(['ls', 'file://demo/other/', '--json'])).json()).toMatchObject({ objects: [] });
    expect((await h.ok(['ls', 'file://demo'])).stdout).toMatch(/^\S+Z\s+5000 {2}dir\/data\.bin\n$/);

    const got = await h.ok(['get', 'file://demo/dir/data.bin', 'out/../copy.bin', '--json']);
    expect(got.json()).toMatchObject({ contentLength: 5000, file: join(h.cwd, 'copy.bin') });
    expect(await readFile(join(h.cwd, 'copy.bin'))).toEqual(Buffer.from(data));

    expect((await h.ok(['rm', 'file://demo/dir/data.bin'])).stdout).toBe(
      'deleted file://demo/dir/data.bin\n',
    );
    expect((await h.run(['head', 'file://demo/dir/data.bin'])).code).toBe(3);
    expect((await h.ok(['rb', 'file://demo'])).stdout).toBe('removed bucket file://demo\n');
    expect((await h.run(['ls', 'file://demo'])).code).toBe(3);
  });

  it('get --range writes only those bytes, to stdout with -', async () => {
    await h.ok(['mb', 'file://demo']);
    await h.ok(['put', 'data.bin', 'file://demo/d']);
    expect([...(await h.ok(['get', 'file://demo/d', '-', '--range', 'bytes=10-19'])).stdoutBytes]).toEqual([
      ...data.subarray(10, 20),
    ]);
    expect([...(await h.ok(['get', 'file://demo/d', '-', '--range', '4990-4999'])).stdoutBytes]).toEqual([
      ...data.subarray(4990),
    ]);
    const bad = await h.run(['get', 'file://demo/d', '-', '--range', 'bytes=6000-7000']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^partcopy: InvalidRange: .*(?<!\(\d{3}\))\n/);
  });

  it('put - reads standard input', async () => {
    await h.ok(['mb', 'file://demo']);
    const stdin = (async function* () {
      yield 'hello ';
      yield Buffer.from('world');
    })();
    await h.ok(['put', '-', 'file://demo/hello.txt'], { stdin });
    expect((await h.ok(['get', 'file://demo/hello.txt', '-'])).stdout).toBe('hello world');
  });

  it('mem:// works within one process without any setup', async () => {
    await h.ok(['mb', 'mem://scratch-cli-test']);
    await h.ok(['put', 'data.bin', 'mem://scratch-cli-test/a']);
    // An explicit part size keeps this a part copy on stores that also offer a whole-object copy.
    const copy = await h.ok([
      'cp',
      'mem://scratch-cli-test/a',
      'mem://scratch-cli-test/b',
      '--part-size',
      '1MiB',
      '--json',
    ]);
    expect(copy.json()).toMatchObject({ size: 5000, partsCount: 1 });
    expect((await h.ok(['get', 'mem://scratch-cli-test/b', '-'])).stdoutBytes).toEqual(Buffer.from(data));
  });

  it('puts file:// buckets under --data-dir, else $PARTCOPY_FS_ROOT, else ./.partcopy-data', async () => {
    await h.ok(['mb', 'file://one', '--data-dir', 'custom']);
    await h.ok(['put', 'data.bin', 'file://one/x', '--data-dir', join(h.cwd, 'custom')]);
    expect((await h.run(['head', 'file://one/x'])).code).toBe(3);
    h.env = { PARTCOPY_FS_ROOT: 'custom' };
    expect((await h.ok(['head', 'file://one/x', '--json'])).json()).toMatchObject({ size: 5000 });
  });

  it('refuses --json with get to stdout, and text that is not a URL (exit 2)', async () => {
    expect((await h.run(['get', 'file://demo/d', '-', '--json'])).code).toBe(2);
    const notUrl = await h.run(['head', 'demo/d']);
    expect(notUrl.code).toBe(2);
    expect(notUrl.stderr).toContain('is not a storage URL');
    expect((await h.run(['head', 'file://demo'])).code).toBe(2);
  });

  it('reports an unknown scheme as Unsupported (exit 5), naming the registered ones', async () => {
    const run = await h.run(['ls', 'ftp://x']);
    expect(run.code).toBe(5);
    expect(run.stderr).toMatch(
      /no provider is registered for "ftp:\/\/" \(registered: az, file, gcs, gs, mem, s3\)/,
    );
  });
});

describe('output modes', () => {
  beforeEach(async () => {
    await h.ok(['mb', 'file://demo']);
    await h.ok(['put', 'data.bin', 'file://demo/d']);
  });

  it('--quiet prints nothing on success, errors still', async () => {
    const ok = await h.ok(['cp', 'file://demo/d', 'file://demo/e', '--quiet']);
    expect(ok.stdout + ok.stderr).toBe('');
    const failed = await h.run(['head', 'file://demo/missing', '-q']);
    expect(failed.code).toBe(3);
    expect(failed.stderr).toMatch(/^partcopy: NoSuchKey: /);
  });

  it('--json prints exactly one JSON object per command on stdout', async () => {
    for (const argv of [
      ['head', 'file://demo/d'],
      ['ls', 'file://demo'],
      ['cp', 'file://demo/d', 'file://demo/e'],
      ['rm', 'file://demo/e'],
      ['uploads', 'list', 'file://demo'],
    ]) {
      const run = await h.ok([...argv, '--json']);
      expect(run.stdout.endsWith('\n')).toBe(true);
      expect(run.stdout.trim().split('\n')).toHaveLength(1);
      expect(typeof run.json()).toBe('object');
      expect(run.stderr).toBe('');
    }
  });

  it('global options may come before the command', async () => {
    const run = await h.ok(['--json', '--data-dir', '.partcopy-data', 'head', 'file://demo/d']);
    expect(run.json()).toMatchObject({ size: 5000 });
  });

  it('--json errors are one JSON object on stderr with the exit code', async () => {
    const run = await h.run(['head', 'file://demo/missing', '--json']);
    expect(run.code).toBe(3);
    expect(run.stdout).toBe('');
    expect(run.errorJson()).toEqual({
      error: {
        name: 'PartCopyError',
        code: 'NoSuchKey',
        status: 404,
        retryable: false,
        message: expect.any(String),
        bucket: 'demo',
        key: 'missing',
        provider: 'fs',
        operation: 'headObject',
        exitCode: 3,
      },
    });
    const usage = await h.run(['cp', 'file://demo/d', '--json']);
    expect(usage.code).toBe(2);
    expect(usage.errorJson()).toMatchObject({ error: { code: 'UsageError', exitCode: 2, command: 'cp' } });
  });

  it('draws a progress bar on a terminal stderr: phase, bytes, percent, rate, ETA, then clears it', async () => {
    await writeFile(join(h.cwd, 'big.bin'), patternBytes(64 * 1024, 9));
    await h.ok(['put', 'big.bin', 'file://demo/big']);
    const stderr = new Capture(true);
    const stdout = new Capture();
    const code = await (await import('@partcopy/cli')).runCli(
      ['cp', 'file://demo/big', 'file://demo/big2', '--part-size', '8KiB'],
      {
        stdout,
        stderr,
        env: {},
        cwd: h.cwd,
        registry: h.registry,
        progressIntervalMs: 0,
      },
    );
    expect(code).toBe(0);
    const clearLine = '\u001b[K';
    const frames = stderr.text.split('\r').filter((frame) => frame.startsWith('cp copy ['));
    expect(frames.every((frame) => frame.endsWith(clearLine))).toBe(true);
    // Every byte copied: no ETA of 0s, and the phases after the copy are shown.
    expect(frames.at(-1)?.slice(0, -clearLine.length)).toMatch(
      /^cp copy \[#+\] 100% {2}64\.0 KiB \/ 64\.0 KiB {2}\S+ \S+\/s {2}ETA --$/,
    );
    expect(
      stderr.text
        .split('\r')
        .some((frame) => /^cp complete \[#+\] 100% .*\d+s$/.test(frame.replace(clearLine, ''))),
    ).toBe(true);
    expect(stderr.text).toMatch(/\rcp verify \[#+\] 100% /);
    expect(frames.some((frame) => / {2}0%/.test(frame) || /\b[1-9]\d?%/.test(frame))).toBe(true);
    expect(stderr.text.endsWith(`\r${clearLine}`)).toBe(true);
    expect(stdout.text).toMatch(/^copied /);
  });

  it('no progress bar when stderr is not a terminal', async () => {
    const run = await h.ok(['cp', 'file://demo/d', 'file://demo/e']);
    expect(run.stderr).toBe('');
  });

  it('--verbose logs each store call without secrets', async () => {
    const run = await h.ok(['cp', 'file://demo/d', 'file://demo/e', '--verbose', '--part-size', '2KiB']);
    const lines = run.stderr.trim().split('\n');
    expect(lines).toContain('partcopy: fs headObject demo/d: request');
    expect(
      lines.some((line) =>
        /^partcopy: fs uploadPartCopy demo\/e part 3: response \d+ms 904 B server-side$/.test(line),
      ),
    ).toBe(true);
    expect(
      lines.some((line) => line.startsWith('partcopy: fs completeMultipartUpload demo/e: response')),
    ).toBe(true);
  });
});

describe('config remotes in-process', () => {
  it('reads a secret given as - from standard input and never prints it', async () => {
    h.env = { PARTCOPY_CONFIG: join(h.cwd, 'config.json') };
    const added = await h.ok(['config', 'add', 'lab', 's3', 'accessKeyId=id', 'secretAccessKey=-'], {
      stdin: (async function* () {
        yield 'from-stdin-secret\n';
      })(),
    });
    expect(added.stdout + added.stderr).not.toContain('from-stdin-secret');
    const saved = JSON.parse(await readFile(join(h.cwd, 'config.json'), 'utf8'));
    expect(saved.remotes.lab).toEqual({
      type: 's3',
      accessKeyId: 'id',
      secretAccessKey: 'from-stdin-secret',
    });
    const shown = await h.ok(['config', 'show', 'lab']);
    expect(shown.stdout).toContain('secretAccessKey: (set)');
    expect(shown.stdout).not.toContain('from-stdin-secret');
    const bad = await h.run(['config', 'add', 'Bad_Name', 's3']);
    expect(bad.code).toBe(2);
    const builtIn = await h.run(['config', 'add', 's3', 's3']);
    expect(builtIn.stderr).toContain('"s3" is a built-in scheme');
  });

  it('reads no config file when the environment names no home', async () => {
    h.env = {};
    const run = await h.run(['config', 'list']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('set HOME, XDG_CONFIG_HOME or PARTCOPY_CONFIG');
  });
});
