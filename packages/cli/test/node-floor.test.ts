import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BinHarness } from './bin-harness.js';

// The executable on a Node older than 22.12 refuses with what to do, before it loads anything.
// The machine's own Node (/usr/bin/node) is such a Node here; without one the test is skipped.
function olderNode(): string | undefined {
  for (const candidate of ['/usr/bin/node', '/usr/local/bin/node', '/bin/node']) {
    if (!existsSync(candidate)) continue;
    const version = execFileSync(candidate, ['-p', 'process.versions.node'], { encoding: 'utf8' }).trim();
    const [major = 0, minor = 0] = version.split('.').map(Number);
    if (major < 22 || (major === 22 && minor < 12)) return candidate;
  }
  return undefined;
}

const node = olderNode();
let bin: BinHarness;

beforeAll(async () => {
  bin = await BinHarness.create();
}, 300_000);
afterAll(() => bin.dispose());

describe('the Node version floor', () => {
  it.skipIf(node === undefined)(
    node
      ? `refuses on ${node} and says what to do (exit 1)`
      : 'refuses on a real older Node (skipped: none on this machine; the next test fakes one)',
    async () => {
      const run = await bin.run(['ls', 'file://demo'], { node });
      expect(run.code).toBe(1);
      expect(run.stdout).toBe('');
      expect(run.stderr).toMatch(
        /^partcopy: Node\.js v\d+\.\d+\.\d+ is too old: partcopy needs Node\.js 22\.12 or newer\.\nInstall a current Node\.js/,
      );
    },
  );

  // Any machine: the running Node reports an older version (set before the executable loads), so
  // the refusal is proven even where no older Node is installed.
  it('refuses when the Node running it reports version 20.0.0 (exit 1)', async () => {
    const fake = join(bin.dir, 'pretend-node-20.mjs');
    await writeFile(fake, "Object.defineProperty(process.versions, 'node', { value: '20.0.0' });\n");
    const run = await bin.run(['ls', 'file://demo'], { env: { NODE_OPTIONS: `--import=${fake}` } });
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(
      /^partcopy: Node\.js v[\d.]+ is too old: partcopy needs Node\.js 22\.12 or newer\./,
    );
  });

  it('runs on the Node running the tests', async () => {
    const run = await bin.run(['--version']);
    expect(run.code).toBe(0);
  });
});
