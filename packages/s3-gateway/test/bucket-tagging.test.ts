/**
 * Bucket tags through the gateway over memory and a folder: kept in the bucket's gateway
 * configuration document, read back in order, replaced, removed; S3's InvalidTag checks.
 */
import {
  CreateBucketCommand,
  DeleteBucketTaggingCommand,
  GetBucketTaggingCommand,
  PutBucketTaggingCommand,
} from '@aws-sdk/client-s3';
import { afterEach, describe, expect, it } from 'vitest';
import { type RunningGateway, startGateway } from './support/gateway-harness.js';
import { s3Failure } from './support/sdk-suite.js';

let running: RunningGateway | undefined;
afterEach(async () => {
  await running?.close();
  running = undefined;
});

const noTags = { code: 'NoSuchTagSet', status: 404 };

describe.each(['memory', 'fs'] as const)('bucket tags on %s', (backend) => {
  it('are kept, read back in order, replaced and removed', async () => {
    const g = await startGateway(backend);
    running = g;
    await g.s3.send(new CreateBucketCommand({ Bucket: 'tagged' }));
    expect(await s3Failure(g.s3.send(new GetBucketTaggingCommand({ Bucket: 'tagged' })))).toEqual(noTags);
    const TagSet = [
      { Key: 'team', Value: 'media' },
      { Key: 'cost-centre', Value: '' },
    ];
    await g.s3.send(new PutBucketTaggingCommand({ Bucket: 'tagged', Tagging: { TagSet } }));
    expect((await g.s3.send(new GetBucketTaggingCommand({ Bucket: 'tagged' }))).TagSet).toEqual(TagSet);
    await g.s3.send(
      new PutBucketTaggingCommand({ Bucket: 'tagged', Tagging: { TagSet: [{ Key: 'a', Value: 'b' }] } }),
    );
    expect((await g.s3.send(new GetBucketTaggingCommand({ Bucket: 'tagged' }))).TagSet).toEqual([
      { Key: 'a', Value: 'b' },
    ]);
    await g.s3.send(new DeleteBucketTaggingCommand({ Bucket: 'tagged' }));
    expect(await s3Failure(g.s3.send(new GetBucketTaggingCommand({ Bucket: 'tagged' })))).toEqual(noTags);
    expect(await s3Failure(g.s3.send(new GetBucketTaggingCommand({ Bucket: 'absent' })))).toEqual({
      code: 'NoSuchBucket',
      status: 404,
    });
  });

  it('refuses what S3 refuses and keeps the tags it had', async () => {
    const g = await startGateway(backend);
    running = g;
    await g.s3.send(new CreateBucketCommand({ Bucket: 'tagged' }));
    await g.s3.send(
      new PutBucketTaggingCommand({ Bucket: 'tagged', Tagging: { TagSet: [{ Key: 'k', Value: 'v' }] } }),
    );
    const invalid = { code: 'InvalidTag', status: 400 };
    const put = (TagSet: Array<{ Key: string; Value: string }>) =>
      s3Failure(g.s3.send(new PutBucketTaggingCommand({ Bucket: 'tagged', Tagging: { TagSet } })));
    expect(await put([{ Key: 'aws:created', Value: 'x' }])).toEqual(invalid);
    expect(
      await put([
        { Key: 'd', Value: '1' },
        { Key: 'd', Value: '2' },
      ]),
    ).toEqual(invalid);
    expect(await put([{ Key: 'k'.repeat(129), Value: '' }])).toEqual(invalid);
    expect(await put([{ Key: 'k', Value: 'v'.repeat(257) }])).toEqual(invalid);
    expect(await put(Array.from({ length: 51 }, (_, i) => ({ Key: `t${i}`, Value: '' })))).toEqual(invalid);
    expect((await g.s3.send(new GetBucketTaggingCommand({ Bucket: 'tagged' }))).TagSet).toEqual([
      { Key: 'k', Value: 'v' },
    ]);
  });
});
