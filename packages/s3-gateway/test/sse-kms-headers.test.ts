/**
 * SSE-S3 and SSE-KMS through the gateway over memory (which records and answers them): S3's
 * headers on PUT, HEAD, GET, CopyObject and every multipart step, and S3's 400 for a read that
 * names store-managed encryption.
 */
import {
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  UploadPartCopyCommand,
} from '@aws-sdk/client-s3';
import { afterEach, describe, expect, it } from 'vitest';
import { type RunningGateway, startGateway } from './support/gateway-harness.js';
import { errorCode, signedRequest } from './support/raw-requests.js';

let running: RunningGateway | undefined;
afterEach(async () => {
  await running?.close();
  running = undefined;
});

describe('SSE-S3 and SSE-KMS headers', () => {
  it('answers the method and KMS key id on PUT, HEAD, GET and CopyObject', async () => {
    running = await startGateway('memory');
    const s3 = running.s3;
    await s3.send(new CreateBucketCommand({ Bucket: 'enc' }));
    const put = await s3.send(
      new PutObjectCommand({
        Bucket: 'enc',
        Key: 'k',
        Body: 'kms',
        ServerSideEncryption: 'aws:kms',
        SSEKMSKeyId: 'testkey-1',
      }),
    );
    expect([put.ServerSideEncryption, put.SSEKMSKeyId]).toEqual(['aws:kms', 'testkey-1']);
    const head = await s3.send(new HeadObjectCommand({ Bucket: 'enc', Key: 'k' }));
    expect([head.ServerSideEncryption, head.SSEKMSKeyId]).toEqual(['aws:kms', 'testkey-1']);
    const got = await s3.send(new GetObjectCommand({ Bucket: 'enc', Key: 'k' }));
    expect([got.ServerSideEncryption, await got.Body?.transformToString()]).toEqual(['aws:kms', 'kms']);
    const copied = await s3.send(
      new CopyObjectCommand({ Bucket: 'enc', Key: 'c', CopySource: 'enc/k', ServerSideEncryption: 'AES256' }),
    );
    expect(copied.ServerSideEncryption).toBe('AES256');
  });

  it('answers an upload’s method on create, UploadPartCopy and complete', async () => {
    running = await startGateway('memory');
    const s3 = running.s3;
    await s3.send(new CreateBucketCommand({ Bucket: 'enc' }));
    await s3.send(new PutObjectCommand({ Bucket: 'enc', Key: 'src', Body: 'source bytes' }));
    const created = await s3.send(
      new CreateMultipartUploadCommand({ Bucket: 'enc', Key: 'dst', ServerSideEncryption: 'AES256' }),
    );
    expect(created.ServerSideEncryption).toBe('AES256');
    const part = await s3.send(
      new UploadPartCopyCommand({
        Bucket: 'enc',
        Key: 'dst',
        UploadId: created.UploadId,
        PartNumber: 1,
        CopySource: 'enc/src',
      }),
    );
    expect(part.ServerSideEncryption).toBe('AES256');
    const done = await s3.send(
      new CompleteMultipartUploadCommand({
        Bucket: 'enc',
        Key: 'dst',
        UploadId: created.UploadId,
        MultipartUpload: { Parts: [{ PartNumber: 1, ETag: part.CopyPartResult?.ETag }] },
      }),
    );
    expect(done.ServerSideEncryption).toBe('AES256');
  });

  it('refuses a GET or HEAD that sends x-amz-server-side-encryption with 400 InvalidArgument', async () => {
    running = await startGateway('memory');
    await running.s3.send(new CreateBucketCommand({ Bucket: 'enc' }));
    await running.s3.send(
      new PutObjectCommand({ Bucket: 'enc', Key: 'k', Body: 'x', ServerSideEncryption: 'AES256' }),
    );
    for (const method of ['GET', 'HEAD']) {
      const answer = await signedRequest(running.url, method, '/enc/k', {
        'x-amz-server-side-encryption': 'AES256',
      });
      expect([method, answer.status]).toEqual([method, 400]);
      if (method === 'GET') expect(errorCode(answer.body)).toBe('InvalidArgument');
    }
  });
});
