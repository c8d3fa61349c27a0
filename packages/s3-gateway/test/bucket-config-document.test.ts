/**
 * The per-bucket configuration document kept in the store: created once, updated by conditional
 * rewrites that never lose a concurrent change, unknown settings kept, removed (every version)
 * for DeleteBucket, and its key reserved.
 */
import { PartCopyClient } from '@partcopy/core';
import { createMemoryProvider } from '@partcopy/memory';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  BUCKET_CONFIG_KEY,
  createBucketConfig,
  deleteBucketConfig,
  isReservedKey,
  readBucketConfig,
  refuseReservedKey,
  updateBucketConfig,
} from '../src/bucket-config-document.js';

describe('bucket configuration document', () => {
  let client: PartCopyClient;
  const bucket = 'config-bucket';

  beforeEach(async () => {
    client = new PartCopyClient(createMemoryProvider());
    await client.createBucket({ bucket });
  });

  it('is absent until written, then reads back with its ETag', async () => {
    expect(await readBucketConfig(client, bucket)).toBeUndefined();
    await createBucketConfig(client, bucket, { owner: { id: 'u1', displayName: 'one' } });
    const stored = await readBucketConfig(client, bucket);
    expect(stored?.config).toMatchObject({ version: 1, owner: { id: 'u1', displayName: 'one' } });
    expect(stored?.etag).toMatch(/\S/);
  });

  it('refuses a second creation', async () => {
    await createBucketConfig(client, bucket, { objectOwnership: 'ObjectWriter' });
    await expect(
      createBucketConfig(client, bucket, { objectOwnership: 'BucketOwnerEnforced' }),
    ).rejects.toThrow();
    expect((await readBucketConfig(client, bucket))?.config.objectOwnership).toBe('ObjectWriter');
  });

  it('keeps settings it does not know when another field changes', async () => {
    await createBucketConfig(client, bucket, { cors: { rules: [1, 2] }, objectOwnership: 'ObjectWriter' });
    await updateBucketConfig(client, bucket, (current) => ({
      ...current,
      objectOwnership: 'BucketOwnerPreferred',
    }));
    const config = (await readBucketConfig(client, bucket))?.config;
    expect(config).toMatchObject({ cors: { rules: [1, 2] }, objectOwnership: 'BucketOwnerPreferred' });
  });

  it('creates the document on the first update and leaves it alone when told to', async () => {
    await updateBucketConfig(client, bucket, (current) => {
      expect(current).toBeUndefined();
      return { objectOwnership: 'ObjectWriter' };
    });
    const before = await readBucketConfig(client, bucket);
    const answered = await updateBucketConfig(client, bucket, () => undefined);
    expect(answered?.objectOwnership).toBe('ObjectWriter');
    expect((await readBucketConfig(client, bucket))?.etag).toBe(before?.etag);
  });

  it('loses no concurrent update: each writer retries on the newer document', async () => {
    await createBucketConfig(client, bucket, {});
    await Promise.all(
      Array.from({ length: 5 }, (_, i) =>
        updateBucketConfig(client, bucket, (current) => ({ ...current, [`setting${i}`]: i })),
      ),
    );
    const config = (await readBucketConfig(client, bucket))?.config ?? {};
    for (let i = 0; i < 5; i++) expect(config[`setting${i}`]).toBe(i);
  });

  it('writes nothing when the change leaves the document as it is, so same-value writers never contend', async () => {
    await createBucketConfig(client, bucket, { objectOwnership: 'ObjectWriter', acl: [] });
    const before = await readBucketConfig(client, bucket);
    await Promise.all(
      Array.from({ length: 30 }, () =>
        updateBucketConfig(client, bucket, (current) => ({ ...current, objectOwnership: 'ObjectWriter' })),
      ),
    );
    expect((await readBucketConfig(client, bucket))?.etag).toBe(before?.etag);
  });

  it('is removed so the bucket can be deleted, also from a versioned bucket', async () => {
    await client.putBucketVersioning({ bucket, status: 'Enabled' });
    await createBucketConfig(client, bucket, {});
    await updateBucketConfig(client, bucket, (current) => ({ ...current, objectOwnership: 'ObjectWriter' }));
    await expect(client.deleteBucket({ bucket })).rejects.toThrow();
    await deleteBucketConfig(client, bucket);
    await client.deleteBucket({ bucket });
  });

  it('removing a missing document is no error', async () => {
    await deleteBucketConfig(client, bucket);
    await client.deleteBucket({ bucket });
  });

  it('answers NoSuchBucket for a missing bucket', async () => {
    await expect(readBucketConfig(client, 'no-such-bucket-here')).rejects.toMatchObject({
      code: 'NoSuchBucket',
    });
  });

  it('refuses a document that is not a JSON object', async () => {
    await client.putObject({ bucket, key: BUCKET_CONFIG_KEY, body: '[1]' });
    await expect(readBucketConfig(client, bucket)).rejects.toMatchObject({ code: 'InternalError' });
  });

  it('reserves its prefix', () => {
    expect(isReservedKey(BUCKET_CONFIG_KEY)).toBe(true);
    expect(isReservedKey('.partcopy-gateway/other')).toBe(true);
    expect(isReservedKey('.partcopy-gatewayx')).toBe(false);
    expect(isReservedKey('photos/.partcopy-gateway/bucket.json')).toBe(false);
    expect(() => refuseReservedKey(BUCKET_CONFIG_KEY)).toThrow(/reserved/);
    expect(() => refuseReservedKey('a/b')).not.toThrow();
    expect(() => refuseReservedKey(undefined)).not.toThrow();
  });
});
