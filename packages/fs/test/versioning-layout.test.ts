// Issue 17: bucket versioning states on disk. A version's state is in its file name (ORDER for a
// version written while enabled, ORDER-null for the null version) and the bucket's state in
// bucket.json, so the current and the null version are found from a folder listing and one record.
import { readdir, readFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FsProvider } from '../src/index.js';
import { encodeKey } from '../src/key-encoding.js';
import { ctx, errorCode, payload, provider, read, tempDir } from './helpers.js';

let root: { dir: string; cleanup: () => Promise<void> };
let p: FsProvider;
const bucket = 'states';
const decode = (b: Uint8Array) => new TextDecoder().decode(b);
const keyDir = (key: string) => join(root.dir, bucket, 'objects', encodeKey(key));
const versionFiles = async (key: string) => (await readdir(keyDir(key))).sort();
const ORDER = '[0-9a-f]{30}';

beforeEach(async () => {
  root = await tempDir();
  p = provider(root.dir);
  await p.createBucket({ bucket }, ctx());
});
afterEach(() => root.cleanup());

const put = (key: string, body: string) => p.putObject({ bucket, key, body: payload(body) }, ctx());
const setState = (status: 'Enabled' | 'Suspended') => p.putBucketVersioning({ bucket, status }, ctx());

describe('versioning states on disk', () => {
  it('never enabled: one null version file per key, replaced by each write', async () => {
    await put('k', 'one');
    await put('k', 'two');
    const files = await versionFiles('k');
    expect(files).toHaveLength(2);
    expect(files[0]).toMatch(new RegExp(`^${ORDER}-null\\.data$`));
    expect(files[1]).toMatch(new RegExp(`^${ORDER}-null\\.json$`));
    const config = JSON.parse(await readFile(join(root.dir, bucket, 'bucket.json'), 'utf8'));
    expect(config).toMatchObject({ versioning: false });
    expect(config.status).toBeUndefined();
    expect(decode(await read(p, bucket, 'k'))).toBe('two');
  });

  it('enabled writes add ORDER files beside the null version; suspended writes replace only the null one', async () => {
    await put('k', 'plain');
    await setState('Enabled');
    const v1 = await put('k', 'enabled');
    expect(await versionFiles('k')).toEqual(
      expect.arrayContaining([`${v1.versionId}.json`, `${v1.versionId}.data`]),
    );
    await setState('Suspended');
    expect(JSON.parse(await readFile(join(root.dir, bucket, 'bucket.json'), 'utf8'))).toMatchObject({
      versioning: false,
      status: 'Suspended',
    });
    await put('k', 'suspended');
    const files = await versionFiles('k');
    const nulls = files.filter((name) => name.includes('-null.'));
    expect(files).toHaveLength(4);
    expect(nulls).toHaveLength(2); // one null version (record and data): the plain one was replaced
    expect(decode(await read(p, bucket, 'k', { versionId: 'null' }))).toBe('suspended');
    expect(decode(await read(p, bucket, 'k', { versionId: v1.versionId }))).toBe('enabled');
    // A null delete marker replaces the null version too: no data file, one record.
    await p.deleteObject({ bucket, key: 'k' }, ctx());
    const after = await versionFiles('k');
    expect(after.filter((name) => name.includes('-null.'))).toEqual([expect.stringMatching(/-null\.json$/)]);
    expect(await errorCode(() => p.headObject({ bucket, key: 'k' }, ctx()))).toBe('NoSuchKey');
  });

  it('listObjects reads only current versions: keys behind delete markers are left out', async () => {
    await setState('Enabled');
    await put('a', 'a1');
    await put('a', 'a2');
    await put('b', 'b1');
    await p.deleteObject({ bucket, key: 'b' }, ctx());
    const listed = await p.listObjects({ bucket }, ctx());
    expect(listed.objects.map((o) => `${o.key}:${o.size}`)).toEqual(['a:2']);
  });

  it('a store written before versioning states: unmarked versions are the null version once enabled', async () => {
    // Stores before this change named an unversioned bucket's versions ORDER.json / ORDER.data.
    await put('legacy', 'old bytes');
    for (const name of await versionFiles('legacy'))
      await rename(join(keyDir('legacy'), name), join(keyDir('legacy'), name.replace('-null', '')));
    expect(await versionFiles('legacy')).toEqual([
      expect.stringMatching(new RegExp(`^${ORDER}\\.data$`)),
      expect.stringMatching(new RegExp(`^${ORDER}\\.json$`)),
    ]);
    expect(decode(await read(p, bucket, 'legacy', { versionId: 'null' }))).toBe('old bytes');
    await setState('Enabled');
    expect((await versionFiles('legacy')).every((name) => name.includes('-null.'))).toBe(true);
    const v1 = await put('legacy', 'new bytes');
    const listed = await p.listObjectVersions({ bucket, maxKeys: 1000 }, ctx());
    expect(listed.versions.map((v) => `${v.versionId}:${v.isLatest}`)).toEqual([
      `${v1.versionId}:true`,
      'null:false',
    ]);
    expect(decode(await read(p, bucket, 'legacy', { versionId: 'null' }))).toBe('old bytes');
  });

  it('answers as S3 in each state: version ids shown on reads once versioning was ever on, on writes only while enabled', async () => {
    expect((await put('k', 'x')).versionId).toBeUndefined();
    expect((await p.headObject({ bucket, key: 'k' }, ctx())).versionId).toBeUndefined();
    await setState('Suspended');
    expect((await put('k', 'y')).versionId).toBeUndefined();
    expect((await p.headObject({ bucket, key: 'k' }, ctx())).versionId).toBe('null');
    expect(await p.deleteObject({ bucket, key: 'k', versionId: 'null' }, ctx())).toEqual({
      versionId: 'null',
    });
    expect(await p.deleteObject({ bucket, key: 'k', versionId: 'null' }, ctx())).toEqual({
      versionId: 'null',
    });
    await setState('Enabled');
    const v = await put('k', 'z');
    expect(v.versionId).toMatch(new RegExp(`^${ORDER}$`));
    expect(await p.getBucketVersioning({ bucket }, ctx())).toEqual({ status: 'Enabled' });
  });
});
