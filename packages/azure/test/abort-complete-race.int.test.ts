// Defect 6 (issue 13): AbortMultipartUpload racing CompleteMultipartUpload of one upload on
// Azurite. Each interleaving is forced with a request policy that runs the other call at a
// chosen request of the first (no timing involved).
import type { RequestPolicy, RequestPolicyFactory, WebResource } from '@azure/storage-blob';
import { collectBytes } from '@partcopy/core';
import { PartCopyError, toPayload } from '@partcopy/core/provider';
import { describe, expect, it } from 'vitest';
import { completionLeaseId } from '../src/completion-lease.js';
import { type AzureProvider, createAzureProvider } from '../src/index.js';
import { azuriteOptions, azuriteProvider, ctx, withContainer } from './azurite-setup.js';

type Match = (request: WebResource) => boolean;

/** Runs `before` once, just before the first request matching `match` leaves. */
function pauseAt(match: Match, before: () => Promise<void>): RequestPolicyFactory {
  let pending: (() => Promise<void>) | undefined = before;
  return {
    create(next: RequestPolicy): RequestPolicy {
      return {
        async sendRequest(request: WebResource) {
          if (pending && match(request)) {
            const once = pending;
            pending = undefined;
            await once();
          }
          return next.sendRequest(request);
        },
      };
    },
  };
}

const stagingDelete: Match = (r) => r.method === 'DELETE' && r.url.includes('.partcopy');
const destinationCommit =
  (key: string): Match =>
  (r) =>
    r.method === 'PUT' &&
    new URL(r.url).searchParams.get('comp') === 'blocklist' &&
    r.url.includes(`/${key}?`);

async function staged(p: AzureProvider, bucket: string, key: string) {
  const up = await p.createMultipartUpload({ bucket, key }, ctx());
  const part = await p.uploadPart(
    { bucket, key, uploadId: up.uploadId, partNumber: 1, body: toPayload(`bytes of ${key}`) },
    ctx(),
  );
  return { uploadId: up.uploadId, parts: [{ partNumber: 1, etag: part.etag }] };
}

async function exists(p: AzureProvider, bucket: string, key: string): Promise<boolean> {
  return p.headObject({ bucket, key }, ctx()).then(
    () => true,
    (e: unknown) => {
      if (PartCopyError.hasCode(e, 'NoSuchKey')) return false;
      throw e;
    },
  );
}

describe('abort racing completion on Azurite', () => {
  it('an abort that loaded the upload before a completion finished answers NoSuchUpload', async () => {
    const admin = azuriteProvider();
    await withContainer(admin, async (bucket) => {
      const up = await staged(admin, bucket, 'k');
      let completed = false;
      const p = createAzureProvider({
        ...azuriteOptions(),
        requestPolicies: [
          pauseAt(stagingDelete, async () => {
            await admin.completeMultipartUpload({ bucket, key: 'k', ...up }, ctx());
            completed = true;
          }),
        ],
      });
      const error = await p
        .abortMultipartUpload({ bucket, key: 'k', uploadId: up.uploadId }, ctx())
        .catch((e: unknown) => e);
      expect(completed).toBe(true);
      expect(await exists(admin, bucket, 'k')).toBe(true);
      expect(PartCopyError.hasCode(error, 'NoSuchUpload')).toBe(true);
    });
  });

  it('an abort while a completion is publishing is refused as a conflict; the completion then succeeds and a later abort answers NoSuchUpload', async () => {
    const admin = azuriteProvider();
    await withContainer(admin, async (bucket) => {
      const up = await staged(admin, bucket, 'k');
      let abortDuringPublish: unknown = 'not run';
      const p = createAzureProvider({
        ...azuriteOptions(),
        requestPolicies: [
          pauseAt(destinationCommit('k'), async () => {
            abortDuringPublish = await admin
              .abortMultipartUpload({ bucket, key: 'k', uploadId: up.uploadId }, ctx())
              .then(
                () => 'success',
                (e: unknown) => e,
              );
          }),
        ],
      });
      await p.completeMultipartUpload({ bucket, key: 'k', ...up }, ctx());
      expect(PartCopyError.hasCode(abortDuringPublish, 'ConditionalRequestConflict')).toBe(true);
      expect((abortDuringPublish as PartCopyError).retryable).toBe(true);
      const bytes = await collectBytes((await admin.getObject({ bucket, key: 'k' }, ctx())).body);
      expect(Buffer.from(bytes).toString()).toBe('bytes of k');
      const later = await admin
        .abortMultipartUpload({ bucket, key: 'k', uploadId: up.uploadId }, ctx())
        .catch((e: unknown) => e);
      expect(PartCopyError.hasCode(later, 'NoSuchUpload')).toBe(true);
    });
  });

  it('a completion that fails after taking the lease lets an abort through at once', async () => {
    const admin = azuriteProvider();
    await withContainer(admin, async (bucket) => {
      const up = await staged(admin, bucket, 'k');
      // The destination condition fails at publication: the completion gives up.
      await admin.putObject({ bucket, key: 'k', body: toPayload('there') }, ctx());
      const error = await admin
        .completeMultipartUpload({ bucket, key: 'k', ...up, ifNoneMatch: '*' }, ctx())
        .catch((e: unknown) => e);
      expect(PartCopyError.isInstance(error)).toBe(true);
      await admin.abortMultipartUpload({ bucket, key: 'k', uploadId: up.uploadId }, ctx());
      const bytes = await collectBytes((await admin.getObject({ bucket, key: 'k' }, ctx())).body);
      expect(Buffer.from(bytes).toString()).toBe('there');
    });
  });

  it('a completion resumed while a dead completion’s lease still runs shares that lease and succeeds', async () => {
    const admin = azuriteProvider();
    await withContainer(admin, async (bucket) => {
      const up = await staged(admin, bucket, 'k');
      // What a completion killed after taking its lease leaves behind.
      const staging = admin.native.serviceClient
        .getContainerClient(bucket)
        .getBlockBlobClient(`.partcopy/uploads/${up.uploadId}`);
      await staging.getBlobLeaseClient(completionLeaseId(up.uploadId)).acquireLease(60);
      const refused = await admin
        .abortMultipartUpload({ bucket, key: 'k', uploadId: up.uploadId }, ctx())
        .catch((e: unknown) => e);
      expect(PartCopyError.hasCode(refused, 'ConditionalRequestConflict')).toBe(true);
      await admin.completeMultipartUpload({ bucket, key: 'k', ...up }, ctx());
      expect(await exists(admin, bucket, 'k')).toBe(true);
    });
  });

  it('20 free races: never both success while the object exists', async () => {
    const admin = azuriteProvider();
    await withContainer(admin, async (bucket) => {
      for (let i = 0; i < 20; i++) {
        const key = `race-${i}`;
        const up = await staged(admin, bucket, key);
        const [complete, abort] = await Promise.allSettled([
          admin.completeMultipartUpload({ bucket, key, ...up }, ctx()),
          admin.abortMultipartUpload({ bucket, key, uploadId: up.uploadId }, ctx()),
        ]);
        const published = await exists(admin, bucket, key);
        const seen = `race ${i}: ${complete.status}/${abort.status}/${published}`;
        expect(complete.status === 'fulfilled', seen).toBe(published);
        expect(abort.status === 'fulfilled' && published, seen).toBe(false);
      }
    });
  });
});
