import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BinHarness, ROOT_DIR } from './bin-harness.js';

// Third-party providers from the CLI: examples/sqlite-provider, written as a third party would,
// installed next to the working folder as a package and as a plain file, loaded by
// --provider-module, by the config file's `providers`, and by a remote's providerModule.
let bin: BinHarness;
let file: string;
const env = () => ({ PARTCOPY_SQLITE_PATH: join(bin.dir, 'objects.sqlite') });

beforeAll(async () => {
  bin = await BinHarness.create();
  const entry = join(ROOT_DIR, 'examples/sqlite-provider/src/index.ts');
  file = await bin.installModule('partcopy-example-sqlite-provider', entry);
  await writeFile(join(bin.dir, 'data.txt'), 'stored in sqlite');
  await writeFile(join(bin.dir, 'not-a-provider.mjs'), 'export const answer = 42;\n');
  // A provider built for another contract version: the factory is fine, its provider is not.
  await writeFile(
    join(bin.dir, 'old-provider.mjs'),
    "export const oldFactory = { name: 'old', schemes: ['old'], create() { return { name: 'old', specVersion: 0 }; } };\n",
  );
}, 300_000);
afterAll(() => bin.dispose());

async function ok(args: string[]) {
  const run = await bin.run(args, { env: env() });
  if (run.code !== 0) throw new Error(`partcopy ${args.join(' ')} exited ${run.code}: ${run.stderr}`);
  return run;
}

describe('third-party providers', () => {
  it('--provider-module PATH registers the schemes of its ProviderFactory', async () => {
    const flag = ['--provider-module', file];
    await ok(['mb', 'sqlite://demo', ...flag]);
    await ok(['put', 'data.txt', 'sqlite://demo/a.txt', ...flag]);
    await ok(['cp', 'sqlite://demo/a.txt', 'sqlite://demo/b.txt', ...flag]);
    expect((await ok(['get', 'sqlite://demo/b.txt', '-', ...flag])).stdout).toBe('stored in sqlite');
  });

  it('a package named in the config file is loaded for every command', async () => {
    await mkdir(join(bin.dir, 'config', 'partcopy'), { recursive: true });
    await writeFile(
      join(bin.dir, 'config', 'partcopy', 'config.json'),
      JSON.stringify({ remotes: {}, providers: ['partcopy-example-sqlite-provider'] }),
    );
    const listed = await ok(['ls', 'sqlite://demo', '--json']);
    expect(JSON.parse(listed.stdout).objects.map((o: { key: string }) => o.key)).toEqual(['a.txt', 'b.txt']);
    await writeFile(join(bin.dir, 'config', 'partcopy', 'config.json'), JSON.stringify({ remotes: {} }));
  });

  it('a remote of a third-party type loads its providerModule', async () => {
    await ok(['config', 'add', 'db', 'sqlite', `providerModule=${file}`]);
    expect((await ok(['get', 'db:demo/a.txt', '-'])).stdout).toBe('stored in sqlite');
    await ok(['config', 'remove', 'db']);
  });

  it('a module without a ProviderFactory is refused clearly (exit 5)', async () => {
    const run = await bin.run(['ls', 'x://b', '--provider-module', './not-a-provider.mjs']);
    expect(run.code).toBe(5);
    expect(run.stderr.split('\n')[0]).toBe(
      'partcopy: Unsupported: provider module "./not-a-provider.mjs" exports no ProviderFactory (an object with name, schemes and create()); it may be built for another version of @partcopy/core',
    );
  });

  it('a provider of another contract version is refused naming both versions (exit 5)', async () => {
    const run = await bin.run(['ls', 'old://b', '--provider-module', './old-provider.mjs']);
    expect(run.code).toBe(5);
    expect(run.stderr.split('\n')[0]).toMatch(
      /^partcopy: Unsupported: provider "old" implements contract version 0, this @partcopy\/core supports version \d+$/,
    );
  });

  it('a module that is not installed says to install it', async () => {
    const run = await bin.run(['ls', 'x://b', '--provider-module', 'partcopy-provider-that-does-not-exist']);
    expect(run.code).toBe(5);
    expect(run.stderr).toContain(
      'provider module "partcopy-provider-that-does-not-exist" not found: install it',
    );
  });
});
