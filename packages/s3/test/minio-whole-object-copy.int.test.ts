/**
 * Whole-object copy against a real server (MinIO): a 64 MiB object copied with one CopyObject,
 * checked by SHA-256, with the same copy made as one UploadPartCopy + complete printed beside it
 * (figures, not a timed assertion).
 */
import { MiB } from '@partcopy/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { S3Provider } from '../src/index.js';
import { destroyBucket, freshBucket, randomPayload, sha256Of } from './support/buckets.js';
import { minioProvider } from './support/servers.js';

const ctx = () => ({ signal: AbortSignal.timeout(300_000) });

describe('S3 copyObject on MinIO', () => {
  let provider: S3Provider;
  let bucket: string;
  beforeAll(async () => {
    provider = minioProvider();
    bucket = await freshBucket(provider);
  });
  afterAll(async () => {
    await destroyBucket(provider, bucket);
    await provider.close();
  });

  it('copies 64 MiB with one CopyObject, byte for byte, pinned by the hint', async () => {
    const size = 64 * MiB + 12_345;
    const source = randomPayload(size);
    const put = await provider.putObject({ bucket, key: 'whole/source.bin', body: source.payload }, ctx());
    const request = {
      bucket,
      key: 'whole/copy.bin',
      source: { bucket, key: 'whole/source.bin' },
      conditions: {},
      metadataDirective: 'COPY' as const,
      settings: {},
      sourceHint: { size, etag: put.etag },
    };
    let started = performance.now();
    const copied = await provider.copyObject(request, ctx());
    const wholeMs = performance.now() - started;
    expect(copied).toMatchObject({ transfer: 'server-side', bytesCopied: size });

    started = performance.now();
    const upload = await provider.createMultipartUpload({ bucket, key: 'whole/part.bin' }, ctx());
    const part = await provider.uploadPartCopy(
      { ...upload, partNumber: 1, source: request.source, conditions: { ifMatch: [put.etag] } },
      ctx(),
    );
    await provider.completeMultipartUpload(
      { ...upload, parts: [{ partNumber: 1, etag: part.copyPartResult.etag }] },
      ctx(),
    );
    const partMs = performance.now() - started;

    const got = await provider.getObject({ bucket, key: 'whole/copy.bin' }, ctx());
    const result = await sha256Of(got.body);
    expect(result.bytes).toBe(size);
    expect(result.sha256).toBe(source.sha256);
    console.info(
      `[s3/minio] 64 MiB+12345 B: one CopyObject ${wholeMs.toFixed(0)} ms (1 request: the hint replaces the HEAD); ` +
        `create + 1 UploadPartCopy + complete ${partMs.toFixed(0)} ms (3 requests + the part's HEAD)`,
    );
  }, 300_000);
});
