import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createDefaultRegistry,
  EXIT_CODES,
  exitCodeFor,
  formatBytes,
  lazyProviderFactory,
  parseSize,
  runCli,
  UsageError,
} from '@partcopy/cli';
import { PartCopyError } from '@partcopy/core';
import { describe, expect, it } from 'vitest';
import { compileCacheDir } from '../src/compile-cache.js';
import { answeredStatus } from '../src/error-text.js';
import { errorLine, toHumanLines } from '../src/output.js';
import { ProgressBar } from '../src/progress-bar.js';
import { type OptionLayers, providerOptions } from '../src/provider-options.js';
import { Capture } from './cli-harness.js';
import { recordingFactory } from './recording-factory.js';

describe('parseSize', () => {
  it.each([
    ['1048576', 1048576],
    ['8M', 8 * 1024 ** 2],
    ['8MB', 8 * 1024 ** 2],
    ['5MiB', 5 * 1024 ** 2],
    ['5mib', 5 * 1024 ** 2],
    ['1.5GiB', 1.5 * 1024 ** 3],
    ['64 KiB', 64 * 1024],
    ['2T', 2 * 1024 ** 4],
    ['100B', 100],
  ])('%s is %d bytes', (text, bytes) => {
    expect(parseSize(text, '--part-size')).toBe(bytes);
  });

  it.each(['', 'MiB', '-1', '5XB', '0.5', '1e6'])('rejects %j', (text) => {
    expect(() => parseSize(text, '--part-size')).toThrow(UsageError);
  });

  it('formats bytes for people', () => {
    expect([
      formatBytes(0),
      formatBytes(1023),
      formatBytes(1024),
      formatBytes(8 * 1024 ** 2),
      formatBytes(1.5 * 1024 ** 3),
    ]).toEqual(['0 B', '1023 B', '1.00 KiB', '8.00 MiB', '1.50 GiB']);
  });
});

describe('exit codes', () => {
  it.each([
    [new PartCopyError('NoSuchKey', 'x'), EXIT_CODES.notFound],
    [new PartCopyError('NoSuchBucket', 'x'), 3],
    [new PartCopyError('NoSuchUpload', 'x'), 3],
    [new PartCopyError('PreconditionFailed', 'x'), 4],
    [new PartCopyError('Unsupported', 'x'), 5],
    [new PartCopyError('AccessDenied', 'x'), 1],
    [new UsageError('x'), 2],
    [new Error('bug'), 1],
  ])('%s exits %d', (error, code) => {
    expect(exitCodeFor(error, false)).toBe(code);
  });

  it('an interrupt wins over the error it caused', () => {
    expect(exitCodeFor(new PartCopyError('RequestAborted', 'x'), true)).toBe(130);
  });
});

describe('lazy cloud providers', () => {
  const s3 = { scheme: 's3', packageName: '@partcopy/s3', exportName: 's3ProviderFactory' };

  async function failure(load: (name: string) => Promise<unknown>): Promise<PartCopyError> {
    try {
      await lazyProviderFactory(s3, load).create({}, {});
    } catch (error) {
      if (PartCopyError.isInstance(error)) return error;
      throw error;
    }
    throw new Error('expected a failure');
  }

  it('says which package to install when it is missing', async () => {
    const error = await failure(async (name) => {
      throw Object.assign(new Error(`Cannot find package '${name}' imported from /x`), {
        code: 'ERR_MODULE_NOT_FOUND',
      });
    });
    expect(error.code).toBe('Unsupported');
    expect(error.message).toBe('install @partcopy/s3 to use s3:// URLs');
  });

  it('names the missing export of an installed package', async () => {
    const error = await failure(async () => ({}));
    expect(error.code).toBe('Unsupported');
    expect(error.message).toContain('@partcopy/s3 does not export s3ProviderFactory');
  });

  it('reports any other load failure as InternalError', async () => {
    const error = await failure(async () => {
      throw new Error('syntax error in module');
    });
    expect(error.code).toBe('InternalError');
  });

  it('creates the provider through the package factory, loading it once', async () => {
    let loads = 0;
    const provider = { specVersion: 1, name: 's3' };
    const factory = lazyProviderFactory(s3, async () => {
      loads++;
      return { s3ProviderFactory: { name: 's3', schemes: ['s3'], create: () => provider } };
    });
    expect(await factory.create({}, {})).toBe(provider);
    expect(await factory.create({}, {})).toBe(provider);
    expect(loads).toBe(1);
  });
});

describe("Node's compile cache folder", () => {
  it("is the user's cache folder, not the shared temp folder", () => {
    expect(compileCacheDir({}, 'linux', '/home/ada')).toBe(
      join('/home/ada', '.cache', 'partcopy', 'node-compile-cache'),
    );
    expect(compileCacheDir({ XDG_CACHE_HOME: '/xdg' }, 'linux', '/home/ada')).toBe(
      join('/xdg', 'partcopy', 'node-compile-cache'),
    );
    expect(compileCacheDir({}, 'darwin', '/Users/ada')).toBe(
      join('/Users/ada', 'Library', 'Caches', 'partcopy', 'node-compile-cache'),
    );
    expect(compileCacheDir({ LOCALAPPDATA: 'C:\\Users\\ada\\AppData\\Local' }, 'win32', undefined)).toBe(
      join('C:\\Users\\ada\\AppData\\Local', 'partcopy', 'node-compile-cache'),
    );
  });

  it('is left to Node when no folder is known', () => {
    expect(compileCacheDir({}, 'linux', undefined)).toBeUndefined();
    expect(compileCacheDir({}, 'win32', 'C:\\Users\\ada')).toBeUndefined();
  });
});

describe('output', () => {
  it('flattens results into name: value lines with ISO dates', () => {
    expect(
      toHumanLines({ a: 1, nested: { etag: '"e"', when: new Date(0) }, list: ['x', 'y'], gone: undefined }),
    ).toEqual(['a: 1', 'nested.etag: "e"', 'nested.when: 1970-01-01T00:00:00.000Z', 'list: x, y']);
  });

  it('renders a progress bar with rate and ETA', () => {
    let now = 0;
    const out = new Capture(true);
    const bar = new ProgressBar(out, { label: 'cp', total: 100 * 1024 ** 2, intervalMs: 0, now: () => now });
    now = 2000;
    bar.update(50 * 1024 ** 2);
    expect(bar.render(2000)).toMatch(
      /^cp \[#{20}-{20}\] {2}50% {2}50\.0 MiB \/ 100 MiB {2}25\.0 MiB\/s {2}ETA 2s$/,
    );
  });
});

describe('error lines', () => {
  it('show an HTTP status only when a server answered (found on the cause)', () => {
    const local = new PartCopyError('NoSuchKey', 'The specified key does not exist.');
    expect(answeredStatus(local)).toBeUndefined();
    expect(errorLine(local)).toBe('partcopy: NoSuchKey: The specified key does not exist.');
    const cause = Object.assign(new Error(''), { $metadata: { httpStatusCode: 404 } });
    const answered = new PartCopyError('NoSuchKey', 'headObject failed: NotFound (HTTP 404): UnknownError', {
      providerCode: 'NotFound',
      cause,
    });
    expect(answeredStatus(answered)).toBe(404);
    expect(errorLine(answered)).toBe(
      'partcopy: NoSuchKey: the object does not exist (NotFound, HTTP 404 from the store)',
    );
    const aborted = new PartCopyError('RequestAborted', 'the operation was aborted (interrupted by SIGINT)');
    expect(errorLine(aborted)).not.toMatch(/499/);
  });

  it('never show an SDK class name', () => {
    const error = new PartCopyError(
      'InternalError',
      'createBucket failed: CredentialsProviderError (HTTP none): Could not load credentials from any providers',
      {
        providerCode: 'CredentialsProviderError',
      },
    );
    expect(errorLine(error)).toMatch(/^partcopy: InternalError: Unable to locate credentials: /);
    expect(errorLine(error)).not.toContain('CredentialsProviderError');
  });
});

describe('the progress bar fits the terminal and shows the phase', () => {
  const MiB = 1024 ** 2;
  const at = (columns: number) => {
    let now = 0;
    const out = new Capture(true);
    out.columns = columns;
    const bar = new ProgressBar(out, { label: 'cp', intervalMs: 0, now: () => now });
    bar.phase('plan');
    bar.update(0, 100 * MiB);
    bar.phase('copy');
    now = 2000;
    bar.update(50 * MiB);
    return { bar, out, tick: (ms: number) => (now += ms) };
  };

  it.each([40, 80, 200])('at %i columns every drawn line is shorter than the terminal', (columns) => {
    const { bar, out, tick } = at(columns);
    const line = bar.render(2000);
    expect(line.length).toBeLessThanOrEqual(columns - 1);
    expect(line).toMatch(/^cp copy .* 50% .*ETA 2s$/);
    tick(1000);
    bar.update(100 * MiB);
    bar.phase('complete');
    for (const drawn of out.text.split('\r').filter(Boolean))
      expect(drawn.replace('\x1b[K', '').length).toBeLessThanOrEqual(columns - 1);
  });

  it('keeps the bar and all figures at 80 and 200 columns, drops the rate first at 40', () => {
    expect(at(200).bar.render(2000)).toMatch(
      /^cp copy \[#{20}-{20}\] {2}50% {2}50\.0 MiB \/ 100 MiB {2}25\.0 MiB\/s {2}ETA 2s$/,
    );
    expect(at(80).bar.render(2000)).toContain('25.0 MiB/s');
    const narrow = at(40).bar.render(2000);
    expect(narrow).not.toContain('MiB/s');
    expect(narrow).toMatch(/^cp copy \[#+-+\] {2}50%/);
  });

  it('shows the completion phase and its time, never an ETA of 0s, once every byte is copied', () => {
    const { bar, tick } = at(80);
    tick(1000);
    bar.update(100 * MiB);
    expect(bar.render()).toMatch(/100% .*ETA --$/);
    bar.phase('complete');
    tick(4000);
    const completing = bar.render();
    expect(completing).toMatch(/^cp complete \[#+\] 100% .* 4s$/);
    expect(completing).not.toContain('ETA');
    bar.phase('verify');
    expect(bar.render()).toMatch(/^cp verify /);
  });
});

describe('provider options from the environment', () => {
  const opts = async (
    kind: string,
    env: Record<string, string | undefined>,
    more: Partial<OptionLayers> = {},
  ) => (await providerOptions(kind, { flags: {}, env, cwd: '/', ...more })).options;

  it('maps the S3 endpoint, region, path style and keys for s3://, client streaming for gs://', async () => {
    expect(
      await opts('s3', {
        PARTCOPY_S3_ENDPOINT: 'http://127.0.0.1:9000',
        PARTCOPY_S3_REGION: 'eu-west-1',
        PARTCOPY_S3_FORCE_PATH_STYLE: 'false',
      }),
    ).toEqual({ endpoint: 'http://127.0.0.1:9000', region: 'eu-west-1', forcePathStyle: false });
    expect(await opts('s3', { AWS_ENDPOINT_URL_S3: 'http://localhost:9000' })).toEqual({
      endpoint: 'http://localhost:9000',
    });
    expect(await opts('s3', {})).toEqual({});
    expect(
      await opts('s3', {
        AWS_ACCESS_KEY_ID: 'id',
        AWS_SECRET_ACCESS_KEY: 'secret',
        AWS_REGION: 'us-west-2',
      }),
    ).toEqual({
      region: 'us-west-2',
      credentials: { accessKeyId: 'id', secretAccessKey: 'secret' },
    });
    expect(await opts('gs', { PARTCOPY_GCS_CLIENT_STREAMING: 'off' })).toEqual({
      allowClientStreaming: false,
    });
    expect(await opts('gs', { PARTCOPY_S3_ENDPOINT: 'http://x' })).toEqual({});
    await expect(opts('s3', { PARTCOPY_S3_FORCE_PATH_STYLE: 'maybe' })).rejects.toThrow(UsageError);
  });

  it('takes flags over the environment over the remote, and --profile over key variables', async () => {
    const remote = {
      name: 'minio',
      config: {
        type: 's3',
        endpoint: 'http://remote:1',
        region: 'r-remote',
        accessKeyId: 'rk',
        secretAccessKey: 'rs',
      },
    };
    expect(await opts('s3', {}, { remote })).toEqual({
      endpoint: 'http://remote:1',
      region: 'r-remote',
      credentials: { accessKeyId: 'rk', secretAccessKey: 'rs' },
    });
    const env = {
      AWS_ENDPOINT_URL: 'http://env:2',
      AWS_REGION: 'r-env',
      AWS_ACCESS_KEY_ID: 'ek',
      AWS_SECRET_ACCESS_KEY: 'es',
    };
    expect(await opts('s3', env, { remote })).toMatchObject({
      endpoint: 'http://env:2',
      region: 'r-env',
      credentials: { accessKeyId: 'ek' },
    });
    const flagged = await opts('s3', env, {
      remote,
      flags: { endpoint: 'http://flag:3', region: 'r-flag', profile: 'p' },
    });
    expect(flagged).toMatchObject({
      endpoint: 'http://flag:3',
      region: 'r-flag',
      clientConfig: { profile: 'p' },
    });
    expect(flagged.credentials).toBeUndefined();
    expect(await opts('s3', { AWS_PROFILE: 'dev' })).toEqual({ clientConfig: { profile: 'dev' } });
  });

  it('picks the Azure way in: connection string, account key, SAS URL, then DefaultAzureCredential', async () => {
    expect(await opts('az', { AZURE_STORAGE_CONNECTION_STRING: 'cs' })).toEqual({ connectionString: 'cs' });
    expect(await opts('az', { AZURE_STORAGE_ACCOUNT: 'acc', AZURE_STORAGE_KEY: 'k' })).toEqual({
      url: undefined,
      accountName: 'acc',
      accountKey: 'k',
    });
    expect(
      await opts('az', { AZURE_STORAGE_SAS_URL: 'https://acc.blob.core.windows.net/?sv=1&sig=x' }),
    ).toEqual({
      url: 'https://acc.blob.core.windows.net/?sv=1&sig=x',
    });
    const entra = await opts('az', { AZURE_STORAGE_ACCOUNT: 'acc' });
    expect(entra).toMatchObject({ accountName: 'acc' });
    expect(typeof (entra.credential as { getToken?: unknown }).getToken).toBe('function');
    await expect(opts('az', {})).rejects.toThrow(/AZURE_STORAGE_CONNECTION_STRING/);
  });

  it('reads the GCS project from the credentials file when no variable names one', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pc-gcs-key-'));
    try {
      await writeFile(
        join(dir, 'key.json'),
        JSON.stringify({ type: 'service_account', project_id: 'from-key' }),
      );
      expect(await opts('gs', { GOOGLE_APPLICATION_CREDENTIALS: join(dir, 'key.json') })).toEqual({
        projectId: 'from-key',
      });
      expect(
        await opts('gs', {
          GOOGLE_APPLICATION_CREDENTIALS: join(dir, 'key.json'),
          GOOGLE_CLOUD_PROJECT: 'env',
        }),
      ).toEqual({ projectId: 'env' });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('hands them, and the environment, to the s3 factory when a command opens s3://', async () => {
    const seen: Array<{ options: unknown; env: unknown }> = [];
    const recording = recordingFactory('s3');
    const registry = createDefaultRegistry().register({
      name: 's3',
      schemes: ['s3'],
      create(options, env) {
        seen.push({ options, env });
        return recording.create(options, env);
      },
    });
    const env = { PARTCOPY_S3_ENDPOINT: 'http://127.0.0.1:9000' };
    const code = await runCli(['head', 's3://bucket/key', '--quiet'], {
      stdout: new Capture(),
      stderr: new Capture(),
      env,
      cwd: '/',
      registry,
    });
    expect(code).toBe(0);
    expect(seen).toEqual([{ options: { endpoint: 'http://127.0.0.1:9000' }, env }]);
  });

  it('switches capabilities off with PARTCOPY_CAPABILITIES_OFF, and refuses unknown names (exit 2)', async () => {
    const registry = createDefaultRegistry().register(recordingFactory('rec'));
    const args = [
      'upload-part-copy',
      '--store',
      'rec',
      '--bucket',
      'b',
      '--key',
      'k',
      '--upload-id',
      'u',
      '--part-number',
      '1',
      '--copy-source',
      's/k',
    ];
    const stderr = new Capture();
    const off = await runCli([...args, '--copy-source-if-match', '"e"'], {
      stdout: new Capture(),
      stderr,
      env: { PARTCOPY_CAPABILITIES_OFF: 'copySourceIfMatch' },
      cwd: '/',
      registry,
    });
    expect(off).toBe(5);
    expect(stderr.text).toContain('capability copySourceIfMatch is false');
    const typo = await runCli(args, {
      stdout: new Capture(),
      stderr: new Capture(),
      env: { PARTCOPY_CAPABILITIES_OFF: 'copySourceIfMach' },
      cwd: '/',
      registry,
    });
    expect(typo).toBe(2);
  });
});

describe('errors that are not PartCopyErrors', () => {
  // A provider factory (or an SDK it calls) may throw a plain Error whose message or stack holds
  // a signed URL; the CLI prints such errors itself, so it must redact them as the facade does.
  it('never print a secret, in human or --json output', async () => {
    const registry = createDefaultRegistry().register({
      name: 'leaky',
      schemes: ['leaky'],
      create() {
        throw new Error('cannot reach https://acct.example/c/b?sv=2024-01-01&sig=TOPSECRET');
      },
    });
    for (const extra of [[], ['--json']]) {
      const stderr = new Capture();
      const code = await runCli(['head', 'leaky://bucket/key', ...extra], {
        stdout: new Capture(),
        stderr,
        env: {},
        cwd: '/',
        registry,
      });
      expect(code).toBe(EXIT_CODES.failed);
      expect(stderr.text).toContain('sig=REDACTED');
      expect(stderr.text).not.toContain('TOPSECRET');
    }
  });
});

describe('usage errors raised while a command runs', () => {
  // A malformed option value found by the command itself (not by the option parser) must point
  // at that command's --help, where the right form is shown, not at the general help.
  it.each([
    [
      'upload-part-copy',
      [
        'upload-part-copy',
        ...['--bucket', 'b', '--key', 'k', '--upload-id', 'u', '--copy-source', 's/k'],
        ...['--part-number', '0', '--store', 'mem'],
      ],
    ],
    ['cp', ['cp', 'mem://b/a', 'mem://b/c', '--part-size', 'lots']],
  ])('%s points at its own --help', async (command, argv) => {
    const stderr = new Capture();
    const code = await runCli(argv, { stdout: new Capture(), stderr, env: {}, cwd: '/' });
    expect(code).toBe(EXIT_CODES.usage);
    expect(stderr.text).toContain(`Run "partcopy ${command} --help" for usage.`);
  });
});

describe('the README', () => {
  // provider-options.ts promises that every variable the CLI reads is listed in the README.
  it('lists every PARTCOPY_* environment variable the CLI reads', async () => {
    const { readdir, readFile } = await import('node:fs/promises');
    const src = new URL('../src/', import.meta.url);
    const files = (await readdir(src, { recursive: true })).filter((f) => f.endsWith('.ts'));
    const read = new Set<string>();
    for (const file of files) {
      for (const [name] of (await readFile(new URL(file, src), 'utf8')).matchAll(/\bPARTCOPY_[A-Z0-9_]+/g))
        read.add(name);
    }
    const readme = await readFile(new URL('../README.md', import.meta.url), 'utf8');
    expect([...read].filter((name) => !readme.includes(`\`${name}\``)).sort()).toEqual([]);
  });
});
