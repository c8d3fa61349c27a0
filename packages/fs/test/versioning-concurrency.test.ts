// Issue 17: two writers on one key of a versioned bucket (this process and a real child process,
// and two providers in one process). Whatever the interleaving, every write is one version, the
// order of the version ids is the order of publication, and a suspended bucket keeps one null
// version. Conditional deletes are decided under the key lock: of two racing, one wins.
import { spawn } from 'node:child_process';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FsProvider } from '../src/index.js';
import { childArgs, childScript, ctx, errorCode, payload, provider, read, tempDir } from './helpers.js';

let root: { dir: string; cleanup: () => Promise<void> };
let p: FsProvider;
const bucket = 'racing';
const WRITES = 15;
const decode = (b: Uint8Array) => new TextDecoder().decode(b);

beforeEach(async () => {
  root = await tempDir();
  p = provider(root.dir);
  await p.createBucket({ bucket }, ctx());
});
afterEach(() => root.cleanup());

/**
 * Starts a child process putting `child-0` … `child-(n-1)` into `key`; resolves once it is about
 * to write (so the parent's writes overlap its own), with a promise of its end.
 */
async function startChildWrites(key: string, n: number): Promise<{ finished: Promise<void> }> {
  const script = childScript(`
    const p = new FsProvider({ root, minPartSize: 1024 });
    process.stdout.write('writing\\n');
    for (let i = 0; i < ${n}; i++)
      await p.putObject({ bucket: ${JSON.stringify(bucket)}, key: ${JSON.stringify(key)}, body: bodyOf('child-' + i) }, c);
  `);
  const child = spawn(process.execPath, childArgs(script, root.dir), {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NODE_OPTIONS: '' },
  });
  let errors = '';
  child.stderr.on('data', (chunk) => {
    errors += chunk;
  });
  const finished = new Promise<void>((resolve, reject) =>
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`child failed: ${errors}`)))),
  );
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', () => resolve());
    finished.then(resolve, reject);
  });
  return { finished };
}

/** The child's writes and the parent's, overlapping. */
async function bothWrite(key: string): Promise<void> {
  const child = await startChildWrites(key, WRITES);
  await Promise.all([parentWrites(key, WRITES), child.finished]);
}

async function parentWrites(key: string, n: number, writer: FsProvider = p): Promise<void> {
  for (let i = 0; i < n; i++) await writer.putObject({ bucket, key, body: payload(`parent-${i}`) }, ctx());
}

describe('two writers on one key', () => {
  it('enabled: every write is a version, listed newest first in publication order', async () => {
    await p.putBucketVersioning({ bucket, status: 'Enabled' }, ctx());
    await bothWrite('k');
    const listed = await p.listObjectVersions({ bucket, maxKeys: 1000 }, ctx());
    expect(listed.versions).toHaveLength(2 * WRITES);
    const ids = listed.versions.map((v) => v.versionId);
    expect(new Set(ids).size).toBe(2 * WRITES);
    expect([...ids].sort().reverse()).toEqual(ids); // newest first = greatest id first
    expect(listed.versions.map((v) => v.isLatest)).toEqual([true, ...Array(2 * WRITES - 1).fill(false)]);
    const bodies = await Promise.all(
      ids.map(async (versionId) => decode(await read(p, bucket, 'k', { versionId }))),
    );
    // Each writer's own versions appear in the order it wrote them.
    for (const writer of ['child', 'parent']) {
      const mine = bodies.filter((b) => b.startsWith(writer)).reverse();
      expect(mine).toEqual(Array.from({ length: WRITES }, (_, i) => `${writer}-${i}`));
    }
    expect(decode(await read(p, bucket, 'k'))).toBe(bodies[0]);
  });

  it('suspended: the writers replace one null version; the enabled-time version stays', async () => {
    await p.putBucketVersioning({ bucket, status: 'Enabled' }, ctx());
    const kept = await p.putObject({ bucket, key: 'k', body: payload('kept') }, ctx());
    await p.putBucketVersioning({ bucket, status: 'Suspended' }, ctx());
    await bothWrite('k');
    const listed = await p.listObjectVersions({ bucket, maxKeys: 1000 }, ctx());
    expect(listed.versions.map((v) => `${v.versionId}:${v.isLatest}`)).toEqual([
      'null:true',
      `${kept.versionId}:false`,
    ]);
    expect(decode(await read(p, bucket, 'k'))).toMatch(new RegExp(`^(child|parent)-${WRITES - 1}$`));
  });

  it('conditional deletes racing on one ETag: one adds the delete marker, the other fails', async () => {
    await p.putBucketVersioning({ bucket, status: 'Enabled' }, ctx());
    const { etag } = await p.putObject({ bucket, key: 'k', body: payload('x') }, ctx());
    const other = provider(root.dir);
    const results = await Promise.allSettled(
      [p, other].map((writer) => writer.deleteObject({ bucket, key: 'k', ifMatch: etag }, ctx())),
    );
    const won = results.filter((r) => r.status === 'fulfilled');
    expect(won).toHaveLength(1);
    expect((won[0] as PromiseFulfilledResult<{ deleteMarker?: boolean }>).value.deleteMarker).toBe(true);
    const lost = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(await errorCode(() => Promise.reject(lost.reason))).toBe('PreconditionFailed');
    const listed = await p.listObjectVersions({ bucket, maxKeys: 1000 }, ctx());
    expect(listed.deleteMarkers).toHaveLength(1);
    expect(listed.versions).toHaveLength(1);
  });

  it('two providers in one process writing one key: versions in publication order', async () => {
    await p.putBucketVersioning({ bucket, status: 'Enabled' }, ctx());
    const other = provider(root.dir);
    await Promise.all([parentWrites('k', WRITES, p), parentWrites('k', WRITES, other)]);
    const ids = (await p.listObjectVersions({ bucket, maxKeys: 1000 }, ctx())).versions.map(
      (v) => v.versionId,
    );
    expect(ids).toHaveLength(2 * WRITES);
    expect([...ids].sort().reverse()).toEqual(ids);
  });
});
