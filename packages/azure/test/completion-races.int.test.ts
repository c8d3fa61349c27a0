// Writers that commit to the destination key while a completion is between copying and publishing.
import { randomBytes } from 'node:crypto';
import type { RequestPolicy, RequestPolicyFactory, WebResource } from '@azure/storage-blob';
import { collectBytes } from '@partcopy/core';
import { toPayload } from '@partcopy/core/provider';
import { describe, expect, it } from 'vitest';
import { createAzureProvider } from '../src/index.js';
import { azuriteOptions, azuriteProvider, ctx, withContainer } from './azurite-setup.js';

/** Runs `before` once, just before the destination's Put Block List leaves. */
function beforeDestinationCommit(
  key: string,
  before: () => Promise<void>,
): { factory: RequestPolicyFactory; commits: () => number } {
  let pending: (() => Promise<void>) | undefined = before;
  let commits = 0;
  const factory: RequestPolicyFactory = {
    create(next: RequestPolicy): RequestPolicy {
      return {
        async sendRequest(request: WebResource) {
          const url = new URL(request.url);
          if (
            url.searchParams.get('comp') === 'blocklist' &&
            request.method === 'PUT' &&
            url.pathname.endsWith(`/${key}`)
          ) {
            commits++;
            if (pending) {
              const once = pending;
              pending = undefined;
              await once();
            }
          }
          return next.sendRequest(request);
        },
      };
    },
  };
  return { factory, commits: () => commits };
}

describe('azure completion races on Azurite', () => {
  it('redoes the copy when another writer’s Put Block List discarded the staged destination blocks', async () => {
    const other = azuriteProvider();
    await withContainer(other, async (bucket) => {
      const destination = other.native.serviceClient.getContainerClient(bucket).getBlockBlobClient('k');
      const race = beforeDestinationCommit('k', async () => {
        // Another writer commits its own block to the key: Azure discards our uncommitted blocks.
        const id = Buffer.from(randomBytes(24).toString('hex')).toString('base64');
        await destination.stageBlock(id, Buffer.from('intruder'), 8);
        await destination.commitBlockList([id]);
      });
      const provider = createAzureProvider({ ...azuriteOptions(), requestPolicies: [race.factory] });
      const up = await provider.createMultipartUpload({ bucket, key: 'k' }, ctx());
      const part = await provider.uploadPart(
        { bucket, key: 'k', uploadId: up.uploadId, partNumber: 1, body: toPayload('ours') },
        ctx(),
      );
      await provider.completeMultipartUpload(
        { bucket, key: 'k', uploadId: up.uploadId, parts: [{ partNumber: 1, etag: part.etag }] },
        ctx(),
      );
      expect(race.commits()).toBe(2);
      const bytes = await collectBytes((await provider.getObject({ bucket, key: 'k' }, ctx())).body);
      expect(Buffer.from(bytes).toString()).toBe('ours');
    });
  });

  it('answers ConditionalRequestConflict when If-None-Match: * held at the check but not at publication, and stays completable', async () => {
    const other = azuriteProvider();
    await withContainer(other, async (bucket) => {
      const race = beforeDestinationCommit('k', async () => {
        await other.putObject({ bucket, key: 'k', body: toPayload('first') }, ctx());
      });
      const provider = createAzureProvider({ ...azuriteOptions(), requestPolicies: [race.factory] });
      const up = await provider.createMultipartUpload({ bucket, key: 'k' }, ctx());
      const part = await provider.uploadPart(
        { bucket, key: 'k', uploadId: up.uploadId, partNumber: 1, body: toPayload('ours') },
        ctx(),
      );
      const request = {
        bucket,
        key: 'k',
        uploadId: up.uploadId,
        parts: [{ partNumber: 1, etag: part.etag }],
      };
      await expect(
        provider.completeMultipartUpload({ ...request, ifNoneMatch: '*' }, ctx()),
      ).rejects.toMatchObject({
        code: 'ConditionalRequestConflict',
      });
      expect(
        Buffer.from(await collectBytes((await other.getObject({ bucket, key: 'k' }, ctx())).body)).toString(),
      ).toBe('first');
      // Checked before any work now: 412, and the upload is still there.
      await expect(
        provider.completeMultipartUpload({ ...request, ifNoneMatch: '*' }, ctx()),
      ).rejects.toMatchObject({ code: 'PreconditionFailed' });
      const current = await other.headObject({ bucket, key: 'k' }, ctx());
      await provider.completeMultipartUpload({ ...request, ifMatch: current.etag }, ctx());
      expect(
        Buffer.from(await collectBytes((await other.getObject({ bucket, key: 'k' }, ctx())).body)).toString(),
      ).toBe('ours');
    });
  });
});
