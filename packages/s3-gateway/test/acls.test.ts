/**
 * S3 ACLs through the gateway with @aws-sdk/client-s3 on memory and a folder (the suite in
 * support/acl-suite.ts), ListBuckets with several users, and ACLs disabled by default.
 */
import {
  CreateBucketCommand,
  GetBucketOwnershipControlsCommand,
  GetObjectCommand,
  ListBucketsCommand,
  ListObjectVersionsCommand,
  PutBucketVersioningCommand,
  PutObjectAclCommand,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { PartCopyError } from '@partcopy/core';
import { wrapProvider } from '@partcopy/core/testing';
import { createMemoryProvider } from '@partcopy/memory';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aclSuite, credentials, OTHER } from './support/acl-suite.js';
import {
  type BackendName,
  type RunningGateway,
  randomBucket,
  s3ClientFor,
  startGateway,
} from './support/gateway-harness.js';
import { s3Failure } from './support/sdk-suite.js';

for (const backend of ['memory', 'fs'] as BackendName[]) aclSuite(backend);

describe('ListBuckets with several users (memory)', () => {
  it("lists each user's own buckets only", async () => {
    const provider = createMemoryProvider();
    const listBuckets = async () => [...provider.store.buckets.values()].map((b) => ({ name: b.name }));
    const g = await startGateway(provider, {
      credentials,
      listBuckets,
      defaultObjectOwnership: 'ObjectWriter',
    });
    const other = s3ClientFor(g.url, OTHER);
    try {
      await g.s3.send(new CreateBucketCommand({ Bucket: 'owners-bucket' }));
      await other.send(new CreateBucketCommand({ Bucket: 'others-bucket' }));
      // Made in the store directly: the primary user's.
      await g.client.createBucket({ bucket: 'store-bucket' });
      const names = async (s3: S3Client) =>
        (await s3.send(new ListBucketsCommand({}))).Buckets?.map((b) => b.Name);
      expect(await names(g.s3)).toEqual(['owners-bucket', 'store-bucket']);
      expect(await names(other)).toEqual(['others-bucket']);
      const taken = await s3Failure(other.send(new CreateBucketCommand({ Bucket: 'owners-bucket' })));
      expect(taken).toEqual({ code: 'BucketAlreadyExists', status: 409 });
      // Its owner re-creating it succeeds in us-east-1, as S3 answers there.
      await g.s3.send(new CreateBucketCommand({ Bucket: 'owners-bucket' }));
    } finally {
      other.destroy();
      await g.close();
    }
  });
});

describe('CreateBucket on a store with one global namespace (GCS-like)', () => {
  it('re-creating a bucket the gateway can read is its owner re-creating it', async () => {
    // The store answers BucketAlreadyExists for every existing bucket, as GCS does.
    const provider = wrapProvider(createMemoryProvider(), async (method, _request, _ctx, next) => {
      try {
        return await next();
      } catch (error) {
        if (method === 'createBucket' && PartCopyError.hasCode(error, 'BucketAlreadyOwnedByYou'))
          throw new PartCopyError('BucketAlreadyExists', 'taken');
        throw error;
      }
    });
    const g = await startGateway(provider, { credentials, defaultObjectOwnership: 'ObjectWriter' });
    const other = s3ClientFor(g.url, OTHER);
    try {
      await g.s3.send(new CreateBucketCommand({ Bucket: 'global-name' }));
      await g.s3.send(new CreateBucketCommand({ Bucket: 'global-name' }));
      const taken = await s3Failure(other.send(new CreateBucketCommand({ Bucket: 'global-name' })));
      expect(taken.code).toBe('BucketAlreadyExists');
    } finally {
      other.destroy();
      await g.close();
    }
  });
});

describe('PutObjectAcl in a versioned bucket (memory)', () => {
  it('rewrites nothing when the ACL is the one the object has, and makes a version when it changes', async () => {
    const g = await startGateway('memory', { credentials, defaultObjectOwnership: 'ObjectWriter' });
    try {
      const name = randomBucket();
      await g.s3.send(new CreateBucketCommand({ Bucket: name }));
      await g.s3.send(
        new PutBucketVersioningCommand({ Bucket: name, VersioningConfiguration: { Status: 'Enabled' } }),
      );
      await g.s3.send(new PutObjectCommand({ Bucket: name, Key: 'k', Body: 'v' }));
      const versions = async () =>
        (await g.s3.send(new ListObjectVersionsCommand({ Bucket: name }))).Versions?.length;
      await g.s3.send(new PutObjectAclCommand({ Bucket: name, Key: 'k', ACL: 'private' }));
      expect(await versions()).toBe(1);
      await g.s3.send(new PutObjectAclCommand({ Bucket: name, Key: 'k', ACL: 'public-read' }));
      expect(await versions()).toBe(2);
      expect((await fetch(`${g.url}/${name}/k`)).status).toBe(200);
    } finally {
      await g.close();
    }
  });
});

describe('S3 ACLs disabled by default', () => {
  let g: RunningGateway;
  beforeAll(async () => {
    g = await startGateway('memory', { credentials });
  });
  afterAll(async () => {
    await g?.close();
  });

  it('creates buckets without a document, refuses ACLs and lets every key in, as before', async () => {
    const name = randomBucket();
    await g.s3.send(new CreateBucketCommand({ Bucket: name }));
    expect(await g.client.listObjects({ bucket: name })).toMatchObject({ objects: [] });
    const refused = await s3Failure(
      g.s3.send(new CreateBucketCommand({ Bucket: randomBucket(), ACL: 'public-read' })),
    );
    expect(refused.code).toBe('InvalidBucketAclWithObjectOwnership');
    await g.s3.send(new PutObjectCommand({ Bucket: name, Key: 'k', Body: 'v' }));
    const other = s3ClientFor(g.url, OTHER);
    try {
      const got = await other.send(new GetObjectCommand({ Bucket: name, Key: 'k' }));
      expect(await got.Body?.transformToString()).toBe('v');
    } finally {
      other.destroy();
    }
    expect((await fetch(`${g.url}/${name}/k`)).status).toBe(403);
    const controls = await g.s3.send(new GetBucketOwnershipControlsCommand({ Bucket: name }));
    expect(controls.OwnershipControls?.Rules).toEqual([{ ObjectOwnership: 'BucketOwnerEnforced' }]);
  });
});
