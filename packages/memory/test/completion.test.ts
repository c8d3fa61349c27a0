import type { Checksums } from '@partcopy/core';
import { checksumOf, compositeChecksum, md5Etag, multipartEtag } from '@partcopy/core/provider';
import { describe, expect, it } from 'vitest';
import type { MemoryProvider } from '../src/index.js';
import { STEP_BYTES } from '../src/memory-bytes.js';
import {
  ctx,
  expectCode,
  MIN_PART,
  newBucket,
  newProvider,
  pattern,
  payload,
  put,
  readBody,
  text,
} from './helpers.js';

async function withParts(sizes: number[], options: { versioning?: boolean; create?: object } = {}) {
  const provider = newProvider();
  const bucket = await newBucket(provider, options.versioning);
  const upload = await provider.createMultipartUpload(
    { bucket, key: 'obj', contentType: 'text/x-joined', ...options.create },
    ctx(),
  );
  const datas = sizes.map((size, index) => pattern(size, index + 1));
  const parts = [];
  for (const [index, data] of datas.entries()) {
    const result = await provider.uploadPart(
      { ...upload, partNumber: index + 1, body: payload(data) },
      ctx(),
    );
    parts.push({ partNumber: index + 1, etag: result.etag, ...checksumsOf(result) });
  }
  return { provider, bucket, upload, datas, parts };
}

function concat(pieces: Uint8Array[]): Uint8Array {
  return new Uint8Array(Buffer.concat(pieces));
}

function checksumsOf(result: object): Checksums {
  return Object.fromEntries(Object.entries(result).filter(([name]) => name.startsWith('checksum')));
}

async function body(provider: MemoryProvider, bucket: string, key: string) {
  return readBody((await provider.getObject({ bucket, key }, ctx())).body);
}

describe('completeMultipartUpload', () => {
  it('joins the listed parts, gives the multipart ETag and the upload settings, and forgets the upload', async () => {
    const { provider, bucket, upload, datas, parts } = await withParts([MIN_PART, MIN_PART + 3, 5]);
    const done = await provider.completeMultipartUpload({ ...upload, parts }, ctx());
    expect(done.etag).toBe(multipartEtag(datas.map((data) => md5Etag(data))));
    expect(done.etag).toMatch(/^"[0-9a-f]{32}-3"$/);
    expect(done.versionId).toBeUndefined();
    expect(await body(provider, bucket, 'obj')).toEqual(concat(datas));
    const info = await provider.headObject({ bucket, key: 'obj' }, ctx());
    expect(info).toMatchObject({
      etag: done.etag,
      partsCount: 3,
      contentType: 'text/x-joined',
      size: 2 * MIN_PART + 8,
    });
    await expectCode(provider.listParts(upload, ctx()), 'NoSuchUpload');
    await expectCode(provider.completeMultipartUpload({ ...upload, parts }, ctx()), 'NoSuchUpload');
    await expectCode(provider.abortMultipartUpload(upload, ctx()), 'NoSuchUpload');
  });

  it('leaves out (and discards) parts not listed; a part list may skip numbers', async () => {
    const { provider, bucket, upload, datas, parts } = await withParts([MIN_PART, MIN_PART, 7]);
    const chosen = [parts[0], parts[2]] as typeof parts;
    await provider.completeMultipartUpload({ ...upload, parts: chosen }, ctx());
    expect(await body(provider, bucket, 'obj')).toEqual(
      concat([datas[0] as Uint8Array, datas[2] as Uint8Array]),
    );
    expect(provider.store.uploads.has(upload.uploadId)).toBe(false);
  });

  it('applies S3 rules before changing anything; a failed completion can be retried', async () => {
    const { provider, bucket, upload, parts } = await withParts([MIN_PART, MIN_PART - 1, 3]);
    const [p1, p2, p3] = parts as [(typeof parts)[0], (typeof parts)[0], (typeof parts)[0]];
    await expectCode(provider.completeMultipartUpload({ ...upload, parts: [] }, ctx()), 'MalformedXML');
    await expectCode(
      provider.completeMultipartUpload({ ...upload, parts: [p2, p1] }, ctx()),
      'InvalidPartOrder',
    );
    await expectCode(
      provider.completeMultipartUpload({ ...upload, parts: [p1, { ...p2, etag: '"abc"' }] }, ctx()),
      'InvalidPart',
    );
    await expectCode(
      provider.completeMultipartUpload({ ...upload, parts: [p1, { partNumber: 9, etag: p1.etag }] }, ctx()),
      'InvalidPart',
    );
    const small = await expectCode(
      provider.completeMultipartUpload({ ...upload, parts: [p2, p3] }, ctx()),
      'EntityTooSmall',
    );
    expect(small.context).toMatchObject({
      partNumber: 2,
      uploadId: upload.uploadId,
      operation: 'completeMultipartUpload',
    });
    await expectCode(provider.headObject({ bucket, key: 'obj' }, ctx()), 'NoSuchKey');
    // The last part may be small; the upload is still there after the failures.
    await provider.completeMultipartUpload({ ...upload, parts: [p1, p2] }, ctx());
  });

  it('checks the stated total size (mpObjectSize)', async () => {
    const { provider, upload, parts } = await withParts([MIN_PART, 1]);
    await expectCode(
      provider.completeMultipartUpload({ ...upload, parts, mpObjectSize: 5 }, ctx()),
      'InvalidRequest',
    );
    await provider.completeMultipartUpload({ ...upload, parts, mpObjectSize: MIN_PART + 1 }, ctx());
  });

  it('creates a new version in a versioned bucket', async () => {
    const { provider, bucket, upload, parts } = await withParts([3], { versioning: true });
    const before = await put(provider, bucket, 'obj', 'old');
    const done = await provider.completeMultipartUpload({ ...upload, parts }, ctx());
    expect(done.versionId).toBeDefined();
    expect(done.versionId).not.toBe(before.versionId);
    expect(
      text(
        await readBody(
          (await provider.getObject({ bucket, key: 'obj', versionId: before.versionId as string }, ctx()))
            .body,
        ),
      ),
    ).toBe('old');
  });
});

describe('completeMultipartUpload: destination conditions', () => {
  it('If-None-Match: * refuses an existing object with 412 and leaves it', async () => {
    const { provider, bucket, upload, parts } = await withParts([4]);
    await put(provider, bucket, 'obj', 'existing');
    await expectCode(
      provider.completeMultipartUpload({ ...upload, parts, ifNoneMatch: '*' }, ctx()),
      'PreconditionFailed',
    );
    expect(text(await body(provider, bucket, 'obj'))).toBe('existing');
    expect((await provider.listParts(upload, ctx())).parts).toHaveLength(1);
  });

  it('If-Match needs the current ETag: 412 on another, NoSuchKey when nothing exists', async () => {
    const { provider, bucket, upload, parts } = await withParts([4]);
    await expectCode(
      provider.completeMultipartUpload({ ...upload, parts, ifMatch: '"abc"' }, ctx()),
      'NoSuchKey',
    );
    const existing = await put(provider, bucket, 'obj', 'existing');
    await expectCode(
      provider.completeMultipartUpload({ ...upload, parts, ifMatch: '"abc"' }, ctx()),
      'PreconditionFailed',
    );
    await provider.completeMultipartUpload({ ...upload, parts, ifMatch: existing.etag }, ctx());
    expect((await body(provider, bucket, 'obj')).length).toBe(4);
  });

  it('a writer that wins the race during assembly makes the completion fail with ConditionalRequestConflict', async () => {
    // Big enough that assembly yields to the event loop, letting the racing put publish first.
    const { provider, bucket, upload, parts } = await withParts([STEP_BYTES]);
    const controller = new AbortController();
    const completing = provider.completeMultipartUpload(
      { ...upload, parts, ifNoneMatch: '*' },
      { signal: controller.signal },
    );
    await put(provider, bucket, 'obj', 'racer');
    await expectCode(completing, 'ConditionalRequestConflict');
    expect(text(await body(provider, bucket, 'obj'))).toBe('racer');
  });
});

describe('completeMultipartUpload: checksums', () => {
  it('SHA256 (composite): part checksums, the -N object checksum, and the part list must carry them', async () => {
    const { provider, bucket, upload, datas, parts } = await withParts([MIN_PART, 2], {
      create: { checksumAlgorithm: 'SHA256' },
    });
    expect(upload.checksumType).toBe('COMPOSITE');
    expect(parts[0]?.checksumSHA256).toBe(checksumOf('SHA256', datas[0] as Uint8Array));
    const bare = parts.map(({ partNumber, etag }) => ({ partNumber, etag }));
    await expectCode(provider.completeMultipartUpload({ ...upload, parts: bare }, ctx()), 'InvalidRequest');
    const wrong = parts.map((part) => ({ ...part, checksumSHA256: checksumOf('SHA256', new Uint8Array(1)) }));
    await expectCode(provider.completeMultipartUpload({ ...upload, parts: wrong }, ctx()), 'InvalidPart');
    const done = await provider.completeMultipartUpload({ ...upload, parts }, ctx());
    const expected = compositeChecksum(
      'SHA256',
      datas.map((data) => checksumOf('SHA256', data)),
    );
    expect(done.checksumSHA256).toBe(expected);
    expect(done.checksumType).toBe('COMPOSITE');
    expect((await provider.headObject({ bucket, key: 'obj' }, ctx())).checksumSHA256).toBe(expected);
  });

  it('CRC64NVME (full object): the checksum of all the bytes; a wrong stated one is BadDigest', async () => {
    const { provider, upload, datas, parts } = await withParts([MIN_PART, 9], {
      create: { checksumAlgorithm: 'CRC64NVME' },
    });
    expect(upload.checksumType).toBe('FULL_OBJECT');
    const whole = checksumOf('CRC64NVME', Buffer.concat(datas));
    await expectCode(
      provider.completeMultipartUpload({ ...upload, parts, checksumCRC64NVME: 'AAAAAAAAAAA=' }, ctx()),
      'BadDigest',
    );
    const bare = parts.map(({ partNumber, etag }) => ({ partNumber, etag }));
    const done = await provider.completeMultipartUpload(
      { ...upload, parts: bare, checksumCRC64NVME: whole },
      ctx(),
    );
    expect(done.checksumCRC64NVME).toBe(whole);
  });

  it('CRC32C and CRC32 can be full-object; SHA cannot, CRC64NVME cannot be composite', async () => {
    const { provider, upload, datas, parts } = await withParts([MIN_PART, 1], {
      create: { checksumAlgorithm: 'CRC32C', checksumType: 'FULL_OBJECT' },
    });
    const done = await provider.completeMultipartUpload({ ...upload, parts }, ctx());
    expect(done.checksumCRC32C).toBe(checksumOf('CRC32C', Buffer.concat(datas)));
    await expectCode(
      provider.createMultipartUpload(
        { bucket: upload.bucket, key: 'x', checksumAlgorithm: 'SHA1', checksumType: 'FULL_OBJECT' },
        ctx(),
      ),
      'InvalidRequest',
    );
    await expectCode(
      provider.createMultipartUpload(
        { bucket: upload.bucket, key: 'x', checksumAlgorithm: 'CRC64NVME', checksumType: 'COMPOSITE' },
        ctx(),
      ),
      'InvalidRequest',
    );
    await expectCode(
      provider.createMultipartUpload({ bucket: upload.bucket, key: 'x', checksumType: 'COMPOSITE' }, ctx()),
      'InvalidRequest',
    );
    const crc32 = await provider.createMultipartUpload(
      { bucket: upload.bucket, key: 'x', checksumAlgorithm: 'CRC32' },
      ctx(),
    );
    expect(crc32.checksumType).toBe('COMPOSITE');
    await expectCode(
      provider.completeMultipartUpload(
        { ...crc32, parts: [{ partNumber: 1, etag: '"x"' }], checksumType: 'FULL_OBJECT' },
        ctx(),
      ),
      'InvalidRequest',
    );
  });

  it('part copies carry the upload checksum', async () => {
    const provider = newProvider();
    const bucket = await newBucket(provider);
    const data = pattern(50);
    await put(provider, bucket, 'src', data);
    const upload = await provider.createMultipartUpload(
      { bucket, key: 'dst', checksumAlgorithm: 'CRC32' },
      ctx(),
    );
    const copied = await provider.uploadPartCopy(
      {
        ...upload,
        partNumber: 1,
        source: { bucket, key: 'src' },
        conditions: {},
        range: { start: 5, end: 14 },
      },
      ctx(),
    );
    expect(copied.copyPartResult.checksumCRC32).toBe(checksumOf('CRC32', data.subarray(5, 15)));
    const listed = await provider.listParts(upload, ctx());
    expect(listed.parts[0]?.checksumCRC32).toBe(copied.copyPartResult.checksumCRC32);
    expect(listed).toMatchObject({ checksumAlgorithm: 'CRC32', checksumType: 'COMPOSITE' });
  });
});
