/**
 * The facade's two server-side pull calls, presignGetObject and uploadPartFromUrl, over a memory
 * store that can pull (pull-provider.ts): validation naming the field, Unsupported before any
 * request, the pipeline's retries and events, a transfer that pulls through them, and the signed
 * URL kept out of every event, error message and error context.
 */
import {
  PartCopyClient,
  type PartCopyClientOptions,
  PartCopyError,
  type PartCopyEvent,
  transferObject,
} from '@partcopy/core';
import { beforeEach, describe, expect, it } from 'vitest';
import { createMemoryProvider, MemoryStore } from '../src/index.js';
import { type PullProvider, pullProvider } from './pull-provider.js';

const MIN = 16;
const data = new Uint8Array(40).map((_, i) => i);

let store: MemoryStore;
let provider: PullProvider;
let client: PartCopyClient;
let events: PartCopyEvent[];
let uploadId: string;

function newClient(p: PullProvider, options: PartCopyClientOptions = {}): PartCopyClient {
  return new PartCopyClient(p, { env: {}, retry: { baseDelayMs: 1, maxDelayMs: 1 }, ...options });
}

beforeEach(async () => {
  store = new MemoryStore();
  provider = pullProvider(createMemoryProvider({ store, minPartSize: MIN }));
  events = [];
  client = newClient(provider, { onEvent: (e) => events.push(e) });
  await client.createBucket({ bucket: 'b' });
  await client.putObject({ bucket: 'b', key: 'src', body: data });
  ({ uploadId } = await client.createMultipartUpload({ bucket: 'b', key: 'dst' }));
  events.length = 0;
});

async function errorOf(promise: Promise<unknown>): Promise<PartCopyError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!PartCopyError.isInstance(error)) throw new Error(`expected a PartCopyError, got ${String(error)}`);
  return error;
}

describe('presignGetObject and uploadPartFromUrl', () => {
  it('stage a part from a signed URL through the pipeline, with events naming the parts', async () => {
    const { url, expiresAt } = await client.presignGetObject({
      bucket: 'b',
      key: 'src',
      range: 'bytes=0-19',
      expiresInSeconds: 600,
    });
    expect(expiresAt.getTime()).toBeGreaterThan(Date.now());
    const first = await client.uploadPartFromUrl({
      bucket: 'b',
      key: 'dst',
      uploadId,
      partNumber: 1,
      sourceUrl: url,
      range: { start: 0, end: 19 },
    });
    const second = await client.uploadPartFromUrl({
      bucket: 'b',
      key: 'dst',
      uploadId,
      partNumber: 2,
      sourceUrl: url,
      range: 'bytes=20-39',
    });
    expect(first.bytesCopied).toBe(20);
    await client.completeMultipartUpload({
      bucket: 'b',
      key: 'dst',
      uploadId,
      parts: [
        { partNumber: 1, etag: first.etag },
        { partNumber: 2, etag: second.etag },
      ],
    });
    const read = await client.getObject({ bucket: 'b', key: 'dst' });
    expect(await read.body.bytes()).toEqual(data);
    const responses = events.filter((e) => e.type === 'response' && e.operation === 'uploadPartFromUrl');
    expect(responses).toMatchObject([
      { partNumber: 1, uploadId, bytes: 20, transfer: 'server-side' },
      { partNumber: 2, uploadId, bytes: 20, transfer: 'server-side' },
    ]);
    expect(client.metrics().bytesServerSide).toBe(40);
    expect(provider.pulls.find((p) => p.method === 'presignGetObject')?.request).toMatchObject({
      range: { start: 0, end: 19 },
      expiresInSeconds: 600,
    });
  });

  it.each([
    [{ bucket: '' }, 'bucket'],
    [{ key: 5 }, 'key'],
    [{ versionId: 7 }, 'versionId'],
    [{ versionId: '' }, 'versionId'],
    [{ range: 'bytes=9-1' }, 'range'],
    [{ expiresInSeconds: 0 }, 'expiresInSeconds'],
    [{ expiresInSeconds: 1.5 }, 'expiresInSeconds'],
    [{ expiresInSeconds: 604801 }, 'expiresInSeconds'],
    [{ expiresInSeconds: '60' }, 'expiresInSeconds'],
    [{ expiresInSeconds: undefined }, 'expiresInSeconds'],
  ])(
    'presignGetObject refuses %o with InvalidArgument naming %s, before any request',
    async (change, field) => {
      const input = { bucket: 'b', key: 'src', expiresInSeconds: 60, ...change };
      const error = await errorOf(client.presignGetObject(input as never));
      expect(error.code).toMatch(/^Invalid/);
      expect(error.message).toContain(field);
      expect(error.operation).toBe('presignGetObject');
      expect(provider.pulls).toEqual([]);
      expect(events).toEqual([]);
    },
  );

  it('presignGetObject accepts the 7-day maximum', async () => {
    await client.presignGetObject({ bucket: 'b', key: 'src', expiresInSeconds: 604800 });
    expect(provider.pulls).toHaveLength(1);
  });

  it.each([
    [{ bucket: '' }, 'bucket'],
    [{ key: '' }, 'key'],
    [{ uploadId: '' }, 'uploadId'],
    [{ partNumber: 0 }, 'partNumber'],
    [{ partNumber: 10001 }, 'partNumber'],
    [{ partNumber: 1.5 }, 'partNumber'],
    [{ range: undefined }, 'range'],
    [{ range: { start: 5, end: 1 } }, 'range'],
    [{ sourceUrl: undefined }, 'sourceUrl'],
    [{ sourceUrl: 42 }, 'sourceUrl'],
    [{ sourceUrl: 'not a url' }, 'sourceUrl'],
    [{ sourceUrl: 'file:///etc/passwd' }, 'sourceUrl'],
    [{ sourceUrl: 'ftp://memory.test/b/src?sig=abc' }, 'sourceUrl'],
    [{ sourceIfMatch: 'a\nb' }, 'sourceIfMatch'],
  ])(
    'uploadPartFromUrl refuses %o with InvalidArgument naming %s, before any request',
    async (change, field) => {
      const input = {
        bucket: 'b',
        key: 'dst',
        uploadId,
        partNumber: 1,
        sourceUrl: 'https://memory.test/b/src?sig=abc',
        range: 'bytes=0-19',
        ...change,
      };
      const error = await errorOf(client.uploadPartFromUrl(input as never));
      expect(error.code).toMatch(/^Invalid/);
      expect(error.message).toContain(field);
      expect(error.operation).toBe('uploadPartFromUrl');
      expect(provider.pulls).toEqual([]);
      expect(events).toEqual([]);
    },
  );

  it('refuses with Unsupported before any request on a store that cannot pull', async () => {
    const plain = new PartCopyClient(createMemoryProvider({ store, minPartSize: MIN }), {
      env: {},
      onEvent: (e) => events.push(e),
    });
    const presign = await errorOf(plain.presignGetObject({ bucket: 'b', key: 'src', expiresInSeconds: 60 }));
    expect(presign.code).toBe('Unsupported');
    expect(presign.message).toMatch(/presignedReads/);
    const stage = await errorOf(
      plain.uploadPartFromUrl({
        bucket: 'b',
        key: 'dst',
        uploadId,
        partNumber: 1,
        sourceUrl: 'https://memory.test/b/src?sig=abc',
        range: 'bytes=0-19',
      }),
    );
    expect(stage.code).toBe('Unsupported');
    expect(stage.message).toMatch(/uploadPartFromUrl/);
    expect(events).toEqual([]);
  });

  it('refuses with Unsupported when a capability override switches the pull off', async () => {
    const off = newClient(provider, { capabilities: { presignedReads: false, uploadPartFromUrl: false } });
    const error = await errorOf(off.presignGetObject({ bucket: 'b', key: 'src', expiresInSeconds: 60 }));
    expect(error.code).toBe('Unsupported');
    expect(provider.pulls).toEqual([]);
  });

  it('retries a retryable failure of uploadPartFromUrl, and the events show each attempt', async () => {
    const { url } = await client.presignGetObject({ bucket: 'b', key: 'src', expiresInSeconds: 60 });
    provider.fail = (_request, attempt) => {
      if (attempt === 1) throw new PartCopyError('ServiceUnavailable', 'the store is busy');
    };
    const part = await client.uploadPartFromUrl({
      bucket: 'b',
      key: 'dst',
      uploadId,
      partNumber: 1,
      sourceUrl: url,
      range: 'bytes=0-19',
    });
    expect(part.bytesCopied).toBe(20);
    const pulls = events.filter((e) => e.operation === 'uploadPartFromUrl' && e.type !== 'progress');
    expect(pulls.map((e) => [e.type, 'attempt' in e ? e.attempt : undefined])).toEqual([
      ['request', 1],
      ['error', 1],
      ['request', 2],
      ['response', 2],
    ]);
    expect(pulls[1]).toMatchObject({ code: 'ServiceUnavailable', willRetry: true });
    expect(client.metrics().retries).toBe(1);
  });

  it('keeps the signed URL out of every event, error message and error context', async () => {
    const secret = 'c2VjcmV0LXNpZ25hdHVyZQ';
    const sourceUrl = `https://acct.blob.core.windows.net/src/a?sv=2024-08-04&se=2030-01-01&sr=b&sp=r&sig=${secret}`;
    provider.fail = (request) => {
      // A store that quotes the URL it could not fetch, the way SDK errors do.
      if (request.partNumber === 1) throw new Error(`fetch of ${request.sourceUrl} failed: ECONNRESET`);
      throw new PartCopyError('ServiceUnavailable', `could not read ${request.sourceUrl}`, {
        providerCode: 'CannotVerifyCopySource',
      });
    };
    const errors: PartCopyError[] = [];
    for (const partNumber of [1, 2]) {
      errors.push(
        await errorOf(
          client.uploadPartFromUrl({
            bucket: 'b',
            key: 'dst',
            uploadId,
            partNumber,
            sourceUrl,
            range: 'bytes=0-19',
          }),
        ),
      );
    }
    errors.push(
      await errorOf(
        client.uploadPartFromUrl({
          bucket: 'b',
          key: 'dst',
          uploadId,
          partNumber: 3,
          sourceUrl: `ftp://x/y?X-Amz-Signature=${secret}`,
          range: 'bytes=0-19',
        }),
      ),
    );
    expect(errors.map((e) => e.code)).toEqual(['InternalError', 'ServiceUnavailable', 'InvalidArgument']);
    // Part 2 was retried: its attempts' events are included below.
    expect(events.filter((e) => e.type === 'error' && e.partNumber === 2).length).toBe(3);
    const seen = [
      JSON.stringify(events),
      ...errors.flatMap((e) => [e.message, String(e), e.stack ?? '', JSON.stringify(e.context)]),
    ].join('\n');
    expect(seen).toContain('uploadPartFromUrl');
    expect(seen).not.toContain(secret);
    expect(seen).not.toContain(sourceUrl);
  });

  it('a server-side transfer pulls through the facades of both clients', async () => {
    const sourceEvents: PartCopyEvent[] = [];
    const destinationEvents: PartCopyEvent[] = [];
    const big = new Uint8Array(3 * MIN + 5).map((_, i) => (i * 7) % 251);
    await client.putObject({ bucket: 'b', key: 'big', body: big });
    const source = newClient(pullProvider(createMemoryProvider({ store, minPartSize: MIN })), {
      onEvent: (e) => sourceEvents.push(e),
    });
    const destination = newClient(pullProvider(createMemoryProvider({ store, minPartSize: MIN })), {
      onEvent: (e) => destinationEvents.push(e),
    });
    const result = await transferObject({
      source: { client: source, bucket: 'b', key: 'big' },
      destination: { client: destination, bucket: 'b', key: 'pulled' },
      strategy: 'server-pull',
      partSize: MIN,
    });
    expect(result.strategy).toBe('server-pull');
    const read = await client.getObject({ bucket: 'b', key: 'pulled' });
    expect(await read.body.bytes()).toEqual(big);
    const ops = (list: PartCopyEvent[], op: string) =>
      list.filter((e) => e.type === 'response' && e.operation === op).length;
    expect(ops(sourceEvents, 'presignGetObject')).toBe(1 + 4); // the probe, then one per part
    expect(ops(destinationEvents, 'uploadPartFromUrl')).toBe(4);
    expect(destination.metrics().bytesServerSide).toBe(big.length);
  });
});
