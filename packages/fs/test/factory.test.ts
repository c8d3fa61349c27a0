import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { ProviderRegistry } from '@partcopy/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFsProvider, DEFAULT_FS_ROOT, FsProvider, fsProviderFactory } from '../src/index.js';
import { ctx, tempDir } from './helpers.js';

let sandbox: { dir: string; cleanup: () => Promise<void> };
beforeEach(async () => {
  sandbox = await tempDir();
});
afterEach(() => sandbox.cleanup());

describe('fsProviderFactory', () => {
  it('handles file:// and creates the root from options, then env', async () => {
    expect(fsProviderFactory.schemes).toEqual(['file']);
    const fromOptions = await fsProviderFactory.create({ root: join(sandbox.dir, 'a'), minPartSize: 1 }, {});
    expect((await stat(join(sandbox.dir, 'a'))).isDirectory()).toBe(true);
    expect(fromOptions.capabilities.minPartSize).toBe(1);
    const fromEnv = (await fsProviderFactory.create(
      {},
      { PARTCOPY_FS_ROOT: join(sandbox.dir, 'b') },
    )) as FsProvider;
    expect(fromEnv.root).toBe(join(sandbox.dir, 'b'));
    expect(DEFAULT_FS_ROOT).toBe('./.partcopy-data');
    await expect(fsProviderFactory.create({ root: 42 }, {})).rejects.toThrow(TypeError);
  });

  it('resolves through a registry', async () => {
    const registry = new ProviderRegistry().register(fsProviderFactory);
    const { provider, ref } = await registry.resolve('file://my-bucket/some key', { root: sandbox.dir });
    expect(ref).toEqual({ scheme: 'file', bucket: 'my-bucket', key: 'some key' });
    await provider.createBucket?.({ bucket: ref.bucket }, ctx());
    expect((await provider.listObjects({ bucket: ref.bucket }, ctx())).objects).toEqual([]);
  });

  it('declares honest capabilities and accepts overrides', () => {
    const p = createFsProvider({ root: sandbox.dir, capabilities: { sseCustomerKey: false } });
    expect(p.specVersion).toBe(1);
    expect(p.capabilities).toMatchObject({
      rangedCopy: 'native',
      minPartSize: 5 * 1024 * 1024,
      maxParts: 10_000,
      sseCustomerKey: false,
    });
    expect(p.capabilities.checksumAlgorithms).toEqual(['CRC32', 'CRC32C', 'CRC64NVME', 'SHA1', 'SHA256']);
    expect(() => new FsProvider({ root: '' })).toThrow(TypeError);
  });

  it('treats a folder made by hand under the root as an unversioned bucket', async () => {
    const { mkdir } = await import('node:fs/promises');
    await mkdir(join(sandbox.dir, 'handmade'));
    const p = createFsProvider({ root: sandbox.dir });
    const { toPayload } = await import('@partcopy/core/provider');
    await p.putObject({ bucket: 'handmade', key: 'k', body: toPayload('x') }, ctx());
    expect((await p.listObjects({ bucket: 'handmade' }, ctx())).objects.map((o) => o.key)).toEqual(['k']);
  });
});
