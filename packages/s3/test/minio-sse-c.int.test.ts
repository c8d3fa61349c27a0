/**
 * SSE-C end to end on MinIO over TLS (MinIO refuses customer keys over plain http): a source
 * written with one key, copied into an upload created with another.
 */
import { randomBytes } from 'node:crypto';
import { collectBytes, MiB, PartCopyError, SseCustomerKey } from '@partcopy/core';
import { toPayload } from '@partcopy/core/provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { S3Provider } from '../src/index.js';
import { destroyBucket, freshBucket } from './support/buckets.js';
import { minioTlsProvider } from './support/servers.js';

const ctx = () => ({ signal: AbortSignal.timeout(120_000) });

describe('S3 provider on MinIO over TLS: SSE-C', () => {
  let provider: S3Provider;
  let bucket: string;
  const sourceKey = SseCustomerKey.from('AES256', randomBytes(32));
  const destKey = SseCustomerKey.from('AES256', randomBytes(32));
  beforeAll(async () => {
    provider = minioTlsProvider();
    bucket = await freshBucket(provider);
  });
  afterAll(async () => {
    await destroyBucket(provider, bucket);
    await provider.close();
  });

  it('copies ranges of a source under one key into an upload under another', async () => {
    const bytes = randomBytes(6 * MiB + 7);
    await provider.putObject(
      { bucket, key: 'enc/src', body: toPayload(bytes), sseCustomer: sourceKey },
      ctx(),
    );
    const upload = await provider.createMultipartUpload(
      { bucket, key: 'enc/dest', sseCustomer: destKey },
      ctx(),
    );
    const copy = (partNumber: number, start: number, end: number) =>
      provider.uploadPartCopy(
        {
          bucket,
          key: 'enc/dest',
          uploadId: upload.uploadId,
          partNumber,
          source: { bucket, key: 'enc/src' },
          range: { start, end },
          conditions: {},
          sseCustomer: destKey,
          sourceSseCustomer: sourceKey,
        },
        ctx(),
      );
    const first = await copy(1, 0, 5 * MiB - 1);
    const second = await copy(2, 5 * MiB, bytes.length - 1);
    // MinIO sends no SSE-C answer headers on CreateMultipartUpload / UploadPartCopy (S3 does; the
    // unit tests prove they are read); the bytes below prove both keys were used.
    expect(first.bytesCopied + second.bytesCopied).toBe(bytes.length);
    await provider.completeMultipartUpload(
      {
        bucket,
        key: 'enc/dest',
        uploadId: upload.uploadId,
        sseCustomer: destKey,
        parts: [
          { partNumber: 1, etag: first.copyPartResult.etag },
          { partNumber: 2, etag: second.copyPartResult.etag },
        ],
      },
      ctx(),
    );
    const got = await provider.getObject({ bucket, key: 'enc/dest', sseCustomer: destKey }, ctx());
    expect(Buffer.from(await collectBytes(got.body)).equals(bytes)).toBe(true);

    const withoutKey = await provider.headObject({ bucket, key: 'enc/dest' }, ctx()).catch((e: unknown) => e);
    expect(PartCopyError.isInstance(withoutKey)).toBe(true);
  });

  it('fails a copy with the wrong source key, and the error holds no key', async () => {
    await provider.putObject(
      { bucket, key: 'enc/src2', body: toPayload('secret bytes'), sseCustomer: sourceKey },
      ctx(),
    );
    const upload = await provider.createMultipartUpload(
      { bucket, key: 'enc/dest2', sseCustomer: destKey },
      ctx(),
    );
    const error = await provider
      .uploadPartCopy(
        {
          bucket,
          key: 'enc/dest2',
          uploadId: upload.uploadId,
          partNumber: 1,
          source: { bucket, key: 'enc/src2' },
          range: { start: 0, end: 3 },
          conditions: {},
          sseCustomer: destKey,
          sourceSseCustomer: destKey,
        },
        ctx(),
      )
      .catch((e: unknown) => e);
    expect(PartCopyError.isInstance(error)).toBe(true);
    // S3 answers 403 AccessDenied; MinIO answers 400 (see README).
    expect(['AccessDenied', 'InvalidRequest', 'InvalidArgument']).toContain((error as PartCopyError).code);
    const shown = JSON.stringify(error) + String(error) + String((error as Error).cause);
    for (const key of [sourceKey, destKey]) expect(shown).not.toContain(key.keyBase64());
    await provider.abortMultipartUpload({ bucket, key: 'enc/dest2', uploadId: upload.uploadId }, ctx());
  });
});
