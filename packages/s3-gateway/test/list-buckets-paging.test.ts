/**
 * ListBuckets paged by MaxBuckets and ContinuationToken, filtered by Prefix, as S3 pages it; and,
 * with no bucket list in the options, the store's own listing (capability listBuckets).
 */
import { CreateBucketCommand, ListBucketsCommand } from '@aws-sdk/client-s3';
import { afterEach, describe, expect, it } from 'vitest';
import { type RunningGateway, startGateway } from './support/gateway-harness.js';
import { s3Failure } from './support/sdk-suite.js';

let running: RunningGateway | undefined;
afterEach(async () => {
  await running?.close();
  running = undefined;
});

describe('ListBuckets paging', () => {
  it('pages by MaxBuckets with a continuation token only while buckets remain', async () => {
    const names = ['page-b', 'other', 'page-a', 'page-c'];
    const g = await startGateway('memory', { buckets: names });
    running = g;
    for (const name of names) await g.s3.send(new CreateBucketCommand({ Bucket: name }));
    const first = await g.s3.send(new ListBucketsCommand({ MaxBuckets: 2, Prefix: 'page-' }));
    expect(first.Buckets?.map((b) => b.Name)).toEqual(['page-a', 'page-b']);
    expect(first.ContinuationToken).toBeDefined();
    const second = await g.s3.send(
      new ListBucketsCommand({ MaxBuckets: 2, Prefix: 'page-', ContinuationToken: first.ContinuationToken }),
    );
    expect([second.Buckets?.map((b) => b.Name), second.ContinuationToken]).toEqual([['page-c'], undefined]);
    const all = await g.s3.send(new ListBucketsCommand({}));
    expect([all.Buckets?.length, all.ContinuationToken]).toEqual([4, undefined]);
    expect(await s3Failure(g.s3.send(new ListBucketsCommand({ MaxBuckets: 0 })))).toEqual({
      code: 'InvalidArgument',
      status: 400,
    });
  });

  it("lists the store's buckets when the options name none", async () => {
    const g = await startGateway('memory');
    running = g;
    for (const name of ['store-b', 'store-a']) await g.s3.send(new CreateBucketCommand({ Bucket: name }));
    const all = await g.s3.send(new ListBucketsCommand({}));
    expect(all.Buckets?.map((b) => b.Name)).toEqual(['store-a', 'store-b']);
    expect(all.Buckets?.every((b) => b.CreationDate instanceof Date && b.CreationDate.getTime() > 0)).toBe(
      true,
    );
  });
});
