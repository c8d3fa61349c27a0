/**
 * A bucket's CORS configuration through the gateway, over memory and a folder: kept in the
 * store (a second gateway over the same store sees it), read back, removed; preflights answered
 * before authentication; actual requests (errors included) carrying the rule's headers.
 */
import {
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteBucketCorsCommand,
  GetBucketCorsCommand,
  ListObjectsV2Command,
  PutBucketCorsCommand,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import { PartCopyClient } from '@partcopy/core';
import { createMemoryProvider } from '@partcopy/memory';
import { afterEach, describe, expect, it } from 'vitest';
import { createS3Gateway } from '../src/index.js';
import {
  ACCESS_KEY,
  type RunningGateway,
  SECRET_KEY,
  s3ClientFor,
  startGateway,
} from './support/gateway-harness.js';
import { s3Failure } from './support/sdk-suite.js';

const opened: RunningGateway[] = [];
afterEach(async () => {
  for (const g of opened.splice(0)) await g.close();
});

async function gatewayOver(backend: 'memory' | 'fs', options = {}): Promise<RunningGateway> {
  const g = await startGateway(backend, options);
  opened.push(g);
  return g;
}

const rules = {
  CORSRules: [
    {
      AllowedMethods: ['GET', 'HEAD'],
      AllowedOrigins: ['https://*.example'],
      ExposeHeaders: ['ETag'],
      MaxAgeSeconds: 300,
    },
    {
      AllowedMethods: ['PUT'],
      AllowedOrigins: ['https://upload.example'],
      AllowedHeaders: ['content-*', 'x-amz-*'],
    },
  ],
};

function preflight(url: string, headers: Record<string, string>): Promise<Response> {
  return fetch(url, { method: 'OPTIONS', headers });
}

describe.each(['memory', 'fs'] as const)('bucket CORS on %s', (backend) => {
  it('is kept in the store, read back and removed; the bucket still lists empty and deletes', async () => {
    const g = await gatewayOver(backend);
    await g.s3.send(new CreateBucketCommand({ Bucket: 'web' }));
    const none = { code: 'NoSuchCORSConfiguration', status: 404 };
    expect(await s3Failure(g.s3.send(new GetBucketCorsCommand({ Bucket: 'web' })))).toEqual(none);
    await g.s3.send(new PutBucketCorsCommand({ Bucket: 'web', CORSConfiguration: rules }));
    const got = await g.s3.send(new GetBucketCorsCommand({ Bucket: 'web' }));
    expect(got.CORSRules).toEqual([
      {
        AllowedMethods: ['GET', 'HEAD'],
        AllowedOrigins: ['https://*.example'],
        ExposeHeaders: ['ETag'],
        MaxAgeSeconds: 300,
      },
      {
        AllowedMethods: ['PUT'],
        AllowedOrigins: ['https://upload.example'],
        AllowedHeaders: ['content-*', 'x-amz-*'],
      },
    ]);
    expect((await g.s3.send(new ListObjectsV2Command({ Bucket: 'web' }))).KeyCount).toBe(0);
    await g.s3.send(new DeleteBucketCorsCommand({ Bucket: 'web' }));
    expect(await s3Failure(g.s3.send(new GetBucketCorsCommand({ Bucket: 'web' })))).toEqual(none);
    await g.s3.send(new PutBucketCorsCommand({ Bucket: 'web', CORSConfiguration: rules }));
    await g.s3.send(new DeleteBucketCommand({ Bucket: 'web' }));
    expect(await s3Failure(g.s3.send(new GetBucketCorsCommand({ Bucket: 'web' })))).toEqual({
      code: 'NoSuchBucket',
      status: 404,
    });
  });

  it('refuses a rule S3 refuses, and keeps the rules it had', async () => {
    const g = await gatewayOver(backend);
    await g.s3.send(new CreateBucketCommand({ Bucket: 'web' }));
    await g.s3.send(new PutBucketCorsCommand({ Bucket: 'web', CORSConfiguration: rules }));
    const bad = { CORSRules: [{ AllowedMethods: ['PATCH'], AllowedOrigins: ['*'] }] };
    expect(
      await s3Failure(g.s3.send(new PutBucketCorsCommand({ Bucket: 'web', CORSConfiguration: bad }))),
    ).toEqual({
      code: 'InvalidRequest',
      status: 400,
    });
    expect((await g.s3.send(new GetBucketCorsCommand({ Bucket: 'web' }))).CORSRules).toHaveLength(2);
  });

  it('answers preflights without a signature: 400, 403, or 200 with the rule', async () => {
    const g = await gatewayOver(backend);
    await g.s3.send(new CreateBucketCommand({ Bucket: 'web' }));
    const object = `${g.url}/web/photo.jpg`;
    expect((await preflight(object, {})).status).toBe(400);
    expect((await preflight(object, { origin: 'https://a.example' })).status).toBe(400);
    const ask = { origin: 'https://a.example', 'access-control-request-method': 'GET' };
    expect((await preflight(object, ask)).status).toBe(403);
    await g.s3.send(new PutBucketCorsCommand({ Bucket: 'web', CORSConfiguration: rules }));
    const allowed = await preflight(object, ask);
    expect(allowed.status).toBe(200);
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://a.example');
    expect(allowed.headers.get('access-control-allow-methods')).toBe('GET, HEAD');
    expect(allowed.headers.get('access-control-max-age')).toBe('300');
    expect((await preflight(object, { ...ask, origin: 'https://a.example.evil' })).status).toBe(403);
    const upload = {
      origin: 'https://upload.example',
      'access-control-request-method': 'PUT',
      'access-control-request-headers': 'Content-Type, x-amz-date',
    };
    const put = await preflight(object, upload);
    expect(put.status).toBe(200);
    expect(put.headers.get('access-control-allow-headers')).toBe('content-type, x-amz-date');
    const unlisted = { ...upload, 'access-control-request-headers': 'authorization' };
    expect((await preflight(object, unlisted)).status).toBe(403);
    expect((await preflight(`${g.url}/absent/k`, ask)).status).toBe(403);
  });

  it('adds the rule’s headers to actual requests, errors included, and none for other origins', async () => {
    const g = await gatewayOver(backend, { anonymous: true });
    await g.s3.send(new CreateBucketCommand({ Bucket: 'web' }));
    await g.s3.send(new PutObjectCommand({ Bucket: 'web', Key: 'photo.jpg', Body: 'jpeg' }));
    await g.s3.send(new PutBucketCorsCommand({ Bucket: 'web', CORSConfiguration: rules }));
    const origin = { origin: 'https://a.example' };
    const ok = await fetch(`${g.url}/web/photo.jpg`, { headers: origin });
    expect(ok.status).toBe(200);
    expect(await ok.text()).toBe('jpeg');
    expect(ok.headers.get('access-control-allow-origin')).toBe('https://a.example');
    expect(ok.headers.get('access-control-expose-headers')).toBe('ETag');
    const missing = await fetch(`${g.url}/web/absent.jpg`, { headers: origin });
    expect(missing.status).toBe(404);
    expect(missing.headers.get('access-control-allow-origin')).toBe('https://a.example');
    const other = await fetch(`${g.url}/web/photo.jpg`, { headers: { origin: 'https://other.test' } });
    expect(other.status).toBe(200);
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
    const noOrigin = await fetch(`${g.url}/web/photo.jpg`);
    expect(noOrigin.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('bucket CORS across gateways', () => {
  it('set through one gateway, applies on another over the same store', async () => {
    const provider = createMemoryProvider();
    const first = await startGateway(provider);
    opened.push(first);
    const client = new PartCopyClient(provider);
    const second = createS3Gateway({
      client,
      credentials: [{ accessKeyId: ACCESS_KEY, secretAccessKey: SECRET_KEY }],
    });
    const url = await second.listen();
    try {
      await first.s3.send(new CreateBucketCommand({ Bucket: 'web' }));
      await first.s3.send(new PutBucketCorsCommand({ Bucket: 'web', CORSConfiguration: rules }));
      const s3 = s3ClientFor(url);
      expect((await s3.send(new GetBucketCorsCommand({ Bucket: 'web' }))).CORSRules).toHaveLength(2);
      s3.destroy();
      const answer = await preflight(`${url}/web/k`, {
        origin: 'https://b.example',
        'access-control-request-method': 'HEAD',
      });
      expect(answer.status).toBe(200);
    } finally {
      await second.close(1000);
    }
  });
});
