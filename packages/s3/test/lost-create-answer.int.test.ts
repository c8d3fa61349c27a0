// Issue 13, defect 3 on S3: a lost answer to CreateMultipartUpload (MinIO created the upload, the
// connection dropped before the answer) must not leave an upload nobody knows the id of. A proxy
// in front of MinIO loses exactly that answer; the copy fails cleanly and leaves no upload.
import { randomBytes } from 'node:crypto';
import { copyObject, PartCopyClient } from '@partcopy/core';
import { requireServerEnv, startAnswerDroppingProxy } from '@partcopy/test-servers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { S3Provider } from '../src/index.js';
import { destroyBucket, freshBucket } from './support/buckets.js';
import { minioProvider } from './support/servers.js';

describe('a lost CreateMultipartUpload answer on MinIO', () => {
  let direct: S3Provider;
  let bucket: string;
  beforeAll(async () => {
    direct = minioProvider();
    bucket = await freshBucket(direct);
  });
  afterAll(async () => {
    await destroyBucket(direct, bucket);
    await direct.close();
  });

  it('fails the copy cleanly: no upload left, no destination', async () => {
    const check = new PartCopyClient(direct);
    const source = randomBytes(6 * 1024 * 1024);
    await check.putObject({ bucket, key: 'src', body: source });
    const proxy = await startAnswerDroppingProxy(
      requireServerEnv('minio').PARTCOPY_MINIO_ENDPOINT,
      (r) => r.method === 'POST' && /[?&]uploads(?:[=&]|$)/.test(r.url),
    );
    const viaProxy = minioProvider({ endpoint: proxy.url });
    try {
      const error = await copyObject({
        client: new PartCopyClient(viaProxy),
        source: { bucket, key: 'src' },
        destination: { bucket, key: 'dst' },
        partSize: 5 * 1024 * 1024, // two parts: an upload, not one CopyObject
      }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(proxy.dropped).toEqual([200]);
      expect(error).toMatchObject({ name: 'PartCopyError', operation: 'createMultipartUpload' });
    } finally {
      await viaProxy.close();
      await proxy.close();
    }
    expect((await check.listMultipartUploads({ bucket })).uploads).toEqual([]);
    await expect(check.headObject({ bucket, key: 'dst' })).rejects.toMatchObject({ code: 'NoSuchKey' });
  });
});
