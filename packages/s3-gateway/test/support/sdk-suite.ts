/**
 * What an S3 client sees through the gateway, asserted with @aws-sdk/client-s3 over one backend:
 * buckets, objects (ranges, conditions, metadata), listings, copies, the multipart API with
 * UploadPartCopy, and S3's error codes for bad input. The same suite runs over memory, a folder,
 * Azurite and fake-gcs-server.
 */
import { Readable } from 'node:stream';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  DeleteBucketCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListMultipartUploadsCommand,
  ListObjectsCommand,
  ListObjectsV2Command,
  type ListObjectsV2CommandOutput,
  ListPartsCommand,
  PutObjectCommand,
  type S3Client,
  UploadPartCommand,
  UploadPartCopyCommand,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type BackendName,
  patternBytes,
  type RunningGateway,
  randomBucket,
  startGateway,
} from './gateway-harness.js';

const MiB = 1024 * 1024;

/** The S3 error an SDK call failed with: its code and HTTP status. */
export async function s3Failure(
  promise: Promise<unknown>,
): Promise<{ code: string; status: number | undefined }> {
  try {
    await promise;
  } catch (error) {
    const e = error as { name: string; Code?: string; $metadata?: { httpStatusCode?: number } };
    return { code: e.Code ?? e.name, status: e.$metadata?.httpStatusCode };
  }
  throw new Error('expected the call to fail');
}

async function bytesOf(s3: S3Client, bucket: string, key: string, range?: string): Promise<Uint8Array> {
  const got = await s3.send(
    new GetObjectCommand({ Bucket: bucket, Key: key, ...(range ? { Range: range } : {}) }),
  );
  return (await got.Body?.transformToByteArray()) ?? new Uint8Array();
}

export function sdkSuite(backend: BackendName): void {
  describe(`S3 SDK through the gateway (${backend})`, () => {
    let g: RunningGateway;
    let s3: S3Client;
    let bucket: string;

    beforeAll(async () => {
      g = await startGateway(backend);
      s3 = g.s3;
      bucket = randomBucket();
      await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    });
    afterAll(async () => {
      await g?.close();
    });

    it('creates, heads and deletes a bucket; a missing or non-empty one gets S3 codes', async () => {
      const other = randomBucket();
      await s3.send(new CreateBucketCommand({ Bucket: other }));
      await s3.send(new HeadBucketCommand({ Bucket: other }));
      await s3.send(new PutObjectCommand({ Bucket: other, Key: 'k', Body: 'x' }));
      expect(await s3Failure(s3.send(new DeleteBucketCommand({ Bucket: other })))).toEqual({
        code: 'BucketNotEmpty',
        status: 409,
      });
      await s3.send(new DeleteObjectCommand({ Bucket: other, Key: 'k' }));
      await s3.send(new DeleteBucketCommand({ Bucket: other }));
      expect(await s3Failure(s3.send(new HeadBucketCommand({ Bucket: other })))).toEqual({
        code: 'NotFound',
        status: 404,
      });
      expect(await s3Failure(s3.send(new GetObjectCommand({ Bucket: other, Key: 'k' })))).toEqual({
        code: 'NoSuchBucket',
        status: 404,
      });
    });

    it('puts and gets bytes, metadata and content type; HEAD says the same', async () => {
      const data = patternBytes(300_000);
      const put = await s3.send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: 'dir/object one.bin',
          Body: data,
          ContentType: 'application/x-test',
          Metadata: { colour: 'blue' },
        }),
      );
      const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'dir/object one.bin' }));
      expect(head.ETag).toBe(put.ETag);
      expect(head.ContentLength).toBe(data.length);
      expect(head.ContentType).toBe('application/x-test');
      expect(head.Metadata).toEqual({ colour: 'blue' });
      expect(Buffer.from(await bytesOf(s3, bucket, 'dir/object one.bin')).equals(Buffer.from(data))).toBe(
        true,
      );
    });

    it('streams a body of stated length (aws-chunked with a trailing CRC32 from the SDK)', async () => {
      const data = patternBytes(3 * MiB + 17, 3);
      await s3.send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: 'streamed',
          Body: Readable.from([data.subarray(0, MiB), data.subarray(MiB)]),
          ContentLength: data.length,
        }),
      );
      expect(Buffer.from(await bytesOf(s3, bucket, 'streamed')).equals(Buffer.from(data))).toBe(true);
    });

    it('serves ranges in the closed, open and suffix forms, and InvalidRange past the end', async () => {
      const data = patternBytes(1000, 5);
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'ranged', Body: data }));
      const closed = await s3.send(
        new GetObjectCommand({ Bucket: bucket, Key: 'ranged', Range: 'bytes=10-19' }),
      );
      expect(closed.ContentRange).toBe('bytes 10-19/1000');
      expect(closed.$metadata.httpStatusCode).toBe(206);
      expect(
        Buffer.from((await closed.Body?.transformToByteArray()) ?? []).equals(
          Buffer.from(data.subarray(10, 20)),
        ),
      ).toBe(true);
      expect(
        Buffer.from(await bytesOf(s3, bucket, 'ranged', 'bytes=990-')).equals(
          Buffer.from(data.subarray(990)),
        ),
      ).toBe(true);
      expect(
        Buffer.from(await bytesOf(s3, bucket, 'ranged', 'bytes=-5')).equals(Buffer.from(data.subarray(995))),
      ).toBe(true);
      expect(
        Buffer.from(await bytesOf(s3, bucket, 'ranged', 'bytes=900-5000')).equals(
          Buffer.from(data.subarray(900)),
        ),
      ).toBe(true);
      expect(await s3Failure(bytesOf(s3, bucket, 'ranged', 'bytes=1000-1001'))).toEqual({
        code: 'InvalidRange',
        status: 416,
      });
    });

    it('answers conditional GETs: 304 for If-None-Match, 412 for If-Match', async () => {
      const put = await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'conditional', Body: 'abc' }));
      expect(
        await s3Failure(
          s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'conditional', IfNoneMatch: put.ETag })),
        ),
      ).toMatchObject({ status: 304 });
      expect(
        await s3Failure(
          s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'conditional', IfMatch: '"0000"' })),
        ),
      ).toEqual({ code: 'PreconditionFailed', status: 412 });
      const ok = await s3.send(
        new GetObjectCommand({ Bucket: bucket, Key: 'conditional', IfMatch: put.ETag }),
      );
      expect(await ok.Body?.transformToString()).toBe('abc');
      expect(
        await s3Failure(
          s3.send(
            new GetObjectCommand({
              Bucket: bucket,
              Key: 'conditional',
              IfModifiedSince: new Date(Date.now() + 3_600_000),
            }),
          ),
        ),
      ).toMatchObject({ status: 304 });
    });

    it('answers NoSuchKey for a missing key and deletes a missing key without error', async () => {
      expect(await s3Failure(s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'missing' })))).toEqual({
        code: 'NoSuchKey',
        status: 404,
      });
      const deleted = await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'missing' }));
      expect(deleted.$metadata.httpStatusCode).toBe(204);
    });

    it('lists V2 and V1 with prefix, delimiter and paging', async () => {
      const list = randomBucket();
      await s3.send(new CreateBucketCommand({ Bucket: list }));
      const keys = ['a', 'b/1', 'b/2', 'c/x/1', 'd'];
      for (const key of keys) await s3.send(new PutObjectCommand({ Bucket: list, Key: key, Body: key }));
      const folded = await s3.send(new ListObjectsV2Command({ Bucket: list, Delimiter: '/' }));
      expect(folded.Contents?.map((o) => o.Key)).toEqual(['a', 'd']);
      expect(folded.CommonPrefixes?.map((p) => p.Prefix)).toEqual(['b/', 'c/']);
      expect(folded.KeyCount).toBe(4);
      const seen: string[] = [];
      let token: string | undefined;
      let pages = 0;
      do {
        const page = await s3.send(
          new ListObjectsV2Command({ Bucket: list, MaxKeys: 2, ContinuationToken: token }),
        );
        seen.push(...(page.Contents ?? []).map((o) => o.Key as string));
        token = page.NextContinuationToken;
        pages += 1;
        expect(page.IsTruncated).toBe(token !== undefined);
      } while (token);
      expect(seen).toEqual(keys);
      expect(pages).toBe(3);
      const folders: string[] = [];
      token = undefined;
      do {
        const page: ListObjectsV2CommandOutput = await s3.send(
          new ListObjectsV2Command({ Bucket: list, Delimiter: '/', MaxKeys: 1, ContinuationToken: token }),
        );
        folders.push(
          ...(page.Contents ?? []).map((o) => o.Key as string),
          ...(page.CommonPrefixes ?? []).map((p) => p.Prefix as string),
        );
        token = page.NextContinuationToken;
      } while (token);
      expect(folders).toEqual(['a', 'b/', 'c/', 'd']);
      const prefixed = await s3.send(
        new ListObjectsV2Command({ Bucket: list, Prefix: 'b/', StartAfter: 'b/1' }),
      );
      expect(prefixed.Contents?.map((o) => o.Key)).toEqual(['b/2']);
      const v1 = await s3.send(new ListObjectsCommand({ Bucket: list, Delimiter: '/', MaxKeys: 2 }));
      expect(v1.Contents?.map((o) => o.Key)).toEqual(['a']);
      expect(v1.CommonPrefixes?.map((p) => p.Prefix)).toEqual(['b/']);
      expect(v1.IsTruncated).toBe(true);
      expect(v1.NextMarker).toBe('b/');
      const v1next = await s3.send(new ListObjectsCommand({ Bucket: list, Delimiter: '/', Marker: 'b/' }));
      expect(v1next.CommonPrefixes?.map((p) => p.Prefix)).toEqual(['c/']);
      expect(v1next.Contents?.map((o) => o.Key)).toEqual(['d']);
      const deleted = await s3.send(
        new DeleteObjectsCommand({ Bucket: list, Delete: { Objects: keys.map((Key) => ({ Key })) } }),
      );
      expect(deleted.Deleted?.map((d) => d.Key).sort()).toEqual(keys);
      expect((await s3.send(new ListObjectsV2Command({ Bucket: list }))).KeyCount).toBe(0);
      await s3.send(new DeleteBucketCommand({ Bucket: list }));
    });

    it('copies an object server-side, with the copy-source conditions', async () => {
      const put = await s3.send(
        new PutObjectCommand({ Bucket: bucket, Key: 'copy-src', Body: 'copy me', ContentType: 'text/plain' }),
      );
      const copied = await s3.send(
        new CopyObjectCommand({
          Bucket: bucket,
          Key: 'copy-dst',
          CopySource: `${bucket}/copy-src`,
          CopySourceIfMatch: put.ETag,
        }),
      );
      expect(copied.CopyObjectResult?.ETag).toBeDefined();
      expect(new TextDecoder().decode(await bytesOf(s3, bucket, 'copy-dst'))).toBe('copy me');
      expect(
        await s3Failure(
          s3.send(
            new CopyObjectCommand({
              Bucket: bucket,
              Key: 'copy-dst2',
              CopySource: `${bucket}/copy-src`,
              CopySourceIfMatch: '"beef"',
            }),
          ),
        ),
      ).toEqual({ code: 'PreconditionFailed', status: 412 });
      expect(
        await s3Failure(s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'copy-dst2' }))),
      ).toMatchObject({ status: 404 });
    });

    it('runs the multipart API with UploadPartCopy ranges, ListParts, ListMultipartUploads and completion', async () => {
      const source = patternBytes(6 * MiB, 11);
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'mp-source', Body: source }));
      const created = await s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: 'mp-dest' }));
      const uploadId = created.UploadId as string;
      const part1 = await s3.send(
        new UploadPartCopyCommand({
          Bucket: bucket,
          Key: 'mp-dest',
          UploadId: uploadId,
          PartNumber: 1,
          CopySource: `${bucket}/mp-source`,
          CopySourceRange: `bytes=0-${5 * MiB - 1}`,
        }),
      );
      const tail = patternBytes(1234, 12);
      const part2 = await s3.send(
        new UploadPartCommand({
          Bucket: bucket,
          Key: 'mp-dest',
          UploadId: uploadId,
          PartNumber: 2,
          Body: tail,
        }),
      );
      const parts = await s3.send(
        new ListPartsCommand({ Bucket: bucket, Key: 'mp-dest', UploadId: uploadId }),
      );
      expect(parts.Parts?.map((p) => [p.PartNumber, p.Size])).toEqual([
        [1, 5 * MiB],
        [2, 1234],
      ]);
      const uploads = await s3.send(new ListMultipartUploadsCommand({ Bucket: bucket, Prefix: 'mp-' }));
      expect(uploads.Uploads?.map((u) => u.UploadId)).toContain(uploadId);
      const done = await s3.send(
        new CompleteMultipartUploadCommand({
          Bucket: bucket,
          Key: 'mp-dest',
          UploadId: uploadId,
          MultipartUpload: {
            Parts: [
              { PartNumber: 1, ETag: part1.CopyPartResult?.ETag },
              { PartNumber: 2, ETag: part2.ETag },
            ],
          },
        }),
      );
      expect(done.Key).toBe('mp-dest');
      const whole = await bytesOf(s3, bucket, 'mp-dest');
      expect(whole.length).toBe(5 * MiB + 1234);
      expect(Buffer.from(whole.subarray(0, 5 * MiB)).equals(Buffer.from(source.subarray(0, 5 * MiB)))).toBe(
        true,
      );
      expect(Buffer.from(whole.subarray(5 * MiB)).equals(Buffer.from(tail))).toBe(true);
      expect(
        await s3Failure(
          s3.send(new ListPartsCommand({ Bucket: bucket, Key: 'mp-dest', UploadId: uploadId })),
        ),
      ).toEqual({ code: 'NoSuchUpload', status: 404 });
    });

    it('answers bad multipart input with S3 codes and leaves nothing behind', async () => {
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'bad-src', Body: patternBytes(100, 2) }));
      const created = await s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: 'bad-dest' }));
      const uploadId = created.UploadId as string;
      const copy = (fields: Record<string, unknown>) =>
        s3Failure(
          s3.send(
            new UploadPartCopyCommand({
              Bucket: bucket,
              Key: 'bad-dest',
              UploadId: uploadId,
              PartNumber: 1,
              CopySource: `${bucket}/bad-src`,
              ...fields,
            }),
          ),
        );
      expect(await copy({ CopySourceRange: 'bytes=5-' })).toEqual({ code: 'InvalidArgument', status: 400 });
      expect(await copy({ CopySourceRange: 'bytes=-5' })).toEqual({ code: 'InvalidArgument', status: 400 });
      expect(await copy({ CopySourceRange: 'bytes=9-3' })).toEqual({ code: 'InvalidArgument', status: 400 });
      // Past the end of the 100-byte source: InvalidArgument, as S3 (the kit's ranges.past-end).
      expect(await copy({ CopySourceRange: 'bytes=50-100' })).toEqual({
        code: 'InvalidArgument',
        status: 400,
      });
      expect(await copy({ PartNumber: 0 })).toEqual({ code: 'InvalidArgument', status: 400 });
      expect(await copy({ PartNumber: 10_001 })).toEqual({ code: 'InvalidArgument', status: 400 });
      expect(await copy({ CopySourceIfMatch: '"nope"' })).toEqual({
        code: 'PreconditionFailed',
        status: 412,
      });
      expect(await copy({ CopySourceIfNoneMatch: '*' })).toEqual({ code: 'PreconditionFailed', status: 412 });
      expect(await copy({ CopySourceIfModifiedSince: new Date(Date.now() + 86_400_000) })).toEqual({
        code: 'PreconditionFailed',
        status: 412,
      });
      expect(await copy({ CopySourceIfUnmodifiedSince: new Date('2001-01-01T00:00:00Z') })).toEqual({
        code: 'PreconditionFailed',
        status: 412,
      });
      expect(await copy({ CopySource: `${bucket}/no-such-source` })).toEqual({
        code: 'NoSuchKey',
        status: 404,
      });
      expect(await copy({ UploadId: 'bogus-upload-id' })).toEqual({ code: 'NoSuchUpload', status: 404 });
      const part = await s3.send(
        new UploadPartCommand({
          Bucket: bucket,
          Key: 'bad-dest',
          UploadId: uploadId,
          PartNumber: 1,
          Body: 'small',
        }),
      );
      const part2 = await s3.send(
        new UploadPartCommand({
          Bucket: bucket,
          Key: 'bad-dest',
          UploadId: uploadId,
          PartNumber: 2,
          Body: 'small',
        }),
      );
      const complete = (parts: Array<{ PartNumber: number; ETag: string | undefined }>) =>
        s3Failure(
          s3.send(
            new CompleteMultipartUploadCommand({
              Bucket: bucket,
              Key: 'bad-dest',
              UploadId: uploadId,
              MultipartUpload: { Parts: parts },
            }),
          ),
        );
      expect(await complete([{ PartNumber: 1, ETag: '"00000000000000000000000000000000"' }])).toEqual({
        code: 'InvalidPart',
        status: 400,
      });
      expect(
        await complete([
          { PartNumber: 2, ETag: part2.ETag },
          { PartNumber: 1, ETag: part.ETag },
        ]),
      ).toEqual({ code: 'InvalidPartOrder', status: 400 });
      expect(
        await complete([
          { PartNumber: 1, ETag: part.ETag },
          { PartNumber: 2, ETag: part2.ETag },
        ]),
      ).toEqual({ code: 'EntityTooSmall', status: 400 });
      await s3.send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: 'bad-dest', UploadId: uploadId }));
      expect(
        await s3Failure(
          s3.send(
            new UploadPartCommand({
              Bucket: bucket,
              Key: 'bad-dest',
              UploadId: uploadId,
              PartNumber: 1,
              Body: 'x',
            }),
          ),
        ),
      ).toEqual({ code: 'NoSuchUpload', status: 404 });
      expect(
        await s3Failure(s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'bad-dest' }))),
      ).toMatchObject({ status: 404 });
      const left = await s3.send(new ListMultipartUploadsCommand({ Bucket: bucket, Prefix: 'bad-dest' }));
      expect(left.Uploads ?? []).toEqual([]);
    });
  });
}
