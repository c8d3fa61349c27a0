/**
 * Real `partcopy` processes killed with SIGKILL at seeded random points on the file store, then
 * resumed with the same command: identical bytes, nothing left, no part copied twice. Also
 * SIGHUP and SIGTERM on a real process: without --resume everything is aborted, with it the
 * session is kept and `sessions resume` finishes it.
 */
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { patternBytes } from './cli-harness.js';
import { bundleChild, crashSeed, readLog, runChild } from './crash/crash-harness.js';
import { runCrashScenario } from './crash/crash-scenario.js';

let dir: string;
let child: string;
const source = patternBytes(25 * 1024 - 100, 5);

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'partcopy-crash-'));
  child = await bundleChild(dir);
}, 120_000);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A fresh folder with the file store holding demo/src. */
async function storeWithSource(name: string): Promise<string> {
  const cwd = join(dir, name);
  await mkdir(cwd, { recursive: true });
  await writeFile(join(cwd, 'source.bin'), source);
  for (const args of [
    ['mb', 'file://demo'],
    ['put', 'source.bin', 'file://demo/src'],
  ]) {
    const run = await runChild(child, args, cwd, { CRASH_LOG: join(cwd, 'setup.log') });
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

describe('crash and resume with real processes on the file store', () => {
  it('SIGKILL at random points, then the same cp --resume: identical bytes, no part copied twice', async () => {
    const cwd = await storeWithSource('sigkill');
    const seed = crashSeed('fs');
    const outcome = await runCrashScenario({
      label: 'fs',
      child,
      cwd,
      env: {},
      bucketUrl: 'file://demo/',
      cpOptions: ['--part-size', '1KiB', '--concurrency', '3'],
      parts: 25,
      callsPerCopy: 30,
      trials: 6,
      seed,
      bytesOf: (key) => getBytes(cwd, key),
    });
    console.log(
      `[crash fs] ${outcome.kills} kills, ${outcome.resumedParts} parts found already copied on resume`,
    );
    expect(outcome.kills).toBeGreaterThan(0);
    expect(outcome.resumedParts).toBeGreaterThan(0);
    // No upload, part or session survives. What SIGKILL can leave is the fs store's temporary
    // file of a part write that was in flight (nobody runs after SIGKILL to remove it): at most
    // one per part copy in flight per kill, only in the store's tmp folder (a gc's job).
    const left = await leftovers(cwd);
    expect(left.filter((path) => !path.startsWith('.partcopy-data/demo/tmp/'))).toEqual([]);
    expect(left.length).toBeLessThanOrEqual(outcome.kills * 3);
    // ...and `partcopy gc` collects exactly those (every process is gone: any age will do).
    const gc = await runChild(child, ['gc', 'file://demo', '--older-than', '0s', '--json'], cwd, {});
    expect(gc.code, gc.stderr).toBe(0);
    const report = JSON.parse(gc.stdout) as { reports: Array<{ items: Array<{ kind: string }> }> };
    expect(report.reports[0]?.items.map((i) => i.kind)).toEqual(left.map(() => 'temporary-file'));
    expect(await leftovers(cwd)).toEqual([]);
  }, 300_000);

  it('SIGHUP without --resume aborts everything: exit 130, no upload, no staging file', async () => {
    const cwd = await storeWithSource('sighup');
    const log = join(cwd, 'hup.log');
    const run = await runChild(
      child,
      ['cp', 'file://demo/src', 'file://demo/dst', '--part-size', '1KiB', '--concurrency', '2'],
      cwd,
      { CRASH_LOG: log, CRASH_AT: '8', CRASH_PHASE: 'before', CRASH_SIGNAL: 'SIGHUP' },
    );
    expect(run.code, run.stderr).toBe(130);
    expect(run.stderr).toMatch(/interrupted .*SIGHUP/);
    expect((await readLog(log)).some((e) => e.method === 'abortMultipartUpload')).toBe(true);
    const uploads = await runChild(child, ['uploads', 'list', 'file://demo', '--json'], cwd, {
      CRASH_LOG: log,
    });
    expect(JSON.parse(uploads.stdout)).toMatchObject({ uploads: [] });
    expect((await runChild(child, ['head', 'file://demo/dst'], cwd, { CRASH_LOG: log })).code).toBe(3);
    expect(await leftovers(cwd)).toEqual([]);
  }, 300_000);

  it('SIGTERM with --resume keeps the session; sessions resume finishes it copying only the missing parts', async () => {
    const cwd = await storeWithSource('sigterm');
    const log = join(cwd, 'term.log');
    const run = await runChild(
      child,
      ['cp', 'file://demo/src', 'file://demo/dst', '--part-size', '1KiB', '--concurrency', '1', '--resume'],
      cwd,
      { CRASH_LOG: log, CRASH_RUN: '0', CRASH_AT: '12', CRASH_PHASE: 'after', CRASH_SIGNAL: 'SIGTERM' },
    );
    expect(run.code, run.stderr).toBe(130);
    const id = /session (cp-[0-9a-f]+) kept/.exec(run.stderr)?.[1];
    expect(id, run.stderr).toBeDefined();
    const listed = await runChild(child, ['sessions', 'list', '--json'], cwd, { CRASH_LOG: log });
    expect(JSON.parse(listed.stdout)).toMatchObject({ sessions: [{ id, state: 'copying' }] });
    const resumed = await runChild(child, ['sessions', 'resume', id as string, '--json'], cwd, {
      CRASH_LOG: log,
      CRASH_RUN: '1',
    });
    expect(resumed.code, resumed.stderr).toBe(0);
    const result = JSON.parse(resumed.stdout) as {
      session: { partsReused: number };
      metrics: { partsCopied: number };
    };
    const entries = await readLog(log);
    const copiedFirst = entries.filter(
      (e) => e.run === '0' && e.method === 'uploadPartCopy' && e.event === 'response',
    );
    const requestedAgain = entries.filter(
      (e) => e.run === '1' && e.method === 'uploadPartCopy' && e.event === 'request',
    );
    expect(result.session.partsReused).toBe(copiedFirst.length);
    expect(requestedAgain.map((e) => e.part).filter((p) => copiedFirst.some((c) => c.part === p))).toEqual(
      [],
    );
    expect(result.metrics.partsCopied + result.session.partsReused).toBe(25);
    expect(await getBytes(cwd, 'dst')).toEqual(Buffer.from(source));
    expect(await leftovers(cwd)).toEqual([]);
  }, 300_000);
});

async function getBytes(cwd: string, key: string): Promise<Buffer> {
  const out = join(cwd, `${key}.out`);
  const run = await runChild(child, ['get', `file://demo/${key}`, out], cwd, {
    CRASH_LOG: join(cwd, 'get.log'),
  });
  expect(run.code, run.stderr).toBe(0);
  return readFile(out);
}
