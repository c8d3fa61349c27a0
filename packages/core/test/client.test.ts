import { PartCopyClient, PartCopyError, type PartCopyEvent } from '@partcopy/core';
import type { UploadPartCopyRequest } from '@partcopy/core/provider';
import { failing, recordingProvider } from '@partcopy/core/testing';
import { describe, expect, it } from 'vitest';

const base = { bucket: 'dst', key: 'k', uploadId: 'u1', partNumber: 1, copySource: 'src/a%20b' };
const copyResult = { copyPartResult: { etag: '"e"' }, transfer: 'server-side', bytesCopied: 3 };

async function codeOf(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
  } catch (error) {
    return PartCopyError.isInstance(error) ? error.code : `not a PartCopyError: ${String(error)}`;
  }
  return undefined;
}

async function rejection(promise: Promise<unknown>): Promise<PartCopyError> {
  try {
    await promise;
  } catch (error) {
    if (PartCopyError.isInstance(error)) return error;
    throw error;
  }
  throw new Error('expected the call to fail');
}

describe('PartCopyClient.uploadPartCopy normalisation', () => {
  it('turns S3 string forms into the normalised request', async () => {
    const provider = recordingProvider({}, () => copyResult);
    const client = new PartCopyClient(provider);
    await client.uploadPartCopy({
      ...base,
      copySource: '/src/dir/a%20b?versionId=v1',
      copySourceRange: 'bytes=0-9',
      copySourceIfMatch: 'etag1',
      copySourceIfNoneMatch: ['x', 'y'],
      copySourceIfModifiedSince: 'Sun, 06 Nov 1994 08:49:37 GMT',
      sseCustomerKey: Buffer.alloc(32, 1).toString('base64'),
      copySourceSSECustomerKey: Buffer.alloc(32, 2),
      requestPayer: 'requester',
      expectedBucketOwner: '111',
      expectedSourceBucketOwner: '222',
    });
    const request = provider.calls[0]?.request as UploadPartCopyRequest;
    expect(request.source).toEqual({ bucket: 'src', key: 'dir/a b', versionId: 'v1' });
    expect(request.range).toEqual({ start: 0, end: 9 });
    expect(request.conditions.ifMatch).toEqual(['etag1']);
    expect(request.conditions.ifNoneMatch).toEqual(['x', 'y']);
    expect(request.conditions.ifModifiedSince?.toISOString()).toBe('1994-11-06T08:49:37.000Z');
    expect(request.sseCustomer?.keyMD5).toMatch(/==$/);
    expect(request.sourceSseCustomer?.keyBytes()[0]).toBe(2);
    expect(request.requestPayer).toBe('requester');
    expect(request.expectedBucketOwner).toBe('111');
    expect(request.expectedSourceBucketOwner).toBe('222');
    expect(provider.calls[0]?.ctx.signal).toBeInstanceOf(AbortSignal);
  });

  it.each([0, 10_001, 1.5, Number.NaN, '1'])(
    'rejects part number %j with InvalidArgument before the provider',
    async (partNumber) => {
      const provider = recordingProvider();
      const client = new PartCopyClient(provider);
      expect(await codeOf(client.uploadPartCopy({ ...base, partNumber: partNumber as number }))).toBe(
        'InvalidArgument',
      );
      expect(provider.calls).toHaveLength(0);
    },
  );

  it('accepts part numbers 1 and 10000', async () => {
    const client = new PartCopyClient(recordingProvider({}, () => copyResult));
    await client.uploadPartCopy({ ...base, partNumber: 1 });
    await client.uploadPartCopy({ ...base, partNumber: 10_000 });
  });

  it.each(['bytes=-5', 'bytes=5-', 'bytes=0-1,3-4', 'bytes=9-1'])(
    'rejects range %j',
    async (copySourceRange) => {
      const client = new PartCopyClient(recordingProvider());
      expect(await codeOf(client.uploadPartCopy({ ...base, copySourceRange }))).toBe('InvalidArgument');
    },
  );

  it('refuses what the capabilities rule out with Unsupported', async () => {
    const provider = recordingProvider({
      versionedSources: false,
      copySourceIfMatch: false,
      sseCustomerKey: false,
      requestPayer: false,
    });
    const client = new PartCopyClient(provider);
    expect(await codeOf(client.uploadPartCopy({ ...base, copySource: 's/k?versionId=1' }))).toBe(
      'Unsupported',
    );
    expect(await codeOf(client.uploadPartCopy({ ...base, copySourceIfMatch: 'x' }))).toBe('Unsupported');
    expect(
      await codeOf(client.uploadPartCopy({ ...base, sseCustomerKey: Buffer.alloc(32).toString('base64') })),
    ).toBe('Unsupported');
    expect(await codeOf(client.uploadPartCopy({ ...base, requestPayer: 'requester' }))).toBe('Unsupported');
    expect(provider.calls).toHaveLength(0);
  });

  it('refuses SSE-KMS requests where the store has no such thing, and SSE-C combined with them', async () => {
    const client = new PartCopyClient(recordingProvider({ sseKms: false }));
    expect(
      await codeOf(client.createMultipartUpload({ bucket: 'b', key: 'k', serverSideEncryption: 'aws:kms' })),
    ).toBe('Unsupported');
    expect(await codeOf(client.putObject({ bucket: 'b', key: 'k', body: 'x', sseKMSKeyId: 'arn:key' }))).toBe(
      'Unsupported',
    );
    const s3like = new PartCopyClient(
      recordingProvider({}, () => ({ bucket: 'b', key: 'k', uploadId: 'u' })),
    );
    const key = Buffer.alloc(32, 3).toString('base64');
    expect(
      await codeOf(
        s3like.createMultipartUpload({
          bucket: 'b',
          key: 'k',
          serverSideEncryption: 'AES256',
          sseCustomerKey: key,
        }),
      ),
    ).toBe('InvalidArgument');
    await s3like.createMultipartUpload({
      bucket: 'b',
      key: 'k',
      serverSideEncryption: 'aws:kms',
      sseKMSKeyId: 'k1',
      bucketKeyEnabled: true,
    });
  });

  it('client capability overrides switch features off', async () => {
    const client = new PartCopyClient(recordingProvider(), {
      capabilities: { copySourceIfNoneMatch: false },
    });
    expect(await codeOf(client.uploadPartCopy({ ...base, copySourceIfNoneMatch: 'x' }))).toBe('Unsupported');
  });

  it('rejects copy ranges over maxPartSize with InvalidRequest and bodies with EntityTooLarge, as S3', async () => {
    const client = new PartCopyClient(recordingProvider({ maxPartSize: 10 }));
    expect(await codeOf(client.uploadPartCopy({ ...base, copySourceRange: { start: 0, end: 10 } }))).toBe(
      'InvalidRequest',
    );
    expect(await codeOf(client.uploadPart({ ...base, body: new Uint8Array(11) }))).toBe('EntityTooLarge');
  });

  it('rejects keys over 1024 bytes', async () => {
    const client = new PartCopyClient(recordingProvider());
    expect(await codeOf(client.uploadPartCopy({ ...base, key: 'é'.repeat(513) }))).toBe('KeyTooLongError');
  });
});

describe('the call layer', () => {
  it('retries retryable errors and reports each attempt in events', async () => {
    const events: PartCopyEvent[] = [];
    const provider = recordingProvider({}, (_m, _r, attempt) =>
      attempt < 3 ? failing('SlowDown') : copyResult,
    );
    const client = new PartCopyClient(provider, {
      retry: { baseDelayMs: 1 },
      onEvent: (e) => events.push(e),
    });
    const result = await client.uploadPartCopy(base);
    expect(result.bytesCopied).toBe(3);
    expect(events.map((e) => e.type)).toEqual([
      'request',
      'error',
      'request',
      'error',
      'request',
      'response',
    ]);
    expect(events.filter((e) => e.type === 'error').every((e) => e.type === 'error' && e.willRetry)).toBe(
      true,
    );
    const response = events.at(-1);
    expect(response?.type === 'response' && response.bytes === 3 && response.transfer === 'server-side').toBe(
      true,
    );
  });

  it('does not retry non-retryable errors, nor createMultipartUpload', async () => {
    const noSuch = recordingProvider({}, () => failing('NoSuchUpload'));
    expect(await codeOf(new PartCopyClient(noSuch).uploadPartCopy(base))).toBe('NoSuchUpload');
    expect(noSuch.calls).toHaveLength(1);
    const slow = recordingProvider({}, () => failing('SlowDown'));
    expect(
      await codeOf(
        new PartCopyClient(slow, { retry: { baseDelayMs: 1 } }).createMultipartUpload({
          bucket: 'b',
          key: 'k',
        }),
      ),
    ).toBe('SlowDown');
    expect(slow.calls).toHaveLength(1);
  });

  it('adds context to provider errors and wraps foreign errors as InternalError', async () => {
    const client = new PartCopyClient(recordingProvider({}, () => failing('NoSuchKey')));
    const error = await rejection(client.uploadPartCopy(base));
    expect(error.context).toMatchObject({
      provider: 'recording',
      operation: 'uploadPartCopy',
      bucket: 'dst',
      uploadId: 'u1',
      partNumber: 1,
      sourceBucket: 'src',
      sourceKey: 'a b',
    });
    const foreign = new PartCopyClient(
      recordingProvider({}, () => {
        throw new TypeError('boom https://x?sig=SECRET');
      }),
    );
    const wrapped = await rejection(foreign.uploadPartCopy(base));
    expect(wrapped.code).toBe('InternalError');
    expect(wrapped.message).not.toContain('SECRET');
  });

  it('honours an aborted signal before calling the provider', async () => {
    const provider = recordingProvider({}, () => copyResult);
    const controller = new AbortController();
    controller.abort(new Error('user cancelled'));
    expect(
      await codeOf(new PartCopyClient(provider).uploadPartCopy({ ...base, abortSignal: controller.signal })),
    ).toBe('RequestAborted');
    expect(provider.calls).toHaveLength(0);
  });

  it('stops retrying when the signal fires during backoff', async () => {
    const controller = new AbortController();
    const provider = recordingProvider({}, () => {
      setTimeout(() => controller.abort(), 5);
      return failing('SlowDown');
    });
    const client = new PartCopyClient(provider, {
      retry: { baseDelayMs: 10_000, maxDelayMs: 10_000, maxAttempts: 5 },
    });
    const started = Date.now();
    const code = await codeOf(client.uploadPartCopy({ ...base, abortSignal: controller.signal }));
    expect(['RequestAborted', 'SlowDown']).toContain(code);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('refuses providers of another contract version', () => {
    const provider = { ...recordingProvider(), specVersion: 2 } as unknown as ReturnType<
      typeof recordingProvider
    >;
    expect(() => new PartCopyClient(provider)).toThrow(/contract version 2/);
  });

  it('forwards progress from the provider to events and the caller', async () => {
    const seen: number[] = [];
    const provider = recordingProvider({}, (_m, _r) => copyResult);
    const original = provider.uploadPartCopy.bind(provider);
    provider.uploadPartCopy = async (request, ctx) => {
      ctx.onProgress?.(1, 3);
      ctx.onProgress?.(3, 3);
      return original(request, ctx);
    };
    await new PartCopyClient(provider).uploadPartCopy({ ...base, onProgress: (p) => seen.push(p.bytesDone) });
    expect(seen).toEqual([1, 3]);
  });
});

describe('error context', () => {
  it('validation and capability refusals name the provider, operation and objects', async () => {
    const client = new PartCopyClient(recordingProvider({ copySourceIfMatch: false }));
    const invalid = await rejection(client.uploadPartCopy({ ...base, partNumber: 0 }));
    expect(invalid.context).toMatchObject({
      provider: 'recording',
      operation: 'uploadPartCopy',
      bucket: 'dst',
      key: 'k',
      uploadId: 'u1',
    });
    expect(invalid.partNumber).toBe(0);
    const refused = await rejection(client.uploadPartCopy({ ...base, copySourceIfMatch: 'x' }));
    expect(refused.code).toBe('Unsupported');
    expect(refused.context).toMatchObject({
      provider: 'recording',
      operation: 'uploadPartCopy',
      partNumber: 1,
    });
    const body = await rejection(client.putObject({ bucket: 'b', key: 'k', body: new ReadableStream() }));
    expect(body.context).toMatchObject({ operation: 'putObject', bucket: 'b', key: 'k' });
  });
});
