/**
 * GetObjectAttributes and reads by partNumber through the gateway over memory, which records the
 * parts an upload was completed from: S3's XML (unquoted ETag, checksums with their type, parts
 * paged by marker), and each part's bytes and checksum.
 */
import {
  CompleteMultipartUploadCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  GetObjectAttributesCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { createMemoryProvider } from '@partcopy/memory';
import { afterEach, describe, expect, it } from 'vitest';
import { type RunningGateway, startGateway } from './support/gateway-harness.js';
import { s3Failure } from './support/sdk-suite.js';

let running: RunningGateway | undefined;
afterEach(async () => {
  await running?.close();
  running = undefined;
});

const ALL = ['ETag', 'Checksum', 'ObjectParts', 'StorageClass', 'ObjectSize'] as const;

async function threePartObject(g: RunningGateway) {
  await g.s3.send(new CreateBucketCommand({ Bucket: 'attrs' }));
  const created = await g.s3.send(
    new CreateMultipartUploadCommand({ Bucket: 'attrs', Key: 'mp', ChecksumAlgorithm: 'SHA256' }),
  );
  const bodies = ['a'.repeat(16), 'b'.repeat(16), 'c'.repeat(5)];
  const parts = [];
  for (const [index, body] of bodies.entries()) {
    const part = await g.s3.send(
      new UploadPartCommand({
        Bucket: 'attrs',
        Key: 'mp',
        UploadId: created.UploadId,
        PartNumber: index + 1,
        Body: body,
        ChecksumAlgorithm: 'SHA256',
      }),
    );
    parts.push({ PartNumber: index + 1, ETag: part.ETag, ChecksumSHA256: part.ChecksumSHA256 });
  }
  const done = await g.s3.send(
    new CompleteMultipartUploadCommand({
      Bucket: 'attrs',
      Key: 'mp',
      UploadId: created.UploadId,
      MultipartUpload: { Parts: parts },
    }),
  );
  return { bodies, parts, done };
}

describe('GetObjectAttributes', () => {
  it('answers a simple object’s ETag (unquoted), checksum, storage class and size, without ObjectParts', async () => {
    running = await startGateway('memory');
    await running.s3.send(new CreateBucketCommand({ Bucket: 'attrs' }));
    const put = await running.s3.send(
      new PutObjectCommand({ Bucket: 'attrs', Key: 'k', Body: 'foo', ChecksumAlgorithm: 'SHA256' }),
    );
    const got = await running.s3.send(
      new GetObjectAttributesCommand({ Bucket: 'attrs', Key: 'k', ObjectAttributes: [...ALL] }),
    );
    expect(got.ETag).toBe(put.ETag?.replaceAll('"', ''));
    expect(got.Checksum?.ChecksumSHA256).toBe(put.ChecksumSHA256);
    expect([got.StorageClass, got.ObjectSize, got.ObjectParts]).toEqual(['STANDARD', 3, undefined]);
    const onlySize = await running.s3.send(
      new GetObjectAttributesCommand({ Bucket: 'attrs', Key: 'k', ObjectAttributes: ['ObjectSize'] }),
    );
    expect([onlySize.ObjectSize, onlySize.ETag]).toEqual([3, undefined]);
  });

  it('lists a multipart object’s parts with sizes and checksums, paged by marker', async () => {
    running = await startGateway(createMemoryProvider({ minPartSize: 16 }));
    const { parts, done } = await threePartObject(running);
    const got = await running.s3.send(
      new GetObjectAttributesCommand({ Bucket: 'attrs', Key: 'mp', ObjectAttributes: [...ALL] }),
    );
    expect(got.Checksum).toMatchObject({ ChecksumSHA256: done.ChecksumSHA256, ChecksumType: 'COMPOSITE' });
    expect(got.ObjectParts?.TotalPartsCount).toBe(3);
    expect(got.ObjectParts?.Parts?.map((p) => [p.PartNumber, p.Size, p.ChecksumSHA256])).toEqual([
      [1, 16, parts[0]?.ChecksumSHA256],
      [2, 16, parts[1]?.ChecksumSHA256],
      [3, 5, parts[2]?.ChecksumSHA256],
    ]);
    const page = await running.s3.send(
      new GetObjectAttributesCommand({
        Bucket: 'attrs',
        Key: 'mp',
        ObjectAttributes: ['ObjectParts'],
        MaxParts: 1,
        PartNumberMarker: '1',
      }),
    );
    expect(page.ObjectParts).toMatchObject({ IsTruncated: true, NextPartNumberMarker: '2', MaxParts: 1 });
    expect(page.ObjectParts?.Parts?.map((p) => p.PartNumber)).toEqual([2]);
  });

  it('refuses a request without x-amz-object-attributes or with an unknown name (InvalidArgument)', async () => {
    running = await startGateway('memory');
    await running.s3.send(new CreateBucketCommand({ Bucket: 'attrs' }));
    await running.s3.send(new PutObjectCommand({ Bucket: 'attrs', Key: 'k', Body: 'foo' }));
    const bad = running.s3.send(
      new GetObjectAttributesCommand({ Bucket: 'attrs', Key: 'k', ObjectAttributes: ['Owner' as 'ETag'] }),
    );
    expect(await s3Failure(bad)).toEqual({ code: 'InvalidArgument', status: 400 });
  });
});

describe('reads by partNumber', () => {
  it("serves each part's bytes, and its checksum with checksum mode, from a store that records parts", async () => {
    running = await startGateway(createMemoryProvider({ minPartSize: 16 }));
    const { bodies, parts } = await threePartObject(running);
    for (const [index, body] of bodies.entries()) {
      const got = await running.s3.send(
        new GetObjectCommand({ Bucket: 'attrs', Key: 'mp', PartNumber: index + 1, ChecksumMode: 'ENABLED' }),
      );
      expect(await got.Body?.transformToString()).toBe(body);
      expect([got.PartsCount, got.ChecksumSHA256, got.ChecksumType]).toEqual([
        3,
        parts[index]?.ChecksumSHA256,
        'COMPOSITE',
      ]);
    }
    const head = await running.s3.send(new HeadObjectCommand({ Bucket: 'attrs', Key: 'mp', PartNumber: 3 }));
    expect(head.ContentLength).toBe(5);
  });
});
