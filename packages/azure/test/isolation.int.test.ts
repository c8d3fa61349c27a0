// Uploads stage on their own blobs: what S3 allows around an upload must not lose its parts.

import type { RequestPolicy, RequestPolicyFactory, WebResource } from '@azure/storage-blob';
import { collectBytes, type PartCopyError } from '@partcopy/core';
import { toPayload } from '@partcopy/core/provider';
import { describe, expect, it } from 'vitest';
import { decodePartBlockId } from '../src/block-ids.js';
import { stagingBlobName } from '../src/staging-names.js';
import { azuriteProvider, ctx, patternBytes, withContainer } from './azurite-setup.js';

const MiB = 1024 * 1024;

async function bytesOf(
  provider: ReturnType<typeof azuriteProvider>,
  bucket: string,
  key: string,
): Promise<Buffer> {
  return Buffer.from(await collectBytes((await provider.getObject({ bucket, key }, ctx())).body));
}

describe('azure upload isolation on Azurite', () => {
  it('keeps two uploads to one key completable, the last completion winning, around a putObject', async () => {
    const provider = azuriteProvider();
    await withContainer(provider, async (bucket) => {
      const a = await provider.createMultipartUpload({ bucket, key: 'k', metadata: { who: 'a' } }, ctx());
      const b = await provider.createMultipartUpload({ bucket, key: 'k', metadata: { who: 'b' } }, ctx());
      const pa = await provider.uploadPart(
        { bucket, key: 'k', uploadId: a.uploadId, partNumber: 1, body: toPayload('from a') },
        ctx(),
      );
      const pb = await provider.uploadPart(
        { bucket, key: 'k', uploadId: b.uploadId, partNumber: 1, body: toPayload('from b') },
        ctx(),
      );
      // A plain write to the key in between must not discard either upload's parts.
      await provider.putObject({ bucket, key: 'k', body: toPayload('plain') }, ctx());
      await provider.completeMultipartUpload(
        { bucket, key: 'k', uploadId: b.uploadId, parts: [{ partNumber: 1, etag: pb.etag }] },
        ctx(),
      );
      expect((await bytesOf(provider, bucket, 'k')).toString()).toBe('from b');
      expect(
        (await provider.listParts({ bucket, key: 'k', uploadId: a.uploadId }, ctx())).parts.map(
          (p) => p.etag,
        ),
      ).toEqual([pa.etag]);
      await provider.completeMultipartUpload(
        { bucket, key: 'k', uploadId: a.uploadId, parts: [{ partNumber: 1, etag: pa.etag }] },
        ctx(),
      );
      expect((await bytesOf(provider, bucket, 'k')).toString()).toBe('from a');
      expect((await provider.headObject({ bucket, key: 'k' }, ctx())).metadata).toEqual({ who: 'a' });
    });
  });

  it('abort leaves an existing destination exactly as it was and removes the staging blob', async () => {
    const provider = azuriteProvider();
    await withContainer(provider, async (bucket) => {
      await provider.putObject({ bucket, key: 'src', body: toPayload(patternBytes(MiB)) }, ctx());
      await provider.putObject(
        { bucket, key: 'k', body: toPayload('keep me'), contentType: 'text/old', metadata: { v: '1' } },
        ctx(),
      );
      const before = await provider.headObject({ bucket, key: 'k' }, ctx());
      const up = await provider.createMultipartUpload({ bucket, key: 'k', contentType: 'text/new' }, ctx());
      await provider.uploadPartCopy(
        {
          bucket,
          key: 'k',
          uploadId: up.uploadId,
          partNumber: 1,
          source: { bucket, key: 'src' },
          conditions: {},
        },
        ctx(),
      );
      await provider.abortMultipartUpload({ bucket, key: 'k', uploadId: up.uploadId }, ctx());
      const after = await provider.headObject({ bucket, key: 'k' }, ctx());
      expect(after).toEqual(before);
      expect((await bytesOf(provider, bucket, 'k')).toString()).toBe('keep me');
      const staging = provider.native.serviceClient
        .getContainerClient(bucket)
        .getBlockBlobClient(stagingBlobName(up.uploadId));
      expect(await staging.exists()).toBe(false);
      const names: string[] = [];
      for await (const item of provider.native.serviceClient
        .getContainerClient(bucket)
        .listBlobsFlat({ includeUncommitedBlobs: true })) {
        names.push(item.name);
      }
      expect(names.sort()).toEqual(['k', 'src']);
      await expect(
        provider.listParts({ bucket, key: 'k', uploadId: up.uploadId }, ctx()),
      ).rejects.toMatchObject({ code: 'NoSuchUpload' });
      await expect(
        provider.abortMultipartUpload({ bucket, key: 'k', uploadId: up.uploadId }, ctx()),
      ).rejects.toMatchObject({
        code: 'NoSuchUpload',
      });
    });
  });

  it('works from a second provider instance holding only the upload id', async () => {
    const first = azuriteProvider();
    const second = azuriteProvider();
    await withContainer(first, async (bucket) => {
      const up = await first.createMultipartUpload({ bucket, key: 'k', contentType: 'a/b' }, ctx());
      const part = await first.uploadPart(
        { bucket, key: 'k', uploadId: up.uploadId, partNumber: 7, body: toPayload('seven') },
        ctx(),
      );
      const listed = await second.listParts({ bucket, key: 'k', uploadId: up.uploadId }, ctx());
      expect(listed.parts.map((p) => [p.partNumber, p.size, p.etag])).toEqual([[7, 5, part.etag]]);
      await second.completeMultipartUpload(
        { bucket, key: 'k', uploadId: up.uploadId, parts: [{ partNumber: 7, etag: part.etag }] },
        ctx(),
      );
      expect((await first.headObject({ bucket, key: 'k' }, ctx())).contentType).toBe('a/b');
    });
  });

  it('a replaced part gets a new ETag and the old ETag no longer completes', async () => {
    const provider = azuriteProvider();
    await withContainer(provider, async (bucket) => {
      const up = await provider.createMultipartUpload({ bucket, key: 'k' }, ctx());
      const ref = { bucket, key: 'k', uploadId: up.uploadId, partNumber: 1 };
      const old = await provider.uploadPart({ ...ref, body: toPayload('old') }, ctx());
      const fresh = await provider.uploadPart({ ...ref, body: toPayload('newer') }, ctx());
      expect(fresh.etag).not.toBe(old.etag);
      const listed = await provider.listParts({ bucket, key: 'k', uploadId: up.uploadId }, ctx());
      expect(listed.parts.map((p) => [p.etag, p.size])).toEqual([[fresh.etag, 5]]);
      await expect(
        provider.completeMultipartUpload(
          { bucket, key: 'k', uploadId: up.uploadId, parts: [{ partNumber: 1, etag: old.etag }] },
          ctx(),
        ),
      ).rejects.toMatchObject({ code: 'InvalidPart' });
      await provider.completeMultipartUpload(
        { bucket, key: 'k', uploadId: up.uploadId, parts: [{ partNumber: 1, etag: fresh.etag }] },
        ctx(),
      );
      expect((await bytesOf(provider, bucket, 'k')).toString()).toBe('newer');
    });
  });

  it('splits a part larger than the block limit into equal-length block ids and keeps the bytes exact', async () => {
    const provider = azuriteProvider({ maxCopyBlockSize: MiB + 3 });
    await withContainer(provider, async (bucket) => {
      const src = patternBytes(7 * MiB, 5);
      await provider.putObject({ bucket, key: 'src', body: toPayload(src) }, ctx());
      const up = await provider.createMultipartUpload({ bucket, key: 'k' }, ctx());
      const range = { start: 17, end: 17 + 5 * MiB + 10 };
      const part = await provider.uploadPartCopy(
        {
          bucket,
          key: 'k',
          uploadId: up.uploadId,
          partNumber: 1,
          source: { bucket, key: 'src' },
          range,
          conditions: {},
        },
        ctx(),
      );
      expect(part.bytesCopied).toBe(5 * MiB + 11);
      const staging = provider.native.serviceClient
        .getContainerClient(bucket)
        .getBlockBlobClient(stagingBlobName(up.uploadId));
      const blocks = (await staging.getBlockList('uncommitted')).uncommittedBlocks ?? [];
      expect(blocks).toHaveLength(5);
      expect(new Set(blocks.map((b) => b.name.length))).toEqual(new Set([64]));
      expect(blocks.map((b) => decodePartBlockId(b.name)?.count)).toEqual([5, 5, 5, 5, 5]);
      expect(blocks.reduce((sum, b) => sum + b.size, 0)).toBe(5 * MiB + 11);
      await provider.completeMultipartUpload(
        {
          bucket,
          key: 'k',
          uploadId: up.uploadId,
          parts: [{ partNumber: 1, etag: part.copyPartResult.etag }],
        },
        ctx(),
      );
      expect(
        Buffer.compare(
          await bytesOf(provider, bucket, 'k'),
          Buffer.from(src.subarray(range.start, range.end + 1)),
        ),
      ).toBe(0);
    });
  });

  it('fails with PreconditionFailed when the source changes between the check and the copy', async () => {
    const writer = azuriteProvider();
    let rewrite: (() => Promise<void>) | undefined;
    // Runs just before the Put Block From URL leaves, after the source's properties were read.
    const racer: RequestPolicyFactory = {
      create(next: RequestPolicy): RequestPolicy {
        return {
          async sendRequest(request: WebResource) {
            if (request.headers.get('x-ms-copy-source') !== undefined && rewrite) {
              const once = rewrite;
              rewrite = undefined;
              await once();
            }
            return next.sendRequest(request);
          },
        };
      },
    };
    const provider = azuriteProvider({ requestPolicies: [racer] });
    await withContainer(writer, async (bucket) => {
      await writer.putObject({ bucket, key: 'src', body: toPayload('version one') }, ctx());
      const up = await provider.createMultipartUpload({ bucket, key: 'k' }, ctx());
      rewrite = async () => {
        await writer.putObject({ bucket, key: 'src', body: toPayload('version two') }, ctx());
      };
      const error = await provider
        .uploadPartCopy(
          {
            bucket,
            key: 'k',
            uploadId: up.uploadId,
            partNumber: 1,
            source: { bucket, key: 'src' },
            conditions: {},
          },
          ctx(),
        )
        .then(
          () => undefined,
          (e: PartCopyError) => e,
        );
      expect(error?.code).toBe('PreconditionFailed');
      expect(rewrite).toBeUndefined();
      expect((await provider.listParts({ bucket, key: 'k', uploadId: up.uploadId }, ctx())).parts).toEqual(
        [],
      );
    });
  });

  it('stops with RequestAborted when the signal fires', async () => {
    const provider = azuriteProvider();
    await withContainer(provider, async (bucket) => {
      const up = await provider.createMultipartUpload({ bucket, key: 'k' }, ctx());
      const controller = new AbortController();
      controller.abort(new Error('caller gave up'));
      await expect(
        provider.listParts({ bucket, key: 'k', uploadId: up.uploadId }, ctx(controller.signal)),
      ).rejects.toMatchObject({
        code: 'RequestAborted',
      });
    });
  });
});
