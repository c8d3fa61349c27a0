import { createHash, randomBytes } from 'node:crypto';
import { collectBytes, PartCopyError } from '@partcopy/core';
import { md5Etag, multipartEtag, toPayload } from '@partcopy/core/provider';
import { describe, expect, it } from 'vitest';
import { ctx, newBucket, randomName, serverProvider } from './support/gcs-server.js';

const MIN = 1024;

async function readAll(
  provider: ReturnType<typeof serverProvider>,
  bucket: string,
  key: string,
): Promise<Buffer> {
  const result = await provider.getObject({ bucket, key }, ctx());
  return Buffer.from(await collectBytes(result.body));
}

async function staged(provider: ReturnType<typeof serverProvider>, bucket: string): Promise<string[]> {
  const page = await provider.native.api.json<{ items?: Array<{ name: string }> }>('GET', `/b/${bucket}/o`, {
    query: { prefix: provider.names.prefix, versions: true },
    signal: new AbortController().signal,
  });
  return (page.items ?? []).map((item) => item.name);
}

describe('GCS provider against fake-gcs-server', () => {
  it('puts, heads, reads ranges and lists objects', async () => {
    const provider = serverProvider();
    const bucket = await newBucket(provider);
    const body = randomBytes(3000);
    const put = await provider.putObject(
      {
        bucket,
        key: 'a/b.bin',
        body: toPayload(body),
        contentType: 'application/x-test',
        metadata: { colour: 'blue' },
      },
      ctx(),
    );
    expect(put.etag).toBe(md5Etag(body));
    const head = await provider.headObject({ bucket, key: 'a/b.bin' }, ctx());
    expect(head).toMatchObject({
      etag: md5Etag(body),
      size: 3000,
      contentType: 'application/x-test',
      metadata: { colour: 'blue' },
    });
    expect(head.versionId).toBe(put.versionId);
    const ranged = await provider.getObject({ bucket, key: 'a/b.bin', range: { start: 10, end: 19 } }, ctx());
    expect(Buffer.from(await collectBytes(ranged.body))).toEqual(body.subarray(10, 20));
    await expect(
      provider.getObject({ bucket, key: 'a/b.bin', range: { start: 3000, end: 3001 } }, ctx()),
    ).rejects.toMatchObject({
      code: 'InvalidRange',
    });
    await expect(provider.headObject({ bucket, key: 'missing' }, ctx())).rejects.toMatchObject({
      code: 'NoSuchKey',
    });
    await expect(
      provider.headObject({ bucket: randomName('nobucket'), key: 'x' }, ctx()),
    ).rejects.toMatchObject({ code: 'NoSuchBucket' });
    await expect(
      provider.putObject({ bucket, key: 'a/b.bin', body: toPayload('x'), ifNoneMatch: '*' }, ctx()),
    ).rejects.toMatchObject({
      code: 'PreconditionFailed',
    });
  });

  it('runs the multipart lifecycle: server-side and client-streamed parts, settings, clean-up', async () => {
    const provider = serverProvider({ minPartSize: MIN });
    const bucket = await newBucket(provider);
    const source = randomBytes(5000);
    await provider.putObject({ bucket, key: 'src', body: toPayload(source) }, ctx());
    const upload = await provider.createMultipartUpload(
      { bucket, key: 'dest', contentType: 'text/x-parts', cacheControl: 'no-store', metadata: { a: '1' } },
      ctx(),
    );
    const local = randomBytes(2048);
    const p1 = await provider.uploadPart(
      { bucket, key: 'dest', uploadId: upload.uploadId, partNumber: 1, body: toPayload(local) },
      ctx(),
    );
    expect(p1.etag).toBe(md5Etag(local));
    const p2 = await provider.uploadPartCopy(
      {
        bucket,
        key: 'dest',
        uploadId: upload.uploadId,
        partNumber: 2,
        source: { bucket, key: 'src' },
        conditions: {},
      },
      ctx(),
    );
    expect(p2).toMatchObject({
      transfer: 'server-side',
      bytesCopied: 5000,
      copyPartResult: { etag: md5Etag(source) },
    });
    const p3 = await provider.uploadPartCopy(
      {
        bucket,
        key: 'dest',
        uploadId: upload.uploadId,
        partNumber: 3,
        source: { bucket, key: 'src' },
        range: { start: 100, end: 1299 },
        conditions: { ifMatch: [md5Etag(source)] },
      },
      ctx(),
    );
    expect(p3).toMatchObject({
      transfer: 'client-streamed',
      bytesCopied: 1200,
      copyPartResult: { etag: md5Etag(source.subarray(100, 1300)) },
    });

    // A second instance (another process) sees the same upload.
    const other = serverProvider({ minPartSize: MIN });
    const listed = await other.listParts({ bucket, key: 'dest', uploadId: upload.uploadId }, ctx());
    expect(listed.parts.map((part) => [part.partNumber, part.etag, part.size])).toEqual([
      [1, p1.etag, 2048],
      [2, p2.copyPartResult.etag, 5000],
      [3, p3.copyPartResult.etag, 1200],
    ]);
    const uploads = await other.listMultipartUploads({ bucket }, ctx());
    expect(uploads.uploads.map((u) => [u.key, u.uploadId])).toEqual([['dest', upload.uploadId]]);
    expect((await other.listObjects({ bucket }, ctx())).objects.map((o) => o.key)).toEqual(['src']);

    const parts = [
      { partNumber: 1, etag: p1.etag },
      { partNumber: 2, etag: p2.copyPartResult.etag },
      { partNumber: 3, etag: p3.copyPartResult.etag },
    ];
    const done = await other.completeMultipartUpload(
      { bucket, key: 'dest', uploadId: upload.uploadId, parts },
      ctx(),
    );
    expect(done.etag).toBe(multipartEtag(parts.map((p) => p.etag)));
    const expected = Buffer.concat([local, source, source.subarray(100, 1300)]);
    expect(
      createHash('sha256')
        .update(await readAll(provider, bucket, 'dest'))
        .digest('hex'),
    ).toBe(createHash('sha256').update(expected).digest('hex'));
    const head = await provider.headObject({ bucket, key: 'dest' }, ctx());
    expect(head).toMatchObject({
      etag: done.etag,
      size: expected.length,
      contentType: 'text/x-parts',
      cacheControl: 'no-store',
      metadata: { a: '1' },
    });
    // The parts it was completed from, as S3's GetObjectAttributes and partNumber reads need.
    expect([head.partsCount, head.parts?.map((p) => p.size)]).toEqual([3, [2048, 5000, 1200]]);
    expect(await staged(provider, bucket)).toEqual([]);
    await expect(
      provider.listParts({ bucket, key: 'dest', uploadId: upload.uploadId }, ctx()),
    ).rejects.toMatchObject({ code: 'NoSuchUpload' });
  });

  it('refuses sub-range copies when client streaming is off, and copies whole objects anyway', async () => {
    const provider = serverProvider({ allowClientStreaming: false });
    expect(provider.capabilities).toMatchObject({
      rangedCopy: 'whole-object-only',
      clientStreamedRanges: false,
    });
    const bucket = await newBucket(provider);
    await provider.putObject({ bucket, key: 'src', body: toPayload(randomBytes(100)) }, ctx());
    const { uploadId } = await provider.createMultipartUpload({ bucket, key: 'd' }, ctx());
    const base = {
      bucket,
      key: 'd',
      uploadId,
      partNumber: 1,
      source: { bucket, key: 'src' },
      conditions: {},
    };
    await expect(
      provider.uploadPartCopy({ ...base, range: { start: 0, end: 9 } }, ctx()),
    ).rejects.toMatchObject({ code: 'Unsupported' });
    const whole = await provider.uploadPartCopy({ ...base, range: { start: 0, end: 99 } }, ctx());
    expect(whole.transfer).toBe('server-side');
    await expect(
      provider.uploadPartCopy({ ...base, range: { start: 0, end: 100 } }, ctx()),
    ).rejects.toMatchObject({
      code: 'InvalidArgument',
    });
  });

  it('aborts: every staged object goes, the key is untouched, the id is gone', async () => {
    const provider = serverProvider();
    const bucket = await newBucket(provider);
    await provider.putObject({ bucket, key: 'k', body: toPayload('keep me') }, ctx());
    const { uploadId } = await provider.createMultipartUpload({ bucket, key: 'k' }, ctx());
    for (const partNumber of [1, 2, 3]) {
      await provider.uploadPart(
        { bucket, key: 'k', uploadId, partNumber, body: toPayload(randomBytes(10)) },
        ctx(),
      );
    }
    expect((await staged(provider, bucket)).length).toBe(4);
    await provider.abortMultipartUpload({ bucket, key: 'k', uploadId }, ctx());
    expect(await staged(provider, bucket)).toEqual([]);
    expect((await readAll(provider, bucket, 'k')).toString()).toBe('keep me');
    await expect(provider.abortMultipartUpload({ bucket, key: 'k', uploadId }, ctx())).rejects.toMatchObject({
      code: 'NoSuchUpload',
    });
    await expect(
      provider.uploadPart({ bucket, key: 'k', uploadId, partNumber: 1, body: toPayload('x') }, ctx()),
    ).rejects.toSatisfy((error) => PartCopyError.hasCode(error, 'NoSuchUpload'));
  });

  it('copies an older generation of a versioned source (versionId = generation)', async () => {
    const provider = serverProvider();
    const bucket = await newBucket(provider, true);
    const first = await provider.putObject({ bucket, key: 'v', body: toPayload('first version') }, ctx());
    await provider.putObject({ bucket, key: 'v', body: toPayload('second') }, ctx());
    const { uploadId } = await provider.createMultipartUpload({ bucket, key: 'out' }, ctx());
    const part = await provider.uploadPartCopy(
      {
        bucket,
        key: 'out',
        uploadId,
        partNumber: 1,
        source: { bucket, key: 'v', versionId: first.versionId as string },
        conditions: {},
      },
      ctx(),
    );
    expect(part.copySourceVersionId).toBe(first.versionId);
    await provider.completeMultipartUpload(
      { bucket, key: 'out', uploadId, parts: [{ partNumber: 1, etag: part.copyPartResult.etag }] },
      ctx(),
    );
    expect((await readAll(provider, bucket, 'out')).toString()).toBe('first version');
    await expect(
      provider.uploadPartCopy(
        {
          bucket,
          key: 'out',
          uploadId: (await provider.createMultipartUpload({ bucket, key: 'out' }, ctx())).uploadId,
          partNumber: 1,
          source: { bucket, key: 'v', versionId: '123' },
          conditions: {},
        },
        ctx(),
      ),
    ).rejects.toMatchObject({ code: 'NoSuchKey' });
  });
});
