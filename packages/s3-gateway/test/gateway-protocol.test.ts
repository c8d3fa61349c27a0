/**
 * The HTTP side of the gateway over memory: signed aws-chunked bodies, S3 error documents for
 * unknown operations, malformed XML and oversized headers, virtual-host addressing, client
 * disconnects that abort the store call, graceful shutdown, metrics.
 */

import { Agent, request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import {
  CreateBucketCommand,
  GetObjectCommand,
  GetObjectTaggingCommand,
  HeadObjectCommand,
  PutObjectCommand,
  PutObjectTaggingCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { PartCopyClient, type Provider } from '@partcopy/core';
import { createChecksummer } from '@partcopy/core/provider';
import { wrapProvider } from '@partcopy/core/testing';
import { createMemoryProvider } from '@partcopy/memory';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createS3Gateway } from '../src/index.js';
import {
  ACCESS_KEY,
  patternBytes,
  type RunningGateway,
  SECRET_KEY,
  startGateway,
} from './support/gateway-harness.js';
import { errorCode, send, signedChunkedPut } from './support/raw-requests.js';
import { s3Failure } from './support/sdk-suite.js';

let running: RunningGateway | undefined;
afterEach(async () => {
  await running?.close();
  running = undefined;
});

async function withBucket(
  backend: Parameters<typeof startGateway>[0] = 'memory',
  options: Parameters<typeof startGateway>[1] = {},
) {
  running = await startGateway(backend, options);
  await running.s3.send(new CreateBucketCommand({ Bucket: 'proto' }));
  return running;
}

describe('aws-chunked bodies with signed chunks', () => {
  const chunks = [patternBytes(65_536, 1), patternBytes(65_536, 2), patternBytes(1000, 3)];
  const whole = Buffer.concat(chunks);

  it('stores a body whose chunk signatures verify', async () => {
    const g = await withBucket();
    const answer = await signedChunkedPut(g.url, '/proto/chunked', chunks);
    expect(answer.status).toBe(200);
    const got = await g.s3.send(new GetObjectCommand({ Bucket: 'proto', Key: 'chunked' }));
    expect(Buffer.from((await got.Body?.transformToByteArray()) ?? []).equals(whole)).toBe(true);
  });

  it('stores a body with a signed trailing checksum, and refuses a wrong checksum with BadDigest', async () => {
    const g = await withBucket();
    const crc = createChecksummer('CRC32').update(whole).digestBase64();
    const ok = await signedChunkedPut(g.url, '/proto/trailer', chunks, {
      trailer: { name: 'x-amz-checksum-crc32', value: crc },
    });
    expect(ok.status).toBe(200);
    const bad = await signedChunkedPut(g.url, '/proto/trailer-bad', chunks, {
      trailer: { name: 'x-amz-checksum-crc32', value: 'AAAAAA==' },
    });
    expect([bad.status, errorCode(bad.body)]).toEqual([400, 'BadDigest']);
    expect(
      await s3Failure(g.s3.send(new HeadObjectCommand({ Bucket: 'proto', Key: 'trailer-bad' }))),
    ).toMatchObject({ status: 404 });
  });

  it('refuses a tampered chunk with SignatureDoesNotMatch and writes nothing', async () => {
    const g = await withBucket();
    const answer = await signedChunkedPut(g.url, '/proto/tampered', chunks, { tamper: true });
    expect([answer.status, errorCode(answer.body)]).toEqual([403, 'SignatureDoesNotMatch']);
    expect(
      await s3Failure(g.s3.send(new HeadObjectCommand({ Bucket: 'proto', Key: 'tampered' }))),
    ).toMatchObject({ status: 404 });
  });

  it('refuses a body whose signed SHA-256 does not match with XAmzContentSHA256Mismatch', async () => {
    const g = await withBucket('memory', { anonymous: true });
    const answer = await send(g.url, {
      method: 'PUT',
      path: '/proto/sha',
      headers: { 'x-amz-content-sha256': '0'.repeat(64), 'content-length': '5' },
      body: 'hello',
    });
    expect([answer.status, errorCode(answer.body)]).toEqual([400, 'XAmzContentSHA256Mismatch']);
  });
});

describe('S3 error documents', () => {
  it('answers sub-resources it does not serve with NotImplemented (501)', async () => {
    const g = await withBucket('memory', { anonymous: true });
    // (?versions is served on memory: versioning.test.ts)
    for (const path of ['/proto?logging', '/proto?replication', '/proto?lifecycle', '/proto?website']) {
      const answer = await send(g.url, { method: 'GET', path });
      expect([path, answer.status, errorCode(answer.body)]).toEqual([path, 501, 'NotImplemented']);
    }
  });

  it('answers GetObjectTagging with the tags the object was written with; PutObjectTagging is NotImplemented', async () => {
    const g = await withBucket();
    await g.s3.send(
      new PutObjectCommand({ Bucket: 'proto', Key: 'tagged', Body: 'x', Tagging: 'team=media&tier=gold' }),
    );
    const tags = await g.s3.send(new GetObjectTaggingCommand({ Bucket: 'proto', Key: 'tagged' }));
    expect(tags.TagSet).toEqual([
      { Key: 'team', Value: 'media' },
      { Key: 'tier', Value: 'gold' },
    ]);
    const untagged = await g.s3.send(new PutObjectCommand({ Bucket: 'proto', Key: 'plain', Body: 'x' }));
    expect(untagged.ETag).toBeDefined();
    expect((await g.s3.send(new GetObjectTaggingCommand({ Bucket: 'proto', Key: 'plain' }))).TagSet).toEqual(
      [],
    );
    expect(
      await s3Failure(
        g.s3.send(
          new PutObjectTaggingCommand({
            Bucket: 'proto',
            Key: 'plain',
            Tagging: { TagSet: [{ Key: 'a', Value: 'b' }] },
          }),
        ),
      ),
    ).toEqual({ code: 'NotImplemented', status: 501 });
  });

  it('answers a malformed DeleteObjects or CompleteMultipartUpload body with MalformedXML', async () => {
    const g = await withBucket('memory', { anonymous: true });
    const deleteAnswer = await send(g.url, {
      method: 'POST',
      path: '/proto?delete',
      body: '<Delete><Object><Key>a</Key>',
    });
    expect([deleteAnswer.status, errorCode(deleteAnswer.body)]).toEqual([400, 'MalformedXML']);
    const upload = await g.client.createMultipartUpload({ bucket: 'proto', key: 'mp' });
    const completeAnswer = await send(g.url, {
      method: 'POST',
      path: `/proto/mp?uploadId=${encodeURIComponent(upload.uploadId)}`,
      body: '<CompleteMultipartUpload><Part><PartNumber>x</PartNumber></Part></CompleteMultipartUpload>',
    });
    expect([completeAnswer.status, errorCode(completeAnswer.body)]).toEqual([400, 'MalformedXML']);
  });

  it('answers oversized headers with RequestHeaderSectionTooLarge', async () => {
    const g = await withBucket('memory', { anonymous: true });
    const answer = await send(g.url, {
      method: 'GET',
      path: '/proto/k',
      headers: { 'x-amz-meta-big': 'x'.repeat(10_000) },
    });
    expect([answer.status, errorCode(answer.body)]).toEqual([400, 'RequestHeaderSectionTooLarge']);
  });

  it('answers a PUT without Content-Length with MissingContentLength', async () => {
    const g = await withBucket('memory', { anonymous: true });
    const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const target = new URL(g.url);
      const req = httpRequest(
        { host: target.hostname, port: target.port, method: 'PUT', path: '/proto/nolength' },
        (res) => {
          let body = '';
          res.on('data', (c) => {
            body += c;
          });
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        },
      );
      req.on('error', reject);
      req.write('chunked body');
      req.end();
    });
    expect([answer.status, errorCode(answer.body)]).toEqual([411, 'MissingContentLength']);
  });
});

describe('Expect: 100-continue', () => {
  // Sends the body only when the gateway says "100 Continue"; reports whether it did.
  function putExpecting(url: string, path: string, body: string) {
    const target = new URL(url);
    return new Promise<{ continued: boolean; status: number; body: string }>((resolve, reject) => {
      let continued = false;
      const req = httpRequest(
        {
          host: target.hostname,
          port: target.port,
          method: 'PUT',
          path,
          headers: { expect: '100-continue', 'content-length': String(body.length) },
        },
        (res) => {
          let text = '';
          res.on('data', (c) => {
            text += c;
          });
          res.on('end', () => resolve({ continued, status: res.statusCode ?? 0, body: text }));
        },
      );
      req.on('continue', () => {
        continued = true;
        req.end(body);
      });
      req.on('error', reject);
      req.flushHeaders();
    });
  }

  it('refuses an unsigned upload before its body is sent, and accepts a permitted one after 100', async () => {
    const closed = await withBucket();
    const refused = await putExpecting(closed.url, '/proto/expect', 'body');
    expect([refused.continued, refused.status, errorCode(refused.body)]).toEqual([
      false,
      403,
      'AccessDenied',
    ]);
    await running?.close();
    const open = await withBucket('memory', { anonymous: true });
    const accepted = await putExpecting(open.url, '/proto/expect', 'body');
    expect([accepted.continued, accepted.status]).toEqual([true, 200]);
  });
});

describe('addressing', () => {
  it('serves virtual-host requests (bucket.s3.localhost) signed by the SDK', async () => {
    const g = await withBucket('memory', { virtualHostSuffixes: ['s3.localhost'] });
    const port = new URL(g.url).port;
    // Every host name connects to the gateway; the Host header still names the bucket.
    const agent = new Agent({ lookup: loopbackLookup as never });
    const virtual = new S3Client({
      endpoint: `http://s3.localhost:${port}`,
      region: 'us-east-1',
      forcePathStyle: false,
      credentials: { accessKeyId: ACCESS_KEY, secretAccessKey: SECRET_KEY },
      requestHandler: { httpAgent: agent },
      maxAttempts: 1,
    });
    await virtual.send(new PutObjectCommand({ Bucket: 'proto', Key: 'dir/virtual.txt', Body: 'via host' }));
    const got = await g.s3.send(new GetObjectCommand({ Bucket: 'proto', Key: 'dir/virtual.txt' }));
    expect(await got.Body?.transformToString()).toBe('via host');
    virtual.destroy();
    agent.destroy();
  });
});

describe('lifecycle', () => {
  it('aborts the store read when the client disconnects mid-download', async () => {
    const signals: AbortSignal[] = [];
    const provider = wrapProvider(createMemoryProvider(), async (method, request, ctx, next) => {
      // The object's read, not the bucket configuration document's (shared, not the request's).
      if (method === 'getObject' && (request as { key?: string }).key === 'big') signals.push(ctx.signal);
      return next();
    });
    const g = await withBucket(provider as Provider, { anonymous: true });
    await g.client.putObject({ bucket: 'proto', key: 'big', body: patternBytes(32 * 1024 * 1024, 4) });
    const target = new URL(g.url);
    await new Promise<void>((resolve, reject) => {
      const req = httpRequest({ host: target.hostname, port: target.port, path: '/proto/big' }, (res) => {
        res.once('data', () => {
          req.destroy();
          resolve();
        });
      });
      req.on('error', () => {});
      req.on('close', () => resolve());
      req.end();
      setTimeout(() => reject(new Error('no data')), 30_000).unref();
    });
    await vi.waitFor(() => expect(signals[0]?.aborted).toBe(true), { timeout: 10_000 });
    await vi.waitFor(() => expect(g.gateway.metrics().clientAborts).toBe(1), { timeout: 10_000 });
  });

  it('finishes an in-flight request before close() resolves, then refuses connections', async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    let entered: () => void = () => {};
    const inside = new Promise<void>((resolve) => {
      entered = resolve;
    });
    const provider = wrapProvider(createMemoryProvider(), async (method, _request, _ctx, next) => {
      if (method === 'putObject') {
        entered();
        await gate;
      }
      return next();
    });
    const client = new PartCopyClient(provider);
    await client.createBucket({ bucket: 'proto' });
    const gateway = createS3Gateway({ client, anonymous: true });
    const url = await gateway.listen();
    const put = send(url, {
      method: 'PUT',
      path: '/proto/slow',
      headers: { 'content-length': '4' },
      body: 'slow',
    });
    await inside;
    let closed = false;
    const closing = gateway.close(60_000).then(() => {
      closed = true;
    });
    await new Promise((resolve) => setImmediate(resolve));
    expect(closed).toBe(false);
    release();
    expect((await put).status).toBe(200);
    await closing;
    expect(closed).toBe(true);
    await expect(send(url, { method: 'GET', path: '/proto/slow' })).rejects.toThrow();
    expect(await client.getObject({ bucket: 'proto', key: 'slow' }).then((o) => o.body.text())).toBe('slow');
  });

  it('close() ends a request whose client half-closed before sending the body it announced', async () => {
    const client = new PartCopyClient(createMemoryProvider());
    await client.createBucket({ bucket: 'proto' });
    const gateway = createS3Gateway({ client, anonymous: true });
    const url = new URL(await gateway.listen());
    const socket = connect(Number(url.port), url.hostname);
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    // 10 bytes of 100, then FIN: the body never completes and the connection stays half-open.
    socket.end('PUT /proto/half HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n0123456789');
    await vi.waitFor(() => expect(gateway.metrics().inFlight).toBe(1), { timeout: 10_000 });
    await gateway.close(10);
    expect(gateway.metrics().inFlight).toBe(0);
    socket.destroy();
  });

  it('counts requests, statuses, errors and bytes', async () => {
    const g = await withBucket();
    await g.s3.send(new PutObjectCommand({ Bucket: 'proto', Key: 'm', Body: 'metrics' }));
    await s3Failure(g.s3.send(new GetObjectCommand({ Bucket: 'proto', Key: 'absent' })));
    const metrics = g.gateway.metrics();
    expect(metrics.requests).toMatchObject({ CreateBucket: 1, PutObject: 1, GetObject: 1 });
    expect(metrics.errors).toEqual({ NoSuchKey: 1 });
    expect(metrics.statuses['404']).toBe(1);
    expect(metrics.bytesIn).toBeGreaterThanOrEqual(7);
    expect(metrics.inFlight).toBe(0);
  });
});

// Resolves every name to the loopback address (Node asks for `all` addresses since v20).
function loopbackLookup(
  _host: string,
  options: { all?: boolean },
  callback: (
    error: null,
    address: string | Array<{ address: string; family: number }>,
    family?: number,
  ) => void,
): void {
  if (options.all) callback(null, [{ address: '127.0.0.1', family: 4 }]);
  else callback(null, '127.0.0.1', 4);
}
