import { inspect } from 'node:util';
import { PartCopyClient, PartCopyError, SseCustomerKey } from '@partcopy/core';
import type { UploadPartCopyRequest } from '@partcopy/core/provider';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  copyPartXml,
  errorXml,
  opContext,
  type RecordingServer,
  recordingProvider,
  startRecordingServer,
} from './support/recording-server.js';

const DEST_KEY = SseCustomerKey.from('AES256', new Uint8Array(32).fill(7));
const SOURCE_KEY = SseCustomerKey.from('AES256', new Uint8Array(32).fill(9));

let server: RecordingServer;
beforeAll(async () => {
  server = await startRecordingServer();
});
afterAll(() => server.close());
beforeEach(() => {
  server.requests.length = 0;
  server.answer(() => ({ body: copyPartXml('"abc"') }));
});

/** The same copy as the facade's input. */
const clientCopy = {
  bucket: 'dest-bucket',
  key: 'dest/key',
  uploadId: 'UPLOAD-1',
  partNumber: 3,
  copySource: 'src-bucket/src/key',
  copySourceRange: 'bytes=0-5242879',
};

function copyRequest(overrides: Partial<UploadPartCopyRequest> = {}): UploadPartCopyRequest {
  return {
    bucket: 'dest-bucket',
    key: 'dest/key',
    uploadId: 'UPLOAD-1',
    partNumber: 3,
    source: { bucket: 'src-bucket', key: 'src/key' },
    range: { start: 0, end: 5_242_879 },
    conditions: {},
    ...overrides,
  };
}

describe('UploadPartCopy: every input field reaches the wire', () => {
  it('sends range, conditions, both SSE-C key sets, payer and both expected owners', async () => {
    const provider = recordingProvider(server);
    await provider.uploadPartCopy(
      copyRequest({
        source: { bucket: 'src-bucket', key: 'src/key', versionId: 'v+1/2=' },
        range: { start: 10, end: 5_242_889 },
        conditions: { ifMatch: ['"etag-1"'], ifNoneMatch: ['"etag-2"'] },
        sseCustomer: DEST_KEY,
        sourceSseCustomer: SOURCE_KEY,
        requestPayer: 'requester',
        expectedBucketOwner: '111122223333',
        expectedSourceBucketOwner: '444455556666',
      }),
      opContext(),
    );
    expect(server.requests).toHaveLength(1);
    const [request] = server.requests;
    expect(request?.method).toBe('PUT');
    expect(request?.url).toBe('/dest-bucket/dest/key?partNumber=3&uploadId=UPLOAD-1&x-id=UploadPartCopy');
    const h = request?.headers ?? {};
    // versionId goes unencoded after the encoded key, as S3 documents.
    expect(h['x-amz-copy-source']).toBe('src-bucket/src/key?versionId=v+1/2=');
    expect(h['x-amz-copy-source-range']).toBe('bytes=10-5242889');
    expect(h['x-amz-copy-source-if-match']).toBe('"etag-1"');
    expect(h['x-amz-copy-source-if-none-match']).toBe('"etag-2"');
    expect(h['x-amz-server-side-encryption-customer-algorithm']).toBe('AES256');
    expect(h['x-amz-server-side-encryption-customer-key']).toBe(Buffer.alloc(32, 7).toString('base64'));
    expect(h['x-amz-server-side-encryption-customer-key-md5']).toBe(DEST_KEY.keyMD5);
    expect(h['x-amz-copy-source-server-side-encryption-customer-algorithm']).toBe('AES256');
    expect(h['x-amz-copy-source-server-side-encryption-customer-key']).toBe(
      Buffer.alloc(32, 9).toString('base64'),
    );
    expect(h['x-amz-copy-source-server-side-encryption-customer-key-md5']).toBe(SOURCE_KEY.keyMD5);
    expect(h['x-amz-request-payer']).toBe('requester');
    expect(h['x-amz-expected-bucket-owner']).toBe('111122223333');
    expect(h['x-amz-source-expected-bucket-owner']).toBe('444455556666');
  });

  it('sends both dates as HTTP-dates', async () => {
    const provider = recordingProvider(server);
    await provider.uploadPartCopy(
      copyRequest({
        conditions: {
          ifModifiedSince: new Date('2024-01-02T03:04:05.678Z'),
          ifUnmodifiedSince: new Date('2025-06-07T08:09:10Z'),
        },
      }),
      opContext(),
    );
    const h = server.requests[0]?.headers ?? {};
    expect(h['x-amz-copy-source-if-modified-since']).toBe('Tue, 02 Jan 2024 03:04:05 GMT');
    expect(h['x-amz-copy-source-if-unmodified-since']).toBe('Sat, 07 Jun 2025 08:09:10 GMT');
  });

  it('leaves out the date S3 ignores next to an ETag condition (RFC 9110 precedence)', async () => {
    const provider = recordingProvider(server);
    const dates = { ifModifiedSince: new Date(0), ifUnmodifiedSince: new Date(0) };
    await provider.uploadPartCopy(copyRequest({ conditions: { ifMatch: ['"m"'], ...dates } }), opContext());
    await provider.uploadPartCopy(
      copyRequest({ conditions: { ifNoneMatch: ['"n"'], ...dates } }),
      opContext(),
    );
    const [withMatch, withNoneMatch] = server.requests.map((r) => r.headers);
    expect(withMatch?.['x-amz-copy-source-if-unmodified-since']).toBeUndefined();
    expect(withMatch?.['x-amz-copy-source-if-modified-since']).toBe('Thu, 01 Jan 1970 00:00:00 GMT');
    expect(withNoneMatch?.['x-amz-copy-source-if-modified-since']).toBeUndefined();
    expect(withNoneMatch?.['x-amz-copy-source-if-unmodified-since']).toBe('Thu, 01 Jan 1970 00:00:00 GMT');
  });

  it.each([
    ['a key with spaces', 'a%20key%20with%20spaces'],
    ['ünïcødé/日本語', '%C3%BCn%C3%AFc%C3%B8d%C3%A9/%E6%97%A5%E6%9C%AC%E8%AA%9E'],
    ['a+b', 'a%2Bb'],
    ['100%', '100%25'],
    ['what?versionId=no', 'what%3FversionId%3Dno'],
    ['hash#tag', 'hash%23tag'],
    ["!'()*", '%21%27%28%29%2A'],
    ['dir//double/ slash /', 'dir//double/%20slash%20/'],
  ])('encodes the source key %j segment by segment, slashes kept', async (key, encoded) => {
    const provider = recordingProvider(server);
    await provider.uploadPartCopy(copyRequest({ source: { bucket: 'src-bucket', key } }), opContext());
    expect(server.requests[0]?.headers['x-amz-copy-source']).toBe(`src-bucket/${encoded}`);
  });

  it('sends an access-point ARN source with the object key encoded and the version id', async () => {
    const arn = 'arn:aws:s3:us-east-1:123456789012:accesspoint/my-access-point';
    const provider = recordingProvider(server);
    await provider.uploadPartCopy(
      copyRequest({
        source: { bucket: arn, key: 'reports/q1 2026.csv', versionId: 'VID', accessPointArn: arn },
      }),
      opContext(),
    );
    expect(server.requests[0]?.headers['x-amz-copy-source']).toBe(
      `${arn}/object/reports/q1%202026.csv?versionId=VID`,
    );
  });

  it('returns every output field: headers and CopyPartResult', async () => {
    server.answer(() => ({
      headers: {
        'x-amz-copy-source-version-id': 'SRC-VERSION',
        'x-amz-server-side-encryption': 'aws:kms',
        'x-amz-server-side-encryption-aws-kms-key-id': 'arn:aws:kms:us-east-1:111122223333:key/k1',
        'x-amz-server-side-encryption-bucket-key-enabled': 'true',
        'x-amz-server-side-encryption-customer-algorithm': 'AES256',
        'x-amz-server-side-encryption-customer-key-md5': DEST_KEY.keyMD5,
        'x-amz-request-charged': 'requester',
      },
      body: copyPartXml(
        '"5d41402abc4b2a76b9719d911017c592"',
        '<ChecksumCRC32>AAAAAA==</ChecksumCRC32><ChecksumCRC32C>BBBBBB==</ChecksumCRC32C>' +
          '<ChecksumCRC64NVME>CCCCCCCCCCC=</ChecksumCRC64NVME><ChecksumSHA1>DDDD</ChecksumSHA1>' +
          '<ChecksumSHA256>EEEE</ChecksumSHA256>',
      ),
    }));
    const provider = recordingProvider(server);
    const result = await provider.uploadPartCopy(copyRequest(), opContext());
    expect(result).toEqual({
      copySourceVersionId: 'SRC-VERSION',
      copyPartResult: {
        etag: '"5d41402abc4b2a76b9719d911017c592"',
        lastModified: new Date('2026-03-04T05:06:07.000Z'),
        checksumCRC32: 'AAAAAA==',
        checksumCRC32C: 'BBBBBB==',
        checksumCRC64NVME: 'CCCCCCCCCCC=',
        checksumSHA1: 'DDDD',
        checksumSHA256: 'EEEE',
      },
      serverSideEncryption: 'aws:kms',
      sseKMSKeyId: 'arn:aws:kms:us-east-1:111122223333:key/k1',
      bucketKeyEnabled: true,
      sseCustomerAlgorithm: 'AES256',
      sseCustomerKeyMD5: DEST_KEY.keyMD5,
      requestCharged: 'requester',
      transfer: 'server-side',
      bytesCopied: 5_242_880,
    });
  });
});

describe('UploadPartCopy: what one S3 request cannot say', () => {
  const headAnswer = (etag: string, size: number) => ({
    headers: { etag, 'content-length': String(size), 'last-modified': 'Wed, 01 Jan 2025 00:00:00 GMT' },
  });

  it('copies a whole source after one HEAD, reporting its size as bytesCopied', async () => {
    server.answer((request) =>
      request.method === 'HEAD' ? headAnswer('"e1"', 7_000_001) : { body: copyPartXml('"p"') },
    );
    const provider = recordingProvider(server);
    const result = await provider.uploadPartCopy(
      copyRequest({
        range: undefined,
        source: { bucket: 'src-bucket', key: 'src/key', versionId: 'V1' },
        sourceSseCustomer: SOURCE_KEY,
        requestPayer: 'requester',
        expectedSourceBucketOwner: '444455556666',
      }),
      opContext(),
    );
    expect(result.bytesCopied).toBe(7_000_001);
    expect(server.requests.map((r) => r.method)).toEqual(['HEAD', 'PUT']);
    const [head, copy] = server.requests;
    // The HEAD reads the same version, with the source's key, payer and owner.
    expect(head?.url).toBe('/src-bucket/src/key?versionId=V1');
    expect(head?.headers['x-amz-server-side-encryption-customer-key-md5']).toBe(SOURCE_KEY.keyMD5);
    expect(head?.headers['x-amz-request-payer']).toBe('requester');
    expect(head?.headers['x-amz-expected-bucket-owner']).toBe('444455556666');
    expect(copy?.headers['x-amz-copy-source-range']).toBeUndefined();
  });

  it('decides an ETag list locally, then pins the ETag the decision was made on', async () => {
    server.answer((request) =>
      request.method === 'HEAD' ? headAnswer('"e2"', 10) : { body: copyPartXml('"p"') },
    );
    const provider = recordingProvider(server);
    await provider.uploadPartCopy(
      copyRequest({ conditions: { ifMatch: ['"e1"', '"e2"', '"e3"'], ifUnmodifiedSince: new Date(0) } }),
      opContext(),
    );
    expect(server.requests.map((r) => r.method)).toEqual(['HEAD', 'PUT']);
    const copy = server.requests[1]?.headers ?? {};
    expect(copy['x-amz-copy-source-if-match']).toBe('"e2"');
    expect(copy['x-amz-copy-source-if-unmodified-since']).toBeUndefined();
  });

  it('takes the size and the condition decision from a source hint: no HEAD, pinned to its ETag', async () => {
    server.answer(() => ({ body: copyPartXml('"p"') }));
    const provider = recordingProvider(server);
    const hint = { size: 7_000_001, etag: '"h1"', lastModified: new Date('2026-01-01T00:00:00Z') };
    const result = await provider.uploadPartCopy(
      copyRequest({ range: undefined, conditions: { ifNoneMatch: ['"other"'] }, sourceHint: hint }),
      opContext(),
    );
    expect(server.requests.map((r) => r.method)).toEqual(['PUT']);
    expect(server.requests[0]?.headers['x-amz-copy-source-if-match']).toBe('"h1"');
    expect(server.requests[0]?.headers['x-amz-copy-source-if-none-match']).toBeUndefined();
    expect(result.bytesCopied).toBe(7_000_001);
  });

  it('refuses from a source hint whose ETag a condition rules out, without any request', async () => {
    const provider = recordingProvider(server);
    const hint = { size: 10, etag: '"h1"' };
    const error = await provider
      .uploadPartCopy(
        copyRequest({ range: undefined, conditions: { ifNoneMatch: ['"h1"'] }, sourceHint: hint }),
        opContext(),
      )
      .catch((e: unknown) => e);
    expect(PartCopyError.hasCode(error, 'PreconditionFailed')).toBe(true);
    expect(server.requests).toHaveLength(0);
  });

  it('fails an ETag list that does not hold with PreconditionFailed, without copying', async () => {
    server.answer(() => headAnswer('"e9"', 10));
    const provider = recordingProvider(server);
    const error = await provider
      .uploadPartCopy(copyRequest({ conditions: { ifMatch: ['"e1"', '"e2"'] } }), opContext())
      .catch((e: unknown) => e);
    expect(PartCopyError.hasCode(error, 'PreconditionFailed')).toBe(true);
    expect(server.requests.map((r) => r.method)).toEqual(['HEAD']);
  });

  it('fails an if-none-match list containing the current ETag', async () => {
    server.answer(() => headAnswer('"e2"', 10));
    const provider = recordingProvider(server);
    const error = await provider
      .uploadPartCopy(copyRequest({ conditions: { ifNoneMatch: ['"e1"', '"e2"'] } }), opContext())
      .catch((e: unknown) => e);
    expect(PartCopyError.hasCode(error, 'PreconditionFailed')).toBe(true);
  });

  it('maps a HEAD 404 of the source to NoSuchBucket when the bucket is missing', async () => {
    server.answer(() => ({ status: 404 }));
    const provider = recordingProvider(server);
    const error = await provider
      .uploadPartCopy(copyRequest({ range: undefined }), opContext())
      .catch((e: unknown) => e);
    expect(PartCopyError.hasCode(error, 'NoSuchBucket')).toBe(true);
    expect(server.requests.map((r) => `${r.method} ${r.url}`)).toEqual([
      'HEAD /src-bucket/src/key',
      'HEAD /src-bucket/',
    ]);
  });
});

describe('UploadPartCopy: errors', () => {
  it('maps S3 error documents by status then code, with context', async () => {
    server.answer(() => ({
      status: 404,
      body: errorXml('NoSuchUpload', 'The specified upload does not exist.'),
    }));
    const provider = recordingProvider(server);
    const error = await provider.uploadPartCopy(copyRequest(), opContext()).catch((e: unknown) => e);
    expect(PartCopyError.isInstance(error)).toBe(true);
    const e = error as PartCopyError;
    expect(e.code).toBe('NoSuchUpload');
    expect(e.status).toBe(404);
    expect(e.retryable).toBe(false);
    expect(e.providerCode).toBe('NoSuchUpload');
    expect(e.context).toMatchObject({
      provider: 's3',
      operation: 'uploadPartCopy',
      bucket: 'dest-bucket',
      key: 'dest/key',
      uploadId: 'UPLOAD-1',
      partNumber: 3,
      sourceBucket: 'src-bucket',
      sourceKey: 'src/key',
    });
  });

  it('turns a copy range past the end answered with 416 into S3 InvalidArgument', async () => {
    server.answer(() => ({
      status: 416,
      body: errorXml('InvalidRange', 'The requested range is not satisfiable'),
    }));
    const provider = recordingProvider(server);
    const error = await provider.uploadPartCopy(copyRequest(), opContext()).catch((e: unknown) => e);
    expect(PartCopyError.hasCode(error, 'InvalidArgument')).toBe(true);
    expect((error as PartCopyError).providerCode).toBe('InvalidRange');
  });

  it('names the source size, as S3 does, after a 416 from the server', async () => {
    server.answer((request) =>
      request.method === 'HEAD'
        ? {
            headers: {
              etag: '"e"',
              'content-length': '100',
              'last-modified': 'Wed, 01 Jan 2025 00:00:00 GMT',
            },
          }
        : { status: 416, body: errorXml('InvalidRange', 'The requested range is not satisfiable') },
    );
    const provider = recordingProvider(server);
    const error = await provider
      .uploadPartCopy(copyRequest({ range: { start: 0, end: 100 } }), opContext())
      .catch((e: unknown) => e);
    expect(PartCopyError.hasCode(error, 'InvalidArgument')).toBe(true);
    expect((error as PartCopyError).message).toContain(
      'Range specified is not valid for source object of size: 100',
    );
    expect(server.requests.map((r) => r.method)).toEqual(['PUT', 'HEAD']);
  });

  it('never shows an SSE-C key in the message, JSON or inspection of an error', async () => {
    const keys = [Buffer.alloc(32, 7).toString('base64'), Buffer.alloc(32, 9).toString('base64')];
    server.answer((request) => ({
      status: 400,
      // A hostile server echoing the request's key headers back.
      body: errorXml(
        'InvalidArgument',
        `bad x-amz-server-side-encryption-customer-key: ${request.headers['x-amz-server-side-encryption-customer-key']} ` +
          `and x-amz-copy-source-server-side-encryption-customer-key=${request.headers['x-amz-copy-source-server-side-encryption-customer-key']}`,
      ),
    }));
    const provider = recordingProvider(server);
    const error = await provider
      .uploadPartCopy(copyRequest({ sseCustomer: DEST_KEY, sourceSseCustomer: SOURCE_KEY }), opContext())
      .catch((e: unknown) => e);
    expect(PartCopyError.hasCode(error, 'InvalidArgument')).toBe(true);
    const e = error as PartCopyError;
    for (const text of [e.message, JSON.stringify(e), String(e), inspect(e, { depth: 4 })]) {
      for (const key of keys) expect(text).not.toContain(key);
    }
    expect(e.message).toContain('REDACTED');
  });

  // One retry owner: the provider sends each request once (its SDK client has maxAttempts 1) and
  // maps an error inside a 200 answer as retryable; the PartCopyClient's pipeline tries again.
  it('sends a copy once and maps an InternalError inside a 200 answer as retryable', async () => {
    server.answer(() => ({ body: errorXml('InternalError', 'We encountered an internal error.') }));
    const error = await recordingProvider(server)
      .uploadPartCopy(copyRequest(), opContext())
      .catch((e: unknown) => e);
    expect(PartCopyError.hasCode(error, 'InternalError')).toBe(true);
    expect((error as PartCopyError).retryable).toBe(true);
    expect((error as PartCopyError).message).toContain('inside a 200 response');
    expect(server.requests).toHaveLength(1);
  });

  it('through a PartCopyClient: retried by the pipeline, each attempt one request, then succeeds', async () => {
    server.answer((_, index) =>
      index < 2
        ? { body: errorXml('InternalError', 'We encountered an internal error.') }
        : { body: copyPartXml('"ok"') },
    );
    const events: string[] = [];
    const client = new PartCopyClient(recordingProvider(server), {
      env: {},
      retry: { baseDelayMs: 1 },
      onEvent: (e) => events.push(e.type),
    });
    const result = await client.uploadPartCopy(clientCopy);
    expect(result.copyPartResult.etag).toBe('"ok"');
    expect(server.requests).toHaveLength(3);
    expect(events.filter((type) => type === 'request')).toHaveLength(3);
  });

  it('through a PartCopyClient: an answer that keeps failing is sent maxAttempts times in all', async () => {
    server.answer(() => ({ body: errorXml('InternalError', 'We encountered an internal error.') }));
    const client = new PartCopyClient(recordingProvider(server), {
      env: {},
      retry: { maxAttempts: 2, baseDelayMs: 1 },
    });
    const error = await client.uploadPartCopy(clientCopy).catch((e: unknown) => e);
    expect(PartCopyError.hasCode(error, 'InternalError')).toBe(true);
    expect(server.requests).toHaveLength(2);
  });

  it('through a PartCopyClient: a plain 4xx, or an embedded error that is not retryable, is sent once', async () => {
    server.answer(() => ({ body: errorXml('AccessDenied', 'Access Denied') }));
    const client = new PartCopyClient(recordingProvider(server), { env: {}, retry: { baseDelayMs: 1 } });
    const error = await client.uploadPartCopy(clientCopy).catch((e: unknown) => e);
    expect(PartCopyError.hasCode(error, 'AccessDenied')).toBe(true);
    expect(server.requests).toHaveLength(1);
  });

  it('through a PartCopyClient: the back-off stops as soon as the signal fires', async () => {
    server.answer(() => ({ body: errorXml('InternalError', 'We encountered an internal error.') }));
    const client = new PartCopyClient(recordingProvider(server), {
      env: {},
      retry: { maxAttempts: 10, baseDelayMs: 60_000, maxDelayMs: 60_000 },
    });
    const controller = new AbortController();
    const started = Date.now();
    setTimeout(() => controller.abort(new Error('caller gave up')), 200);
    const error = await client
      .uploadPartCopy({ ...clientCopy, abortSignal: controller.signal })
      .catch((e: unknown) => e);
    expect(PartCopyError.hasCode(error, 'RequestAborted')).toBe(true);
    expect((error as PartCopyError).operation).toBe('uploadPartCopy');
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('aborts a request in flight with RequestAborted', async () => {
    // The signal fires when the server has the request and holds its answer back: in flight by
    // construction, whatever the machine's load (no timer decides it).
    const controller = new AbortController();
    server.answer(() => {
      controller.abort();
      return { delayMs: 60_000, body: copyPartXml('"late"') };
    });
    const provider = recordingProvider(server);
    const error = await provider
      .uploadPartCopy(copyRequest(), opContext(controller.signal))
      .catch((e: unknown) => e);
    expect(PartCopyError.hasCode(error, 'RequestAborted')).toBe(true);
    expect(server.requests).toHaveLength(1);
  });

  it('sends nothing when the signal has already fired', async () => {
    const provider = recordingProvider(server);
    const error = await provider
      .uploadPartCopy(copyRequest(), opContext(AbortSignal.abort()))
      .catch((e: unknown) => e);
    expect(PartCopyError.hasCode(error, 'RequestAborted')).toBe(true);
    expect(server.requests).toHaveLength(0);
  });
});
