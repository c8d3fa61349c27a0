// CopyObject on the wire, against a local recording server: one PUT with x-amz-copy-source and an
// empty body (no payload byte leaves this process), the conditions, directives and SSE-C headers
// as S3 reads them, and the answer's fields back.
import { SseCustomerKey } from '@partcopy/core';
import type { ServerSideCopyRequest } from '@partcopy/core/provider';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  errorXml,
  opContext,
  type RecordingServer,
  recordingProvider,
  startRecordingServer,
} from './support/recording-server.js';

const DEST_KEY = SseCustomerKey.from('AES256', new Uint8Array(32).fill(7));
const SOURCE_KEY = SseCustomerKey.from('AES256', new Uint8Array(32).fill(9));
const HINT = { size: 1234, etag: '"hinted"' };

function copyObjectXml(etag: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<CopyObjectResult><ETag>${etag}</ETag><LastModified>2026-03-04T05:06:07.000Z</LastModified><ChecksumCRC32>AAAAAA==</ChecksumCRC32></CopyObjectResult>`;
}

let server: RecordingServer;
beforeAll(async () => {
  server = await startRecordingServer();
});
afterAll(() => server.close());
beforeEach(() => {
  server.requests.length = 0;
  server.answer(() => ({
    headers: { 'x-amz-version-id': 'dest-v1', 'x-amz-copy-source-version-id': 'src-v9' },
    body: copyObjectXml('"copied"'),
  }));
});

function copyRequest(overrides: Partial<ServerSideCopyRequest> = {}): ServerSideCopyRequest {
  return {
    bucket: 'dest-bucket',
    key: 'dest/key',
    source: { bucket: 'src-bucket', key: 'src/a b+c' },
    conditions: {},
    metadataDirective: 'COPY',
    settings: {},
    sourceHint: HINT,
    ...overrides,
  };
}

describe('CopyObject on the wire', () => {
  it('is one PUT with x-amz-copy-source and an empty body; the answer comes back whole', async () => {
    const provider = recordingProvider(server);
    const result = await provider.copyObject(
      copyRequest({
        source: { bucket: 'src-bucket', key: 'src/a b+c', versionId: 'v+1/2=' },
        sourceHint: { ...HINT, versionId: 'v+1/2=' },
        conditions: { ifMatch: [HINT.etag] },
        sseCustomer: DEST_KEY,
        sourceSseCustomer: SOURCE_KEY,
        ifNoneMatch: '*',
      }),
      opContext(),
    );
    expect(server.requests).toHaveLength(1);
    const [request] = server.requests;
    expect(request?.method).toBe('PUT');
    expect(request?.url).toBe('/dest-bucket/dest/key?x-id=CopyObject');
    expect(request?.body).toBe('');
    const h = request?.headers ?? {};
    expect(h['content-length'] ?? '0').toBe('0');
    expect(h['x-amz-copy-source']).toBe('src-bucket/src/a%20b%2Bc?versionId=v+1/2=');
    // Decided on the hint (S3's rules), then pinned to the hinted ETag alone.
    expect(h['x-amz-copy-source-if-match']).toBe(HINT.etag);
    expect(h['x-amz-copy-source-if-modified-since']).toBeUndefined();
    expect(h['x-amz-metadata-directive']).toBe('COPY');
    expect(h['x-amz-tagging-directive']).toBe('COPY');
    expect(h['if-none-match']).toBe('*');
    expect(h['x-amz-server-side-encryption-customer-key-md5']).toBe(DEST_KEY.keyMD5);
    expect(h['x-amz-copy-source-server-side-encryption-customer-key-md5']).toBe(SOURCE_KEY.keyMD5);
    expect(result).toMatchObject({
      etag: '"copied"',
      versionId: 'dest-v1',
      copySourceVersionId: 'src-v9',
      checksumCRC32: 'AAAAAA==',
      transfer: 'server-side',
      bytesCopied: HINT.size,
    });
    expect(result.lastModified?.toISOString()).toBe('2026-03-04T05:06:07.000Z');
  });

  it('without a hint, sends the conditions as S3 headers after a HEAD for the size', async () => {
    server.answer((request) =>
      request.method === 'HEAD'
        ? { headers: { etag: '"src"', 'content-length': '77', 'last-modified': new Date().toUTCString() } }
        : { body: copyObjectXml('"copied"') },
    );
    const provider = recordingProvider(server);
    const { sourceHint: _none, ...request } = copyRequest({
      conditions: { ifMatch: ['"etag-1"'], ifModifiedSince: new Date('2026-01-02T03:04:05Z') },
    });
    const result = await provider.copyObject(request, opContext());
    expect(server.requests.map((r) => r.method)).toEqual(['HEAD', 'PUT']);
    const h = server.requests[1]?.headers ?? {};
    expect(h['x-amz-copy-source-if-match']).toBe('"etag-1"');
    // if-modified-since counts when there is no if-none-match (S3's precedence), so it is sent.
    expect(h['x-amz-copy-source-if-modified-since']).toBe('Fri, 02 Jan 2026 03:04:05 GMT');
    expect(result.bytesCopied).toBe(77);
  });

  it("a hint whose ETag fails the caller's condition is refused before the copy", async () => {
    const provider = recordingProvider(server);
    const error = await provider
      .copyObject(copyRequest({ conditions: { ifMatch: ['"other"'] } }), opContext())
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'PreconditionFailed' });
    expect(server.requests).toHaveLength(0);
  });

  it('REPLACE sends the settings and tags; COPY sends only the storage class', async () => {
    const provider = recordingProvider(server);
    const settings = {
      contentType: 'text/plain',
      metadata: { a: 'b' },
      tagging: { t: 'v' },
      storageClass: 'STANDARD_IA',
    };
    await provider.copyObject(copyRequest({ metadataDirective: 'REPLACE', settings }), opContext());
    await provider.copyObject(copyRequest({ settings }), opContext());
    const [replace, copy] = server.requests.map((r) => r.headers);
    expect(replace?.['x-amz-metadata-directive']).toBe('REPLACE');
    expect(replace?.['x-amz-tagging-directive']).toBe('REPLACE');
    expect(replace?.['content-type']).toBe('text/plain');
    expect(replace?.['x-amz-meta-a']).toBe('b');
    expect(replace?.['x-amz-tagging']).toBe('t=v');
    expect(replace?.['x-amz-storage-class']).toBe('STANDARD_IA');
    expect(copy?.['x-amz-metadata-directive']).toBe('COPY');
    expect(copy?.['x-amz-meta-a']).toBeUndefined();
    expect(copy?.['x-amz-tagging']).toBeUndefined();
    expect(copy?.['x-amz-storage-class']).toBe('STANDARD_IA');
  });

  it('without a size hint, HEADs the source for bytesCopied and refuses one over the limit before copying', async () => {
    server.answer((request) =>
      request.method === 'HEAD'
        ? {
            headers: {
              etag: '"src"',
              'content-length': String(6 * 1024 ** 3),
              'last-modified': new Date().toUTCString(),
            },
          }
        : { body: copyObjectXml('"copied"') },
    );
    const provider = recordingProvider(server);
    const { sourceHint: _none, ...request } = copyRequest();
    const error = await provider.copyObject(request, opContext()).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'InvalidRequest' });
    expect(server.requests.map((r) => r.method)).toEqual(['HEAD']);
  });

  it("asks for the copy checksum with x-amz-checksum-algorithm and returns the answer's", async () => {
    const provider = recordingProvider(server);
    const result = await provider.copyObject(copyRequest({ checksumAlgorithm: 'CRC32' }), opContext());
    expect(server.requests.at(-1)?.headers['x-amz-checksum-algorithm']).toBe('CRC32');
    expect(result.checksumCRC32).toBe('AAAAAA==');
  });

  it('HEAD asks for the checksums (x-amz-checksum-mode: ENABLED) and reports their type', async () => {
    server.answer(() => ({
      headers: {
        etag: '"h"',
        'content-length': '10',
        'last-modified': 'Wed, 01 Jan 2025 00:00:00 GMT',
        'x-amz-checksum-crc64nvme': '839KQvgh0BY=',
        'x-amz-checksum-type': 'FULL_OBJECT',
      },
    }));
    const provider = recordingProvider(server);
    const head = await provider.headObject({ bucket: 'b', key: 'k' }, opContext());
    expect(server.requests[0]?.headers['x-amz-checksum-mode']).toBe('ENABLED');
    expect(head).toMatchObject({ checksumCRC64NVME: '839KQvgh0BY=', checksumType: 'FULL_OBJECT' });
  });

  it('maps a 200 answer carrying an error body like any error', async () => {
    server.answer(() => ({ body: errorXml('InternalError', 'We encountered an internal error.') }));
    const provider = recordingProvider(server);
    const error = await provider.copyObject(copyRequest(), opContext()).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'InternalError' });
  });
});
