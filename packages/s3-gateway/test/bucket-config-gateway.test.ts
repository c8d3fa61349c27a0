/**
 * The gateway's configuration document seen through the S3 API (@aws-sdk/client-s3), on memory
 * and on a folder: no listing shows it (V1, V2, with a delimiter, across pages), a client cannot
 * read, write, copy or delete its key, and DeleteBucket deletes a bucket that holds only it.
 */
import {
  CopyObjectCommand,
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  ListObjectsCommand,
  ListObjectsV2Command,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUCKET_CONFIG_KEY, createBucketConfig, readBucketConfig } from '../src/bucket-config-document.js';
import {
  type BackendName,
  type RunningGateway,
  randomBucket,
  startGateway,
} from './support/gateway-harness.js';
import { s3Failure } from './support/sdk-suite.js';

for (const backend of ['memory', 'fs'] as BackendName[]) {
  describe(`bucket configuration document through the gateway (${backend})`, () => {
    let g: RunningGateway;

    beforeAll(async () => {
      g = await startGateway(backend);
    });
    afterAll(async () => {
      await g?.close();
    });

    async function bucketWithDocument(keys: string[]): Promise<string> {
      const bucket = randomBucket();
      await g.s3.send(new CreateBucketCommand({ Bucket: bucket }));
      if ((await readBucketConfig(g.client, bucket)) === undefined)
        await createBucketConfig(g.client, bucket, { owner: { id: 'someone', displayName: 'someone' } });
      for (const key of keys) await g.s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: key }));
      return bucket;
    }

    it('hides the document from ListObjects V1 and V2, with and without a delimiter, across pages', async () => {
      // '-' and '!' sort before '.', 'a' after: the document sits between listed keys.
      const keys = ['!first', '-dash', 'a/one', 'b'];
      const bucket = await bucketWithDocument(keys);
      const v2 = await g.s3.send(new ListObjectsV2Command({ Bucket: bucket }));
      expect(v2.Contents?.map((o) => o.Key)).toEqual(keys);
      expect(v2.KeyCount).toBe(4);
      const folded = await g.s3.send(new ListObjectsV2Command({ Bucket: bucket, Delimiter: '/' }));
      expect(folded.CommonPrefixes?.map((p) => p.Prefix)).toEqual(['a/']);
      const v1 = await g.s3.send(new ListObjectsCommand({ Bucket: bucket }));
      expect(v1.Contents?.map((o) => o.Key)).toEqual(keys);
      const seen: string[] = [];
      let token: string | undefined;
      do {
        const page = await g.s3.send(
          new ListObjectsV2Command({
            Bucket: bucket,
            MaxKeys: 2,
            ...(token ? { ContinuationToken: token } : {}),
          }),
        );
        expect(page.KeyCount).toBe(2);
        seen.push(...(page.Contents ?? []).map((o) => o.Key as string));
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (token !== undefined);
      expect(seen).toEqual(keys);
    });

    it('refuses the reserved key to clients', async () => {
      const bucket = await bucketWithDocument(['x']);
      const get = await s3Failure(
        g.s3.send(new GetObjectCommand({ Bucket: bucket, Key: BUCKET_CONFIG_KEY })),
      );
      expect(get).toEqual({ code: 'AccessDenied', status: 403 });
      const put = await s3Failure(
        g.s3.send(new PutObjectCommand({ Bucket: bucket, Key: BUCKET_CONFIG_KEY, Body: '{}' })),
      );
      expect(put.code).toBe('AccessDenied');
      const copy = await s3Failure(
        g.s3.send(
          new CopyObjectCommand({
            Bucket: bucket,
            Key: 'stolen',
            CopySource: `${bucket}/${BUCKET_CONFIG_KEY}`,
          }),
        ),
      );
      expect(copy.code).toBe('AccessDenied');
      const deleted = await g.s3.send(
        new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: [{ Key: BUCKET_CONFIG_KEY }] } }),
      );
      expect(deleted.Errors?.[0]?.Code).toBe('AccessDenied');
      expect((await readBucketConfig(g.client, bucket))?.config.owner?.id).toBe('someone');
    });

    it('deletes a bucket that holds only the document, and keeps a non-empty one whole', async () => {
      const bucket = await bucketWithDocument(['only']);
      const refused = await s3Failure(g.s3.send(new DeleteBucketCommand({ Bucket: bucket })));
      expect(refused.code).toBe('BucketNotEmpty');
      expect(await readBucketConfig(g.client, bucket)).toBeDefined();
      await g.client.deleteObject({ bucket, key: 'only' });
      await g.s3.send(new DeleteBucketCommand({ Bucket: bucket }));
      await expect(g.client.listObjects({ bucket })).rejects.toMatchObject({ code: 'NoSuchBucket' });
    });
  });
}
