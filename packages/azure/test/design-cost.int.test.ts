// Evidence for the staging design (README "Emulation design and its costs"): what staging on the
// destination blob loses, and what the per-upload staging blob costs, measured on Azurite.
import { randomBytes } from 'node:crypto';
import { toPayload } from '@partcopy/core/provider';
import { describe, expect, it } from 'vitest';
import { createAzureProvider } from '../src/index.js';
import { azuriteOptions, azuriteProvider, ctx, patternBytes, withContainer } from './azurite-setup.js';
import { requestCounter } from './request-counter.js';

const MiB = 1024 * 1024;
const id = (tag: string) =>
  Buffer.from(`${tag}${randomBytes(16).toString('hex')}`.padEnd(48, '-')).toString('base64');

describe('staging design evidence on Azurite', () => {
  it('staging on the destination blob: one session committing discards the other session’s blocks', async () => {
    const provider = azuriteProvider();
    await withContainer(provider, async (bucket) => {
      const container = provider.native.serviceClient.getContainerClient(bucket);
      const destination = container.getBlockBlobClient('shared-key');
      const a = id('A');
      const b = id('B');
      await destination.stageBlock(a, Buffer.from('session A'), 9);
      await destination.stageBlock(b, Buffer.from('session B'), 9);
      await destination.commitBlockList([a]);
      const after = await destination.getBlockList('all');
      expect(after.uncommittedBlocks ?? []).toEqual([]);
      await expect(destination.commitBlockList([b])).rejects.toMatchObject({
        statusCode: 400,
        code: 'InvalidBlockList',
      });
    });
  });

  it('measures requests and time: per-upload staging blob against staging on the destination', async () => {
    const counter = requestCounter();
    const provider = createAzureProvider({ ...azuriteOptions(), requestPolicies: [counter.factory] });
    await withContainer(provider, async (bucket) => {
      const size = 64 * MiB;
      await provider.putObject({ bucket, key: 'src', body: toPayload(patternBytes(size, 9)) }, ctx());
      const partSize = 16 * MiB;
      const ranges = Array.from({ length: size / partSize }, (_, i) => ({
        start: i * partSize,
        end: (i + 1) * partSize - 1,
      }));

      // Staging directly on the destination (the rejected design), with the SDK alone.
      counter.reset();
      const direct = provider.native.serviceClient.getContainerClient(bucket).getBlockBlobClient('direct');
      const srcUrl = await sasUrl(provider, bucket, 'src');
      let t = performance.now();
      const ids = ranges.map(() => id('D'));
      for (const [i, range] of ranges.entries()) {
        await direct.stageBlockFromURL(ids[i] as string, srcUrl, range.start, range.end - range.start + 1);
      }
      const directParts = performance.now() - t;
      t = performance.now();
      await direct.commitBlockList(ids);
      const directComplete = performance.now() - t;
      const directRequests = counter.total();

      // The provider's design.
      counter.reset();
      t = performance.now();
      const up = await provider.createMultipartUpload({ bucket, key: 'staged' }, ctx());
      const parts = [];
      for (const [i, range] of ranges.entries()) {
        const r = await provider.uploadPartCopy(
          {
            bucket,
            key: 'staged',
            uploadId: up.uploadId,
            partNumber: i + 1,
            source: { bucket, key: 'src' },
            range,
            conditions: {},
          },
          ctx(),
        );
        parts.push({ partNumber: i + 1, etag: r.copyPartResult.etag });
      }
      const stagedParts = performance.now() - t;
      const partRequests = counter.total();
      counter.reset();
      t = performance.now();
      await provider.completeMultipartUpload({ bucket, key: 'staged', uploadId: up.uploadId, parts }, ctx());
      const stagedComplete = performance.now() - t;
      const completeRequests = counter.total();

      console.info(
        `[azure design] 64 MiB in 4 parts. destination staging: parts ${directParts.toFixed(0)} ms, complete ${directComplete.toFixed(0)} ms, ` +
          `${directRequests} requests. staging blob: create+parts ${stagedParts.toFixed(0)} ms (${partRequests} requests), ` +
          `complete ${stagedComplete.toFixed(0)} ms (${completeRequests} requests)`,
      );
      // create (1) + per part: manifest HEAD, source HEAD, one Put Block From URL (3).
      expect(partRequests).toBe(1 + 3 * ranges.length);
      // manifest HEAD, Get Block List, the completion's lease on the staging blob (the lock
      // against a racing abort), staging Put Block List, 1 Put Block From URL (64 MiB <= 100 MiB),
      // destination Put Block List, staging DELETE.
      expect(completeRequests).toBe(7);
      expect(directRequests).toBe(ranges.length + 1);
    });
  }, 120_000);
});

async function sasUrl(
  provider: ReturnType<typeof azuriteProvider>,
  bucket: string,
  key: string,
): Promise<string> {
  const { BlobSASPermissions, generateBlobSASQueryParameters, StorageSharedKeyCredential } = await import(
    '@azure/storage-blob'
  );
  const options = azuriteOptions();
  const credential = new StorageSharedKeyCredential(
    options.accountName as string,
    options.accountKey as string,
  );
  const sas = generateBlobSASQueryParameters(
    {
      containerName: bucket,
      blobName: key,
      permissions: BlobSASPermissions.parse('r'),
      expiresOn: new Date(Date.now() + 600_000),
    },
    credential,
  ).toString();
  return `${provider.native.serviceClient.getContainerClient(bucket).getBlobClient(key).url}?${sas}`;
}
