import { PartCopyClient, PartCopyError, type PartCopyEvent } from '@partcopy/core';
import { PartCopyError as ProviderEntryError } from '@partcopy/core/provider';
import { fullCapabilities, recordingProvider } from '@partcopy/core/testing';
import { describe, expect, it, vi } from 'vitest';

const copy = { bucket: 'dst', key: 'k', uploadId: 'u1', partNumber: 1, copySource: 'src/a' };
const copyResult = { copyPartResult: { etag: '"e"' }, transfer: 'server-side', bytesCopied: 3 };
const fast = { baseDelayMs: 1, maxDelayMs: 2 };

async function rejection(promise: Promise<unknown>): Promise<PartCopyError> {
  try {
    await promise;
  } catch (error) {
    if (PartCopyError.isInstance(error)) return error;
    throw error;
  }
  throw new Error('expected the call to fail');
}

/** A provider whose bucket `dir--x-s3` has no SSE-C and no versions, like an S3 directory bucket. */
function perBucketProvider() {
  const provider = recordingProvider({}, () => copyResult);
  const directory = { ...fullCapabilities, sseCustomerKey: false, versionedSources: false };
  return Object.assign(provider, {
    capabilitiesFor: (bucket: string) => (bucket === 'dir--x-s3' ? directory : provider.capabilities),
  });
}

describe('capability checks: once, per bucket, in the client', () => {
  it('refuses what one bucket cannot do before any request, and names the bucket', async () => {
    const provider = perBucketProvider();
    const client = new PartCopyClient(provider, { env: {} });
    const error = await rejection(client.headObject({ bucket: 'dir--x-s3', key: 'k', versionId: 'v1' }));
    expect(error.code).toBe('Unsupported');
    expect(error.message).toContain('dir--x-s3');
    expect(error.context).toMatchObject({ operation: 'headObject', bucket: 'dir--x-s3', key: 'k' });
    expect(provider.calls).toHaveLength(0);
    await client.headObject({ bucket: 'general', key: 'k', versionId: 'v1' });
    expect(provider.calls.map((c) => c.method)).toEqual(['headObject']);
  });

  it('checks a copy source against the source bucket, the destination against its own', async () => {
    const provider = perBucketProvider();
    const client = new PartCopyClient(provider, { env: {} });
    const fromDirectory = { ...copy, copySource: { bucket: 'dir--x-s3', key: 'a', versionId: 'v1' } };
    expect((await rejection(client.uploadPartCopy(fromDirectory))).code).toBe('Unsupported');
    await client.uploadPartCopy({
      ...copy,
      bucket: 'dir--x-s3',
      copySource: { bucket: 'src', key: 'a', versionId: 'v1' },
    });
    expect(provider.calls).toHaveLength(1);
  });

  it('applies PARTCOPY_CAPABILITIES_OFF from the given environment, and only from it', async () => {
    const env = { PARTCOPY_CAPABILITIES_OFF: 'copySourceIfMatch' };
    const off = new PartCopyClient(
      recordingProvider({}, () => copyResult),
      { env },
    );
    expect(off.capabilities.copySourceIfMatch).toBe(false);
    expect((await rejection(off.uploadPartCopy({ ...copy, copySourceIfMatch: '"e"' }))).code).toBe(
      'Unsupported',
    );
    const ignoring = new PartCopyClient(
      recordingProvider({}, () => copyResult),
      { env: {} },
    );
    expect(ignoring.capabilities.copySourceIfMatch).toBe(true);
  });

  it('lets the environment switch off a flag an explicit override switched on', () => {
    const client = new PartCopyClient(recordingProvider(), {
      capabilities: { versionedSources: true },
      env: { PARTCOPY_CAPABILITIES_OFF: 'versionedSources' },
    });
    expect(client.capabilities.versionedSources).toBe(false);
  });

  it('refuses an unknown flag in the environment with InvalidArgument', () => {
    expect(
      () => new PartCopyClient(recordingProvider(), { env: { PARTCOPY_CAPABILITIES_OFF: 'nope' } }),
    ).toThrow(/not a boolean capability/);
  });
});

describe('retries: one owner, bounded, every attempt visible', () => {
  it('tries a retryable failure at most maxAttempts times, each attempt an event', async () => {
    const events: PartCopyEvent[] = [];
    const provider = recordingProvider({}, () => {
      throw new ProviderEntryError('InternalError', 'scripted', { retryable: true });
    });
    const client = new PartCopyClient(provider, {
      retry: { ...fast, maxAttempts: 4 },
      onEvent: (e) => events.push(e),
    });
    const error = await rejection(client.headObject({ bucket: 'b', key: 'k' }));
    expect(error.code).toBe('InternalError');
    expect(provider.calls).toHaveLength(4);
    expect(events.filter((e) => e.type === 'request').map((e) => (e as { attempt: number }).attempt)).toEqual(
      [1, 2, 3, 4],
    );
    const errors = events.filter((e) => e.type === 'error') as Array<{ willRetry: boolean }>;
    expect(errors.map((e) => e.willRetry)).toEqual([true, true, true, false]);
    expect(client.metrics()).toMatchObject({
      calls: { headObject: 1 },
      attempts: { headObject: 4 },
      retries: 3,
      failures: 1,
    });
  });

  it('backs off five times longer when the store asks to slow down (SlowDown) than after other errors', async () => {
    // The jitter's random number at its largest: each delay is then its ceiling (less one).
    const random = vi.spyOn(Math, 'random').mockReturnValue(0.9999);
    try {
      const delays = async (code: 'SlowDown' | 'InternalError') => {
        const provider = recordingProvider({}, () => {
          throw new ProviderEntryError(code, 'scripted');
        });
        const client = new PartCopyClient(provider, { retry: { baseDelayMs: 2, maxDelayMs: 100 }, env: {} });
        const events: PartCopyEvent[] = [];
        client.on((event) => events.push(event));
        await rejection(client.headObject({ bucket: 'b', key: 'k' }));
        return events.flatMap((e) => (e.type === 'error' && e.willRetry ? [e.retryDelayMs] : []));
      };
      expect(await delays('InternalError')).toEqual([1, 3]);
      expect(await delays('SlowDown')).toEqual([9, 19]);
    } finally {
      random.mockRestore();
    }
  });

  it('never repeats a call that must not be repeated (createMultipartUpload)', async () => {
    const provider = recordingProvider({}, () => {
      throw new ProviderEntryError('ServiceUnavailable', 'scripted');
    });
    const client = new PartCopyClient(provider, { retry: fast, env: {} });
    await rejection(client.createMultipartUpload({ bucket: 'b', key: 'k' }));
    expect(provider.calls).toHaveLength(1);
  });

  it('refuses a retry policy without a bound', () => {
    expect(() => new PartCopyClient(recordingProvider(), { retry: { maxAttempts: 50 } })).toThrow(/1 to 10/);
    expect(() => new PartCopyClient(recordingProvider(), { retry: { maxAttempts: 0 } })).toThrow(/1 to 10/);
  });
});

describe('error context: added once, validation included', () => {
  it('gives a validation refusal the same context as a provider failure', async () => {
    const client = new PartCopyClient(recordingProvider(), { env: {} });
    const error = await rejection(client.uploadPartCopy({ ...copy, partNumber: 0 }));
    expect(error.code).toBe('InvalidArgument');
    expect(error.context).toMatchObject({
      provider: 'recording',
      operation: 'uploadPartCopy',
      bucket: 'dst',
      uploadId: 'u1',
    });
  });

  it('keeps context the provider set itself and fills in the rest', async () => {
    const provider = recordingProvider({}, () => {
      throw new ProviderEntryError('NoSuchKey', 'scripted', { key: 'the-source-key' });
    });
    const error = await rejection(
      new PartCopyClient(provider, { env: {} }).headObject({ bucket: 'b', key: 'k' }),
    );
    expect(error.context).toMatchObject({
      provider: 'recording',
      operation: 'headObject',
      bucket: 'b',
      key: 'the-source-key',
    });
  });
});

describe('metrics from the same hook as events', () => {
  it('counts bytes copied on the server apart from bytes through the client', async () => {
    const provider = recordingProvider({}, (method) =>
      method === 'uploadPartCopy' ? copyResult : { etag: '"p"' },
    );
    const client = new PartCopyClient(provider, { env: {} });
    await client.uploadPartCopy(copy);
    await client.uploadPart({
      bucket: 'dst',
      key: 'k',
      uploadId: 'u1',
      partNumber: 2,
      body: new Uint8Array(7),
    });
    expect(client.metrics()).toMatchObject({
      bytesServerSide: 3,
      bytesThroughClient: 7,
      calls: { uploadPartCopy: 1, uploadPart: 1 },
    });
  });
});
