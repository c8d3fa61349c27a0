/**
 * What the gateway decides before the store sees a request, as S3 decides it (each found by
 * ceph/s3-tests): the form of Content-MD5, new bucket names, the encryption headers of a write,
 * an Expect header other than 100-continue, CORS preflights, Content-Encoding without
 * aws-chunked, and listing edge cases (max-keys=0, an empty continuation token, V1's Prefix with
 * encoding-type=url).
 */
import {
  CreateBucketCommand,
  HeadObjectCommand,
  ListObjectsCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { afterEach, describe, expect, it } from 'vitest';
import { type RunningGateway, startGateway } from './support/gateway-harness.js';
import { errorCode, send } from './support/raw-requests.js';
import { s3Failure } from './support/sdk-suite.js';

let running: RunningGateway | undefined;
afterEach(async () => {
  await running?.close();
  running = undefined;
});

async function withBucket(): Promise<RunningGateway> {
  running = await startGateway('memory');
  await running.s3.send(new CreateBucketCommand({ Bucket: 'checks' }));
  return running;
}

/** Sets request headers after the SDK built them and before it signs (as the suite does). */
function withHeaders(s3: S3Client, headers: Record<string, string>): void {
  s3.middlewareStack.add(
    (next) => async (args) => {
      const request = args.request as { headers: Record<string, string> };
      for (const [name, value] of Object.entries(headers)) {
        if (value === '') delete request.headers[name];
        else request.headers[name] = value;
      }
      return next(args);
    },
    { step: 'build', name: 'testHeaders' },
  );
}

const put = (g: RunningGateway, extra: Partial<ConstructorParameters<typeof PutObjectCommand>[0]> = {}) =>
  g.s3.send(new PutObjectCommand({ Bucket: 'checks', Key: 'k', Body: 'bar', ...extra }));

describe('Content-MD5', () => {
  it('refuses one that is not the base64 form of 16 bytes with InvalidDigest, and a wrong one with BadDigest', async () => {
    const g = await withBucket();
    expect(await s3Failure(put(g, { ContentMD5: 'YWJyYWNhZGFicmE=' }))).toMatchObject({
      code: 'InvalidDigest',
      status: 400,
    });
    expect(await s3Failure(put(g, { ContentMD5: 'rL0Y20zC+Fzt72VPzMSk2A==' }))).toMatchObject({
      code: 'BadDigest',
      status: 400,
    });
    await put(g, { ContentMD5: 'N7UdGUp1E+RbVvZSTy1R8g==' });
  });
});

describe('checksums stated in headers', () => {
  it('refuses a body whose stated SHA-256 or CRC32 is not its own with BadDigest, storing nothing', async () => {
    const g = await withBucket();
    const wrongSha = Buffer.alloc(32, 7).toString('base64');
    expect(await s3Failure(put(g, { ChecksumSHA256: wrongSha }))).toMatchObject({
      code: 'BadDigest',
      status: 400,
    });
    expect(await s3Failure(put(g, { ChecksumCRC32: 'AAAAAA==' }))).toMatchObject({
      code: 'BadDigest',
      status: 400,
    });
    expect(await s3Failure(g.s3.send(new HeadObjectCommand({ Bucket: 'checks', Key: 'k' })))).toMatchObject({
      status: 404,
    });
    // "bar": the right SHA-256 is stored and answered back.
    const right = '/N4rLtula/QIYB+3If6bXDONEO5CnqBPrlURto+/j7k=';
    expect((await put(g, { ChecksumSHA256: right })).ChecksumSHA256).toBe(right);
  });
});

describe('Expect headers', () => {
  it('serves a request whose Expect is not 100-continue (Node would answer 417)', async () => {
    const g = await withBucket();
    withHeaders(g.s3, { Expect: '200' });
    const answer = await put(g);
    expect(answer.ETag).toBeDefined();
  });
});

describe('bucket names', () => {
  it.each([
    ['_starts-with-underscore'],
    ['ab'],
    ['a'.repeat(64)],
    ['192.168.5.123'],
    ['under_score'],
    ['dash-at-end-'],
    ['dot..dot'],
    ['dot.-dash'],
    ['dash-.dot'],
    ['UpperCase'],
  ])('refuses %s with InvalidBucketName', async (name) => {
    running = await startGateway('memory');
    expect(await s3Failure(running.s3.send(new CreateBucketCommand({ Bucket: name })))).toMatchObject({
      code: 'InvalidBucketName',
      status: 400,
    });
  });

  it('creates names S3 allows: 63 characters, a leading digit, dots and hyphens', async () => {
    running = await startGateway('memory');
    for (const name of ['a'.repeat(63), '0abc', 'aaa.111', 'aaa-111']) {
      await running.s3.send(new CreateBucketCommand({ Bucket: name }));
    }
  });
});

describe('encryption headers of a write', () => {
  it.each([
    [{ 'x-amz-server-side-encryption': 'aes:kms' }],
    [{ 'x-amz-server-side-encryption-aws-kms-key-id': 'key-1' }],
    [{ 'x-amz-server-side-encryption': 'AES256', 'x-amz-server-side-encryption-aws-kms-key-id': 'key-1' }],
    [
      {
        'x-amz-server-side-encryption-customer-algorithm': 'AES256',
        'x-amz-server-side-encryption-customer-key': 'pO3upElrwuEXSoFwCfnZPdSsmt/xWeFa0N9KgDijwVs=',
      },
    ],
    [
      {
        'x-amz-server-side-encryption': 'AES256',
        'x-amz-server-side-encryption-customer-algorithm': 'AES256',
        'x-amz-server-side-encryption-customer-key': 'pO3upElrwuEXSoFwCfnZPdSsmt/xWeFa0N9KgDijwVs=',
        'x-amz-server-side-encryption-customer-key-md5': 'DWygnHRtgiJ77HCm+1rvHw==',
      },
    ],
  ])('refuses %j with InvalidArgument before the store', async (headers) => {
    const g = await withBucket();
    withHeaders(g.s3, headers);
    expect(await s3Failure(put(g))).toMatchObject({ code: 'InvalidArgument', status: 400 });
  });
});

describe('listing edge cases', () => {
  it('answers max-keys=0 with an empty page that is not truncated (V1 and V2)', async () => {
    const g = await withBucket();
    await put(g);
    const v1 = await g.s3.send(new ListObjectsCommand({ Bucket: 'checks', MaxKeys: 0 }));
    const v2 = await g.s3.send(new ListObjectsV2Command({ Bucket: 'checks', MaxKeys: 0 }));
    expect([v1.IsTruncated, v1.Contents, v2.IsTruncated, v2.KeyCount]).toEqual([false, undefined, false, 0]);
  });

  it('reads an empty continuation token as the first page', async () => {
    const g = await withBucket();
    await put(g);
    const page = await g.s3.send(new ListObjectsV2Command({ Bucket: 'checks', ContinuationToken: '' }));
    expect(page.Contents?.map((o) => o.Key)).toEqual(['k']);
  });

  it("returns V1's Prefix as given with encoding-type=url, keys encoded", async () => {
    const g = await withBucket();
    await put(g, { Key: 'a b' });
    const page = await g.s3.send(
      new ListObjectsCommand({ Bucket: 'checks', Prefix: 'a\n', EncodingType: 'url' }),
    );
    expect(page.Prefix).toBe('a\n');
    const keys = await g.s3.send(new ListObjectsCommand({ Bucket: 'checks', EncodingType: 'url' }));
    expect(keys.Contents?.map((o) => o.Key)).toEqual(['a%20b']);
  });
});

describe('CORS preflights', () => {
  it('answers OPTIONS without an Origin 400 BadRequest and with one 403, before authentication', async () => {
    const g = await withBucket();
    const bare = await send(g.url, { method: 'OPTIONS', path: '/checks/k' });
    expect([bare.status, errorCode(bare.body)]).toEqual([400, 'BadRequest']);
    const origin = await send(g.url, {
      method: 'OPTIONS',
      path: '/checks/k',
      headers: { origin: 'https://example.com', 'access-control-request-method': 'GET' },
    });
    expect([origin.status, errorCode(origin.body)]).toEqual([403, 'AccessForbidden']);
  });
});

describe('Content-Encoding', () => {
  // aws-chunked is removed from the list (how the body travelled); the rest is kept as written.
  it('keeps a list of encodings as the client wrote it', async () => {
    const g = await withBucket();
    await put(g, { ContentEncoding: 'deflate, gzip' });
    const head = await g.s3.send(new HeadObjectCommand({ Bucket: 'checks', Key: 'k' }));
    expect(head.ContentEncoding).toBe('deflate, gzip');
  });
});
