import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BinHarness } from './bin-harness.js';

// The progress bar in a real terminal: `partcopy cp` under tmux at 40, 80 and 200 columns. Every
// frame it draws must fit (no wrap), it must show the phases, and nothing of it may be left on
// the screen afterwards. scripts/test.sh installs tmux (Debian package) when it is missing; a run
// without it fails loudly, except the server-free run (PARTCOPY_SERVERS=off), where it is
// reported as skipped with its reason.
function hasTmux(): boolean {
  try {
    execFileSync('tmux', ['-V'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const tmux = hasTmux();
let bin: BinHarness;

beforeAll(async () => {
  bin = await BinHarness.create();
  await writeFile(join(bin.dir, 'big.bin'), '');
  await truncate(join(bin.dir, 'big.bin'), 40 * 1024 * 1024); // sparse: cheap to make
  expect((await bin.run(['mb', 'file://demo'])).code).toBe(0);
  expect((await bin.run(['put', 'big.bin', 'file://demo/big.bin'])).code).toBe(0);
}, 300_000);
afterAll(() => bin.dispose());

async function waitFor(path: string): Promise<void> {
  for (let i = 0; i < 600 && !existsSync(path); i++) await new Promise((r) => setTimeout(r, 100));
}

if (!tmux && process.env.PARTCOPY_SERVERS !== 'off') {
  it('needs tmux: scripts/test.sh installs it (apt-get install -y tmux)', () => {
    throw new Error('tmux is not installed: run scripts/test.sh, or apt-get install -y tmux');
  });
}

const title = tmux
  ? 'the progress bar under tmux'
  : 'the progress bar under tmux (skipped: tmux is not installed)';
describe.skipIf(!tmux)(title, () => {
  it.each([40, 80, 200])(
    'at %i columns each frame fits and the phases show',
    async (columns) => {
      const session = `pc-${process.pid}-${columns}`;
      const go = join(bin.dir, `go-${columns}`);
      const done = join(bin.dir, `done-${columns}`);
      const raw = join(bin.dir, `raw-${columns}`);
      const command = [
        `cd ${bin.dir}`,
        `while [ ! -e ${go} ]; do sleep 0.05; done`,
        `PARTCOPY_FS_ROOT=${join(bin.dir, 'data')} ${process.execPath} ${bin.bin} cp file://demo/big.bin file://demo/copy-${columns}.bin --part-size 5MiB --concurrency 1`,
        `echo EXIT=$? > ${done}`,
        'sleep 60',
      ].join('; ');
      execFileSync('tmux', ['new-session', '-d', '-s', session, '-x', String(columns), '-y', '30', command]);
      try {
        execFileSync('tmux', ['pipe-pane', '-o', '-t', session, `cat >> ${raw}`]);
        await writeFile(go, '');
        await waitFor(done);
        expect(await readFile(done, 'utf8')).toBe('EXIT=0\n');
        const screen = execFileSync('tmux', ['capture-pane', '-p', '-t', session], { encoding: 'utf8' });
        const output = await readFile(raw, 'utf8');
        const frames = output
          .split(/\r|\n/)
          .map((frame) => frame.replaceAll('\u001b[K', ''))
          .filter((frame) => frame.startsWith('cp '));
        expect(frames.length).toBeGreaterThan(0);
        for (const frame of frames) expect(frame.length).toBeLessThan(columns);
        expect(frames.some((frame) => frame.startsWith('cp copy'))).toBe(true);
        expect(frames.some((frame) => frame.startsWith('cp complete') || frame.startsWith('cp verify'))).toBe(
          true,
        );
        // The bar is cleared: the screen holds the summary and no remnant of a frame.
        expect(screen).toContain('copied file://demo/big.bin');
        expect(screen).not.toMatch(/\[#|ETA/);
      } finally {
        execFileSync('tmux', ['kill-session', '-t', session]);
      }
    },
    90_000,
  );
});
