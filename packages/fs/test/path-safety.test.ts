import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FsProvider } from '../src/index.js';
import { decodeKeyName, encodeKey } from '../src/key-encoding.js';
import {
  bytes,
  ctx,
  errorCode,
  multipartPut,
  payload,
  provider,
  read,
  tempDir,
  text,
  tree,
} from './helpers.js';

const HOSTILE_KEYS = [
  '..',
  '.',
  '../escape',
  '../../escape',
  '/etc/passwd',
  '/absolute/path',
  'a/../../b',
  '..\\..\\windows',
  'C:\\Windows\\system32',
  'C:',
  'nul\u0000byte',
  '\u0000',
  'CON',
  'aux.txt',
  '.hidden',
  'trailing.',
  'trailing ',
  'lock',
  'bucket.json',
  '../bucket.json',
  'objects/../../x',
  '%2e%2e%2fencoded',
  '\u202Eright-to-left',
  'e\u0301',
  '\u00e9',
  'x'.repeat(1024),
  'é'.repeat(512),
  `${'../'.repeat(300)}deep`,
  '',
];

const HOSTILE_BUCKETS = [
  '..',
  '.',
  '../x',
  '/tmp',
  'a/b',
  'a\\b',
  'x\u0000y',
  '.partcopy-tmp',
  '',
  'C:',
  'Bucket',
  'a..b',
];

let sandbox: { dir: string; cleanup: () => Promise<void> };
let root: string;
let p: FsProvider;

beforeEach(async () => {
  sandbox = await tempDir();
  root = join(sandbox.dir, 'root');
  await mkdir(root);
  // A decoy next to the root: nothing may ever appear beside it.
  await writeFile(join(sandbox.dir, 'decoy'), 'untouched');
  p = provider(root);
  await p.createBucket({ bucket: 'safe' }, ctx());
});
afterEach(() => sandbox.cleanup());

describe('path safety', () => {
  it('stores every hostile key inside the bucket and reads it back', async () => {
    const outsideBefore = (await tree(sandbox.dir)).filter((path) => !path.startsWith('root'));
    for (const [index, key] of HOSTILE_KEYS.entries()) {
      await p.putObject({ bucket: 'safe', key, body: payload(text(`value ${index}`)) }, ctx());
      await multipartPut(p, 'safe', `${key}-mp`, [bytes(1024, index), bytes(10, index)]);
    }
    for (const [index, key] of HOSTILE_KEYS.entries()) {
      expect(new TextDecoder().decode(await read(p, 'safe', key))).toBe(`value ${index}`);
    }
    const listed = await p.listObjects({ bucket: 'safe', maxKeys: 1000 }, ctx());
    expect(new Set(listed.objects.map((o) => o.key))).toEqual(
      new Set([...HOSTILE_KEYS, ...HOSTILE_KEYS.map((k) => `${k}-mp`)]),
    );
    // Nothing outside the root changed, and inside it everything is under the bucket's objects folder.
    expect((await tree(sandbox.dir)).filter((path) => !path.startsWith('root'))).toEqual(outsideBefore);
    const inside = await tree(root);
    for (const path of inside) expect(path.startsWith('safe') || path.startsWith('.partcopy-tmp')).toBe(true);
    for (const path of inside.filter((x) => x.startsWith('safe/objects/'))) {
      const parts = path.split('/');
      expect(parts.length).toBeLessThanOrEqual(4); // safe/objects/KEYNAME/FILE: never deeper
      for (const part of parts) expect(Buffer.byteLength(part)).toBeLessThanOrEqual(255);
    }
    for (const key of HOSTILE_KEYS) await p.deleteObject({ bucket: 'safe', key }, ctx());
  });

  it('refuses hostile bucket names without touching the disk', async () => {
    const before = await tree(sandbox.dir);
    for (const bucket of HOSTILE_BUCKETS) {
      expect(await errorCode(() => p.createBucket({ bucket }, ctx()))).toBe('InvalidBucketName');
      expect(await errorCode(() => p.putObject({ bucket, key: 'k', body: payload('x') }, ctx()))).toBe(
        'InvalidBucketName',
      );
      expect(await errorCode(() => p.createMultipartUpload({ bucket, key: 'k' }, ctx()))).toBe(
        'InvalidBucketName',
      );
      expect(await errorCode(() => p.listObjects({ bucket }, ctx()))).toBe('InvalidBucketName');
      expect(await errorCode(() => p.deleteBucket({ bucket }, ctx()))).toBe('InvalidBucketName');
    }
    expect(await tree(sandbox.dir)).toEqual(before);
  });

  it('treats bogus upload ids as NoSuchUpload, never as paths', async () => {
    const before = await tree(sandbox.dir);
    const bogus = [
      '../../x',
      '..',
      '/etc',
      'a/b',
      '',
      '.',
      'ABCDEF0123456789ABCDEF0123456789',
      '0'.repeat(31),
      `${'0'.repeat(32)}/..`,
      '../safe/objects',
    ];
    for (const uploadId of bogus) {
      const ref = { bucket: 'safe', key: 'k', uploadId };
      expect(await errorCode(() => p.uploadPart({ ...ref, partNumber: 1, body: payload('x') }, ctx()))).toBe(
        'NoSuchUpload',
      );
      expect(await errorCode(() => p.listParts(ref, ctx()))).toBe('NoSuchUpload');
      expect(await errorCode(() => p.abortMultipartUpload(ref, ctx()))).toBe('NoSuchUpload');
      expect(
        await errorCode(() =>
          p.completeMultipartUpload({ ...ref, parts: [{ partNumber: 1, etag: '"x"' }] }, ctx()),
        ),
      ).toBe('NoSuchUpload');
    }
    expect(await tree(sandbox.dir)).toEqual(before);
  });

  it('treats bogus version ids as unknown versions', async () => {
    const bucket = 'versioned';
    await p.createBucket({ bucket, versioning: true }, ctx());
    await p.putObject({ bucket, key: 'k', body: payload('x') }, ctx());
    for (const versionId of ['../../x', '..', '/etc/passwd', 'lock', '0'.repeat(30) + '/..']) {
      expect(await errorCode(() => p.headObject({ bucket, key: 'k', versionId }, ctx()))).toBe(
        'NoSuchVersion',
      );
      await p.deleteObject({ bucket, key: 'k', versionId }, ctx());
    }
    expect(new TextDecoder().decode(await read(p, bucket, 'k'))).toBe('x');
  });
});

describe('key encoding', () => {
  it('gives distinct keys distinct names, even ignoring case', () => {
    const keys = [
      'a',
      'A',
      'a/b',
      'a%2Fb',
      'a%2fb',
      'a b',
      'a+b',
      'a?b',
      'a#b',
      'a/',
      'a//',
      '',
      '.',
      'trailing.',
      'trailing%2E',
      'Ä',
      'ä',
      'x'.repeat(300),
      'x'.repeat(301),
    ];
    const names = keys.map(encodeKey);
    expect(new Set(names.map((n) => n.toLowerCase())).size).toBe(keys.length);
    for (const name of names) {
      expect(name).toMatch(/^[a-zA-Z0-9_.%-]+$/);
      expect(name.length).toBeLessThanOrEqual(200);
      expect(name.endsWith('.')).toBe(false);
    }
  });

  it('round-trips readable names and hashes long ones', () => {
    for (const key of ['photos/2024/cat.jpg', 'Ünïcödé ✓', 'a+b?c#d%e', 'new\nline'])
      expect(decodeKeyName(encodeKey(key))).toBe(key);
    expect(encodeKey('k'.repeat(1024))).toMatch(/^h-[0-9a-f]{64}$/);
  });

  it('refuses keys with lone surrogates (they would collide after UTF-8 encoding)', async () => {
    const { dir, cleanup } = await tempDir();
    try {
      const q = new FsProvider({ root: dir });
      await q.createBucket({ bucket: 'b12' }, ctx());
      expect(
        await errorCode(() => q.putObject({ bucket: 'b12', key: 'x\uD800', body: payload('x') }, ctx())),
      ).toBe('InvalidArgument');
    } finally {
      await cleanup();
    }
  });
});
