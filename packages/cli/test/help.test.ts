import { readFile } from 'node:fs/promises';
import { CLI_VERSION } from '@partcopy/cli';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { COMMANDS } from '../src/command-table.js';
import { CliHarness } from './cli-harness.js';

let h: CliHarness;
beforeEach(async () => {
  h = await CliHarness.create();
});
afterEach(() => h.dispose());

describe('help and usage', () => {
  it('partcopy --help lists every command, the exit codes and the URL schemes', async () => {
    const run = await h.ok(['--help']);
    for (const command of COMMANDS) expect(run.stdout).toContain(`  ${command.name} `);
    expect(run.stdout).toContain(
      'Exit codes: 0 ok, 1 operation failed, 2 usage error, 3 not found, 4 precondition failed',
    );
    expect(run.stdout).toContain('file://');
    expect((await h.ok(['help'])).stdout).toBe(run.stdout);
  });

  it.each(COMMANDS.map((command) => [command.name]))(
    'partcopy %s --help shows its usage and every option',
    async (name) => {
      const command = COMMANDS.find((c) => c.name === name);
      const run = await h.ok([...name.split(' '), '--help']);
      expect(run.stdout.startsWith(`Usage: partcopy ${name} `)).toBe(true);
      for (const option of Object.keys(command?.options ?? {})) expect(run.stdout).toContain(`--${option}`);
      expect(run.stdout).toContain('--json');
      expect((await h.ok(['help', ...name.split(' ')])).stdout).toBe(run.stdout);
    },
  );

  it('upload-part-copy --help names every flag of aws s3api upload-part-copy', async () => {
    const run = await h.ok(['upload-part-copy', '--help']);
    for (const flag of [
      'bucket',
      'key',
      'upload-id',
      'part-number',
      'copy-source',
      'copy-source-range',
      'copy-source-if-match',
      'copy-source-if-none-match',
      'copy-source-if-modified-since',
      'copy-source-if-unmodified-since',
      'sse-customer-algorithm',
      'sse-customer-key',
      'sse-customer-key-md5',
      'copy-source-sse-customer-algorithm',
      'copy-source-sse-customer-key',
      'copy-source-sse-customer-key-md5',
      'request-payer',
      'expected-bucket-owner',
      'expected-source-bucket-owner',
      'store',
    ]) {
      expect(run.stdout).toMatch(new RegExp(`--${flag}\\b`));
    }
  });

  it('partcopy uploads --help lists the subcommands', async () => {
    const run = await h.ok(['uploads', '--help']);
    expect(run.stdout).toContain('uploads list');
    expect(run.stdout).toContain('uploads abort');
  });

  it('--version prints the package version', async () => {
    const pkg = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8')) as {
      version: string;
    };
    expect(CLI_VERSION).toBe(pkg.version);
    expect((await h.ok(['--version'])).stdout).toBe(`${pkg.version}\n`);
  });

  it.each([
    [['nope'], 'unknown command "nope"'],
    [['upload-partcopy'], 'did you mean "upload-part-copy"'],
    [['uploads'], '"uploads" needs a subcommand'],
    [['uploads', 'purge'], 'unknown command "uploads purge"'],
    [['cp', 'file://a/b'], 'expected 2 arguments'],
    [['cp', 'file://a/b', 'file://a/c', '--bogus'], 'unknown option --bogus\n'],
    [
      ['cp', 'file://a/b', 'file://a/c', '--concurency', '4'],
      'unknown option --concurency; did you mean --concurrency?',
    ],
    [['cp', 'file://a/b', 'file://a/c', '--range'], 'partcopy: --range needs a value\n'],
    [['ls', 'file://a', '--json=yes'], 'partcopy: --json takes no value\n'],
    [['lss', 'file://a'], 'unknown command "lss"; did you mean "ls"?'],
    [['cp', 'file://a/b', 'file://a/c', '--part-size', 'lots'], '--part-size: "lots" is not a size'],
    [
      ['cp', 'file://a/b', 'file://a/c', '--concurrency', '0'],
      '--concurrency: "0" is not a positive whole number',
    ],
    [['cp', 'file://a/b', 'file://a/c', '--range', 'bytes=5-'], '--range'],
    [['ls'], 'expected 1 argument'],
  ])('partcopy %j is a usage error (exit 2)', async (argv, message) => {
    const run = await h.run(argv);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(message);
    expect(run.stdout).toBe('');
  });

  it('no arguments: the help on stderr and exit 2', async () => {
    const run = await h.run([]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('Usage: partcopy <command>');
  });
});
