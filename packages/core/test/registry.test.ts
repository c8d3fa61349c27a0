import { PartCopyError, ProviderRegistry, parseObjectUrl } from '@partcopy/core';
import { recordingProvider } from '@partcopy/core/testing';
import { describe, expect, it } from 'vitest';

describe('ProviderRegistry', () => {
  it('resolves scheme://bucket/key to a provider and a raw key', async () => {
    const registry = new ProviderRegistry().register({
      name: 'rec',
      schemes: ['rec', 'rec2'],
      create: () => recordingProvider(),
    });
    const { provider, ref } = await registry.resolve('rec://bkt/dir/a b%20?#x');
    expect(provider.name).toBe('recording');
    expect(ref).toEqual({ scheme: 'rec', bucket: 'bkt', key: 'dir/a b%20?#x' });
    expect(registry.schemes()).toEqual(['rec', 'rec2']);
  });

  it('names the registered schemes when one is unknown', async () => {
    const registry = new ProviderRegistry().register({
      name: 'rec',
      schemes: ['rec'],
      create: () => recordingProvider(),
    });
    const error = await registry.open('s3://b/k').catch((e: unknown) => e);
    expect(PartCopyError.hasCode(error, 'Unsupported')).toBe(true);
    expect(String((error as Error).message)).toMatch(/registered: rec/);
  });

  it('parses bucket URLs and rejects non-URLs', () => {
    expect(parseObjectUrl('S3://b')).toEqual({ scheme: 's3', bucket: 'b', key: '' });
    expect(() => parseObjectUrl('not a url')).toThrow(PartCopyError);
  });
});
