/**
 * `Content-Encoding: aws-chunked` set by a client on a plain body (no streaming
 * x-amz-content-sha256, no x-amz-decoded-content-length): the body is stored as sent and
 * aws-chunked is dropped from the stored encodings, as S3 does.
 */
import { CreateBucketCommand, HeadObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterEach, describe, expect, it } from 'vitest';
import { type RunningGateway, startGateway } from './support/gateway-harness.js';

let running: RunningGateway | undefined;
afterEach(async () => {
  await running?.close();
  running = undefined;
});

describe('aws-chunked named on a plain body', () => {
  it('stores the body and the other encodings', async () => {
    running = await startGateway('memory');
    await running.s3.send(new CreateBucketCommand({ Bucket: 'enc' }));
    for (const [encoding, stored] of [
      ['gzip, aws-chunked', 'gzip'],
      ['aws-chunked, gzip', 'gzip'],
      ['aws-chunked', undefined],
    ] as const) {
      await running.s3.send(
        new PutObjectCommand({ Bucket: 'enc', Key: 'k', Body: 'plain', ContentEncoding: encoding }),
      );
      const head = await running.s3.send(new HeadObjectCommand({ Bucket: 'enc', Key: 'k' }));
      expect([encoding, head.ContentEncoding, head.ContentLength]).toEqual([encoding, stored, 5]);
    }
  });
});
