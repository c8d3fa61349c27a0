/**
 * Real `partcopy compose --multipart --resume` processes SIGKILLed at seeded random provider calls
 * on the file store (minimum part size lowered to 1 KiB by the crash child), then the same command
 * again until it succeeds: the result is the pieces' bytes (SHA-256 of a local reconstruction),
 * the destination is never torn after a kill, no run copies a part the store listed to it and no
 * part is written to completion twice, and nothing is left (uploads, sessions, staging files
 * after `partcopy gc`).
 */
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { patternBytes } from './cli-harness.js';
import { composeThroughKills, type Kill, sha256 } from './crash/compose-crash.js';
import { bundleChild, crashSeed, runChild, seededRandom } from './crash/crash-harness.js';

let dir: string;
let child: string;

/** Source objects: two of at least the (lowered) minimum part size, three smaller ones. */
const objects: Record<string, Uint8Array> = {
  big1: patternBytes(3000, 1),
  big2: patternBytes(2600, 2),
  small1: patternBytes(300, 3),
  small2: patternBytes(200, 4),
  small3: patternBytes(700, 5),
};

/** The pieces, as on the command line: whole objects and ranges, large and small, mixed. */
const pieces: Array<{ key: string; range?: [number, number] }> = [
  { key: 'big1' },
  { key: 'small1' },
  { key: 'small2' },
  { key: 'big2', range: [100, 2199] },
  { key: 'small3' },
  { key: 'big1', range: [0, 1499] },
  { key: 'small1', range: [10, 99] },
  { key: 'big2' },
];

function expected(): Buffer {
  return Buffer.concat(
    pieces.map((p) => {
      const bytes = Buffer.from(objects[p.key] as Uint8Array);
      return p.range ? bytes.subarray(p.range[0], p.range[1] + 1) : bytes;
    }),
  );
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'partcopy-crash-compose-'));
  child = await bundleChild(dir);
}, 120_000);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function storeWithSources(name: string): Promise<string> {
  const cwd = join(dir, name);
  await mkdir(cwd, { recursive: true });
  const setup = { CRASH_LOG: join(cwd, 'setup.log') };
  expect((await runChild(child, ['mb', 'file://demo'], cwd, setup)).code).toBe(0);
  for (const [key, bytes] of Object.entries(objects)) {
    await writeFile(join(cwd, `${key}.bin`), bytes);
    const run = await runChild(child, ['put', `${key}.bin`, `file://demo/${key}`], cwd, setup);
    expect(run.code, run.stderr).toBe(0);
  }
  return cwd;
}

/** Staging files the fs store could leave behind (empty after a clean abort or completion). */
async function leftovers(cwd: string): Promise<string[]> {
  const found: string[] = [];
  const walk = async (folder: string): Promise<void> => {
    for (const entry of await readdir(folder, { withFileTypes: true }).catch(() => [])) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) await walk(path);
      else found.push(relative(cwd, path));
    }
  };
  for (const staging of ['.partcopy-tmp', 'demo/uploads', 'demo/tmp', 'demo/trash'])
    await walk(join(cwd, '.partcopy-data', staging));
  return found;
}

/** The destination's bytes, or undefined when it does not exist. */
async function bytesOf(cwd: string, key: string): Promise<Buffer | undefined> {
  const out = join(cwd, `${key}.out`);
  const run = await runChild(child, ['get', `file://demo/${key}`, out], cwd, {
    CRASH_LOG: join(cwd, 'get.log'),
  });
  if (run.code === 3) return undefined;
  expect(run.code, run.stderr).toBe(0);
  return readFile(out);
}

function composeArgs(key: string): string[] {
  return [
    'compose',
    `file://demo/${key}`,
    ...pieces.map((p) => `file://demo/${p.key}${p.range ? `[${p.range[0]}-${p.range[1]}]` : ''}`),
    '--multipart',
    '--resume',
    '--session-dir',
    'sessions',
    '--part-size',
    '1KiB',
    '--concurrency',
    '2',
  ];
}

const crashOn = (cwd: string) => ({
  child,
  cwd,
  env: {},
  args: composeArgs,
  want: sha256(expected()),
  bytesOf: (key: string) => bytesOf(cwd, key),
});

/** Nothing left: no upload, no session, and no staging file once `partcopy gc` ran. */
async function expectNothingLeft(cwd: string): Promise<void> {
  const uploads = await runChild(child, ['uploads', 'list', 'file://demo', '--json'], cwd, {});
  expect(JSON.parse(uploads.stdout)).toMatchObject({ uploads: [] });
  expect(
    (await readdir(join(cwd, 'sessions')).catch(() => [] as string[])).filter((f) => f.endsWith('.json')),
  ).toEqual([]);
  // What SIGKILL can leave is the fs store's temporary file of a part write in flight: only in
  // the store's tmp folder, and `partcopy gc` collects exactly those.
  const left = await leftovers(cwd);
  expect(left.filter((path) => !path.startsWith('.partcopy-data/demo/tmp/'))).toEqual([]);
  const gc = await runChild(child, ['gc', 'file://demo', '--older-than', '0s', '--json'], cwd, {});
  expect(gc.code, gc.stderr).toBe(0);
  expect(await leftovers(cwd)).toEqual([]);
}

describe('compose --multipart --resume killed at random points on the file store', () => {
  it('SIGKILL at seeded calls, then the same command: identical bytes, no part written twice, nothing left', async () => {
    const cwd = await storeWithSources('sigkill');
    const seed = crashSeed('compose fs');
    const random = seededRandom(seed);
    let kills = 0;
    let reused = 0;
    const methods = new Set<string>();
    const torn: string[] = [];
    for (let trial = 0; trial < 6; trial++) {
      // Up to three kills at any provider call (a clean compose makes about 25), before or
      // after the real call; the last run is never killed: every compose must end complete.
      const plan: Kill[] = [0, 1, 2].map(() => ({
        at: 1 + Math.floor(random() * 24),
        phase: random() < 0.5 ? 'after' : 'before',
      }));
      const runs = await composeThroughKills(
        crashOn(cwd),
        `dst-${trial}`,
        plan,
        `compose fs seed ${seed} trial ${trial}`,
      );
      kills += runs.kills;
      reused += runs.reused;
      torn.push(...runs.torn);
      for (const m of runs.methods) methods.add(m);
    }
    console.log(`[crash compose fs] ${kills} kills, ${reused} parts found already written on resume`);
    expect(torn).toEqual([]);
    expect(kills).toBeGreaterThan(0);
    expect(reused).toBeGreaterThan(0);
    // Both kinds of part were exercised: server-side copies and parts joined through the process.
    expect([...methods].sort()).toEqual(['uploadPart', 'uploadPartCopy']);
    await expectNothingLeft(cwd);
  }, 600_000);

  it.each([
    ['createMultipartUpload', 'before'],
    ['createMultipartUpload', 'after'],
    ['uploadPartCopy', 'after'],
    ['uploadPart', 'after'],
    ['completeMultipartUpload', 'before'],
    ['completeMultipartUpload', 'after'],
  ] as const)(
    'SIGKILL at the first %s (%s the call), then the same command finishes it',
    async (method, phase) => {
      const cwd = await storeWithSources(`${method}-${phase}`);
      const runs = await composeThroughKills(
        crashOn(cwd),
        'dst',
        [{ at: 1, method, phase }],
        `${method} ${phase}`,
      );
      expect(runs.kills).toBe(1);
      expect(runs.torn).toEqual([]);
      await expectNothingLeft(cwd);
    },
    300_000,
  );
});
