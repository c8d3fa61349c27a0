/**
 * SigV4 dated by the HTTP Date header (no x-amz-date), and session tokens: accepted only for a key
 * configured with that token, refused with S3's InvalidToken otherwise, in headers and in
 * presigned URLs. The Date-header signature is computed here by hand from the SigV4
 * specification, independently of the gateway's signer.
 */
import { createHash, createHmac } from 'node:crypto';
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { afterEach, describe, expect, it } from 'vitest';
import { ACCESS_KEY, type RunningGateway, SECRET_KEY, startGateway } from './support/gateway-harness.js';
import { errorCode, send } from './support/raw-requests.js';
import { s3Failure } from './support/sdk-suite.js';

let running: RunningGateway | undefined;
const clients: S3Client[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) c.destroy();
  await running?.close();
  running = undefined;
});

const EMPTY_SHA256 = createHash('sha256').update('').digest('hex');
const hmac = (key: string | Buffer, text: string) => createHmac('sha256', key).update(text).digest();

/** A GET of `path` signed over `host`, `date` and `x-amz-content-sha256`, dated by `Date` only. */
function signedWithDateHeader(
  url: string,
  path: string,
  date: Date,
  secret = SECRET_KEY,
): Record<string, string> {
  const host = new URL(url).host;
  const httpDate = date.toUTCString();
  const longDate = date
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
  const shortDate = longDate.slice(0, 8);
  const headers: Record<string, string> = { date: httpDate, host, 'x-amz-content-sha256': EMPTY_SHA256 };
  const names = Object.keys(headers).sort();
  const canonical = [
    'GET',
    path,
    '',
    ...names.map((n) => `${n}:${headers[n]}`),
    '',
    names.join(';'),
    EMPTY_SHA256,
  ].join('\n');
  const scope = `${shortDate}/us-east-1/s3/aws4_request`;
  const stringToSign = [
    'AWS4-HMAC-SHA256',
    longDate,
    scope,
    createHash('sha256').update(canonical).digest('hex'),
  ].join('\n');
  const key = hmac(hmac(hmac(hmac(`AWS4${secret}`, shortDate), 'us-east-1'), 's3'), 'aws4_request');
  const signature = createHmac('sha256', key).update(stringToSign).digest('hex');
  return {
    ...headers,
    authorization: `AWS4-HMAC-SHA256 Credential=${ACCESS_KEY}/${scope}, SignedHeaders=${names.join(';')}, Signature=${signature}`,
  };
}

function clientWith(url: string, sessionToken?: string): S3Client {
  const client = new S3Client({
    endpoint: url,
    region: 'us-east-1',
    forcePathStyle: true,
    maxAttempts: 1,
    credentials: {
      accessKeyId: ACCESS_KEY,
      secretAccessKey: SECRET_KEY,
      ...(sessionToken ? { sessionToken } : {}),
    },
  });
  clients.push(client);
  return client;
}

describe('SigV4 dated by the Date header', () => {
  it('accepts a signature over the Date header and refuses a wrong secret or a skewed date', async () => {
    running = await startGateway('memory');
    await running.s3.send(new CreateBucketCommand({ Bucket: 'dates' }));
    await running.s3.send(new PutObjectCommand({ Bucket: 'dates', Key: 'a.txt', Body: 'dated' }));
    const ok = await send(running.url, {
      method: 'GET',
      path: '/dates/a.txt',
      headers: signedWithDateHeader(running.url, '/dates/a.txt', new Date()),
    });
    expect([ok.status, ok.body]).toEqual([200, 'dated']);
    const wrong = await send(running.url, {
      method: 'GET',
      path: '/dates/a.txt',
      headers: signedWithDateHeader(running.url, '/dates/a.txt', new Date(), 'not-the-secret'),
    });
    expect([wrong.status, errorCode(wrong.body)]).toEqual([403, 'SignatureDoesNotMatch']);
    const skewed = await send(running.url, {
      method: 'GET',
      path: '/dates/a.txt',
      headers: signedWithDateHeader(running.url, '/dates/a.txt', new Date(Date.now() - 20 * 60_000)),
    });
    expect([skewed.status, errorCode(skewed.body)]).toEqual([403, 'RequestTimeTooSkewed']);
  });
});

describe('session tokens', () => {
  it('accepts a key configured with a token only with that token, in headers and presigned URLs', async () => {
    running = await startGateway('memory', {
      credentials: [{ accessKeyId: ACCESS_KEY, secretAccessKey: SECRET_KEY, sessionToken: 'the-token' }],
    });
    const withToken = clientWith(running.url, 'the-token');
    await withToken.send(new CreateBucketCommand({ Bucket: 'tokens' }));
    await withToken.send(new PutObjectCommand({ Bucket: 'tokens', Key: 'a.txt', Body: 'tok' }));
    const got = await withToken.send(new GetObjectCommand({ Bucket: 'tokens', Key: 'a.txt' }));
    expect(await got.Body?.transformToString()).toBe('tok');
    const invalid = { code: 'InvalidToken', status: 400 };
    expect(
      await s3Failure(
        clientWith(running.url, 'other-token').send(new GetObjectCommand({ Bucket: 'tokens', Key: 'a.txt' })),
      ),
    ).toEqual(invalid);
    expect(
      await s3Failure(clientWith(running.url).send(new GetObjectCommand({ Bucket: 'tokens', Key: 'a.txt' }))),
    ).toEqual(invalid);
    const presigned = await getSignedUrl(
      withToken,
      new GetObjectCommand({ Bucket: 'tokens', Key: 'a.txt' }),
      { expiresIn: 60 },
    );
    expect(presigned).toContain('X-Amz-Security-Token=the-token');
    const answer = await fetch(presigned);
    expect([answer.status, await answer.text()]).toEqual([200, 'tok']);
    const wrongToken = await getSignedUrl(
      clientWith(running.url, 'other-token'),
      new GetObjectCommand({ Bucket: 'tokens', Key: 'a.txt' }),
      { expiresIn: 60 },
    );
    const refused = await fetch(wrongToken);
    expect([refused.status, errorCode(await refused.text())]).toEqual([400, 'InvalidToken']);
  });

  it('refuses a token for a key configured without one: the gateway issues none it could check', async () => {
    running = await startGateway('memory');
    await running.s3.send(new CreateBucketCommand({ Bucket: 'notokens' }));
    expect(
      await s3Failure(
        clientWith(running.url, 'some-token').send(new GetObjectCommand({ Bucket: 'notokens', Key: 'a' })),
      ),
    ).toEqual({
      code: 'InvalidToken',
      status: 400,
    });
  });
});
