import { PartCopyError, SseCustomerKey } from '@partcopy/core';
import { toPayload } from '@partcopy/core/provider';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  errorXml,
  opContext,
  type RecordingServer,
  recordingProvider,
  type ScriptedAnswer,
  startRecordingServer,
} from './support/recording-server.js';

const KEY = SseCustomerKey.from('AES256', new Uint8Array(32).fill(3));
const OWNERSHIP = { requestPayer: 'requester' as const, expectedBucketOwner: '111122223333' };

let server: RecordingServer;
beforeAll(async () => {
  server = await startRecordingServer();
});
afterAll(() => server.close());
beforeEach(() => {
  server.requests.length = 0;
  server.answer(() => ({}));
});

function expectOwnership(headers: Record<string, unknown> | undefined) {
  expect(headers?.['x-amz-request-payer']).toBe('requester');
  expect(headers?.['x-amz-expected-bucket-owner']).toBe('111122223333');
}

describe('createMultipartUpload', () => {
  it('sends every object setting, checksum algorithm and type, SSE-C and ownership', async () => {
    server.answer(() => ({
      headers: {
        'x-amz-checksum-algorithm': 'SHA256',
        'x-amz-checksum-type': 'COMPOSITE',
        'x-amz-server-side-encryption-customer-algorithm': 'AES256',
        'x-amz-server-side-encryption-customer-key-md5': KEY.keyMD5,
        'x-amz-request-charged': 'requester',
      },
      body: '<InitiateMultipartUploadResult><Bucket>b</Bucket><Key>k</Key><UploadId>U-1</UploadId></InitiateMultipartUploadResult>',
    }));
    const provider = recordingProvider(server);
    const result = await provider.createMultipartUpload(
      {
        bucket: 'b',
        key: 'k',
        contentType: 'video/mp4',
        contentEncoding: 'gzip',
        contentDisposition: 'inline',
        contentLanguage: 'en',
        cacheControl: 'no-cache',
        expires: new Date('2030-01-01T00:00:00Z'),
        metadata: { owner: 'team a' },
        storageClass: 'STANDARD_IA',
        tagging: { project: 'x y', stage: 'a&b' },
        checksumAlgorithm: 'SHA256',
        checksumType: 'COMPOSITE',
        sseCustomer: KEY,
        ...OWNERSHIP,
      },
      opContext(),
    );
    const request = server.requests[0];
    expect(request?.method).toBe('POST');
    expect(request?.url).toBe('/b/k?uploads=');
    const h = request?.headers;
    expect(h?.['content-type']).toBe('video/mp4');
    expect(h?.['content-encoding']).toBe('gzip');
    expect(h?.['content-disposition']).toBe('inline');
    expect(h?.['content-language']).toBe('en');
    expect(h?.['cache-control']).toBe('no-cache');
    expect(h?.expires).toBe('Tue, 01 Jan 2030 00:00:00 GMT');
    expect(h?.['x-amz-meta-owner']).toBe('team a');
    expect(h?.['x-amz-storage-class']).toBe('STANDARD_IA');
    expect(h?.['x-amz-tagging']).toBe('project=x+y&stage=a%26b');
    expect(h?.['x-amz-checksum-algorithm']).toBe('SHA256');
    expect(h?.['x-amz-checksum-type']).toBe('COMPOSITE');
    expect(h?.['x-amz-server-side-encryption-customer-key-md5']).toBe(KEY.keyMD5);
    expectOwnership(h);
    expect(result).toEqual({
      bucket: 'b',
      key: 'k',
      uploadId: 'U-1',
      checksumAlgorithm: 'SHA256',
      checksumType: 'COMPOSITE',
      sseCustomerAlgorithm: 'AES256',
      sseCustomerKeyMD5: KEY.keyMD5,
      requestCharged: 'requester',
    });
  });

  it('sends SSE-KMS requests (the sseKms capability) on CreateMultipartUpload and PutObject', async () => {
    const kms = {
      serverSideEncryption: 'aws:kms' as const,
      sseKMSKeyId: 'arn:aws:kms:us-east-1:111122223333:key/k1',
      sseKMSEncryptionContext: Buffer.from('{"team":"a"}').toString('base64'),
      bucketKeyEnabled: true,
    };
    server.answer((request) =>
      request.method === 'POST'
        ? {
            body: '<InitiateMultipartUploadResult><Bucket>b</Bucket><Key>k</Key><UploadId>U-2</UploadId></InitiateMultipartUploadResult>',
          }
        : { headers: { etag: '"e"' } },
    );
    const provider = recordingProvider(server);
    await provider.createMultipartUpload({ bucket: 'b', key: 'k', ...kms }, opContext());
    await provider.putObject({ bucket: 'b', key: 'k', body: toPayload('x'), ...kms }, opContext());
    expect(server.requests.map((r) => r.method)).toEqual(['POST', 'PUT']);
    for (const request of server.requests) {
      expect(request.headers).toMatchObject({
        'x-amz-server-side-encryption': 'aws:kms',
        'x-amz-server-side-encryption-aws-kms-key-id': kms.sseKMSKeyId,
        'x-amz-server-side-encryption-context': kms.sseKMSEncryptionContext,
        'x-amz-server-side-encryption-bucket-key-enabled': 'true',
      });
    }
  });
});

describe('uploadPart', () => {
  it('sends the body with its length, MD5, SSE-C and ownership, and the upload checksum algorithm', async () => {
    server.answer((request) =>
      request.url.includes('uploads')
        ? { body: '<InitiateMultipartUploadResult><UploadId>U-2</UploadId></InitiateMultipartUploadResult>' }
        : {
            headers: {
              etag: '"5d41402abc4b2a76b9719d911017c592"',
              'x-amz-checksum-sha256': 'LPJNul+wow4m6DsqxbninhsWHlwfp0JecwQzYpOLmCQ=',
            },
          },
    );
    const provider = recordingProvider(server);
    await provider.createMultipartUpload({ bucket: 'b', key: 'k', checksumAlgorithm: 'SHA256' }, opContext());
    const result = await provider.uploadPart(
      {
        bucket: 'b',
        key: 'k',
        uploadId: 'U-2',
        partNumber: 7,
        body: toPayload('hello'),
        contentMD5: 'XUFAKrxLKna5cZ2REBfFkg==',
        sseCustomer: KEY,
        ...OWNERSHIP,
      },
      opContext(),
    );
    const request = server.requests[1];
    expect(request?.url).toBe('/b/k?partNumber=7&uploadId=U-2&x-id=UploadPart');
    expect(request?.headers['content-md5']).toBe('XUFAKrxLKna5cZ2REBfFkg==');
    expect(request?.headers['x-amz-server-side-encryption-customer-key-md5']).toBe(KEY.keyMD5);
    // The part names the algorithm its upload was created with.
    expect(request?.headers['x-amz-checksum-sha256']).toBe('LPJNul+wow4m6DsqxbninhsWHlwfp0JecwQzYpOLmCQ=');
    expectOwnership(request?.headers);
    expect(result).toEqual({
      etag: '"5d41402abc4b2a76b9719d911017c592"',
      checksumSHA256: 'LPJNul+wow4m6DsqxbninhsWHlwfp0JecwQzYpOLmCQ=',
    });
  });

  it('streams a body given as a stream, with its declared length', async () => {
    server.answer(() => ({ headers: { etag: '"x"' } }));
    const provider = recordingProvider(server);
    async function* chunks() {
      yield new TextEncoder().encode('hel');
      yield new TextEncoder().encode('lo');
    }
    await provider.uploadPart(
      { bucket: 'b', key: 'k', uploadId: 'U', partNumber: 1, body: toPayload(chunks(), 5) },
      opContext(),
    );
    // An upload this instance did not create: one ListParts learns its checksum algorithm first.
    expect(server.requests.map((r) => r.method)).toEqual(['GET', 'PUT']);
    // Sent aws-chunked with a trailing checksum: the chunks as they came, then the trailer.
    const request = server.requests[1];
    expect(request?.headers['x-amz-decoded-content-length']).toBe('5');
    expect(request?.body).toMatch(/^3\r\nhel\r\n2\r\nlo\r\n0\r\n/);
  });
});

describe('uploadPart into an upload created elsewhere', () => {
  it('learns the checksum algorithm once with ListParts, then checksums every part with it', async () => {
    server.answer((request) =>
      request.method === 'GET'
        ? {
            body: '<ListPartsResult><ChecksumAlgorithm>SHA256</ChecksumAlgorithm><IsTruncated>false</IsTruncated></ListPartsResult>',
          }
        : { headers: { etag: '"e"' } },
    );
    const provider = recordingProvider(server);
    for (const partNumber of [1, 2]) {
      await provider.uploadPart(
        { bucket: 'b', key: 'k', uploadId: 'ELSEWHERE', partNumber, body: toPayload('hello') },
        opContext(),
      );
    }
    expect(server.requests.map((r) => `${r.method} ${r.url.split('&x-id')[0]}`)).toEqual([
      'GET /b/k?max-parts=1&uploadId=ELSEWHERE',
      'PUT /b/k?partNumber=1&uploadId=ELSEWHERE',
      'PUT /b/k?partNumber=2&uploadId=ELSEWHERE',
    ]);
    expect(server.requests[1]?.headers['x-amz-checksum-sha256']).toBe(
      'LPJNul+wow4m6DsqxbninhsWHlwfp0JecwQzYpOLmCQ=',
    );
    expect(server.requests[2]?.headers['x-amz-checksum-sha256']).toBe(
      'LPJNul+wow4m6DsqxbninhsWHlwfp0JecwQzYpOLmCQ=',
    );
  });

  it('answers NoSuchUpload from that ListParts, and falls back to the default when listing is denied', async () => {
    server.answer(() => ({
      status: 404,
      body: errorXml('NoSuchUpload', 'The specified upload does not exist.'),
    }));
    const provider = recordingProvider(server);
    const missing = await provider
      .uploadPart(
        { bucket: 'b', key: 'k', uploadId: 'GONE', partNumber: 1, body: toPayload('x') },
        opContext(),
      )
      .catch((e: unknown) => e);
    expect(PartCopyError.hasCode(missing, 'NoSuchUpload')).toBe(true);

    server.requests.length = 0;
    server.answer((request) =>
      request.method === 'GET'
        ? { status: 403, body: errorXml('AccessDenied', 'Access Denied') }
        : { headers: { etag: '"e"' } },
    );
    await provider.uploadPart(
      { bucket: 'b', key: 'k', uploadId: 'DENIED', partNumber: 1, body: toPayload('x') },
      opContext(),
    );
    expect(server.requests.map((r) => r.method)).toEqual(['GET', 'PUT']);
  });
});

describe('completeMultipartUpload', () => {
  const completeXml =
    '<CompleteMultipartUploadResult><Location>http://x/b/k</Location><Bucket>b</Bucket><Key>k</Key>' +
    '<ETag>"abc-2"</ETag><ChecksumCRC32>AAAAAA==</ChecksumCRC32><ChecksumType>FULL_OBJECT</ChecksumType></CompleteMultipartUploadResult>';

  it('sends parts, destination conditions, checksums, object size, SSE-C and ownership', async () => {
    server.answer(() => ({
      headers: { 'x-amz-version-id': 'V9', 'x-amz-server-side-encryption': 'AES256' },
      body: completeXml,
    }));
    const provider = recordingProvider(server);
    const result = await provider.completeMultipartUpload(
      {
        bucket: 'b',
        key: 'k',
        uploadId: 'U-3',
        parts: [
          { partNumber: 1, etag: '"e1"', checksumCRC32: 'AQIDBA==' },
          { partNumber: 4, etag: '"e4"', checksumCRC32: 'BQYHCA==' },
        ],
        checksumCRC32: 'CQoLDA==',
        checksumType: 'FULL_OBJECT',
        mpObjectSize: 10_485_761,
        ifMatch: '"old"',
        ifNoneMatch: '*',
        sseCustomer: KEY,
        ...OWNERSHIP,
      },
      opContext(),
    );
    const request = server.requests[0];
    expect(request?.method).toBe('POST');
    expect(request?.url).toBe('/b/k?uploadId=U-3');
    const h = request?.headers;
    expect(h?.['if-match']).toBe('"old"');
    expect(h?.['if-none-match']).toBe('*');
    expect(h?.['x-amz-checksum-crc32']).toBe('CQoLDA==');
    expect(h?.['x-amz-checksum-type']).toBe('FULL_OBJECT');
    expect(h?.['x-amz-mp-object-size']).toBe('10485761');
    expect(h?.['x-amz-server-side-encryption-customer-key-md5']).toBe(KEY.keyMD5);
    expectOwnership(h);
    expect(request?.body).toContain(
      '<Part><ETag>&quot;e1&quot;</ETag><ChecksumCRC32>AQIDBA==</ChecksumCRC32><PartNumber>1</PartNumber></Part>',
    );
    expect(request?.body).toContain('<PartNumber>4</PartNumber>');
    expect(result).toEqual({
      bucket: 'b',
      key: 'k',
      etag: '"abc-2"',
      versionId: 'V9',
      location: 'http://x/b/k',
      checksumCRC32: 'AAAAAA==',
      checksumType: 'FULL_OBJECT',
      serverSideEncryption: 'AES256',
    });
  });

  it('refuses an empty or unordered part list before any request', async () => {
    const provider = recordingProvider(server);
    const empty = await provider
      .completeMultipartUpload({ bucket: 'b', key: 'k', uploadId: 'U', parts: [] }, opContext())
      .catch((e: unknown) => e);
    expect(PartCopyError.hasCode(empty, 'MalformedXML')).toBe(true);
    const unordered = await provider
      .completeMultipartUpload(
        {
          bucket: 'b',
          key: 'k',
          uploadId: 'U',
          parts: [
            { partNumber: 2, etag: '"a"' },
            { partNumber: 1, etag: '"b"' },
          ],
        },
        opContext(),
      )
      .catch((e: unknown) => e);
    expect(PartCopyError.hasCode(unordered, 'InvalidPartOrder')).toBe(true);
    expect(server.requests).toHaveLength(0);
  });

  it('maps an InternalError inside a 200 answer as retryable (sent once), and a plain 400 InvalidPart', async () => {
    server.answer((_, index) =>
      index === 0 ? { body: errorXml('InternalError', 'try again') } : { body: completeXml },
    );
    const provider = recordingProvider(server);
    const complete = { bucket: 'b', key: 'k', uploadId: 'U', parts: [{ partNumber: 1, etag: '"e"' }] };
    const embedded = await provider.completeMultipartUpload(complete, opContext()).catch((e: unknown) => e);
    expect(PartCopyError.hasCode(embedded, 'InternalError')).toBe(true);
    expect((embedded as PartCopyError).retryable).toBe(true);
    expect(server.requests).toHaveLength(1);
    const result = await provider.completeMultipartUpload(complete, opContext());
    expect(result.etag).toBe('"abc-2"');
    expect(server.requests).toHaveLength(2);

    server.answer(() => ({
      status: 400,
      body: errorXml('InvalidPart', 'One or more of the specified parts could not be found.'),
    }));
    const error = await provider
      .completeMultipartUpload(
        { bucket: 'b', key: 'k', uploadId: 'U', parts: [{ partNumber: 1, etag: '"e"' }] },
        opContext(),
      )
      .catch((e: unknown) => e);
    expect(PartCopyError.hasCode(error, 'InvalidPart')).toBe(true);
  });
});

describe('listing', () => {
  it('pages listParts with the marker and reads sizes, checksums and the algorithm', async () => {
    server.answer(() => ({
      body:
        '<ListPartsResult><Bucket>b</Bucket><Key>k</Key><UploadId>U</UploadId><PartNumberMarker>2</PartNumberMarker>' +
        '<NextPartNumberMarker>3</NextPartNumberMarker><MaxParts>1</MaxParts><IsTruncated>true</IsTruncated>' +
        '<ChecksumAlgorithm>CRC32C</ChecksumAlgorithm><ChecksumType>COMPOSITE</ChecksumType>' +
        '<Part><PartNumber>3</PartNumber><LastModified>2026-01-01T00:00:00.000Z</LastModified><ETag>"p3"</ETag>' +
        '<Size>5242880</Size><ChecksumCRC32C>AAAAAA==</ChecksumCRC32C></Part></ListPartsResult>',
    }));
    const provider = recordingProvider(server);
    const result = await provider.listParts(
      {
        bucket: 'b',
        key: 'k',
        uploadId: 'U',
        maxParts: 1,
        partNumberMarker: 2,
        sseCustomer: KEY,
        ...OWNERSHIP,
      },
      opContext(),
    );
    expect(server.requests[0]?.url).toBe('/b/k?max-parts=1&part-number-marker=2&uploadId=U&x-id=ListParts');
    expectOwnership(server.requests[0]?.headers);
    expect(result).toEqual({
      bucket: 'b',
      key: 'k',
      uploadId: 'U',
      parts: [
        {
          partNumber: 3,
          etag: '"p3"',
          size: 5_242_880,
          lastModified: new Date('2026-01-01T00:00:00Z'),
          checksumCRC32C: 'AAAAAA==',
        },
      ],
      isTruncated: true,
      nextPartNumberMarker: 3,
      checksumAlgorithm: 'CRC32C',
      checksumType: 'COMPOSITE',
    });
  });

  it('pages listMultipartUploads with both markers', async () => {
    server.answer(() => ({
      body:
        '<ListMultipartUploadsResult><Bucket>b</Bucket><IsTruncated>true</IsTruncated><NextKeyMarker>k2</NextKeyMarker>' +
        '<NextUploadIdMarker>U2</NextUploadIdMarker><Upload><Key>k2</Key><UploadId>U2</UploadId>' +
        '<Initiated>2026-01-02T00:00:00.000Z</Initiated><StorageClass>STANDARD</StorageClass>' +
        '<ChecksumAlgorithm>SHA1</ChecksumAlgorithm></Upload></ListMultipartUploadsResult>',
    }));
    const provider = recordingProvider(server);
    const result = await provider.listMultipartUploads(
      { bucket: 'b', prefix: 'k', keyMarker: 'k1', uploadIdMarker: 'U1', maxUploads: 1, ...OWNERSHIP },
      opContext(),
    );
    expect(server.requests[0]?.url).toBe(
      '/b/?key-marker=k1&max-uploads=1&prefix=k&upload-id-marker=U1&uploads=',
    );
    expectOwnership(server.requests[0]?.headers);
    expect(result).toEqual({
      bucket: 'b',
      uploads: [
        {
          key: 'k2',
          uploadId: 'U2',
          initiated: new Date('2026-01-02T00:00:00Z'),
          storageClass: 'STANDARD',
          checksumAlgorithm: 'SHA1',
        },
      ],
      isTruncated: true,
      nextKeyMarker: 'k2',
      nextUploadIdMarker: 'U2',
    });
  });

  it('pages listObjects (v2) and quotes ETags', async () => {
    server.answer(() => ({
      body:
        '<ListBucketResult><IsTruncated>true</IsTruncated><NextContinuationToken>T2</NextContinuationToken>' +
        '<Contents><Key>a b</Key><Size>3</Size><ETag>abc</ETag><LastModified>2026-01-03T00:00:00.000Z</LastModified></Contents>' +
        '</ListBucketResult>',
    }));
    const provider = recordingProvider(server);
    const result = await provider.listObjects(
      { bucket: 'b', prefix: 'a', continuationToken: 'T1', maxKeys: 1 },
      opContext(),
    );
    expect(server.requests[0]?.url).toBe('/b/?continuation-token=T1&list-type=2&max-keys=1&prefix=a');
    expect(result).toEqual({
      objects: [{ key: 'a b', size: 3, etag: '"abc"', lastModified: new Date('2026-01-03T00:00:00Z') }],
      nextContinuationToken: 'T2',
      isTruncated: true,
    });
  });
});

describe('objects', () => {
  it('head/get/put/delete carry version, range, SSE-C, conditions and ownership', async () => {
    server.answer((request): ScriptedAnswer => {
      if (request.method === 'GET') {
        return {
          status: 206,
          headers: {
            etag: '"g"',
            'content-range': 'bytes 2-4/10',
            'content-length': '3',
            'last-modified': 'Wed, 01 Jan 2025 00:00:00 GMT',
          },
          body: 'cde',
        };
      }
      if (request.method === 'PUT') return { headers: { etag: '"p"', 'x-amz-version-id': 'PV' } };
      if (request.method === 'DELETE')
        return { status: 204, headers: { 'x-amz-delete-marker': 'true', 'x-amz-version-id': 'DM' } };
      return {
        headers: {
          etag: '"h"',
          'content-length': '10',
          'last-modified': 'Wed, 01 Jan 2025 00:00:00 GMT',
          'content-type': 'text/plain',
          'x-amz-meta-a': '1',
          'x-amz-version-id': 'V1',
          'x-amz-storage-class': 'GLACIER_IR',
        },
      };
    });
    const provider = recordingProvider(server);
    const head = await provider.headObject(
      { bucket: 'b', key: 'k', versionId: 'V1', sseCustomer: KEY, ...OWNERSHIP },
      opContext(),
    );
    expect(head).toMatchObject({
      etag: '"h"',
      size: 10,
      versionId: 'V1',
      contentType: 'text/plain',
      metadata: { a: '1' },
      storageClass: 'GLACIER_IR',
    });
    expect(server.requests[0]?.url).toBe('/b/k?versionId=V1');
    expectOwnership(server.requests[0]?.headers);

    const got = await provider.getObject(
      { bucket: 'b', key: 'k', range: { start: 2, end: 4 }, versionId: 'V1' },
      opContext(),
    );
    expect(server.requests[1]?.headers.range).toBe('bytes=2-4');
    expect(got.contentLength).toBe(3);
    expect(got.size).toBe(10);
    const chunks: Uint8Array[] = [];
    for await (const chunk of got.body) chunks.push(chunk);
    expect(Buffer.concat(chunks).toString()).toBe('cde');

    const put = await provider.putObject(
      {
        bucket: 'b',
        key: 'k',
        body: toPayload('abc'),
        ifNoneMatch: '*',
        contentType: 'text/x',
        sseCustomer: KEY,
        ...OWNERSHIP,
      },
      opContext(),
    );
    expect(put).toEqual({ etag: '"p"', versionId: 'PV' });
    expect(server.requests[2]?.headers['if-none-match']).toBe('*');
    expect(server.requests[2]?.headers['content-type']).toBe('text/x');

    const deleted = await provider.deleteObject(
      { bucket: 'b', key: 'k', versionId: 'V1', ...OWNERSHIP },
      opContext(),
    );
    expect(deleted).toEqual({ deleteMarker: true, versionId: 'DM' });
    expect(server.requests[3]?.url).toBe('/b/k?versionId=V1&x-id=DeleteObject');
    expectOwnership(server.requests[3]?.headers);
  });

  it('stops a streamed GetObject body with RequestAborted when the signal fires mid-body', async () => {
    server.answer(() => ({
      headers: { etag: '"g"', 'content-length': '1000000', 'last-modified': 'Wed, 01 Jan 2025 00:00:00 GMT' },
      body: 'first bytes',
      stall: true,
    }));
    const provider = recordingProvider(server);
    const controller = new AbortController();
    const got = await provider.getObject({ bucket: 'b', key: 'k' }, opContext(controller.signal));
    const started = Date.now();
    const reading = (async () => {
      let bytes = 0;
      for await (const chunk of got.body) {
        bytes += chunk.length;
        if (bytes > 0) setTimeout(() => controller.abort(), 50);
      }
    })();
    const error = await reading.catch((e: unknown) => e);
    expect(PartCopyError.hasCode(error, 'RequestAborted')).toBe(true);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('maps a ranged GET past the end to InvalidRange', async () => {
    server.answer(() => ({
      status: 416,
      body: errorXml('InvalidRange', 'The requested range is not satisfiable'),
    }));
    const provider = recordingProvider(server);
    const error = await provider
      .getObject({ bucket: 'b', key: 'k', range: { start: 10, end: 20 } }, opContext())
      .catch((e: unknown) => e);
    expect(PartCopyError.hasCode(error, 'InvalidRange')).toBe(true);
  });
});

describe('buckets', () => {
  it('creates a versioned bucket with CreateBucket then PutBucketVersioning', async () => {
    server.answer((request) => (request.method === 'HEAD' ? { status: 404 } : {}));
    const provider = recordingProvider(server);
    await provider.createBucket({ bucket: 'vb', versioning: true }, opContext());
    expect(server.requests.map((r) => `${r.method} ${r.url}`)).toEqual([
      'HEAD /vb/',
      'PUT /vb/',
      'PUT /vb/?versioning=',
    ]);
    expect(server.requests[2]?.body).toContain('<Status>Enabled</Status>');
  });

  it('refuses to create a bucket that exists (S3 in us-east-1 would answer 200)', async () => {
    const provider = recordingProvider(server);
    const mine = await provider.createBucket({ bucket: 'b' }, opContext()).catch((e: unknown) => e);
    expect(PartCopyError.hasCode(mine, 'BucketAlreadyOwnedByYou')).toBe(true);
    // HeadBucket's bodiless 403 cannot tell another account's bucket from missing rights:
    // CreateBucket's answer decides.
    server.answer((request) =>
      request.method === 'HEAD'
        ? { status: 403 }
        : {
            status: 409,
            body: errorXml('BucketAlreadyExists', 'The requested bucket name is not available.'),
          },
    );
    const theirs = await provider.createBucket({ bucket: 'b' }, opContext()).catch((e: unknown) => e);
    expect(PartCopyError.hasCode(theirs, 'BucketAlreadyExists')).toBe(true);
    expect(server.requests.map((r) => r.method)).toEqual(['HEAD', 'HEAD', 'PUT']);
  });

  it('creates a bucket when HeadBucket is forbidden but CreateBucket is allowed (no s3:ListBucket)', async () => {
    server.answer((request) => (request.method === 'HEAD' ? { status: 403 } : {}));
    const provider = recordingProvider(server);
    await provider.createBucket({ bucket: 'fresh' }, opContext());
    expect(server.requests.map((r) => r.method)).toEqual(['HEAD', 'PUT']);
    // Bad credentials stay AccessDenied, not "the bucket belongs to another account".
    server.answer((request) =>
      request.method === 'HEAD'
        ? { status: 403 }
        : { status: 403, body: errorXml('InvalidAccessKeyId', 'The AWS Access Key Id does not exist.') },
    );
    const denied = await provider.createBucket({ bucket: 'fresh2' }, opContext()).catch((e: unknown) => e);
    expect(PartCopyError.hasCode(denied, 'AccessDenied')).toBe(true);
  });

  it('removes the bucket again when versioning cannot be enabled', async () => {
    server.answer((request) => {
      if (request.method === 'HEAD') return { status: 404 };
      if (request.url.includes('versioning'))
        return { status: 501, body: errorXml('NotImplemented', 'no versioning') };
      return { status: 200 };
    });
    const provider = recordingProvider(server);
    const error = await provider
      .createBucket({ bucket: 'vb', versioning: true }, opContext())
      .catch((e: unknown) => e);
    expect(PartCopyError.hasCode(error, 'NotImplemented')).toBe(true);
    expect(server.requests.map((r) => `${r.method} ${r.url}`)).toEqual([
      'HEAD /vb/',
      'PUT /vb/',
      'PUT /vb/?versioning=',
      'DELETE /vb/',
    ]);
  });

  it('maps bucket conflicts', async () => {
    server.answer(() => ({
      status: 409,
      body: errorXml('BucketNotEmpty', 'The bucket you tried to delete is not empty'),
    }));
    const provider = recordingProvider(server);
    const error = await provider.deleteBucket({ bucket: 'b' }, opContext()).catch((e: unknown) => e);
    expect(PartCopyError.hasCode(error, 'BucketNotEmpty')).toBe(true);
  });
});

describe('S3-compatible servers', () => {
  const uploadsXml = (keys: string[]) =>
    `<ListMultipartUploadsResult><Bucket>b</Bucket><IsTruncated>false</IsTruncated>${keys
      .map(
        (k) =>
          `<Upload><Key>${k}</Key><UploadId>id-${k}</UploadId><Initiated>2026-01-01T00:00:00.000Z</Initiated></Upload>`,
      )
      .join('')}</ListMultipartUploadsResult>`;

  it('pages uploads by maxUploads and the markers when the server ignores them', async () => {
    server.answer(() => ({ body: uploadsXml(['a', 'b', 'c']) }));
    const provider = recordingProvider(server);
    const seen: string[] = [];
    let keyMarker: string | undefined;
    let uploadIdMarker: string | undefined;
    for (let page = 0; page < 5; page++) {
      const listed = await provider.listMultipartUploads(
        { bucket: 'b', maxUploads: 1, keyMarker, uploadIdMarker },
        opContext(),
      );
      expect(listed.uploads.length).toBeLessThanOrEqual(1);
      seen.push(...listed.uploads.map((u) => u.key));
      if (!listed.isTruncated) break;
      keyMarker = listed.nextKeyMarker;
      uploadIdMarker = listed.nextUploadIdMarker;
    }
    expect(seen).toEqual(['a', 'b', 'c']);
    expect(server.requests[1]?.url).toContain('key-marker=a&max-uploads=1');
  });

  it('checks the upload before aborting unless told not to, so an unknown upload is NoSuchUpload', async () => {
    server.answer(() => ({ status: 204 }));
    // The recording server is not Amazon's endpoint, so the check is on unless set to false.
    const lenient = recordingProvider(server, { compatibility: { checkUploadBeforeAbort: false } });
    await lenient.abortMultipartUpload({ bucket: 'b', key: 'k', uploadId: 'gone' }, opContext());
    expect(server.requests.map((r) => r.method)).toEqual(['DELETE']);

    server.requests.length = 0;
    // The upload is not among the key's in-progress uploads: NoSuchUpload before any DELETE.
    server.answer((request) =>
      request.method === 'GET'
        ? {
            status: 200,
            body: '<?xml version="1.0" encoding="UTF-8"?><ListMultipartUploadsResult><Bucket>b</Bucket><IsTruncated>false</IsTruncated></ListMultipartUploadsResult>',
          }
        : { status: 204 },
    );
    const strict = recordingProvider(server);
    const error = await strict
      .abortMultipartUpload({ bucket: 'b', key: 'k', uploadId: 'gone' }, opContext())
      .catch((e: unknown) => e);
    expect(PartCopyError.hasCode(error, 'NoSuchUpload')).toBe(true);
    expect(server.requests.map((r) => r.method)).toEqual(['GET']);
    expect(server.requests[0]?.url).toContain('prefix=k');
  });
});

describe('every operation passes the AbortSignal to the SDK', () => {
  const upload = { bucket: 'b', key: 'k', uploadId: 'U' };
  const operations: Array<
    [string, (p: ReturnType<typeof recordingProvider>, signal: AbortSignal) => Promise<unknown>]
  > = [
    ['createBucket', (p, signal) => p.createBucket({ bucket: 'b' }, { signal })],
    ['deleteBucket', (p, signal) => p.deleteBucket({ bucket: 'b' }, { signal })],
    ['createMultipartUpload', (p, signal) => p.createMultipartUpload({ bucket: 'b', key: 'k' }, { signal })],
    [
      'uploadPart',
      (p, signal) => p.uploadPart({ ...upload, partNumber: 1, body: toPayload('x') }, { signal }),
    ],
    [
      'uploadPartCopy',
      (p, signal) =>
        p.uploadPartCopy(
          {
            ...upload,
            partNumber: 1,
            source: { bucket: 'b', key: 's' },
            range: { start: 0, end: 0 },
            conditions: {},
          },
          { signal },
        ),
    ],
    [
      'completeMultipartUpload',
      (p, signal) =>
        p.completeMultipartUpload({ ...upload, parts: [{ partNumber: 1, etag: '"e"' }] }, { signal }),
    ],
    ['abortMultipartUpload', (p, signal) => p.abortMultipartUpload(upload, { signal })],
    ['listParts', (p, signal) => p.listParts(upload, { signal })],
    ['listMultipartUploads', (p, signal) => p.listMultipartUploads({ bucket: 'b' }, { signal })],
    ['headObject', (p, signal) => p.headObject({ bucket: 'b', key: 'k' }, { signal })],
    ['getObject', (p, signal) => p.getObject({ bucket: 'b', key: 'k' }, { signal })],
    ['putObject', (p, signal) => p.putObject({ bucket: 'b', key: 'k', body: toPayload('x') }, { signal })],
    ['deleteObject', (p, signal) => p.deleteObject({ bucket: 'b', key: 'k' }, { signal })],
    ['listObjects', (p, signal) => p.listObjects({ bucket: 'b' }, { signal })],
  ];

  it.each(operations)('%s stops with RequestAborted while the server is still answering', async (_, run) => {
    // The signal fires when the server has the request and holds its answer back: in flight by
    // construction, whatever the machine's load (no timer decides it).
    const controller = new AbortController();
    server.answer(() => {
      controller.abort();
      return { delayMs: 60_000 };
    });
    const provider = recordingProvider(server);
    const error = await run(provider, controller.signal).catch((e: unknown) => e);
    expect(PartCopyError.hasCode(error, 'RequestAborted')).toBe(true);
    expect(server.requests.length).toBeGreaterThan(0);
  });
});
