// Shared steps for the S3 smoke tests (MinIO plain, MinIO TLS, moto): the raw SDK, no partcopy
// code, so a failure here is about the server, not about an adapter.

import { randomBytes, randomUUID } from 'node:crypto';
import type { S3ClientConfig } from '@aws-sdk/client-s3';
import {
  CompleteMultipartUploadCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  PutObjectCommand,
  S3Client,
  UploadPartCopyCommand,
} from '@aws-sdk/client-s3';
import { expect } from 'vitest';

export const MiB = 1024 * 1024;

export function s3Client(
  endpoint: string,
  accessKeyId: string,
  secretAccessKey: string,
  extra: Partial<S3ClientConfig> = {},
) {
  return new S3Client({
    endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId, secretAccessKey },
    ...extra,
  });
}

export function uniqueName(prefix: string): string {
  return `${prefix}-${randomUUID().slice(0, 8)}`;
}

export async function bodyBytes(body: unknown): Promise<Buffer> {
  const b = body as { transformToByteArray(): Promise<Uint8Array> };
  return Buffer.from(await b.transformToByteArray());
}

export type SseC = { SSECustomerAlgorithm: 'AES256'; SSECustomerKey: string };

/**
 * Creates a bucket, puts a 6 MiB object, reads a range back, then builds a new object from two
 * UploadPartCopy ranges of it (the first one 5 MiB, the S3 minimum for a non-last part) and checks
 * the result byte for byte. With `ssec`, every object is encrypted with that customer key.
 */
export async function uploadPartCopyRoundTrip(client: S3Client, ssec?: SseC): Promise<void> {
  const bucket = uniqueName('smoke');
  await client.send(new CreateBucketCommand({ Bucket: bucket }));
  const source = randomBytes(6 * MiB);
  const sse = ssec ?? {};
  await client.send(new PutObjectCommand({ Bucket: bucket, Key: 'source', Body: source, ...sse }));

  const ranged = await client.send(
    new GetObjectCommand({ Bucket: bucket, Key: 'source', Range: 'bytes=10-19', ...sse }),
  );
  expect(ranged.ContentRange).toBe(`bytes 10-19/${source.length}`);
  expect(await bodyBytes(ranged.Body)).toEqual(source.subarray(10, 20));

  const copySourceSse = ssec
    ? {
        CopySourceSSECustomerAlgorithm: ssec.SSECustomerAlgorithm,
        CopySourceSSECustomerKey: ssec.SSECustomerKey,
      }
    : {};
  const upload = await client.send(
    new CreateMultipartUploadCommand({ Bucket: bucket, Key: 'target', ...sse }),
  );
  const ranges: [number, number][] = [
    [0, 5 * MiB - 1],
    [5 * MiB + 100, 6 * MiB - 1],
  ];
  const parts = [];
  for (const [i, [start, end]] of ranges.entries()) {
    const out = await client.send(
      new UploadPartCopyCommand({
        Bucket: bucket,
        Key: 'target',
        UploadId: upload.UploadId,
        PartNumber: i + 1,
        CopySource: `${bucket}/source`,
        CopySourceRange: `bytes=${start}-${end}`,
        ...sse,
        ...copySourceSse,
      }),
    );
    expect(out.CopyPartResult?.ETag).toBeTruthy();
    parts.push({ PartNumber: i + 1, ETag: out.CopyPartResult?.ETag });
  }
  await client.send(
    new CompleteMultipartUploadCommand({
      Bucket: bucket,
      Key: 'target',
      UploadId: upload.UploadId,
      MultipartUpload: { Parts: parts },
      ...sse,
    }),
  );
  const got = await bodyBytes(
    (await client.send(new GetObjectCommand({ Bucket: bucket, Key: 'target', ...sse }))).Body,
  );
  const want = Buffer.concat(ranges.map(([s, e]) => source.subarray(s, e + 1)));
  expect(got.length).toBe(want.length);
  expect(got.equals(want)).toBe(true);
}
