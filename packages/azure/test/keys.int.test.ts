// Keys and metadata names S3 allows and Azure spells differently.
import { createHash } from 'node:crypto';
import { collectBytes } from '@partcopy/core';
import { toPayload } from '@partcopy/core/provider';
import { describe, expect, it } from 'vitest';
import { azuriteProvider, ctx, patternBytes, withContainer } from './azurite-setup.js';

describe('azure keys and metadata names on Azurite', () => {
  it('round-trips S3 metadata names that are not C# identifiers', async () => {
    const provider = azuriteProvider();
    await withContainer(provider, async (bucket) => {
      const metadata = { 'made-by': 'partcopy', 'x.y': '1', pcx_plain: '2', ok_name: '3' };
      const up = await provider.createMultipartUpload({ bucket, key: 'k', metadata }, ctx());
      const part = await provider.uploadPart(
        { bucket, key: 'k', uploadId: up.uploadId, partNumber: 1, body: toPayload('x') },
        ctx(),
      );
      await provider.completeMultipartUpload(
        { bucket, key: 'k', uploadId: up.uploadId, parts: [{ partNumber: 1, etag: part.etag }] },
        ctx(),
      );
      expect((await provider.headObject({ bucket, key: 'k' }, ctx())).metadata).toEqual(metadata);
      await provider.putObject({ bucket, key: 'p', body: toPayload('y'), metadata }, ctx());
      expect((await provider.headObject({ bucket, key: 'p' }, ctx())).metadata).toEqual(metadata);
    });
  });

  it('refuses keys with . or .. segments instead of writing another blob', async () => {
    const provider = azuriteProvider();
    await withContainer(provider, async (bucket) => {
      for (const key of ['./here/./x', '../up/../../x', 'a/..', 'a/./b']) {
        await expect(provider.putObject({ bucket, key, body: toPayload('z') }, ctx())).rejects.toMatchObject({
          code: 'Unsupported',
        });
        await expect(provider.createMultipartUpload({ bucket, key }, ctx())).rejects.toMatchObject({
          code: 'Unsupported',
        });
      }
      expect((await provider.listObjects({ bucket }, ctx())).objects).toEqual([]);
      // Dots inside a segment are ordinary characters.
      await provider.putObject({ bucket, key: 'a/.hidden/..x/b.', body: toPayload('fine') }, ctx());
      expect((await provider.listObjects({ bucket }, ctx())).objects.map((o) => o.key)).toEqual([
        'a/.hidden/..x/b.',
      ]);
    });
  });

  it('refuses the reserved .partcopy/ prefix and never lists staging blobs', async () => {
    const provider = azuriteProvider();
    await withContainer(provider, async (bucket) => {
      await expect(
        provider.putObject({ bucket, key: '.partcopy/x', body: toPayload('z') }, ctx()),
      ).rejects.toMatchObject({
        code: 'InvalidArgument',
      });
      await provider.createMultipartUpload({ bucket, key: 'k' }, ctx());
      await provider.putObject({ bucket, key: '.a', body: toPayload('1') }, ctx());
      await provider.putObject({ bucket, key: 'b', body: toPayload('2') }, ctx());
      const page1 = await provider.listObjects({ bucket, maxKeys: 1 }, ctx());
      expect(page1.objects.map((o) => o.key)).toEqual(['.a']);
      const page2 = await provider.listObjects(
        { bucket, maxKeys: 1, continuationToken: page1.nextContinuationToken },
        ctx(),
      );
      expect(page2.objects.map((o) => o.key)).toEqual(['b']);
      expect((await provider.listObjects({ bucket, prefix: '.partcopy/' }, ctx())).objects).toEqual([]);
    });
  });

  it('puts a body larger than one Put Blob as blocks, checking Content-MD5 before the last block', async () => {
    const provider = azuriteProvider({ maxSinglePutSize: 1024 * 1024, maxUploadBlockSize: 400 * 1024 });
    await withContainer(provider, async (bucket) => {
      const body = patternBytes(1024 * 1024 + 7, 3);
      const md5 = createHash('md5').update(body).digest('base64');
      const wrong = createHash('md5').update('other').digest('base64');
      await expect(
        provider.putObject({ bucket, key: 'big', body: toPayload(body), contentMD5: wrong }, ctx()),
      ).rejects.toMatchObject({ code: 'BadDigest' });
      expect((await provider.listObjects({ bucket }, ctx())).objects).toEqual([]);
      const put = await provider.putObject(
        { bucket, key: 'big', body: toPayload(body), contentMD5: md5, contentType: 'a/b' },
        ctx(),
      );
      const head = await provider.headObject({ bucket, key: 'big' }, ctx());
      expect([head.etag, head.size, head.contentType]).toEqual([put.etag, body.length, 'a/b']);
      const got = Buffer.from(
        await collectBytes((await provider.getObject({ bucket, key: 'big' }, ctx())).body),
      );
      expect(Buffer.compare(got, Buffer.from(body))).toBe(0);
    });
  });
});
