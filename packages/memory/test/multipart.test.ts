import { ProviderRegistry } from '@partcopy/core';
import { md5Etag, toPayload } from '@partcopy/core/provider';
import { describe, expect, it } from 'vitest';
import { MemoryStore, memoryProviderFactory, processMemoryStore } from '../src/index.js';
import { STEP_BYTES } from '../src/memory-bytes.js';
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

describe('uploadPart', () => {
  it('stores parts, replaces a part of the same number, and fails on an unknown upload', async () => {
    const provider = newProvider();
    const bucket = await newBucket(provider);
    const upload = await provider.createMultipartUpload({ bucket, key: 'k' }, ctx());
    const first = await provider.uploadPart({ ...upload, partNumber: 3, body: payload('first') }, ctx());
    expect(first.etag).toBe(md5Etag(new TextEncoder().encode('first')));
    const second = await provider.uploadPart({ ...upload, partNumber: 3, body: payload('second') }, ctx());
    expect(second.etag).not.toBe(first.etag);
    const listed = await provider.listParts(upload, ctx());
    expect(listed.parts.map((part) => [part.partNumber, part.etag, part.size])).toEqual([
      [3, second.etag, 6],
    ]);
    const error = await expectCode(
      provider.uploadPart({ ...upload, uploadId: 'nope', partNumber: 1, body: payload('x') }, ctx()),
      'NoSuchUpload',
    );
    expect(error.context).toMatchObject({
      provider: 'memory',
      operation: 'uploadPart',
      bucket,
      key: 'k',
      uploadId: 'nope',
      partNumber: 1,
    });
    await expectCode(
      provider.uploadPart({ ...upload, bucket: 'no-bucket', partNumber: 1, body: payload('x') }, ctx()),
      'NoSuchBucket',
    );
  });

  it('refuses a part over maxPartSize and a wrong Content-MD5', async () => {
    const provider = newProvider();
    const small = new (provider.constructor as typeof import('../src/index.js').MemoryProvider)({
      store: provider.store,
      maxPartSize: 4,
    });
    const bucket = await newBucket(provider);
    const upload = await provider.createMultipartUpload({ bucket, key: 'k' }, ctx());
    await expectCode(
      small.uploadPart({ ...upload, partNumber: 1, body: payload('12345') }, ctx()),
      'EntityTooLarge',
    );
    await expectCode(
      provider.uploadPart(
        { ...upload, partNumber: 1, body: payload('x'), contentMD5: 'AAAAAAAAAAAAAAAAAAAAAA==' },
        ctx(),
      ),
      'BadDigest',
    );
  });

  it('nothing is visible at the key until completion', async () => {
    const provider = newProvider();
    const bucket = await newBucket(provider);
    const upload = await provider.createMultipartUpload({ bucket, key: 'k' }, ctx());
    await provider.uploadPart({ ...upload, partNumber: 1, body: payload('x') }, ctx());
    await expectCode(provider.headObject({ bucket, key: 'k' }, ctx()), 'NoSuchKey');
  });
});

describe('abortMultipartUpload', () => {
  it('removes the upload and its parts, leaves an existing object, and the id is gone afterwards', async () => {
    const provider = newProvider();
    const bucket = await newBucket(provider);
    await put(provider, bucket, 'k', 'existing');
    const upload = await provider.createMultipartUpload({ bucket, key: 'k' }, ctx());
    await provider.uploadPart({ ...upload, partNumber: 1, body: payload(pattern(100)) }, ctx());
    await provider.abortMultipartUpload(upload, ctx());
    expect(provider.store.uploads.size).toBe(0);
    expect((await provider.listMultipartUploads({ bucket }, ctx())).uploads).toEqual([]);
    await expectCode(provider.listParts(upload, ctx()), 'NoSuchUpload');
    await expectCode(
      provider.uploadPart({ ...upload, partNumber: 2, body: payload('x') }, ctx()),
      'NoSuchUpload',
    );
    await expectCode(provider.abortMultipartUpload(upload, ctx()), 'NoSuchUpload');
    expect(text(await readBody((await provider.getObject({ bucket, key: 'k' }, ctx())).body))).toBe(
      'existing',
    );
    expect((await provider.listObjects({ bucket }, ctx())).objects.map((object) => object.key)).toEqual([
      'k',
    ]);
  });

  it('an upload aborted while a part copy is running gets no part (NoSuchUpload)', async () => {
    const provider = newProvider();
    const bucket = await newBucket(provider);
    await put(provider, bucket, 'src', pattern(STEP_BYTES * 2));
    const upload = await provider.createMultipartUpload({ bucket, key: 'k' }, ctx());
    let aborted = false;
    const copying = provider.uploadPartCopy(
      { ...upload, partNumber: 1, source: { bucket, key: 'src' }, conditions: {} },
      ctx(() => {
        if (!aborted) void provider.abortMultipartUpload(upload, ctx());
        aborted = true;
      }),
    );
    await expectCode(copying, 'NoSuchUpload');
    expect(provider.store.uploads.size).toBe(0);
  });
});

describe('a shared store (another process holding the upload id)', () => {
  it('lets a second provider list, complete and abort uploads the first created', async () => {
    const store = new MemoryStore();
    const first = newProvider(store);
    const second = newProvider(store);
    const bucket = await newBucket(first);
    const upload = await first.createMultipartUpload({ bucket, key: 'k' }, ctx());
    const part = await first.uploadPart({ ...upload, partNumber: 1, body: payload('from first') }, ctx());
    expect((await second.listParts(upload, ctx())).parts.map((p) => p.etag)).toEqual([part.etag]);
    expect((await second.listMultipartUploads({ bucket }, ctx())).uploads.map((u) => u.uploadId)).toEqual([
      upload.uploadId,
    ]);
    await second.completeMultipartUpload({ ...upload, parts: [{ partNumber: 1, etag: part.etag }] }, ctx());
    expect(text(await readBody((await first.getObject({ bucket, key: 'k' }, ctx())).body))).toBe(
      'from first',
    );
    await expectCode(first.listParts(upload, ctx()), 'NoSuchUpload');

    const other = await second.createMultipartUpload({ bucket, key: 'j' }, ctx());
    await first.abortMultipartUpload(other, ctx());
    await expectCode(second.listParts(other, ctx()), 'NoSuchUpload');
  });
});

describe('listParts pagination', () => {
  it('pages with maxParts, partNumberMarker and nextPartNumberMarker', async () => {
    const provider = newProvider();
    const bucket = await newBucket(provider);
    const upload = await provider.createMultipartUpload({ bucket, key: 'k' }, ctx());
    for (const partNumber of [5, 1, 3, 2, 4]) {
      await provider.uploadPart({ ...upload, partNumber, body: payload(`part ${partNumber}`) }, ctx());
    }
    const first = await provider.listParts({ ...upload, maxParts: 2 }, ctx());
    expect(first.parts.map((part) => part.partNumber)).toEqual([1, 2]);
    expect(first).toMatchObject({
      isTruncated: true,
      nextPartNumberMarker: 2,
      bucket,
      key: 'k',
      uploadId: upload.uploadId,
    });
    const second = await provider.listParts({ ...upload, maxParts: 2, partNumberMarker: 2 }, ctx());
    expect(second.parts.map((part) => part.partNumber)).toEqual([3, 4]);
    const last = await provider.listParts({ ...upload, maxParts: 2, partNumberMarker: 4 }, ctx());
    expect(last.parts.map((part) => part.partNumber)).toEqual([5]);
    expect(last.isTruncated).toBe(false);
    expect(last.parts[0]).toMatchObject({ size: 6, etag: md5Etag(new TextEncoder().encode('part 5')) });
    expect(last.parts[0]?.lastModified).toBeInstanceOf(Date);
  });
});

describe('listMultipartUploads pagination', () => {
  it('orders by key then initiation and pages with keyMarker / uploadIdMarker', async () => {
    const provider = newProvider();
    const bucket = await newBucket(provider);
    const other = await newBucket(provider);
    await provider.createMultipartUpload({ bucket: other, key: 'a' }, ctx());
    const created: Array<{ key: string; uploadId: string }> = [];
    for (const key of ['b', 'a', 'b', 'c', 'a', 'b']) {
      const upload = await provider.createMultipartUpload({ bucket, key }, ctx());
      created.push({ key, uploadId: upload.uploadId });
    }
    const expected = ['a', 'b', 'c'].flatMap((key) => created.filter((upload) => upload.key === key));
    const seen: Array<{ key: string; uploadId: string }> = [];
    let keyMarker: string | undefined;
    let uploadIdMarker: string | undefined;
    for (;;) {
      const page = await provider.listMultipartUploads(
        {
          bucket,
          maxUploads: 2,
          ...(keyMarker ? { keyMarker } : {}),
          ...(uploadIdMarker ? { uploadIdMarker } : {}),
        },
        ctx(),
      );
      seen.push(...page.uploads.map(({ key, uploadId }) => ({ key, uploadId })));
      expect(page.uploads.every((upload) => upload.initiated instanceof Date)).toBe(true);
      if (!page.isTruncated) break;
      expect(page.nextKeyMarker).toBe(page.uploads.at(-1)?.key);
      expect(page.nextUploadIdMarker).toBe(page.uploads.at(-1)?.uploadId);
      keyMarker = page.nextKeyMarker;
      uploadIdMarker = page.nextUploadIdMarker;
    }
    expect(seen).toEqual(expected);
  });

  it('with only keyMarker lists keys after it; a prefix filters; a completed marker upload still pages', async () => {
    const provider = newProvider();
    const bucket = await newBucket(provider);
    const a1 = await provider.createMultipartUpload({ bucket, key: 'logs/a' }, ctx());
    const a2 = await provider.createMultipartUpload({ bucket, key: 'logs/a' }, ctx());
    await provider.createMultipartUpload({ bucket, key: 'logs/b' }, ctx());
    await provider.createMultipartUpload({ bucket, key: 'other' }, ctx());
    const afterKey = await provider.listMultipartUploads({ bucket, keyMarker: 'logs/a' }, ctx());
    expect(afterKey.uploads.map((upload) => upload.key)).toEqual(['logs/b', 'other']);
    const prefixed = await provider.listMultipartUploads({ bucket, prefix: 'logs/' }, ctx());
    expect(prefixed.uploads.map((upload) => upload.key)).toEqual(['logs/a', 'logs/a', 'logs/b']);
    await provider.abortMultipartUpload(a1, ctx());
    const resumed = await provider.listMultipartUploads(
      { bucket, keyMarker: 'logs/a', uploadIdMarker: a1.uploadId },
      ctx(),
    );
    expect(resumed.uploads.map((upload) => upload.uploadId)[0]).toBe(a2.uploadId);
    await expectCode(provider.listMultipartUploads({ bucket: 'no-bucket' }, ctx()), 'NoSuchBucket');
  });
});

describe('atomic publication', () => {
  it('readers see the old object while a large completion is assembling', async () => {
    const provider = newProvider();
    const bucket = await newBucket(provider);
    await put(provider, bucket, 'k', 'old');
    const upload = await provider.createMultipartUpload({ bucket, key: 'k' }, ctx());
    const parts = [];
    for (const partNumber of [1, 2, 3]) {
      const part = await provider.uploadPart(
        { ...upload, partNumber, body: payload(pattern(STEP_BYTES)) },
        ctx(),
      );
      parts.push({ partNumber, etag: part.etag });
    }
    // Assembly yields to the event loop after each part; look at the key in between.
    const completing = provider.completeMultipartUpload({ ...upload, parts }, ctx());
    await new Promise((resolve) => setImmediate(resolve));
    expect((await provider.headObject({ bucket, key: 'k' }, ctx())).size).toBe(3);
    await completing;
    expect((await provider.headObject({ bucket, key: 'k' }, ctx())).size).toBe(STEP_BYTES * 3);
  });

  it('a completion whose signal fires during assembly changes nothing', async () => {
    const provider = newProvider();
    const bucket = await newBucket(provider);
    const upload = await provider.createMultipartUpload({ bucket, key: 'k' }, ctx());
    const part = await provider.uploadPart(
      { ...upload, partNumber: 1, body: payload(pattern(STEP_BYTES * 2)) },
      ctx(),
    );
    await expectCode(
      provider.completeMultipartUpload(
        { ...upload, parts: [{ partNumber: 1, etag: part.etag }] },
        abortedCtx(),
      ),
      'RequestAborted',
    );
    await expectCode(provider.headObject({ bucket, key: 'k' }, ctx()), 'NoSuchKey');
    expect((await provider.listParts(upload, ctx())).parts).toHaveLength(1);
  });
});

describe('memoryProviderFactory', () => {
  it('resolves mem:// URLs to providers sharing the process store, or a given store', async () => {
    const registry = new ProviderRegistry().register(memoryProviderFactory);
    expect(registry.schemes()).toEqual(['mem']);
    const { provider, ref } = await registry.resolve('mem://bucket/some/key');
    expect(ref).toEqual({ scheme: 'mem', bucket: 'bucket', key: 'some/key' });
    expect(provider).toMatchObject({ name: 'memory', specVersion: 1 });
    expect((provider as unknown as { store: MemoryStore }).store).toBe(processMemoryStore());
    const store = new MemoryStore();
    const own = await registry.open('mem', { store, minPartSize: 1 });
    expect((own as unknown as { store: MemoryStore }).store).toBe(store);
    expect(own.capabilities.minPartSize).toBe(1);
  });
});

describe('progress of uploads', () => {
  it('uploadPart reports cumulative bytes of a streamed body', async () => {
    const provider = newProvider();
    const bucket = await newBucket(provider);
    const upload = await provider.createMultipartUpload({ bucket, key: 'k' }, ctx());
    async function* chunks() {
      yield pattern(10);
      yield pattern(5);
    }
    const seen: Array<[number, number | undefined]> = [];
    const body = toPayload(chunks(), 15);
    await provider.uploadPart(
      { ...upload, partNumber: 1, body },
      ctx((done, total) => seen.push([done, total])),
    );
    expect(seen).toEqual([
      [10, 15],
      [15, 15],
    ]);
    const short = toPayload(chunks(), 20);
    await expectCode(provider.uploadPart({ ...upload, partNumber: 2, body: short }, ctx()), 'IncompleteBody');
    expect((await provider.listParts(upload, ctx())).parts.map((part) => part.partNumber)).toEqual([1]);
  });
});
