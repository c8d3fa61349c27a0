import { Storage } from '@google-cloud/storage';
import { describe, expect, it } from 'vitest';
import { createGcsProvider, gcsProviderFactory } from '../src/index.js';
import { RecordingGcs } from './support/recording-gcs.js';

describe('configuration', () => {
  it('uses an injected Storage: its endpoint, no auth for an emulator, and exposes it as native', async () => {
    const gcs = new RecordingGcs();
    gcs.addBucket('b');
    const storage = new Storage({ apiEndpoint: 'http://emulator.test:4443', projectId: 'p' });
    const provider = createGcsProvider({ storage, fetch: gcs.fetch });
    expect(provider.native.storage).toBe(storage);
    await expect(
      provider.headObject({ bucket: 'b', key: 'k' }, { signal: new AbortController().signal }),
    ).rejects.toMatchObject({
      code: 'NoSuchKey',
    });
    expect(gcs.requests[0]?.path).toBe('/storage/v1/b/b/o/k');
    expect(gcs.requests[0]?.headers.authorization).toBeUndefined();
  });

  it("sends the client's auth headers when the endpoint needs them", async () => {
    const gcs = new RecordingGcs();
    gcs.addBucket('b');
    const storage = new Storage({
      apiEndpoint: 'http://emulator.test:4443',
      projectId: 'p',
      useAuthWithCustomEndpoint: true,
    });
    // Stand-in for the OAuth client: what matters is that its headers reach the request.
    storage.authClient.getRequestHeaders = async () => new Headers({ authorization: 'Bearer test-token' });
    const provider = createGcsProvider({ storage, fetch: gcs.fetch });
    await provider.listObjects({ bucket: 'b' }, { signal: new AbortController().signal });
    expect(gcs.requests[0]?.headers.authorization).toBe('Bearer test-token');
  });

  it('registers gs:// and gcs:// and reads the test-server variables', async () => {
    expect(gcsProviderFactory.schemes).toEqual(['gs', 'gcs']);
    const provider = await gcsProviderFactory.create(
      {},
      { PARTCOPY_GCS_ENDPOINT: 'http://127.0.0.1:1', PARTCOPY_GCS_PROJECT: 'proj' },
    );
    expect(provider.name).toBe('gcs');
    expect(provider.capabilities).toMatchObject({
      rangedCopy: 'whole-object-only',
      clientStreamedRanges: true,
      maxParts: 10_000,
    });
  });

  it('refuses a staging prefix that is not a folder', () => {
    expect(() => createGcsProvider({ apiEndpoint: 'http://x.test', stagingPrefix: 'nope' })).toThrow(
      TypeError,
    );
  });
});
