import { createHash } from 'node:crypto';
import { collectBytes } from '@partcopy/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FsProvider } from '../src/index.js';
import { bytes, ctx, errorCode, payload, provider, read, tempDir, text } from './helpers.js';

let root: { dir: string; cleanup: () => Promise<void> };
let p: FsProvider;

beforeEach(async () => {
  root = await tempDir();
  p = provider(root.dir);
  await p.createBucket({ bucket: 'bkt' }, ctx());
});
afterEach(() => root.cleanup());

const md5 = (data: Uint8Array) => `"${createHash('md5').update(data).digest('hex')}"`;

describe('objects', () => {
  it('puts, heads and gets with the quoted MD5 ETag and settings', async () => {
    const data = bytes(3000);
    const put = await p.putObject(
      {
        bucket: 'bkt',
        key: 'a.bin',
        body: payload(data),
        contentType: 'application/x-test',
        metadata: { owner: 'me' },
        expires: new Date('2030-01-01T00:00:00Z'),
      },
      ctx(),
    );
    expect(put.etag).toBe(md5(data));
    expect(put.versionId).toBeUndefined();
    const head = await p.headObject({ bucket: 'bkt', key: 'a.bin' }, ctx());
    expect(head).toMatchObject({
      bucket: 'bkt',
      key: 'a.bin',
      etag: md5(data),
      size: 3000,
      contentType: 'application/x-test',
      metadata: { owner: 'me' },
    });
    expect(head.expires?.toISOString()).toBe('2030-01-01T00:00:00.000Z');
    expect(head.versionId).toBeUndefined();
    expect(await read(p, 'bkt', 'a.bin')).toEqual(data);
  });

  it('serves ranges as S3: end clamped, start past the end is InvalidRange', async () => {
    const data = bytes(100);
    await p.putObject({ bucket: 'bkt', key: 'r', body: payload(data) }, ctx());
    const got = await p.getObject({ bucket: 'bkt', key: 'r', range: { start: 10, end: 19 } }, ctx());
    expect(got.contentLength).toBe(10);
    expect(await collectBytes(got.body)).toEqual(data.subarray(10, 20));
    const clamped = await p.getObject({ bucket: 'bkt', key: 'r', range: { start: 90, end: 500 } }, ctx());
    expect(clamped.range).toEqual({ start: 90, end: 99 });
    expect(await collectBytes(clamped.body)).toEqual(data.subarray(90));
    expect(
      await errorCode(() => p.getObject({ bucket: 'bkt', key: 'r', range: { start: 100, end: 120 } }, ctx())),
    ).toBe('InvalidRange');
  });

  it('streams large objects in chunks', async () => {
    const data = bytes(3 * 1024 * 1024 + 5);
    await p.putObject({ bucket: 'bkt', key: 'big', body: payload(data) }, ctx());
    const got = await p.getObject({ bucket: 'bkt', key: 'big' }, ctx());
    let chunks = 0;
    const parts: Uint8Array[] = [];
    for await (const chunk of got.body) {
      chunks++;
      parts.push(chunk);
    }
    expect(chunks).toBeGreaterThan(1);
    expect(Buffer.concat(parts).equals(Buffer.from(data))).toBe(true);
  });

  it('stops a body being read when the signal fires mid-stream', async () => {
    await p.putObject({ bucket: 'bkt', key: 'big', body: payload(bytes(3 * 1024 * 1024)) }, ctx());
    const controller = new AbortController();
    const got = await p.getObject({ bucket: 'bkt', key: 'big' }, { signal: controller.signal });
    const code = await errorCode(async () => {
      for await (const _chunk of got.body) controller.abort(new Error('reader gave up'));
    });
    expect(code).toBe('RequestAborted');
  });

  it('fails with NoSuchBucket, NoSuchKey, and deletes missing keys silently', async () => {
    expect(await errorCode(() => p.headObject({ bucket: 'nope', key: 'x' }, ctx()))).toBe('NoSuchBucket');
    expect(await errorCode(() => p.getObject({ bucket: 'bkt', key: 'x' }, ctx()))).toBe('NoSuchKey');
    expect(await p.deleteObject({ bucket: 'bkt', key: 'x' }, ctx())).toEqual({});
    await p.putObject({ bucket: 'bkt', key: 'x', body: payload('1') }, ctx());
    await p.deleteObject({ bucket: 'bkt', key: 'x' }, ctx());
    expect(await errorCode(() => p.headObject({ bucket: 'bkt', key: 'x' }, ctx()))).toBe('NoSuchKey');
  });

  it('replaces an object and keeps only the newest bytes on disk', async () => {
    await p.putObject({ bucket: 'bkt', key: 'k', body: payload('first') }, ctx());
    await p.putObject({ bucket: 'bkt', key: 'k', body: payload('second!') }, ctx());
    expect(new TextDecoder().decode(await read(p, 'bkt', 'k'))).toBe('second!');
    const { readdir } = await import('node:fs/promises');
    const { encodeKey } = await import('../src/key-encoding.js');
    const files = await readdir(`${root.dir}/bkt/objects/${encodeKey('k')}`);
    expect(files.filter((f) => f.endsWith('.data'))).toHaveLength(1);
  });

  it('honours conditional writes (ifNoneMatch *, ifMatch)', async () => {
    const first = await p.putObject(
      { bucket: 'bkt', key: 'c', body: payload('one'), ifNoneMatch: '*' },
      ctx(),
    );
    expect(
      await errorCode(() =>
        p.putObject({ bucket: 'bkt', key: 'c', body: payload('two'), ifNoneMatch: '*' }, ctx()),
      ),
    ).toBe('PreconditionFailed');
    expect(
      await errorCode(() =>
        p.putObject({ bucket: 'bkt', key: 'c', body: payload('two'), ifMatch: '"abc"' }, ctx()),
      ),
    ).toBe('PreconditionFailed');
    expect(
      await errorCode(() =>
        p.putObject({ bucket: 'bkt', key: 'none', body: payload('x'), ifMatch: first.etag }, ctx()),
      ),
    ).toBe('NoSuchKey');
    await p.putObject({ bucket: 'bkt', key: 'c', body: payload('two'), ifMatch: first.etag }, ctx());
    expect(new TextDecoder().decode(await read(p, 'bkt', 'c'))).toBe('two');
  });

  it('only one of many concurrent ifNoneMatch writers wins', async () => {
    const attempts = await Promise.allSettled(
      Array.from({ length: 8 }, (_, i) =>
        p.putObject({ bucket: 'bkt', key: 'race', body: payload(`w${i}`), ifNoneMatch: '*' }, ctx()),
      ),
    );
    expect(attempts.filter((a) => a.status === 'fulfilled')).toHaveLength(1);
  });

  it('checks Content-MD5', async () => {
    const good = Buffer.from(createHash('md5').update('data').digest()).toString('base64');
    await p.putObject({ bucket: 'bkt', key: 'm', body: payload('data'), contentMD5: good }, ctx());
    expect(
      await errorCode(() =>
        p.putObject({ bucket: 'bkt', key: 'm', body: payload('other'), contentMD5: good }, ctx()),
      ),
    ).toBe('BadDigest');
    expect(new TextDecoder().decode(await read(p, 'bkt', 'm'))).toBe('data');
  });

  it('lists in UTF-8 order with prefix and pagination', async () => {
    const keys = ['b', 'a/1', 'a/2', 'a', 'z\u{1F600}', 'z\uFFFD', 'A', 'a b'];
    for (const key of keys) await p.putObject({ bucket: 'bkt', key, body: payload(text(key)) }, ctx());
    const seen: string[] = [];
    let token: string | undefined;
    do {
      const page = await p.listObjects(
        { bucket: 'bkt', maxKeys: 3, ...(token ? { continuationToken: token } : {}) },
        ctx(),
      );
      expect(page.objects.length).toBeLessThanOrEqual(3);
      seen.push(...page.objects.map((o) => o.key));
      token = page.nextContinuationToken;
      expect(page.isTruncated).toBe(token !== undefined);
    } while (token);
    const utf8Sorted = [...keys].sort((x, y) => Buffer.compare(Buffer.from(x), Buffer.from(y)));
    expect(seen).toEqual(utf8Sorted);
    const prefixed = await p.listObjects({ bucket: 'bkt', prefix: 'a/' }, ctx());
    expect(prefixed.objects.map((o) => o.key)).toEqual(['a/1', 'a/2']);
    // As S3 (and the memory provider): a page of 0 keys is empty and not truncated.
    const none = await p.listObjects({ bucket: 'bkt', maxKeys: 0 }, ctx());
    expect(none).toMatchObject({ objects: [], isTruncated: false });
    expect(none.nextContinuationToken).toBeUndefined();
    expect(await errorCode(() => p.listObjects({ bucket: 'bkt', continuationToken: '!!' }, ctx()))).toBe(
      'InvalidArgument',
    );
  });

  it('manages buckets: already owned, not empty, deleted', async () => {
    expect(await errorCode(() => p.createBucket({ bucket: 'bkt' }, ctx()))).toBe('BucketAlreadyOwnedByYou');
    await p.putObject({ bucket: 'bkt', key: 'x', body: payload('x') }, ctx());
    await p.createMultipartUpload({ bucket: 'bkt', key: 'y' }, ctx());
    expect(await errorCode(() => p.deleteBucket({ bucket: 'bkt' }, ctx()))).toBe('BucketNotEmpty');
    await p.deleteObject({ bucket: 'bkt', key: 'x' }, ctx());
    await p.deleteBucket({ bucket: 'bkt' }, ctx());
    expect(await errorCode(() => p.listObjects({ bucket: 'bkt' }, ctx()))).toBe('NoSuchBucket');
    expect(await errorCode(() => p.deleteBucket({ bucket: 'bkt' }, ctx()))).toBe('NoSuchBucket');
  });

  it('rejects invalid bucket names with InvalidBucketName', async () => {
    for (const bucket of [
      'Upper',
      'a',
      'has_underscore',
      '..',
      'a..b',
      '192.168.1.1',
      '-start',
      `${'x'.repeat(64)}`,
    ]) {
      expect(await errorCode(() => p.createBucket({ bucket }, ctx()))).toBe('InvalidBucketName');
    }
  });

  it('stops with RequestAborted when the signal has fired', async () => {
    const controller = new AbortController();
    controller.abort(new Error('stop'));
    expect(
      await errorCode(() =>
        p.putObject({ bucket: 'bkt', key: 'k', body: payload('x') }, { signal: controller.signal }),
      ),
    ).toBe('RequestAborted');
  });
});
