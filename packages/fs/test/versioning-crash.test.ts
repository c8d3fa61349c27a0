// Issue 17: crash safety of versioned writes. Real child processes are SIGKILLed at exact points
// of a publication (hooks, not timers); the store must show the old version or the new one whole,
// never a torn one, never lose the current version, and the next write must clean up.
import { createHash } from 'node:crypto';
import { readdir, utimes } from 'node:fs/promises';
import { join } from 'node:path';
import { collectBytes } from '@partcopy/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FsProvider } from '../src/index.js';
import { encodeKey } from '../src/key-encoding.js';
import { ctx, killChildAt, payload, provider, read, STOP, tempDir } from './helpers.js';

let root: { dir: string; cleanup: () => Promise<void> };
let p: FsProvider;
const bucket = 'crashes';
const decode = (b: Uint8Array) => new TextDecoder().decode(b);
const keyDir = (key: string) => join(root.dir, bucket, 'objects', encodeKey(key));
const md5 = (b: Uint8Array) => `"${createHash('md5').update(b).digest('hex')}"`;

beforeEach(async () => {
  root = await tempDir();
  p = provider(root.dir);
  await p.createBucket({ bucket }, ctx());
});
afterEach(() => root.cleanup());

const put = (key: string, body: string) => p.putObject({ bucket, key, body: payload(body) }, ctx());
const childPut = (key: string, body: string) =>
  `await p.putObject({ bucket: ${JSON.stringify(bucket)}, key: ${JSON.stringify(key)}, body: bodyOf(${JSON.stringify(body)}) }, c);`;

/** Every version the listing shows reads back whole: its bytes match its size and ETag. */
async function expectWholeVersions(key: string): Promise<string[]> {
  const listed = await p.listObjectVersions({ bucket, prefix: key, maxKeys: 1000 }, ctx());
  for (const version of listed.versions) {
    const got = await p.getObject({ bucket, key, versionId: version.versionId }, ctx());
    const body = await collectBytes(got.body);
    expect(body.length).toBe(version.size);
    expect(md5(body)).toBe(version.etag);
  }
  return listed.versions.map((v) => `${v.versionId}:${v.isLatest}`);
}

// A process killed holding the key lock leaves it behind; it is taken over once 30 s old. Age it
// instead of waiting, as the next writer would after that time.
async function ageLeftLock(key: string): Promise<void> {
  const old = new Date(Date.now() - 60_000);
  await utimes(join(keyDir(key), 'lock'), old, old).catch(() => undefined);
}

describe('a writer killed during a versioned publication', () => {
  it('suspended: killed after the new null version is visible, before the old one is removed', async () => {
    await p.putBucketVersioning({ bucket, status: 'Enabled' }, ctx());
    const kept = await put('k', 'kept version');
    await p.putBucketVersioning({ bucket, status: 'Suspended' }, ctx());
    await put('k', 'old null');
    await killChildAt(root.dir, `afterVersionRecord: ${STOP}`, childPut('k', 'new null'));
    // Two null files are on disk; only the newer one is the null version.
    expect((await readdir(keyDir('k'))).filter((n) => n.endsWith('-null.json'))).toHaveLength(2);
    expect(decode(await read(p, bucket, 'k'))).toBe('new null');
    expect(decode(await read(p, bucket, 'k', { versionId: 'null' }))).toBe('new null');
    expect(await expectWholeVersions('k')).toEqual(['null:true', `${kept.versionId}:false`]);
    // The next write replaces both leftovers; the enabled-time version stays.
    await ageLeftLock('k');
    await put('k', 'next null');
    expect((await readdir(keyDir('k'))).filter((n) => n.endsWith('-null.json'))).toHaveLength(1);
    expect(await expectWholeVersions('k')).toEqual(['null:true', `${kept.versionId}:false`]);
    // Removing the null version does not bring an older null version back.
    await p.deleteObject({ bucket, key: 'k', versionId: 'null' }, ctx());
    expect(decode(await read(p, bucket, 'k'))).toBe('kept version');
  });

  it('suspended: a stale older null version is removed with the null version it hides', async () => {
    await p.putBucketVersioning({ bucket, status: 'Suspended' }, ctx());
    await put('k', 'old null');
    await killChildAt(root.dir, `afterVersionRecord: ${STOP}`, childPut('k', 'new null'));
    await ageLeftLock('k');
    expect(await p.deleteObject({ bucket, key: 'k', versionId: 'null' }, ctx())).toEqual({
      versionId: 'null',
    });
    expect((await p.listObjectVersions({ bucket, maxKeys: 1000 }, ctx())).versions).toEqual([]);
  });

  it('enabled: killed before publication leaves the current version current, and the data is garbage', async () => {
    await p.putBucketVersioning({ bucket, status: 'Enabled' }, ctx());
    const v1 = await put('k', 'current');
    await killChildAt(root.dir, `beforePublish: ${STOP}`, childPut('k', 'never published'));
    expect(decode(await read(p, bucket, 'k'))).toBe('current');
    expect(await expectWholeVersions('k')).toEqual([`${v1.versionId}:true`]);
    const report = await p.collectGarbage({ olderThanMs: 0 });
    expect(report.entries.map((e) => e.kind)).toEqual(['temporary-file']);
  });

  it('never enabled: killed after the new version is visible, the store shows it alone', async () => {
    await put('k', 'old');
    await killChildAt(root.dir, `afterVersionRecord: ${STOP}`, childPut('k', 'new'));
    expect(decode(await read(p, bucket, 'k'))).toBe('new');
    expect(await expectWholeVersions('k')).toEqual(['null:true']);
    expect((await p.listObjects({ bucket }, ctx())).objects.map((o) => o.size)).toEqual([3]);
  });
});
