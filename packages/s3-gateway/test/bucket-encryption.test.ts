/**
 * A bucket's default encryption through the gateway over memory, which keeps it: Put, Get (404
 * ServerSideEncryptionConfigurationNotFoundError when none), Delete, and the default applied to
 * PUT, multipart uploads and copies that name no encryption.
 */
import {
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  DeleteBucketEncryptionCommand,
  GetBucketEncryptionCommand,
  HeadObjectCommand,
  PutBucketEncryptionCommand,
  PutObjectCommand,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { afterEach, describe, expect, it } from 'vitest';
import { type RunningGateway, startGateway } from './support/gateway-harness.js';
import { s3Failure } from './support/sdk-suite.js';

let running: RunningGateway | undefined;
afterEach(async () => {
  await running?.close();
  running = undefined;
});

const kmsDefault = {
  Rules: [
    { ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms' as const, KMSMasterKeyID: 'key-1' } },
  ],
};

describe('bucket default encryption', () => {
  it('is kept, read back, and removed', async () => {
    const g = await startGateway('memory');
    running = g;
    await g.s3.send(new CreateBucketCommand({ Bucket: 'enc' }));
    const notFound = { code: 'ServerSideEncryptionConfigurationNotFoundError', status: 404 };
    expect(await s3Failure(g.s3.send(new GetBucketEncryptionCommand({ Bucket: 'enc' })))).toEqual(notFound);
    await g.s3.send(
      new PutBucketEncryptionCommand({ Bucket: 'enc', ServerSideEncryptionConfiguration: kmsDefault }),
    );
    const got = await g.s3.send(new GetBucketEncryptionCommand({ Bucket: 'enc' }));
    expect(got.ServerSideEncryptionConfiguration?.Rules?.[0]?.ApplyServerSideEncryptionByDefault).toEqual({
      SSEAlgorithm: 'aws:kms',
      KMSMasterKeyID: 'key-1',
    });
    await g.s3.send(new DeleteBucketEncryptionCommand({ Bucket: 'enc' }));
    expect(await s3Failure(g.s3.send(new GetBucketEncryptionCommand({ Bucket: 'enc' })))).toEqual(notFound);
    expect(await s3Failure(g.s3.send(new GetBucketEncryptionCommand({ Bucket: 'absent' })))).toEqual({
      code: 'NoSuchBucket',
      status: 404,
    });
  });

  it('applies to PUT, multipart uploads and copies that name no encryption, not to those that do', async () => {
    const g = await startGateway('memory');
    running = g;
    await g.s3.send(new CreateBucketCommand({ Bucket: 'enc' }));
    await g.s3.send(
      new PutBucketEncryptionCommand({ Bucket: 'enc', ServerSideEncryptionConfiguration: kmsDefault }),
    );
    const put = await g.s3.send(new PutObjectCommand({ Bucket: 'enc', Key: 'k', Body: 'x' }));
    expect([put.ServerSideEncryption, put.SSEKMSKeyId]).toEqual(['aws:kms', 'key-1']);
    const asked = await g.s3.send(
      new PutObjectCommand({ Bucket: 'enc', Key: 'a', Body: 'x', ServerSideEncryption: 'AES256' }),
    );
    expect([asked.ServerSideEncryption, asked.SSEKMSKeyId]).toEqual(['AES256', undefined]);
    const created = await g.s3.send(new CreateMultipartUploadCommand({ Bucket: 'enc', Key: 'mp' }));
    expect(created.ServerSideEncryption).toBe('aws:kms');
    const part = await g.s3.send(
      new UploadPartCommand({
        Bucket: 'enc',
        Key: 'mp',
        UploadId: created.UploadId,
        PartNumber: 1,
        Body: 'p',
      }),
    );
    await g.s3.send(
      new CompleteMultipartUploadCommand({
        Bucket: 'enc',
        Key: 'mp',
        UploadId: created.UploadId,
        MultipartUpload: { Parts: [{ PartNumber: 1, ETag: part.ETag }] },
      }),
    );
    expect((await g.s3.send(new HeadObjectCommand({ Bucket: 'enc', Key: 'mp' }))).ServerSideEncryption).toBe(
      'aws:kms',
    );
    const copied = await g.s3.send(new CopyObjectCommand({ Bucket: 'enc', Key: 'c', CopySource: 'enc/a' }));
    expect(copied.ServerSideEncryption).toBe('aws:kms');
  });
});
