import { md5Etag } from '@partcopy/core/provider';
import { describe, expect, it } from 'vitest';
import { createMemoryProvider, MemoryStore } from '../src/index.js';
import { BODY_CHUNK_BYTES } from '../src/memory-bytes.js';
import {
  abortedCtx,
  ctx,
  expectCode,
  newBucket,
  newProvider,
  pattern,
  payload,
  put,
  readBody,
  text,
} from './helpers.js';

describe('buckets', () => {
  it('refuses an existing name and a non-empty bucket, and deletes an empty one', async () => {
    const provider = newProvider();
    const bucket = await newBucket(provider);
    await expectCode(provider.createBucket({ bucket }, ctx()), 'BucketAlreadyOwnedByYou');
    await put(provider, bucket, 'k', 'x');
    await expectCode(provider.deleteBucket({ bucket }, ctx()), 'BucketNotEmpty');
    await provider.deleteObject({ bucket, key: 'k' }, ctx());
    await provider.deleteBucket({ bucket }, ctx());
    await expectCode(provider.headObject({ bucket, key: 'k' }, ctx()), 'NoSuchBucket');
    await expectCode(provider.deleteBucket({ bucket }, ctx()), 'NoSuchBucket');
  });

  it('counts delete markers as content of a versioned bucket', async () => {
    const provider = newProvider();
    const bucket = await newBucket(provider, true);
    await provider.deleteObject({ bucket, key: 'never-written' }, ctx());
    await expectCode(provider.deleteBucket({ bucket }, ctx()), 'BucketNotEmpty');
  });
});

describe('put, head and get', () => {
  it('stores bytes with a quoted MD5 ETag, a whole-second lastModified and the settings', async () => {
    const provider = newProvider();
    const bucket = await newBucket(provider);
    const data = pattern(1000);
    const result = await provider.putObject(
      {
        bucket,
        key: 'a/b.bin',
        body: payload(data),
        contentType: 'application/x-test',
        metadata: { owner: 'me' },
      },
      ctx(),
    );
    expect(result.etag).toBe(md5Etag(data));
    expect(result.versionId).toBeUndefined();
    const info = await provider.headObject({ bucket, key: 'a/b.bin' }, ctx());
    expect(info).toMatchObject({
      bucket,
      key: 'a/b.bin',
      etag: md5Etag(data),
      size: 1000,
      contentType: 'application/x-test',
    });
    expect(info.metadata).toEqual({ owner: 'me' });
    expect(info.lastModified.getTime() % 1000).toBe(0);
    const got = await provider.getObject({ bucket, key: 'a/b.bin' }, ctx());
    expect(got.contentLength).toBe(1000);
    expect(await readBody(got.body)).toEqual(data);
  });

  it('fails with NoSuchKey and NoSuchBucket', async () => {
    const provider = newProvider();
    const bucket = await newBucket(provider);
    await expectCode(provider.getObject({ bucket, key: 'missing' }, ctx()), 'NoSuchKey');
    await expectCode(provider.headObject({ bucket: 'no-such-bucket', key: 'k' }, ctx()), 'NoSuchBucket');
    await expectCode(put(provider, 'no-such-bucket', 'k', 'x'), 'NoSuchBucket');
  });

  it('keeps its own copy of the bytes (later changes to the caller buffer do not leak in)', async () => {
    const provider = newProvider();
    const bucket = await newBucket(provider);
    const data = Uint8Array.from([1, 2, 3]);
    await put(provider, bucket, 'k', data);
    data[0] = 99;
    const got = await provider.getObject({ bucket, key: 'k' }, ctx());
    const bytes = await readBody(got.body);
    expect([...bytes]).toEqual([1, 2, 3]);
    bytes[1] = 42;
    expect([...(await readBody((await provider.getObject({ bucket, key: 'k' }, ctx())).body))]).toEqual([
      1, 2, 3,
    ]);
  });

  it('checks Content-MD5 (BadDigest) and the largest single put', async () => {
    const provider = createMemoryProvider({ maxPartSize: 10 });
    const bucket = await newBucket(provider);
    await expectCode(
      provider.putObject(
        { bucket, key: 'k', body: payload('hello'), contentMD5: Buffer.alloc(16).toString('base64') },
        ctx(),
      ),
      'BadDigest',
    );
    await expectCode(put(provider, bucket, 'k', pattern(11)), 'EntityTooLarge');
    await expectCode(provider.headObject({ bucket, key: 'k' }, ctx()), 'NoSuchKey');
  });

  it('streams large objects in bounded chunks', async () => {
    const provider = newProvider();
    const bucket = await newBucket(provider);
    const data = pattern(BODY_CHUNK_BYTES * 2 + 5);
    await put(provider, bucket, 'big', data);
    const got = await provider.getObject({ bucket, key: 'big' }, ctx());
    const sizes: number[] = [];
    const chunks: Uint8Array[] = [];
    for await (const chunk of got.body) {
      sizes.push(chunk.length);
      chunks.push(chunk);
    }
    expect(sizes).toEqual([BODY_CHUNK_BYTES, BODY_CHUNK_BYTES, 5]);
    expect(Buffer.concat(chunks).equals(Buffer.from(data))).toBe(true);
  });
});

describe('ranged get', () => {
  it('serves an inclusive range and clamps an end past the object, as S3', async () => {
    const provider = newProvider();
    const bucket = await newBucket(provider);
    await put(provider, bucket, 'k', '0123456789');
    const middle = await provider.getObject({ bucket, key: 'k', range: { start: 2, end: 4 } }, ctx());
    expect(text(await readBody(middle.body))).toBe('234');
    expect(middle.contentLength).toBe(3);
    expect(middle.range).toEqual({ start: 2, end: 4 });
    expect(middle.size).toBe(10);
    const tail = await provider.getObject({ bucket, key: 'k', range: { start: 7, end: 100 } }, ctx());
    expect(text(await readBody(tail.body))).toBe('789');
    expect(tail.range).toEqual({ start: 7, end: 9 });
  });

  it('fails with InvalidRange (416) when the range starts at or past the end', async () => {
    const provider = newProvider();
    const bucket = await newBucket(provider);
    await put(provider, bucket, 'k', '0123456789');
    await put(provider, bucket, 'empty', '');
    const error = await expectCode(
      provider.getObject({ bucket, key: 'k', range: { start: 10, end: 12 } }, ctx()),
      'InvalidRange',
    );
    expect(error.status).toBe(416);
    await expectCode(
      provider.getObject({ bucket, key: 'empty', range: { start: 0, end: 0 } }, ctx()),
      'InvalidRange',
    );
  });
});

describe('conditional put', () => {
  it('If-None-Match: * refuses an existing key (412) and writes a new one', async () => {
    const provider = newProvider();
    const bucket = await newBucket(provider);
    await provider.putObject({ bucket, key: 'k', body: payload('one'), ifNoneMatch: '*' }, ctx());
    await expectCode(
      provider.putObject({ bucket, key: 'k', body: payload('two'), ifNoneMatch: '*' }, ctx()),
      'PreconditionFailed',
    );
    expect(text(await readBody((await provider.getObject({ bucket, key: 'k' }, ctx())).body))).toBe('one');
  });

  it('If-Match writes over the matching ETag, 412 on another, NoSuchKey when there is no object', async () => {
    const provider = newProvider();
    const bucket = await newBucket(provider);
    const first = await put(provider, bucket, 'k', 'one');
    await provider.putObject({ bucket, key: 'k', body: payload('two'), ifMatch: first.etag }, ctx());
    await expectCode(
      provider.putObject({ bucket, key: 'k', body: payload('three'), ifMatch: first.etag }, ctx()),
      'PreconditionFailed',
    );
    await expectCode(
      provider.putObject({ bucket, key: 'new', body: payload('x'), ifMatch: first.etag }, ctx()),
      'NoSuchKey',
    );
  });
});

describe('listObjects', () => {
  it('lists current objects in key order with continuation tokens and a prefix', async () => {
    const provider = newProvider();
    const bucket = await newBucket(provider);
    const keys = ['b', 'a/2', 'a/1', 'c', 'a/10', 'é', 'z'];
    for (const key of keys) await put(provider, bucket, key, key);
    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await provider.listObjects(
        { bucket, maxKeys: 2, ...(token ? { continuationToken: token } : {}) },
        ctx(),
      );
      seen.push(...page.objects.map((object) => object.key));
      expect(page.isTruncated).toBe(page.nextContinuationToken !== undefined);
      token = page.nextContinuationToken;
      pages++;
    } while (token);
    expect(seen).toEqual(['a/1', 'a/10', 'a/2', 'b', 'c', 'z', 'é']);
    expect(pages).toBe(4);
    const prefixed = await provider.listObjects({ bucket, prefix: 'a/' }, ctx());
    expect(prefixed.objects.map((object) => [object.key, object.size])).toEqual([
      ['a/1', 3],
      ['a/10', 4],
      ['a/2', 3],
    ]);
  });

  it('never shows staged parts or deleted keys', async () => {
    const provider = newProvider();
    const bucket = await newBucket(provider, true);
    const upload = await provider.createMultipartUpload({ bucket, key: 'staged' }, ctx());
    await provider.uploadPart({ ...upload, partNumber: 1, body: payload('part') }, ctx());
    await put(provider, bucket, 'gone', 'x');
    await provider.deleteObject({ bucket, key: 'gone' }, ctx());
    const listing = await provider.listObjects({ bucket }, ctx());
    expect(listing.objects).toEqual([]);
    expect(listing.isTruncated).toBe(false);
  });
});

describe('abort signal', () => {
  it('every operation refuses a fired signal with RequestAborted and context', async () => {
    const provider = newProvider();
    const bucket = await newBucket(provider);
    const error = await expectCode(provider.getObject({ bucket, key: 'k' }, abortedCtx()), 'RequestAborted');
    expect(error.context).toMatchObject({ provider: 'memory', operation: 'getObject', bucket, key: 'k' });
    await expectCode(
      provider.putObject({ bucket, key: 'k', body: payload('x') }, abortedCtx()),
      'RequestAborted',
    );
    await expectCode(provider.listObjects({ bucket }, abortedCtx()), 'RequestAborted');
    await expectCode(provider.createBucket({ bucket: 'other' }, abortedCtx()), 'RequestAborted');
    await expectCode(provider.headObject({ bucket, key: 'k' }, ctx()), 'NoSuchKey');
  });

  it('stops a body being read when the signal fires mid-stream', async () => {
    const provider = newProvider();
    const bucket = await newBucket(provider);
    await put(provider, bucket, 'big', pattern(BODY_CHUNK_BYTES * 3));
    const controller = new AbortController();
    const got = await provider.getObject({ bucket, key: 'big' }, { signal: controller.signal });
    const iterator = got.body[Symbol.asyncIterator]();
    await iterator.next();
    controller.abort();
    await expectCode(iterator.next(), 'RequestAborted');
  });

  it('a shared store gives two providers one view of the objects', async () => {
    const store = new MemoryStore();
    const one = newProvider(store);
    const two = newProvider(store);
    const bucket = await newBucket(one);
    await put(one, bucket, 'k', 'shared');
    expect(text(await readBody((await two.getObject({ bucket, key: 'k' }, ctx())).body))).toBe('shared');
  });
});
