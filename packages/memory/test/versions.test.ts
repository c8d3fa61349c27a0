import { describe, expect, it } from 'vitest';
import { ctx, expectCode, newBucket, newProvider, put, readBody, text } from './helpers.js';

describe('versioned buckets', () => {
  it('gives every put a version id and keeps old versions readable', async () => {
    const provider = newProvider();
    const bucket = await newBucket(provider, true);
    const one = await put(provider, bucket, 'k', 'one');
    const two = await put(provider, bucket, 'k', 'two');
    expect(one.versionId).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(two.versionId).not.toBe(one.versionId);
    const current = await provider.getObject({ bucket, key: 'k' }, ctx());
    expect(current.versionId).toBe(two.versionId);
    expect(text(await readBody(current.body))).toBe('two');
    const old = await provider.getObject({ bucket, key: 'k', versionId: one.versionId as string }, ctx());
    expect(text(await readBody(old.body))).toBe('one');
    expect(old.versionId).toBe(one.versionId);
  });

  it('a delete without version id adds a delete marker: the key reads as NoSuchKey, versions stay', async () => {
    const provider = newProvider();
    const bucket = await newBucket(provider, true);
    const one = await put(provider, bucket, 'k', 'one');
    const deleted = await provider.deleteObject({ bucket, key: 'k' }, ctx());
    expect(deleted.deleteMarker).toBe(true);
    expect(deleted.versionId).toBeDefined();
    await expectCode(provider.headObject({ bucket, key: 'k' }, ctx()), 'NoSuchKey');
    await expectCode(provider.getObject({ bucket, key: 'k' }, ctx()), 'NoSuchKey');
    const old = await provider.headObject({ bucket, key: 'k', versionId: one.versionId as string }, ctx());
    expect(old.size).toBe(3);
    // Reading the marker itself: S3's 405 MethodNotAllowed, carried as InvalidRequest.
    const onMarker = await expectCode(
      provider.headObject({ bucket, key: 'k', versionId: deleted.versionId as string }, ctx()),
      'InvalidRequest',
    );
    expect(onMarker.status).toBe(405);
    expect(onMarker.providerCode).toBe('MethodNotAllowed');
    // Removing the marker brings the object back.
    const removed = await provider.deleteObject(
      { bucket, key: 'k', versionId: deleted.versionId as string },
      ctx(),
    );
    expect(removed).toEqual({ versionId: deleted.versionId, deleteMarker: true });
    expect(text(await readBody((await provider.getObject({ bucket, key: 'k' }, ctx())).body))).toBe('one');
  });

  it('deleting a version removes it for good; an unknown version id is NoSuchVersion', async () => {
    const provider = newProvider();
    const bucket = await newBucket(provider, true);
    const one = await put(provider, bucket, 'k', 'one');
    const two = await put(provider, bucket, 'k', 'two');
    expect(
      await provider.deleteObject({ bucket, key: 'k', versionId: two.versionId as string }, ctx()),
    ).toEqual({ versionId: two.versionId });
    expect((await provider.headObject({ bucket, key: 'k' }, ctx())).versionId).toBe(one.versionId);
    await expectCode(
      provider.getObject({ bucket, key: 'k', versionId: two.versionId as string }, ctx()),
      'NoSuchVersion',
    );
    await expectCode(provider.getObject({ bucket, key: 'never', versionId: 'abc' }, ctx()), 'NoSuchVersion');
  });
});

describe('unversioned buckets', () => {
  it('return no version id, overwrite in place and forget deleted keys', async () => {
    const provider = newProvider();
    const bucket = await newBucket(provider);
    const result = await put(provider, bucket, 'k', 'one');
    expect(result.versionId).toBeUndefined();
    await put(provider, bucket, 'k', 'two');
    const info = await provider.headObject({ bucket, key: 'k' }, ctx());
    expect(info.versionId).toBeUndefined();
    expect(info.size).toBe(3);
    expect(await provider.deleteObject({ bucket, key: 'k' }, ctx())).toEqual({});
    await expectCode(provider.headObject({ bucket, key: 'k' }, ctx()), 'NoSuchKey');
    expect(await provider.deleteObject({ bucket, key: 'k' }, ctx())).toEqual({});
  });

  it("accept S3's null version id for the one version and refuse others with NoSuchVersion", async () => {
    const provider = newProvider();
    const bucket = await newBucket(provider);
    await put(provider, bucket, 'k', 'one');
    expect((await provider.headObject({ bucket, key: 'k', versionId: 'null' }, ctx())).size).toBe(3);
    await expectCode(provider.headObject({ bucket, key: 'k', versionId: 'other' }, ctx()), 'NoSuchVersion');
  });
});

describe('listObjectVersions', () => {
  it('continues after a common prefix that ends a page, and lists nothing for maxKeys 0', async () => {
    const provider = newProvider();
    const bucket = await newBucket(provider, true);
    for (const key of ['a/1', 'a/2', 'b', 'c/1']) await put(provider, bucket, key, key);
    const first = await provider.listObjectVersions({ bucket, delimiter: '/', maxKeys: 1 }, ctx());
    expect([first.commonPrefixes, first.isTruncated, first.nextKeyMarker, first.nextVersionIdMarker]).toEqual(
      [['a/'], true, 'a/', undefined],
    );
    const rest = await provider.listObjectVersions(
      { bucket, delimiter: '/', keyMarker: 'a/', maxKeys: 1000 },
      ctx(),
    );
    expect(rest.versions.map((v) => v.key)).toEqual(['b']);
    expect(rest.commonPrefixes).toEqual(['c/']);
    // A key marker that is a key inside a prefix (not the prefix itself) still rolls the rest up.
    const inside = await provider.listObjectVersions(
      { bucket, delimiter: '/', keyMarker: 'a/1', maxKeys: 1000 },
      ctx(),
    );
    expect(inside.commonPrefixes).toEqual(['a/', 'c/']);
    const none = await provider.listObjectVersions({ bucket, maxKeys: 0 }, ctx());
    expect([none.versions, none.deleteMarkers, none.isTruncated]).toEqual([[], [], false]);
  });

  it('suspending keeps the versions made while enabled; re-enabling adds new ones after the null version', async () => {
    const provider = newProvider();
    const bucket = await newBucket(provider, true);
    const kept = await put(provider, bucket, 'k', 'kept');
    await provider.putBucketVersioning({ bucket, status: 'Suspended' }, ctx());
    expect(await provider.getBucketVersioning({ bucket }, ctx())).toEqual({ status: 'Suspended' });
    expect((await put(provider, bucket, 'k', 'null')).versionId).toBeUndefined();
    await provider.putBucketVersioning({ bucket, status: 'Enabled' }, ctx());
    const next = await put(provider, bucket, 'k', 'next');
    const listed = await provider.listObjectVersions({ bucket, maxKeys: 1000 }, ctx());
    expect(listed.versions.map((v) => [v.versionId, v.isLatest])).toEqual([
      [next.versionId, true],
      ['null', false],
      [kept.versionId, false],
    ]);
    const head = await provider.headObject({ bucket, key: 'k', versionId: 'null' }, ctx());
    expect(head.versionId).toBe('null');
  });
});
