// The memory provider behind the facade, as applications use it: S3-shaped input in, S3 results out.
import { PartCopyClient, PartCopyError } from '@partcopy/core';
import { md5Etag, multipartEtag } from '@partcopy/core/provider';
import { describe, expect, it } from 'vitest';
import { createMemoryProvider } from '../src/index.js';
import { MIN_PART, pattern } from './helpers.js';

describe('PartCopyClient over the memory provider', () => {
  it('splices ranges of two objects (one pinned by version) into a new object', async () => {
    const client = new PartCopyClient(createMemoryProvider({ minPartSize: MIN_PART }));
    await client.createBucket({ bucket: 'media', versioning: true });
    const intro = pattern(40, 1);
    const feature = pattern(60, 2);
    const introPut = await client.putObject({ bucket: 'media', key: 'clips/intro.bin', body: intro });
    await client.putObject({ bucket: 'media', key: 'clips/intro.bin', body: 'overwritten later' });
    await client.putObject({ bucket: 'media', key: 'clips/feature film.bin', body: feature });

    const upload = await client.createMultipartUpload({ bucket: 'media', key: 'cut.bin' });
    const first = await client.uploadPartCopy({
      bucket: 'media',
      key: 'cut.bin',
      uploadId: upload.uploadId,
      partNumber: 1,
      copySource: `media/clips/intro.bin?versionId=${introPut.versionId}`,
      copySourceRange: 'bytes=0-19',
      copySourceIfMatch: introPut.etag,
    });
    const second = await client.uploadPartCopy({
      bucket: 'media',
      key: 'cut.bin',
      uploadId: upload.uploadId,
      partNumber: 2,
      copySource: `/media/${encodeURIComponent('clips/feature film.bin').replaceAll('%2F', '/')}`,
      copySourceRange: { start: 30, end: 59 },
    });
    expect(first.copySourceVersionId).toBe(introPut.versionId);
    expect(first.transfer).toBe('server-side');
    const done = await client.completeMultipartUpload({
      bucket: 'media',
      key: 'cut.bin',
      uploadId: upload.uploadId,
      multipartUpload: {
        parts: [
          { partNumber: 1, etag: first.copyPartResult.etag },
          { partNumber: 2, etag: second.copyPartResult.etag },
        ],
      },
    });
    const expected = Buffer.concat([intro.subarray(0, 20), feature.subarray(30, 60)]);
    expect(done.etag).toBe(multipartEtag([md5Etag(intro.subarray(0, 20)), md5Etag(feature.subarray(30))]));
    const got = await client.getObject({ bucket: 'media', key: 'cut.bin' });
    expect(Buffer.from(await got.body.bytes()).equals(expected)).toBe(true);
  });

  it('surfaces S3 error codes from the provider', async () => {
    const client = new PartCopyClient(createMemoryProvider({ minPartSize: MIN_PART }), { retry: false });
    await client.createBucket({ bucket: 'b' });
    await client.putObject({ bucket: 'b', key: 'src', body: '0123456789' });
    const upload = await client.createMultipartUpload({ bucket: 'b', key: 'dst' });
    const error = await client
      .uploadPartCopy({
        bucket: 'b',
        key: 'dst',
        uploadId: upload.uploadId,
        partNumber: 1,
        copySource: 'b/src',
        copySourceRange: 'bytes=5-10',
      })
      .catch((caught: unknown) => caught);
    expect(PartCopyError.hasCode(error, 'InvalidArgument')).toBe(true);
    expect((error as PartCopyError).message).toContain('size: 10');
  });
});
