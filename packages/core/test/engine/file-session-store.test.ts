import { spawnSync } from 'node:child_process';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { CopySessionError, FileSessionStore, PartCopyError } from '@partcopy/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

let folder: string;
beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), 'partcopy-sessions-'));
});
afterEach(async () => {
  await rm(folder, { recursive: true, force: true });
});

describe('FileSessionStore', () => {
  it('writes one file per session, replaces it whole and leaves no temporary file', async () => {
    const store = new FileSessionStore(folder);
    await store.write('s1', 'first');
    await store.write('s1', 'second');
    await store.write('s2', 'other');
    expect(await store.read('s1')).toBe('second');
    expect((await store.list()).sort()).toEqual(['s1', 's2']);
    expect((await readdir(folder)).sort()).toEqual(['s1.json', 's2.json']);
    await store.remove('s1');
    expect(await store.read('s1')).toBeUndefined();
    await store.remove('s1');
  });

  it('lists nothing for a folder that does not exist yet', async () => {
    expect(await new FileSessionStore(join(folder, 'missing')).list()).toEqual([]);
  });

  it('gives the lock to one holder at a time, across store instances', async () => {
    const a = new FileSessionStore(folder);
    const b = new FileSessionStore(folder);
    const lock = await a.lock('s1');
    const error = await b.lock('s1').catch((e: unknown) => e);
    expect(CopySessionError.isSessionError(error, 'locked')).toBe(true);
    expect((error as Error).message).toContain(`process ${process.pid}`);
    await lock.release();
    await (await b.lock('s1')).release();
  });

  it('takes over a lock whose process is gone (a killed run)', async () => {
    const dead = spawnSync(process.execPath, [
      '-e',
      'process.stdout.write(String(process.pid))',
    ]).stdout.toString();
    await writeFile(join(folder, 's1.lock'), JSON.stringify({ pid: Number(dead), host: hostname() }));
    const lock = await new FileSessionStore(folder).lock('s1');
    await lock.release();
    expect(await readdir(folder)).toEqual([]);
  });

  it('refuses ids that are not file names', async () => {
    const error = await new FileSessionStore(folder).read('../x').catch((e: unknown) => e);
    expect(PartCopyError.hasCode(error, 'InvalidArgument')).toBe(true);
  });
});
