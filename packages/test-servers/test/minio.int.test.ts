import { randomBytes } from 'node:crypto';
import {
  CompleteMultipartUploadCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  GetBucketVersioningCommand,
  GetObjectCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  UploadPartCopyCommand,
} from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { requireServerEnv } from '../src/index.ts';
import { bodyBytes, s3Client, uniqueName, uploadPartCopyRoundTrip } from './s3-smoke.ts';

describe('MinIO (plain http)', () => {
  const env = requireServerEnv('minio');
  const client = s3Client(
    env.PARTCOPY_MINIO_ENDPOINT,
    env.PARTCOPY_MINIO_ACCESS_KEY,
    env.PARTCOPY_MINIO_SECRET_KEY,
  );

  it('puts, reads a range and builds an object from ranged UploadPartCopy parts', async () => {
    await uploadPartCopyRoundTrip(client);
  });

  it('keeps versions on a versioned bucket and copies a range of an old version', async () => {
    const bucket = uniqueName('versions');
    await client.send(new CreateBucketCommand({ Bucket: bucket }));
    await client.send(
      new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: 'Enabled' } }),
    );
    expect((await client.send(new GetBucketVersioningCommand({ Bucket: bucket }))).Status).toBe('Enabled');

    const v1 = randomBytes(1024);
    const v2 = randomBytes(1024);
    const put1 = await client.send(new PutObjectCommand({ Bucket: bucket, Key: 'k', Body: v1 }));
    const put2 = await client.send(new PutObjectCommand({ Bucket: bucket, Key: 'k', Body: v2 }));
    expect(put1.VersionId).toBeTruthy();
    expect(put2.VersionId).toBeTruthy();
    expect(put1.VersionId).not.toBe(put2.VersionId);

    const old = await client.send(
      new GetObjectCommand({ Bucket: bucket, Key: 'k', VersionId: put1.VersionId }),
    );
    expect((await bodyBytes(old.Body)).equals(v1)).toBe(true);
    const latest = await client.send(new GetObjectCommand({ Bucket: bucket, Key: 'k' }));
    expect((await bodyBytes(latest.Body)).equals(v2)).toBe(true);

    const upload = await client.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: 'from-old' }));
    const part = await client.send(
      new UploadPartCopyCommand({
        Bucket: bucket,
        Key: 'from-old',
        UploadId: upload.UploadId,
        PartNumber: 1,
        CopySource: `${bucket}/k?versionId=${put1.VersionId}`,
        CopySourceRange: 'bytes=100-199',
      }),
    );
    // Known MinIO gap: UploadPartCopy leaves out x-amz-copy-source-version-id (CopyObject sends
    // it), so adapters must not rely on that header; the bytes below prove the old version was read.
    expect([undefined, put1.VersionId]).toContain(part.CopySourceVersionId);
    await client.send(
      new CompleteMultipartUploadCommand({
        Bucket: bucket,
        Key: 'from-old',
        UploadId: upload.UploadId,
        MultipartUpload: { Parts: [{ PartNumber: 1, ETag: part.CopyPartResult?.ETag }] },
      }),
    );
    const got = await client.send(new GetObjectCommand({ Bucket: bucket, Key: 'from-old' }));
    expect((await bodyBytes(got.Body)).equals(v1.subarray(100, 200))).toBe(true);
  });
});
