// Issue 13, defect 3 on Azure: a lost answer to createMultipartUpload (Azurite created the staging
// blob, the connection dropped before the answer) must not leave an upload nobody knows the id
// of. A proxy in front of Azurite loses exactly that answer; the copy fails cleanly and leaves no
// upload (no staging blob).
import { copyObject, PartCopyClient } from '@partcopy/core';
import { startAnswerDroppingProxy } from '@partcopy/test-servers';
import { describe, expect, it } from 'vitest';
import { createAzureProvider } from '../src/index.js';
import { azuriteOptions, azuriteProvider, patternBytes, withContainer } from './azurite-setup.js';

describe('a lost createMultipartUpload answer on Azurite', () => {
  it('fails the copy cleanly: no upload left, no destination', async () => {
    const direct = azuriteProvider();
    const check = new PartCopyClient(direct);
    const endpoint = new URL(azuriteOptions().url as string);
    await withContainer(direct, async (bucket) => {
      await check.putObject({ bucket, key: 'src', body: patternBytes(3000, 7) });
      // The staging blob's Put Blob is the upload's creation (Put Block and Put Block List carry comp=).
      const proxy = await startAnswerDroppingProxy(
        endpoint.origin,
        (r) => r.method === 'PUT' && r.url.includes('/.partcopy/uploads/') && !r.url.includes('comp='),
      );
      try {
        const viaProxy = createAzureProvider({
          ...azuriteOptions(),
          url: `${proxy.url}${endpoint.pathname}`,
        });
        const error = await copyObject({
          client: new PartCopyClient(viaProxy),
          source: { bucket, key: 'src' },
          destination: { bucket, key: 'dst' },
          partSize: 3000, // one part: an upload, not a whole-object copy
        }).then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(proxy.dropped).toEqual([201]);
        expect(error).toMatchObject({ name: 'PartCopyError', operation: 'createMultipartUpload' });
      } finally {
        await proxy.close();
      }
      expect((await check.listMultipartUploads({ bucket })).uploads).toEqual([]);
      await expect(check.headObject({ bucket, key: 'dst' })).rejects.toMatchObject({ code: 'NoSuchKey' });
    });
  });
});
