// A streamed part whose MD5 the caller checks against the part ETag goes without the SDK's
// default CRC32 (a second pass over every byte); every other part keeps it.
import { toPayload } from '@partcopy/core/provider';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  opContext,
  type RecordedRequest,
  type RecordingServer,
  recordingProvider,
  startRecordingServer,
} from './support/recording-server.js';

let server: RecordingServer;
beforeAll(async () => {
  server = await startRecordingServer();
});
afterAll(() => server.close());
beforeEach(() => {
  server.requests.length = 0;
  server.answer((request) =>
    request.method === 'GET'
      ? {
          body: '<?xml version="1.0" encoding="UTF-8"?>\n<ListPartsResult><Bucket>b</Bucket><Key>k</Key><UploadId>U</UploadId><IsTruncated>false</IsTruncated></ListPartsResult>',
        }
      : { headers: { etag: '"0123456789abcdef0123456789abcdef"' } },
  );
});

const BYTES = new Uint8Array(100_000).fill(7);

function streamed() {
  async function* chunks() {
    yield BYTES.subarray(0, 50_000);
    yield BYTES.subarray(50_000);
  }
  return toPayload(chunks(), BYTES.length);
}

function uploadPartRequests(): RecordedRequest[] {
  return server.requests.filter((r) => r.method === 'PUT');
}

const hasSdkChecksum = (request: RecordedRequest) =>
  Object.keys(request.headers).some((name) => name.startsWith('x-amz-checksum-') || name === 'x-amz-trailer');

describe('UploadPart checksums on the wire', () => {
  it('a streamed part marked md5CheckedByCaller carries no SDK checksum and its plain bytes', async () => {
    const provider = recordingProvider(server);
    const part = {
      bucket: 'b',
      key: 'k',
      uploadId: 'U',
      partNumber: 1,
      body: streamed(),
      md5CheckedByCaller: true,
    };
    await provider.uploadPart(part, opContext());
    const [request] = uploadPartRequests();
    expect(request).toBeDefined();
    expect(hasSdkChecksum(request as RecordedRequest)).toBe(false);
    expect(request?.headers['content-encoding'] ?? '').not.toContain('aws-chunked');
    expect(request?.body.length).toBe(BYTES.length);
    await provider.close();
  });

  it('without the mark, and for in-memory bodies, the SDK checksum stays', async () => {
    const provider = recordingProvider(server);
    await provider.uploadPart(
      { bucket: 'b', key: 'k', uploadId: 'U', partNumber: 1, body: streamed() },
      opContext(),
    );
    await provider.uploadPart(
      {
        bucket: 'b',
        key: 'k',
        uploadId: 'U',
        partNumber: 2,
        body: toPayload(BYTES),
        md5CheckedByCaller: true,
      },
      opContext(),
    );
    const requests = uploadPartRequests();
    expect(requests).toHaveLength(2);
    for (const request of requests) expect(hasSdkChecksum(request), request.url).toBe(true);
    await provider.close();
  });
});
