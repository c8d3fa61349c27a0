import { md5Etag } from '@partcopy/core/provider';
import { describe, expect, it } from 'vitest';
import type { MemoryProvider } from '../src/index.js';
import { STEP_BYTES } from '../src/memory-bytes.js';
import { ctx, expectCode, newBucket, newProvider, pattern, put, readBody } from './helpers.js';

async function setup(versioning = false) {
  const provider = newProvider();
  const bucket = await newBucket(provider, versioning);
  const data = pattern(100, 5);
  const source = await put(provider, bucket, 'src', data);
  const upload = await provider.createMultipartUpload({ bucket, key: 'dst' }, ctx());
  return { provider, bucket, data, source, upload };
}

function copyRequest(
  upload: { bucket: string; key: string; uploadId: string },
  bucket: string,
  extra: object = {},
) {
  return { ...upload, partNumber: 1, source: { bucket, key: 'src' }, conditions: {}, ...extra };
}

async function partBytes(
  provider: MemoryProvider,
  upload: { bucket: string; key: string; uploadId: string },
  etag: string,
  size = 1,
) {
  const done = await provider.completeMultipartUpload({ ...upload, parts: [{ partNumber: 1, etag }] }, ctx());
  const got = await provider.getObject({ bucket: upload.bucket, key: upload.key }, ctx());
  expect(got.size).toBeGreaterThanOrEqual(size > 0 ? 1 : 0);
  return { done, bytes: await readBody(got.body) };
}

describe('uploadPartCopy: bytes', () => {
  it('copies an inclusive range; the part ETag is the MD5 of the copied bytes', async () => {
    const { provider, bucket, data, upload } = await setup();
    const result = await provider.uploadPartCopy(
      copyRequest(upload, bucket, { range: { start: 10, end: 29 } }),
      ctx(),
    );
    const expected = data.subarray(10, 30);
    expect(result.copyPartResult.etag).toBe(md5Etag(expected));
    expect(result.copyPartResult.lastModified).toBeInstanceOf(Date);
    expect(result.transfer).toBe('server-side');
    expect(result.bytesCopied).toBe(20);
    expect(result.copySourceVersionId).toBeUndefined();
    const { bytes } = await partBytes(provider, upload, result.copyPartResult.etag);
    expect(bytes).toEqual(expected);
  });

  it('copies the whole source without a range, including the last byte', async () => {
    const { provider, bucket, data, upload } = await setup();
    const whole = await provider.uploadPartCopy(copyRequest(upload, bucket), ctx());
    expect(whole.bytesCopied).toBe(100);
    const last = await provider.uploadPartCopy(
      copyRequest(upload, bucket, { partNumber: 2, range: { start: 99, end: 99 } }),
      ctx(),
    );
    expect(last.copyPartResult.etag).toBe(md5Etag(data.subarray(99)));
    const { bytes } = await partBytes(provider, upload, whole.copyPartResult.etag);
    expect(bytes).toEqual(data);
  });

  it('refuses a range past the end with InvalidArgument naming the size', async () => {
    const { provider, bucket, upload } = await setup();
    const error = await expectCode(
      provider.uploadPartCopy(copyRequest(upload, bucket, { range: { start: 90, end: 100 } }), ctx()),
      'InvalidArgument',
    );
    expect(error.message).toContain('size: 100');
    expect(error.context).toMatchObject({
      provider: 'memory',
      operation: 'uploadPartCopy',
      uploadId: upload.uploadId,
      partNumber: 1,
      sourceKey: 'src',
    });
  });

  it('replaces a part of the same number', async () => {
    const { provider, bucket, data, upload } = await setup();
    await provider.uploadPartCopy(copyRequest(upload, bucket, { range: { start: 0, end: 9 } }), ctx());
    const second = await provider.uploadPartCopy(
      copyRequest(upload, bucket, { range: { start: 50, end: 59 } }),
      ctx(),
    );
    const parts = await provider.listParts(upload, ctx());
    expect(parts.parts.map((part) => [part.partNumber, part.etag, part.size])).toEqual([
      [1, md5Etag(data.subarray(50, 60)), 10],
    ]);
    expect(second.copyPartResult.etag).toBe(parts.parts[0]?.etag);
  });

  it('copies across buckets and from a part of a completed multipart object', async () => {
    const { provider, bucket, data, upload } = await setup();
    const other = await newBucket(provider);
    const staging = await provider.createMultipartUpload({ bucket: other, key: 'assembled' }, ctx());
    const p1 = await provider.uploadPartCopy(
      copyRequest(staging, bucket, { range: { start: 0, end: 49 } }),
      ctx(),
    );
    const p2 = await provider.uploadPartCopy(
      copyRequest(staging, bucket, { partNumber: 2, range: { start: 50, end: 99 } }),
      ctx(),
    );
    await provider.completeMultipartUpload(
      {
        ...staging,
        parts: [
          { partNumber: 1, etag: p1.copyPartResult.etag },
          { partNumber: 2, etag: p2.copyPartResult.etag },
        ],
      },
      ctx(),
    );
    const result = await provider.uploadPartCopy(
      {
        ...upload,
        partNumber: 1,
        source: { bucket: other, key: 'assembled' },
        conditions: {},
        range: { start: 45, end: 54 },
      },
      ctx(),
    );
    expect(result.copyPartResult.etag).toBe(md5Etag(data.subarray(45, 55)));
  });

  it('reports progress and stops on a signal fired mid-copy, leaving no part', async () => {
    const provider = newProvider();
    const bucket = await newBucket(provider);
    const size = STEP_BYTES * 3;
    await put(provider, bucket, 'src', pattern(size));
    const upload = await provider.createMultipartUpload({ bucket, key: 'dst' }, ctx());
    const seen: Array<[number, number | undefined]> = [];
    const result = await provider.uploadPartCopy(
      copyRequest(upload, bucket),
      ctx((done, total) => seen.push([done, total])),
    );
    expect(seen).toEqual([
      [STEP_BYTES, size],
      [STEP_BYTES * 2, size],
      [size, size],
    ]);
    expect(result.bytesCopied).toBe(size);

    const controller = new AbortController();
    const aborting = provider.uploadPartCopy(copyRequest(upload, bucket, { partNumber: 2 }), {
      signal: controller.signal,
      onProgress: () => controller.abort(),
    });
    await expectCode(aborting, 'RequestAborted');
    expect((await provider.listParts(upload, ctx())).parts.map((part) => part.partNumber)).toEqual([1]);
  });
});

describe('uploadPartCopy: errors in S3 order', () => {
  it('NoSuchUpload comes before any source error', async () => {
    const { provider, bucket, upload } = await setup();
    const bad = { ...upload, uploadId: 'nope' };
    await expectCode(
      provider.uploadPartCopy(
        { ...copyRequest(bad, bucket), source: { bucket: 'no-bucket', key: 'x' } },
        ctx(),
      ),
      'NoSuchUpload',
    );
    await expectCode(
      provider.uploadPartCopy({ ...copyRequest(upload, bucket), key: 'other-key' }, ctx()),
      'NoSuchUpload',
    );
  });

  it('then NoSuchBucket and NoSuchKey for the source', async () => {
    const { provider, bucket, upload } = await setup();
    const noBucket = await expectCode(
      provider.uploadPartCopy(
        { ...copyRequest(upload, bucket), source: { bucket: 'no-bucket', key: 'src' } },
        ctx(),
      ),
      'NoSuchBucket',
    );
    expect(noBucket.context).toMatchObject({ bucket, sourceBucket: 'no-bucket' });
    await expectCode(
      provider.uploadPartCopy({ ...copyRequest(upload, bucket), source: { bucket, key: 'missing' } }, ctx()),
      'NoSuchKey',
    );
  });

  it('then the conditions, then the range', async () => {
    const { provider, bucket, upload } = await setup();
    await expectCode(
      provider.uploadPartCopy(
        copyRequest(upload, bucket, { conditions: { ifMatch: ['"0000"'] }, range: { start: 0, end: 1000 } }),
        ctx(),
      ),
      'PreconditionFailed',
    );
  });
});

describe('uploadPartCopy: source conditions (S3 precedence)', () => {
  const past = new Date(Date.UTC(2000, 0, 1));
  const future = new Date(Date.UTC(2100, 0, 1));

  it('If-Match passes on the ETag (quoted or not, or *) and fails on another', async () => {
    const { provider, bucket, source, upload } = await setup();
    const bare = source.etag.replaceAll('"', '');
    for (const ifMatch of [[source.etag], [bare], ['*'], ['"other"', source.etag]]) {
      await provider.uploadPartCopy(copyRequest(upload, bucket, { conditions: { ifMatch } }), ctx());
    }
    const error = await expectCode(
      provider.uploadPartCopy(copyRequest(upload, bucket, { conditions: { ifMatch: ['"other"'] } }), ctx()),
      'PreconditionFailed',
    );
    expect(error.status).toBe(412);
  });

  it('If-None-Match fails on the ETag with 412 (never 304)', async () => {
    const { provider, bucket, source, upload } = await setup();
    const error = await expectCode(
      provider.uploadPartCopy(
        copyRequest(upload, bucket, { conditions: { ifNoneMatch: [source.etag] } }),
        ctx(),
      ),
      'PreconditionFailed',
    );
    expect(error.status).toBe(412);
    await provider.uploadPartCopy(
      copyRequest(upload, bucket, { conditions: { ifNoneMatch: ['"other"'] } }),
      ctx(),
    );
  });

  it('dates: modified-since and unmodified-since on their own', async () => {
    const { provider, bucket, upload } = await setup();
    await provider.uploadPartCopy(
      copyRequest(upload, bucket, { conditions: { ifModifiedSince: past } }),
      ctx(),
    );
    await provider.uploadPartCopy(
      copyRequest(upload, bucket, { conditions: { ifUnmodifiedSince: future } }),
      ctx(),
    );
    await expectCode(
      provider.uploadPartCopy(
        copyRequest(upload, bucket, { conditions: { ifModifiedSince: future } }),
        ctx(),
      ),
      'PreconditionFailed',
    );
    await expectCode(
      provider.uploadPartCopy(
        copyRequest(upload, bucket, { conditions: { ifUnmodifiedSince: past } }),
        ctx(),
      ),
      'PreconditionFailed',
    );
  });

  it('if-match true and if-unmodified-since false: the copy proceeds', async () => {
    const { provider, bucket, source, upload } = await setup();
    const result = await provider.uploadPartCopy(
      copyRequest(upload, bucket, { conditions: { ifMatch: [source.etag], ifUnmodifiedSince: past } }),
      ctx(),
    );
    expect(result.bytesCopied).toBe(100);
  });

  it('if-none-match false and if-modified-since true: 412', async () => {
    const { provider, bucket, source, upload } = await setup();
    await expectCode(
      provider.uploadPartCopy(
        copyRequest(upload, bucket, { conditions: { ifNoneMatch: [source.etag], ifModifiedSince: past } }),
        ctx(),
      ),
      'PreconditionFailed',
    );
  });

  it('dates compare at one-second resolution against the stored lastModified', async () => {
    const { provider, bucket, upload } = await setup();
    const { lastModified } = await provider.headObject({ bucket, key: 'src' }, ctx());
    const sameSecond = new Date(lastModified.getTime() + 999);
    await expectCode(
      provider.uploadPartCopy(
        copyRequest(upload, bucket, { conditions: { ifModifiedSince: sameSecond } }),
        ctx(),
      ),
      'PreconditionFailed',
    );
    await provider.uploadPartCopy(
      copyRequest(upload, bucket, { conditions: { ifUnmodifiedSince: lastModified } }),
      ctx(),
    );
  });
});

describe('uploadPartCopy: versions', () => {
  it('copies the current version or a named one and reports copySourceVersionId', async () => {
    const { provider, bucket, data, source, upload } = await setup(true);
    const newer = await put(provider, bucket, 'src', 'newer bytes');
    const current = await provider.uploadPartCopy(copyRequest(upload, bucket), ctx());
    expect(current.copySourceVersionId).toBe(newer.versionId);
    expect(current.bytesCopied).toBe(11);
    const pinned = await provider.uploadPartCopy(
      {
        ...copyRequest(upload, bucket),
        source: { bucket, key: 'src', versionId: source.versionId as string },
      },
      ctx(),
    );
    expect(pinned.copySourceVersionId).toBe(source.versionId);
    expect(pinned.copyPartResult.etag).toBe(md5Etag(data));
  });

  it('a current delete marker is NoSuchKey; a version id naming a delete marker is InvalidRequest; unknown is NoSuchVersion', async () => {
    const { provider, bucket, upload } = await setup(true);
    const marker = await provider.deleteObject({ bucket, key: 'src' }, ctx());
    await expectCode(provider.uploadPartCopy(copyRequest(upload, bucket), ctx()), 'NoSuchKey');
    const onMarker = await expectCode(
      provider.uploadPartCopy(
        {
          ...copyRequest(upload, bucket),
          source: { bucket, key: 'src', versionId: marker.versionId as string },
        },
        ctx(),
      ),
      'InvalidRequest',
    );
    expect(onMarker.status).toBe(400);
    await expectCode(
      provider.uploadPartCopy(
        { ...copyRequest(upload, bucket), source: { bucket, key: 'src', versionId: 'no-such-version' } },
        ctx(),
      ),
      'NoSuchVersion',
    );
  });

  it('copies the version the conditions were decided on even if the source is overwritten mid-copy', async () => {
    const provider = newProvider();
    const bucket = await newBucket(provider);
    const original = pattern(STEP_BYTES * 2, 1);
    const source = await put(provider, bucket, 'src', original);
    const upload = await provider.createMultipartUpload({ bucket, key: 'dst' }, ctx());
    let overwritten = false;
    const result = await provider.uploadPartCopy(
      copyRequest(upload, bucket, { conditions: { ifMatch: [source.etag] } }),
      ctx(() => {
        if (overwritten) return;
        overwritten = true;
        void put(provider, bucket, 'src', 'replacement');
      }),
    );
    expect(overwritten).toBe(true);
    expect(result.copyPartResult.etag).toBe(source.etag);
    expect((await provider.headObject({ bucket, key: 'src' }, ctx())).size).toBe(11);
  });
});
