import { GiB, MiB, TiB } from '@partcopy/core';
import { describe, expect, it } from 'vitest';
import { createMemoryProvider } from '../src/index.js';

describe('capabilities', () => {
  it("default to S3's limits and declare native ranged copy", () => {
    const { capabilities } = createMemoryProvider();
    expect(capabilities).toMatchObject({
      rangedCopy: 'native',
      clientStreamedRanges: false,
      minPartSize: 5 * MiB,
      maxPartSize: 5 * GiB,
      maxParts: 10_000,
      maxObjectSize: 50 * TiB,
      versionedSources: true,
      sseCustomerKey: true,
      multipartEtag: true,
      completeConditions: true,
      requestPayer: false,
      expectedBucketOwner: false,
      accessPoints: false,
      sseKms: true,
    });
    expect(capabilities.checksumAlgorithms).toEqual(['CRC32', 'CRC32C', 'CRC64NVME', 'SHA1', 'SHA256']);
    expect(Object.isFrozen(capabilities)).toBe(true);
  });

  it('take limit options and overrides', () => {
    const provider = createMemoryProvider({
      minPartSize: 1,
      maxParts: 3,
      capabilities: { copySourceIfMatch: false },
    });
    expect(provider.capabilities).toMatchObject({ minPartSize: 1, maxParts: 3, copySourceIfMatch: false });
  });

  it('apply minPartSize at completion', async () => {
    const provider = createMemoryProvider({ minPartSize: 1 });
    const signal = new AbortController().signal;
    await provider.createBucket({ bucket: 'b' }, { signal });
    const upload = await provider.createMultipartUpload({ bucket: 'b', key: 'k' }, { signal });
    const bytes = new Uint8Array([1]);
    const body = {
      length: 1,
      bytes,
      chunks: async function* () {
        yield bytes;
      },
    };
    const one = await provider.uploadPart({ ...upload, partNumber: 1, body }, { signal });
    const two = await provider.uploadPart({ ...upload, partNumber: 2, body }, { signal });
    const done = await provider.completeMultipartUpload(
      {
        ...upload,
        parts: [
          { partNumber: 1, etag: one.etag },
          { partNumber: 2, etag: two.etag },
        ],
      },
      { signal },
    );
    expect(done.etag).toMatch(/-2"$/);
  });
});
