/** Object Lock questions on buckets without Object Lock (every bucket the gateway serves). */
import {
  CreateBucketCommand,
  GetObjectLegalHoldCommand,
  GetObjectLockConfigurationCommand,
  GetObjectRetentionCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  PutObjectLegalHoldCommand,
  PutObjectLockConfigurationCommand,
  PutObjectRetentionCommand,
} from '@aws-sdk/client-s3';
import { afterEach, describe, expect, it } from 'vitest';
import { type RunningGateway, startGateway } from './support/gateway-harness.js';
import { s3Failure } from './support/sdk-suite.js';

let running: RunningGateway | undefined;
afterEach(async () => {
  await running?.close();
  running = undefined;
});

describe('Object Lock on a bucket without it', () => {
  it('answers GetObjectLockConfiguration 404 ObjectLockConfigurationNotFoundError, NoSuchBucket first', async () => {
    running = await startGateway('memory');
    await running.s3.send(new CreateBucketCommand({ Bucket: 'nolock' }));
    expect(
      await s3Failure(running.s3.send(new GetObjectLockConfigurationCommand({ Bucket: 'nolock' }))),
    ).toEqual({
      code: 'ObjectLockConfigurationNotFoundError',
      status: 404,
    });
    expect(
      await s3Failure(running.s3.send(new GetObjectLockConfigurationCommand({ Bucket: 'absent' }))),
    ).toEqual({
      code: 'NoSuchBucket',
      status: 404,
    });
  });

  it('refuses a lock configuration with 409 InvalidBucketState unless versioning is Enabled (then NotImplemented)', async () => {
    const g = await startGateway('memory');
    running = g;
    await g.s3.send(new CreateBucketCommand({ Bucket: 'nolock' }));
    const put = () =>
      g.s3.send(
        new PutObjectLockConfigurationCommand({
          Bucket: 'nolock',
          ObjectLockConfiguration: {
            ObjectLockEnabled: 'Enabled',
            Rule: { DefaultRetention: { Mode: 'GOVERNANCE', Days: 1 } },
          },
        }),
      );
    expect(await s3Failure(put())).toEqual({ code: 'InvalidBucketState', status: 409 });
    await running.s3.send(
      new PutBucketVersioningCommand({ Bucket: 'nolock', VersioningConfiguration: { Status: 'Suspended' } }),
    );
    expect(await s3Failure(put())).toEqual({ code: 'InvalidBucketState', status: 409 });
    await running.s3.send(
      new PutBucketVersioningCommand({ Bucket: 'nolock', VersioningConfiguration: { Status: 'Enabled' } }),
    );
    expect(await s3Failure(put())).toEqual({ code: 'NotImplemented', status: 501 });
  });

  it('refuses retention and legal holds, read or set, with 400 InvalidRequest', async () => {
    running = await startGateway('memory');
    await running.s3.send(new CreateBucketCommand({ Bucket: 'nolock' }));
    await running.s3.send(new PutObjectCommand({ Bucket: 'nolock', Key: 'k', Body: 'abc' }));
    const at = { Bucket: 'nolock', Key: 'k' };
    const refused = { code: 'InvalidRequest', status: 400 };
    expect(await s3Failure(running.s3.send(new GetObjectRetentionCommand(at)))).toEqual(refused);
    expect(await s3Failure(running.s3.send(new GetObjectLegalHoldCommand(at)))).toEqual(refused);
    expect(
      await s3Failure(
        running.s3.send(
          new PutObjectRetentionCommand({
            ...at,
            Retention: { Mode: 'GOVERNANCE', RetainUntilDate: new Date('2030-01-01T00:00:00Z') },
          }),
        ),
      ),
    ).toEqual(refused);
    expect(
      await s3Failure(running.s3.send(new PutObjectLegalHoldCommand({ ...at, LegalHold: { Status: 'ON' } }))),
    ).toEqual(refused);
  });
});
