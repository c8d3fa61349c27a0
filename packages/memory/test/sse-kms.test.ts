import { describe, expect, it } from 'vitest';
import { MEMORY_DEFAULT_KMS_KEY_ID } from '../src/memory-encryption.js';
import { ctx, newBucket, newProvider, payload, readBody, text } from './helpers.js';

describe('SSE-S3 and SSE-KMS (recorded and answered, nothing at rest)', () => {
  it('declares sseKms and answers the method and key id on put, head and get', async () => {
    const provider = newProvider();
    expect(provider.capabilities.sseKms).toBe(true);
    const bucket = await newBucket(provider);
    const put = await provider.putObject(
      { bucket, key: 'k', body: payload('kms bytes'), serverSideEncryption: 'aws:kms', sseKMSKeyId: 'key-1' },
      ctx(),
    );
    expect(put).toMatchObject({ serverSideEncryption: 'aws:kms', sseKMSKeyId: 'key-1' });
    const head = await provider.headObject({ bucket, key: 'k' }, ctx());
    expect(head).toMatchObject({ serverSideEncryption: 'aws:kms', sseKMSKeyId: 'key-1' });
    const got = await provider.getObject({ bucket, key: 'k' }, ctx());
    expect(got.serverSideEncryption).toBe('aws:kms');
    expect(text(await readBody(got.body))).toBe('kms bytes');
    // aws:kms without a key id: S3's AWS-managed key.
    const managed = await provider.putObject(
      { bucket, key: 'm', body: payload('x'), serverSideEncryption: 'aws:kms', bucketKeyEnabled: true },
      ctx(),
    );
    expect(managed).toMatchObject({ sseKMSKeyId: MEMORY_DEFAULT_KMS_KEY_ID, bucketKeyEnabled: true });
    const plain = await provider.putObject({ bucket, key: 'p', body: payload('x') }, ctx());
    expect(plain.serverSideEncryption).toBeUndefined();
  });

  it("answers an upload's method on every part, part copy and completion, and on the object", async () => {
    const provider = newProvider();
    const bucket = await newBucket(provider);
    await provider.putObject({ bucket, key: 'src', body: payload('0123456789abcdef0123') }, ctx());
    const created = await provider.createMultipartUpload(
      { bucket, key: 'dst', serverSideEncryption: 'AES256' },
      ctx(),
    );
    expect(created.serverSideEncryption).toBe('AES256');
    const upload = { bucket, key: 'dst', uploadId: created.uploadId };
    const p1 = await provider.uploadPart({ ...upload, partNumber: 1, body: payload('a'.repeat(16)) }, ctx());
    const p2 = await provider.uploadPartCopy(
      { ...upload, partNumber: 2, source: { bucket, key: 'src' }, conditions: {} },
      ctx(),
    );
    expect([p1.serverSideEncryption, p2.serverSideEncryption]).toEqual(['AES256', 'AES256']);
    const done = await provider.completeMultipartUpload(
      {
        ...upload,
        parts: [
          { partNumber: 1, etag: p1.etag },
          { partNumber: 2, etag: p2.copyPartResult.etag },
        ],
      },
      ctx(),
    );
    expect(done.serverSideEncryption).toBe('AES256');
    expect((await provider.headObject({ bucket, key: 'dst' }, ctx())).serverSideEncryption).toBe('AES256');
  });

  it('encrypts a whole-object copy as its request says, never as its source was', async () => {
    const provider = newProvider();
    const bucket = await newBucket(provider);
    await provider.putObject(
      { bucket, key: 'src', body: payload('s'), serverSideEncryption: 'aws:kms', sseKMSKeyId: 'key-1' },
      ctx(),
    );
    const copy = (key: string, sse: object) =>
      provider.copyObject(
        {
          bucket,
          key,
          source: { bucket, key: 'src' },
          conditions: {},
          metadataDirective: 'COPY',
          settings: {},
          ...sse,
        },
        ctx(),
      );
    expect(await copy('to-s3', { serverSideEncryption: 'AES256' })).toMatchObject({
      serverSideEncryption: 'AES256',
    });
    expect((await copy('to-plain', {})).serverSideEncryption).toBeUndefined();
    expect((await provider.headObject({ bucket, key: 'to-plain' }, ctx())).sseKMSKeyId).toBeUndefined();
  });
});

describe('bucket default encryption (through the facade)', () => {
  it('is applied to writes naming none, refused when malformed, and removed', async () => {
    const { PartCopyClient, PartCopyError } = await import('@partcopy/core');
    const provider = newProvider();
    const bucket = await newBucket(provider);
    const client = new PartCopyClient(provider);
    await expect(
      client.putBucketEncryption({
        bucket,
        encryption: { serverSideEncryption: 'AES256', sseKMSKeyId: 'k' },
      }),
    ).rejects.toSatisfy((e) => PartCopyError.isInstance(e) && e.code === 'InvalidArgument');
    await client.putBucketEncryption({ bucket, encryption: { serverSideEncryption: 'aws:kms' } });
    expect((await client.getBucketEncryption({ bucket })).encryption).toEqual({
      serverSideEncryption: 'aws:kms',
      sseKMSKeyId: MEMORY_DEFAULT_KMS_KEY_ID,
    });
    const put = await client.putObject({ bucket, key: 'k', body: 'x' });
    expect(put.serverSideEncryption).toBe('aws:kms');
    const withCustomerKey = await client.putObject({
      bucket,
      key: 'c',
      body: 'x',
      sseCustomerAlgorithm: 'AES256',
      sseCustomerKey: Buffer.alloc(32, 1).toString('base64'),
    });
    expect(withCustomerKey.serverSideEncryption).toBeUndefined();
    await client.deleteBucketEncryption({ bucket });
    expect((await client.getBucketEncryption({ bucket })).encryption).toBeUndefined();
    expect((await client.putObject({ bucket, key: 'p', body: 'x' })).serverSideEncryption).toBeUndefined();
    await client.close();
  });
});
