/**
 * AWS Signature Version 2 as S3 checks it, through the gateway over memory. The header and
 * presigned signatures of the first tests are the worked examples of S3's own documentation
 * ("Signing and authenticating REST requests": the johnsmith bucket, key AKIAIOSFODNN7EXAMPLE),
 * so the string to sign is checked against AWS's figures rather than against itself.
 */
import { createHmac } from 'node:crypto';
import { CreateBucketCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterEach, describe, expect, it } from 'vitest';
import { ACCESS_KEY, type RunningGateway, SECRET_KEY, startGateway } from './support/gateway-harness.js';
import { errorCode, send } from './support/raw-requests.js';

const DOC_KEY = 'AKIAIOSFODNN7EXAMPLE';
const DOC_SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
const DOC_DATE = 'Tue, 27 Mar 2007 19:36:42 +0000';

let running: RunningGateway | undefined;
afterEach(async () => {
  await running?.close();
  running = undefined;
});

/** A gateway whose clock reads `at` once the bucket and object exist. */
async function gatewayAt(at: Date, bucket: string, key: string) {
  let now = new Date();
  running = await startGateway('memory', {
    credentials: [
      { accessKeyId: ACCESS_KEY, secretAccessKey: SECRET_KEY },
      { accessKeyId: DOC_KEY, secretAccessKey: DOC_SECRET },
    ],
    now: () => now,
  });
  await running.s3.send(new CreateBucketCommand({ Bucket: bucket }));
  await running.s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: 'puppy' }));
  now = at;
  return running;
}

// An independent v2 signer for the tests that are not documentation examples.
function signV2(stringToSign: string, secret = SECRET_KEY): string {
  return createHmac('sha1', secret).update(stringToSign).digest('base64');
}

describe('SigV2 in the Authorization header', () => {
  it("accepts S3's documented GET example and refuses it with one byte changed", async () => {
    const g = await gatewayAt(new Date(Date.parse(DOC_DATE)), 'johnsmith', 'photos/puppy.jpg');
    const headers = { date: DOC_DATE, authorization: `AWS ${DOC_KEY}:bWq2s1WEIj+Ydj0vQ697zp+IXMU=` };
    const ok = await send(g.url, { method: 'GET', path: '/johnsmith/photos/puppy.jpg', headers });
    expect([ok.status, ok.body]).toEqual([200, 'puppy']);
    const tampered = await send(g.url, { method: 'GET', path: '/johnsmith/photos/puppy.jpH', headers });
    expect([tampered.status, errorCode(tampered.body)]).toEqual([403, 'SignatureDoesNotMatch']);
  });

  it('signs x-amz-* headers and sub-resources, and takes x-amz-date over Date', async () => {
    const now = new Date();
    const g = await gatewayAt(now, 'v2-bucket', 'k');
    const amzDate = now.toUTCString();
    const stringToSign = `GET\n\n\n\nx-amz-date:${amzDate}\nx-amz-meta-a:1,2\n/v2-bucket/k?tagging`;
    const answer = await send(g.url, {
      method: 'GET',
      path: '/v2-bucket/k?tagging',
      headers: {
        'x-amz-date': amzDate,
        'x-amz-meta-a': ' 1,2 ',
        authorization: `AWS ${ACCESS_KEY}:${signV2(stringToSign)}`,
      },
    });
    expect(answer.status).toBe(200);
    expect(answer.body).toContain('<TagSet');
  });

  it('reads a bucket alone as /bucket/ (as botocore signs CreateBucket) or /bucket', async () => {
    const now = new Date();
    const g = await gatewayAt(now, 'v2-bucket', 'k');
    for (const [bucket, resource] of [
      ['v2-slash', '/v2-slash/'],
      ['v2-bare', '/v2-bare'],
    ] as const) {
      const date = now.toUTCString();
      const answer = await send(g.url, {
        method: 'PUT',
        path: `/${bucket}`,
        headers: { date, authorization: `AWS ${ACCESS_KEY}:${signV2(`PUT\n\n\n${date}\n${resource}`)}` },
      });
      expect([bucket, answer.status]).toEqual([bucket, 200]);
    }
  });

  it("answers S3's codes for a malformed header, a bad, missing or skewed date and an unknown key", async () => {
    const now = new Date();
    const g = await gatewayAt(now, 'v2-dates', 'k');
    const put = (headers: Record<string, string>) =>
      send(g.url, { method: 'PUT', path: '/v2-dates/new', headers, body: 'x' }).then((a) => [
        a.status,
        errorCode(a.body),
      ]);
    const signed = (date: string) =>
      `AWS ${ACCESS_KEY}:${signV2(`PUT\n\n\n\nx-amz-date:${date}\n/v2-dates/new`)}`;
    expect(await put({ authorization: 'AWS HAHAHA' })).toEqual([400, 'InvalidArgument']);
    expect(await put({ authorization: signed('Bad Date'), 'x-amz-date': 'Bad Date' })).toEqual([
      403,
      'AccessDenied',
    ]);
    expect(await put({ authorization: signed(''), 'x-amz-date': '' })).toEqual([403, 'AccessDenied']);
    expect(await put({ authorization: `AWS ${ACCESS_KEY}:c2lnbmF0dXJl` })).toEqual([403, 'AccessDenied']);
    const before1970 = 'Tue, 07 Jul 1950 21:53:04 GMT';
    expect(await put({ authorization: signed(before1970), 'x-amz-date': before1970 })).toEqual([
      403,
      'AccessDenied',
    ]);
    const old = 'Wed, 07 Jul 2010 21:53:04 GMT';
    expect(await put({ authorization: signed(old), 'x-amz-date': old })).toEqual([
      403,
      'RequestTimeTooSkewed',
    ]);
    const nowText = now.toUTCString();
    expect(
      await put({ authorization: signed(nowText).replace(ACCESS_KEY, 'NOSUCHKEY'), 'x-amz-date': nowText }),
    ).toEqual([403, 'InvalidAccessKeyId']);
    expect(await put({ authorization: signed(nowText), 'x-amz-date': nowText })).toEqual([200, undefined]);
  });

  it('keeps the key and the signature out of the request log', async () => {
    const g = await gatewayAt(new Date(Date.parse(DOC_DATE)), 'johnsmith', 'photos/puppy.jpg');
    await send(g.url, {
      method: 'GET',
      path: '/johnsmith/photos/puppy.jpg',
      headers: { date: DOC_DATE, authorization: `AWS ${DOC_KEY}:bWq2s1WEIj+Ydj0vQ697zp+IXMU=` },
    });
    const text = JSON.stringify(g.log);
    expect(g.log.at(-1)).toMatchObject({ status: 200, authenticated: true });
    expect(text).not.toContain(DOC_KEY);
    expect(text).not.toContain('bWq2s1WEIj');
  });
});

describe('SigV2 presigned URLs', () => {
  it("serves S3's documented presigned GET before it expires and refuses it after", async () => {
    const g = await gatewayAt(new Date(1175139620 * 1000 - 60_000), 'johnsmith', 'photos/puppy.jpg');
    const path = `/johnsmith/photos/puppy.jpg?AWSAccessKeyId=${DOC_KEY}&Expires=1175139620&Signature=NpgCjnDzrM%2BWFzoENXmpNDUsSn8%3D`;
    const ok = await send(g.url, { method: 'GET', path });
    expect([ok.status, ok.body]).toEqual([200, 'puppy']);
    const wrong = await send(g.url, {
      method: 'GET',
      path: path.replace('Expires=1175139620', 'Expires=1175139621'),
    });
    expect([wrong.status, errorCode(wrong.body)]).toEqual([403, 'SignatureDoesNotMatch']);
    await g.close();
    running = undefined;
    const late = await gatewayAt(new Date(1175139620 * 1000 + 1000), 'johnsmith', 'photos/puppy.jpg');
    const expired = await send(late.url, { method: 'GET', path });
    expect([expired.status, errorCode(expired.body)]).toEqual([403, 'AccessDenied']);
    expect(expired.body).toContain('Request has expired');
  });
});
