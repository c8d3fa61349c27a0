/**
 * A bucket's public access block through the gateway over memory and a folder: kept in the
 * bucket's gateway configuration document, read back, removed; malformed values refused.
 */
import {
  CreateBucketCommand,
  DeletePublicAccessBlockCommand,
  GetPublicAccessBlockCommand,
  ListObjectsV2Command,
  PutPublicAccessBlockCommand,
} from '@aws-sdk/client-s3';
import { afterEach, describe, expect, it } from 'vitest';
import { readBucketConfig } from '../src/bucket-config-document.js';
import {
  checkPublicAclAllowed,
  ignoresPublicAcls,
  parsePublicAccessBlock,
} from '../src/public-access-block.js';
import { parseXmlBody } from '../src/xml-codec.js';
import { type RunningGateway, startGateway } from './support/gateway-harness.js';
import { s3Failure } from './support/sdk-suite.js';

let running: RunningGateway | undefined;
afterEach(async () => {
  await running?.close();
  running = undefined;
});

const none = { code: 'NoSuchPublicAccessBlockConfiguration', status: 404 };

describe.each(['memory', 'fs'] as const)('public access block on %s', (backend) => {
  it('is kept in the bucket’s document, read back and removed', async () => {
    const g = await startGateway(backend);
    running = g;
    await g.s3.send(new CreateBucketCommand({ Bucket: 'pab' }));
    expect(await s3Failure(g.s3.send(new GetPublicAccessBlockCommand({ Bucket: 'pab' })))).toEqual(none);
    const block = {
      BlockPublicAcls: true,
      IgnorePublicAcls: false,
      BlockPublicPolicy: true,
      RestrictPublicBuckets: false,
    };
    await g.s3.send(
      new PutPublicAccessBlockCommand({ Bucket: 'pab', PublicAccessBlockConfiguration: block }),
    );
    const got = await g.s3.send(new GetPublicAccessBlockCommand({ Bucket: 'pab' }));
    expect(got.PublicAccessBlockConfiguration).toEqual(block);
    const stored = await readBucketConfig(g.client, 'pab');
    expect(stored?.config.publicAccessBlock).toEqual({
      blockPublicAcls: true,
      ignorePublicAcls: false,
      blockPublicPolicy: true,
      restrictPublicBuckets: false,
    });
    expect(() => checkPublicAclAllowed(stored?.config, true)).toThrow(/BlockPublicAcls/);
    expect(() => checkPublicAclAllowed(stored?.config, false)).not.toThrow();
    expect(ignoresPublicAcls(stored?.config)).toBe(false);
    expect((await g.s3.send(new ListObjectsV2Command({ Bucket: 'pab' }))).KeyCount).toBe(0);
    await g.s3.send(new DeletePublicAccessBlockCommand({ Bucket: 'pab' }));
    expect(await s3Failure(g.s3.send(new GetPublicAccessBlockCommand({ Bucket: 'pab' })))).toEqual(none);
    expect(await s3Failure(g.s3.send(new GetPublicAccessBlockCommand({ Bucket: 'absent' })))).toEqual({
      code: 'NoSuchBucket',
      status: 404,
    });
  });
});

describe('the PublicAccessBlockConfiguration document', () => {
  it('reads absent elements as false and refuses anything but true or false', () => {
    const parse = (inner: string) =>
      parsePublicAccessBlock(
        parseXmlBody(
          `<PublicAccessBlockConfiguration>${inner}</PublicAccessBlockConfiguration>`,
          'PublicAccessBlockConfiguration',
        ),
      );
    expect(parse('<IgnorePublicAcls>TRUE</IgnorePublicAcls>')).toEqual({
      blockPublicAcls: false,
      ignorePublicAcls: true,
      blockPublicPolicy: false,
      restrictPublicBuckets: false,
    });
    expect(() => parse('<BlockPublicAcls>yes</BlockPublicAcls>')).toThrow(/not well-formed/);
  });
});
