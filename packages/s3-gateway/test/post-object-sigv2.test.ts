/**
 * Browser POST forms signed with SigV2 (AWSAccessKeyId, the base64 HMAC-SHA1 of the policy), as
 * ceph/s3-tests and older SDKs sign them, and policy documents S3 cannot read (400
 * InvalidPolicyDocument, before any condition is checked).
 */
import { createHash, createHmac } from 'node:crypto';
import { CreateBucketCommand, GetObjectCommand } from '@aws-sdk/client-s3';
import { afterEach, describe, expect, it } from 'vitest';
import { ACCESS_KEY, type RunningGateway, SECRET_KEY, startGateway } from './support/gateway-harness.js';
import { errorCode } from './support/raw-requests.js';
import { s3Failure } from './support/sdk-suite.js';

let running: RunningGateway | undefined;
afterEach(async () => {
  await running?.close();
  running = undefined;
});

function v2Form(
  policy: object,
  secret = SECRET_KEY,
  // biome-ignore lint/suspicious/noTemplateCurlyInString: S3's key variable, filled in by the gateway
  key = 'v2/${filename}',
  extra: Record<string, string> = {},
) {
  const encoded = Buffer.from(JSON.stringify(policy)).toString('base64');
  const form = new FormData();
  form.append('key', key);
  for (const [name, value] of Object.entries(extra)) form.append(name, value);
  form.append('AWSAccessKeyId', ACCESS_KEY);
  form.append('policy', encoded);
  form.append('signature', createHmac('sha1', secret).update(encoded).digest('base64'));
  form.append('file', new Blob(['posted']), 'note.txt');
  return form;
}

const inAnHour = () => new Date(Date.now() + 3_600_000).toISOString().replace(/\.\d{3}Z$/, 'Z');

describe('SigV2 POST forms', () => {
  it('stores a form signed with the key’s secret (key from the file name) and refuses another signature', async () => {
    const g = await startGateway('memory');
    running = g;
    await g.s3.send(new CreateBucketCommand({ Bucket: 'forms' }));
    const policy = {
      expiration: inAnHour(),
      conditions: [{ bucket: 'forms' }, ['starts-with', '$key', 'v2/note']],
    };
    const ok = await fetch(`${g.url}/forms`, { method: 'POST', body: v2Form(policy) });
    expect(ok.status).toBe(204);
    const got = await g.s3.send(new GetObjectCommand({ Bucket: 'forms', Key: 'v2/note.txt' }));
    expect(await got.Body?.transformToString()).toBe('posted');
    const bad = await fetch(`${g.url}/forms`, { method: 'POST', body: v2Form(policy, 'another-secret') });
    expect([bad.status, errorCode(await bad.text())]).toEqual([403, 'SignatureDoesNotMatch']);
  });

  it('writes a form’s SSE-C fields with the object, which then reads back only with that key', async () => {
    const g = await startGateway('memory');
    running = g;
    await g.s3.send(new CreateBucketCommand({ Bucket: 'forms' }));
    const key = Buffer.alloc(32, 7);
    const sse = {
      'x-amz-server-side-encryption-customer-algorithm': 'AES256',
      'x-amz-server-side-encryption-customer-key': key.toString('base64'),
      'x-amz-server-side-encryption-customer-key-md5': createHash('md5').update(key).digest('base64'),
    };
    const policy = {
      expiration: inAnHour(),
      conditions: [
        { bucket: 'forms' },
        ['starts-with', '$key', ''],
        ...Object.keys(sse).map((name) => ['starts-with', `$${name}`, '']),
      ],
    };
    const ok = await fetch(`${g.url}/forms`, {
      method: 'POST',
      body: v2Form(policy, SECRET_KEY, 'enc.txt', sse),
    });
    expect(ok.status).toBe(204);
    const got = await g.s3.send(
      new GetObjectCommand({
        Bucket: 'forms',
        Key: 'enc.txt',
        SSECustomerAlgorithm: 'AES256',
        SSECustomerKey: key.toString('base64'),
      }),
    );
    expect(await got.Body?.transformToString()).toBe('posted');
    expect(await s3Failure(g.s3.send(new GetObjectCommand({ Bucket: 'forms', Key: 'enc.txt' })))).toEqual({
      code: 'InvalidRequest',
      status: 400,
    });
  });

  it('answers a policy without expiration, with a malformed one, or without conditions 400 InvalidPolicyDocument', async () => {
    const g = await startGateway('memory');
    running = g;
    await g.s3.send(new CreateBucketCommand({ Bucket: 'forms' }));
    for (const policy of [
      { conditions: [{ bucket: 'forms' }] },
      { expiration: '2030-01-01 00:00:00+00:00', conditions: [{ bucket: 'forms' }] },
      { expiration: inAnHour(), CONDITIONS: [{ bucket: 'forms' }] },
      { expiration: inAnHour(), conditions: [{}] },
      { expiration: inAnHour(), conditions: [['content-length-range', 0]] },
    ]) {
      const answer = await fetch(`${g.url}/forms`, { method: 'POST', body: v2Form(policy) });
      expect([JSON.stringify(policy), answer.status, errorCode(await answer.text())]).toEqual([
        JSON.stringify(policy),
        400,
        'InvalidPolicyDocument',
      ]);
    }
  });
});
