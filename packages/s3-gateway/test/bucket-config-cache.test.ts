/**
 * The gateway's cache of bucket configuration documents: reads within the time share one store
 * read (concurrent ones too), a write through it is seen at once, an expired entry is read again,
 * a failed read is not kept, and 0 turns the cache off. Store reads are counted.
 */
import { PartCopyClient, type Provider } from '@partcopy/core';
import { wrapProvider } from '@partcopy/core/testing';
import { createMemoryProvider } from '@partcopy/memory';
import { describe, expect, it } from 'vitest';
import { BucketConfigs } from '../src/bucket-config-cache.js';
import { BUCKET_CONFIG_KEY, createBucketConfig } from '../src/bucket-config-document.js';

async function counted(): Promise<{ client: PartCopyClient; reads: () => number }> {
  let reads = 0;
  const provider = wrapProvider(createMemoryProvider(), async (method, request, _ctx, next) => {
    if (method === 'getObject' && (request as { key?: string }).key === BUCKET_CONFIG_KEY) reads++;
    return next();
  });
  const client = new PartCopyClient(provider as Provider);
  await client.createBucket({ bucket: 'b' });
  return { client, reads: () => reads };
}

describe('BucketConfigs', () => {
  it('shares one store read among the reads within its time, concurrent ones included', async () => {
    const { client, reads } = await counted();
    let now = 0;
    const configs = new BucketConfigs(client, 1000, () => now);
    await createBucketConfig(client, 'b', { objectOwnership: 'ObjectWriter' });
    const [first, second] = await Promise.all([configs.read('b'), configs.read('b')]);
    expect(first?.config.objectOwnership).toBe('ObjectWriter');
    expect(second?.config.objectOwnership).toBe('ObjectWriter');
    now = 999;
    await configs.read('b');
    expect(reads()).toBe(1);
    now = 1000;
    await configs.read('b');
    expect(reads()).toBe(2);
  });

  it('gives each caller its own copy', async () => {
    const { client } = await counted();
    const configs = new BucketConfigs(client, 1000, () => 0);
    await createBucketConfig(client, 'b', { acl: [] });
    const first = await configs.read('b');
    if (first === undefined) throw new Error('the document was written');
    (first.config.acl as unknown[]).push('changed by a handler');
    expect((await configs.read('b'))?.config.acl).toEqual([]);
  });

  it('sees its own writes at once, and another writer’s only after its time', async () => {
    const { client, reads } = await counted();
    let now = 0;
    const configs = new BucketConfigs(client, 1000, () => now);
    expect(await configs.read('b')).toBeUndefined();
    await configs.update('b', (current) => ({ ...current, objectOwnership: 'ObjectWriter' }));
    expect((await configs.read('b'))?.config.objectOwnership).toBe('ObjectWriter');
    // Another gateway instance changes the document.
    await new BucketConfigs(client, 0).update('b', (current) => ({
      ...current,
      objectOwnership: 'BucketOwnerPreferred',
    }));
    expect((await configs.read('b'))?.config.objectOwnership).toBe('ObjectWriter');
    now = 1000;
    expect((await configs.read('b'))?.config.objectOwnership).toBe('BucketOwnerPreferred');
    await configs.remove('b');
    expect(await configs.read('b')).toBeUndefined();
    expect(reads()).toBeGreaterThan(0);
  });

  it('keeps no failed read, and reads every time with 0', async () => {
    const { client, reads } = await counted();
    const configs = new BucketConfigs(client, 1000, () => 0);
    await expect(configs.read('absent')).rejects.toMatchObject({ code: 'NoSuchBucket' });
    await client.createBucket({ bucket: 'absent' });
    expect(await configs.read('absent')).toBeUndefined();
    const uncached = new BucketConfigs(client, 0);
    const before = reads();
    await uncached.read('b');
    await uncached.read('b');
    expect(reads() - before).toBe(2);
  });

  it('lets one caller give up without failing the others', async () => {
    const { client } = await counted();
    const configs = new BucketConfigs(client, 1000, () => 0);
    const controller = new AbortController();
    const abandoned = configs.read('b', controller.signal);
    const kept = configs.read('b');
    controller.abort(new Error('client went away'));
    await expect(abandoned).rejects.toThrow('client went away');
    expect(await kept).toBeUndefined();
  });
});
