import { collectBytes, type PartCopyError } from '@partcopy/core';
import { toPayload } from '@partcopy/core/provider';
import { describe, expect, it } from 'vitest';
import { azuriteProvider, ctx, patternBytes, withContainer } from './azurite-setup.js';

const MiB = 1024 * 1024;

async function codeOf(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
    return undefined;
  } catch (error) {
    return (error as PartCopyError).code;
  }
}

describe('azure multipart lifecycle on Azurite', () => {
  it('assembles ranged part copies and an uploaded part with the settings given at creation', async () => {
    const provider = azuriteProvider();
    await withContainer(provider, async (bucket) => {
      const src = patternBytes(12 * MiB);
      const put = await provider.putObject({ bucket, key: 'src', body: toPayload(src) }, ctx());
      const up = await provider.createMultipartUpload(
        {
          bucket,
          key: 'dst',
          contentType: 'text/x-test',
          cacheControl: 'no-cache',
          contentDisposition: 'attachment',
          metadata: { color: 'blue' },
          tagging: { project: 'partcopy' },
        },
        ctx(),
      );
      const p1 = await provider.uploadPartCopy(
        {
          bucket,
          key: 'dst',
          uploadId: up.uploadId,
          partNumber: 1,
          source: { bucket, key: 'src' },
          range: { start: 1, end: 6 * MiB },
          conditions: { ifMatch: [put.etag] },
        },
        ctx(),
      );
      expect(p1.transfer).toBe('server-side');
      expect(p1.bytesCopied).toBe(6 * MiB);
      const p2 = await provider.uploadPart(
        { bucket, key: 'dst', uploadId: up.uploadId, partNumber: 2, body: toPayload('tail') },
        ctx(),
      );
      const listed = await provider.listParts({ bucket, key: 'dst', uploadId: up.uploadId }, ctx());
      expect(listed.parts.map((p) => [p.partNumber, p.size, p.etag])).toEqual([
        [1, 6 * MiB, p1.copyPartResult.etag],
        [2, 4, p2.etag],
      ]);
      const uploads = await provider.listMultipartUploads({ bucket }, ctx());
      expect(uploads.uploads.map((u) => [u.key, u.uploadId])).toEqual([['dst', up.uploadId]]);
      const objects = await provider.listObjects({ bucket }, ctx());
      expect(objects.objects.map((o) => o.key)).toEqual(['src']);

      const done = await provider.completeMultipartUpload(
        {
          bucket,
          key: 'dst',
          uploadId: up.uploadId,
          parts: [
            { partNumber: 1, etag: p1.copyPartResult.etag },
            { partNumber: 2, etag: p2.etag },
          ],
        },
        ctx(),
      );
      const head = await provider.headObject({ bucket, key: 'dst' }, ctx());
      expect(head.etag).toBe(done.etag);
      expect(head.size).toBe(6 * MiB + 4);
      expect(head.contentType).toBe('text/x-test');
      expect(head.cacheControl).toBe('no-cache');
      expect(head.metadata).toEqual({ color: 'blue' });
      expect(head.contentDisposition).toBe('attachment');
      // The parts it was completed from (S3's GetObjectAttributes and partNumber reads need them).
      expect([head.partsCount, head.parts?.map((p) => p.size)]).toEqual([2, [6 * MiB, 4]]);
      const tags = await provider.native.serviceClient
        .getContainerClient(bucket)
        .getBlobClient('dst')
        .getTags();
      expect(tags.tags).toEqual({ project: 'partcopy' });
      const got = await provider.getObject({ bucket, key: 'dst' }, ctx());
      // A read answers what a head does (the SDK's download answer is read, never copied).
      expect([got.etag, got.contentType, got.metadata, got.partsCount]).toEqual([
        done.etag,
        'text/x-test',
        { color: 'blue' },
        2,
      ]);
      const bytes = await collectBytes(got.body);
      const expected = Buffer.concat([src.subarray(1, 6 * MiB + 1), Buffer.from('tail')]);
      expect(Buffer.compare(Buffer.from(bytes), expected)).toBe(0);
      expect(await codeOf(provider.listParts({ bucket, key: 'dst', uploadId: up.uploadId }, ctx()))).toBe(
        'NoSuchUpload',
      );
      expect((await provider.listMultipartUploads({ bucket }, ctx())).uploads).toEqual([]);
      const blobs: string[] = [];
      for await (const item of provider.native.serviceClient.getContainerClient(bucket).listBlobsFlat())
        blobs.push(item.name);
      expect(blobs.sort()).toEqual(['dst', 'src']);
    });
  });

  it('answers S3 error codes for bad ranges, conditions, sources and uploads', async () => {
    const provider = azuriteProvider();
    await withContainer(provider, async (bucket) => {
      const put = await provider.putObject(
        { bucket, key: 'src', body: toPayload(patternBytes(1000)) },
        ctx(),
      );
      const up = await provider.createMultipartUpload({ bucket, key: 'dst' }, ctx());
      const base = {
        bucket,
        key: 'dst',
        uploadId: up.uploadId,
        partNumber: 1,
        source: { bucket, key: 'src' },
        conditions: {},
      };
      expect(await codeOf(provider.uploadPartCopy({ ...base, range: { start: 0, end: 1000 } }, ctx()))).toBe(
        'InvalidArgument',
      );
      expect(
        await codeOf(provider.uploadPartCopy({ ...base, conditions: { ifNoneMatch: [put.etag] } }, ctx())),
      ).toBe('PreconditionFailed');
      expect(
        await codeOf(provider.uploadPartCopy({ ...base, conditions: { ifMatch: ['"0x1"'] } }, ctx())),
      ).toBe('PreconditionFailed');
      expect(
        await codeOf(provider.uploadPartCopy({ ...base, source: { bucket, key: 'missing' } }, ctx())),
      ).toBe('NoSuchKey');
      expect(
        await codeOf(
          provider.uploadPartCopy({ ...base, source: { bucket: 'nosuchcontainer1', key: 'src' } }, ctx()),
        ),
      ).toBe('NoSuchBucket');
      expect(await codeOf(provider.uploadPartCopy({ ...base, uploadId: 'not-an-upload' }, ctx()))).toBe(
        'NoSuchUpload',
      );
      expect(await codeOf(provider.uploadPartCopy({ ...base, key: 'other' }, ctx()))).toBe('NoSuchUpload');
      const small = await provider.uploadPart({ ...base, body: toPayload('x') }, ctx());
      const last = await provider.uploadPart({ ...base, partNumber: 2, body: toPayload('y') }, ctx());
      const complete = (parts: Array<{ partNumber: number; etag: string }>) =>
        codeOf(provider.completeMultipartUpload({ bucket, key: 'dst', uploadId: up.uploadId, parts }, ctx()));
      expect(await complete([])).toBe('MalformedXML');
      expect(
        await complete([
          { partNumber: 2, etag: last.etag },
          { partNumber: 1, etag: small.etag },
        ]),
      ).toBe('InvalidPartOrder');
      expect(await complete([{ partNumber: 1, etag: last.etag }])).toBe('InvalidPart');
      expect(await complete([{ partNumber: 3, etag: last.etag }])).toBe('InvalidPart');
      expect(
        await complete([
          { partNumber: 1, etag: small.etag },
          { partNumber: 2, etag: last.etag },
        ]),
      ).toBe('EntityTooSmall');
      // Every failure above left the upload completable.
      expect(await complete([{ partNumber: 2, etag: last.etag }])).toBeUndefined();
    });
  });
});
