/**
 * SigV4 as S3 checks it, through the gateway over memory: header signatures, presigned URLs,
 * wrong keys, skewed clocks, expired URLs, anonymous access only when enabled, and no key or
 * signature in the request log.
 */
import {
  CreateBucketCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { afterEach, describe, expect, it } from 'vitest';
import {
  ACCESS_KEY,
  type RunningGateway,
  SECRET_KEY,
  s3ClientFor,
  startGateway,
} from './support/gateway-harness.js';
import { errorCode, send } from './support/raw-requests.js';
import { s3Failure } from './support/sdk-suite.js';

let running: RunningGateway | undefined;
afterEach(async () => {
  await running?.close();
  running = undefined;
});

async function gatewayWithObject(options: Parameters<typeof startGateway>[1] = {}) {
  running = await startGateway('memory', options);
  await running.s3.send(new CreateBucketCommand({ Bucket: 'auth' }));
  await running.s3.send(new PutObjectCommand({ Bucket: 'auth', Key: 'secret.txt', Body: 'payload' }));
  return running;
}

describe('header signatures', () => {
  it('refuses a wrong secret with SignatureDoesNotMatch and an unknown key with InvalidAccessKeyId', async () => {
    const g = await gatewayWithObject();
    const wrongSecret = s3ClientFor(g.url, { accessKeyId: ACCESS_KEY, secretAccessKey: 'not-the-secret' });
    expect(await s3Failure(wrongSecret.send(new ListObjectsV2Command({ Bucket: 'auth' })))).toEqual({
      code: 'SignatureDoesNotMatch',
      status: 403,
    });
    const unknown = s3ClientFor(g.url, { accessKeyId: 'NOSUCHKEY', secretAccessKey: SECRET_KEY });
    expect(await s3Failure(unknown.send(new ListObjectsV2Command({ Bucket: 'auth' })))).toEqual({
      code: 'InvalidAccessKeyId',
      status: 403,
    });
    wrongSecret.destroy();
    unknown.destroy();
  });

  it('refuses a request signed 20 minutes off the gateway clock with RequestTimeTooSkewed', async () => {
    running = await startGateway('memory', { now: () => new Date(Date.now() + 20 * 60_000) });
    expect(await s3Failure(running.s3.send(new ListObjectsV2Command({ Bucket: 'auth' })))).toEqual({
      code: 'RequestTimeTooSkewed',
      status: 403,
    });
  });

  it('refuses unsigned requests with AccessDenied unless anonymous access is enabled', async () => {
    const g = await gatewayWithObject();
    const answer = await send(g.url, { method: 'GET', path: '/auth/secret.txt' });
    expect([answer.status, errorCode(answer.body)]).toEqual([403, 'AccessDenied']);
    expect(answer.body).toContain('<RequestId>');
    expect(answer.headers['x-amz-request-id']).toMatch(/^[0-9A-F]{16}$/);
    await running?.close();
    const open = await gatewayWithObject({ anonymous: true });
    const allowed = await send(open.url, { method: 'GET', path: '/auth/secret.txt' });
    expect([allowed.status, allowed.body]).toEqual([200, 'payload']);
  });

  it('refuses a malformed Authorization header with AuthorizationHeaderMalformed', async () => {
    const g = await gatewayWithObject();
    const answer = await send(g.url, {
      method: 'GET',
      path: '/auth/secret.txt',
      headers: { authorization: 'AWS4-HMAC-SHA256 Credential=x', 'x-amz-date': '20260101T000000Z' },
    });
    expect([answer.status, errorCode(answer.body)]).toEqual([400, 'AuthorizationHeaderMalformed']);
  });

  it('logs every request without the secret, the signature or the access key id', async () => {
    const g = await gatewayWithObject();
    const wrong = s3ClientFor(g.url, { accessKeyId: ACCESS_KEY, secretAccessKey: 'another-secret' });
    await s3Failure(wrong.send(new ListObjectsV2Command({ Bucket: 'auth' })));
    wrong.destroy();
    const text = JSON.stringify(g.log);
    expect(g.log.length).toBeGreaterThanOrEqual(3);
    expect(g.log.at(-1)).toMatchObject({
      errorCode: 'SignatureDoesNotMatch',
      status: 403,
      authenticated: false,
    });
    expect(text).not.toContain(SECRET_KEY);
    expect(text).not.toContain('another-secret');
    expect(text).not.toContain(ACCESS_KEY);
    expect(text).not.toMatch(/[0-9a-f]{64}/);
  });
});

describe('presigned URLs', () => {
  it('serves a presigned GET and refuses it tampered, expired, or with a wrong key', async () => {
    const g = await gatewayWithObject();
    const url = await getSignedUrl(g.s3, new GetObjectCommand({ Bucket: 'auth', Key: 'secret.txt' }), {
      expiresIn: 60,
    });
    const ok = await fetch(url);
    expect([ok.status, await ok.text()]).toEqual([200, 'payload']);

    const tampered = url.replace('secret.txt', 'secret.txu');
    const bad = await fetch(tampered);
    expect([bad.status, errorCode(await bad.text())]).toEqual([403, 'SignatureDoesNotMatch']);

    const expired = await getSignedUrl(g.s3, new GetObjectCommand({ Bucket: 'auth', Key: 'secret.txt' }), {
      expiresIn: 60,
      signingDate: new Date(Date.now() - 5 * 60_000),
    });
    const late = await fetch(expired);
    expect([late.status, errorCode(await late.text())]).toEqual([403, 'AccessDenied']);

    const other = s3ClientFor(g.url, { accessKeyId: ACCESS_KEY, secretAccessKey: 'wrong' });
    const wrongKey = await fetch(
      await getSignedUrl(other, new GetObjectCommand({ Bucket: 'auth', Key: 'secret.txt' })),
    );
    expect([wrongKey.status, errorCode(await wrongKey.text())]).toEqual([403, 'SignatureDoesNotMatch']);
    other.destroy();
  });

  it('accepts a presigned PUT and stores its body', async () => {
    const g = await gatewayWithObject();
    const url = await getSignedUrl(g.s3, new PutObjectCommand({ Bucket: 'auth', Key: 'uploaded.txt' }), {
      expiresIn: 60,
    });
    const put = await fetch(url, { method: 'PUT', body: 'presigned body' });
    expect(put.status).toBe(200);
    const got = await g.s3.send(new GetObjectCommand({ Bucket: 'auth', Key: 'uploaded.txt' }));
    expect(await got.Body?.transformToString()).toBe('presigned body');
  });
});
