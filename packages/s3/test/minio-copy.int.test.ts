/**
 * Proof against a real server (MinIO): a large multipart copy in parts of different sizes checked
 * byte for byte, a source that changes between parts, versioned sources, and the lifecycle.
 */
import { collectBytes, MiB, PartCopyError } from '@partcopy/core';
import { toPayload } from '@partcopy/core/provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { S3Provider } from '../src/index.js';
import { destroyBucket, freshBucket, randomPayload, sha256Of } from './support/buckets.js';
import { minioProvider } from './support/servers.js';

const ctx = () => ({ signal: AbortSignal.timeout(300_000) });
const text = (value: string) => toPayload(value);

describe('S3 provider on MinIO', () => {
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

  it('copies a 64 MiB source in parts of 5, 17, 33 MiB and the rest, byte for byte', async () => {
    const size = 64 * MiB + 12_345;
    const source = randomPayload(size);
    let started = performance.now();
    const put = await provider.putObject({ bucket, key: 'big/source.bin', body: source.payload }, ctx());
    const uploadMs = performance.now() - started;

    const sizes = [5 * MiB, 17 * MiB, 33 * MiB];
    sizes.push(size - sizes.reduce((a, b) => a + b, 0));
    started = performance.now();
    const upload = await provider.createMultipartUpload({ bucket, key: 'big/copy.bin' }, ctx());
    const parts = [];
    let offset = 0;
    for (const [index, partSize] of sizes.entries()) {
      const result = await provider.uploadPartCopy(
        {
          bucket,
          key: 'big/copy.bin',
          uploadId: upload.uploadId,
          partNumber: index + 1,
          source: { bucket, key: 'big/source.bin' },
          range: { start: offset, end: offset + partSize - 1 },
          conditions: { ifMatch: [put.etag] },
        },
        ctx(),
      );
      expect(result.transfer).toBe('server-side');
      expect(result.bytesCopied).toBe(partSize);
      parts.push({ partNumber: index + 1, etag: result.copyPartResult.etag });
      offset += partSize;
    }
    const listed = await provider.listParts(
      { bucket, key: 'big/copy.bin', uploadId: upload.uploadId },
      ctx(),
    );
    expect(listed.parts.map((p) => p.size)).toEqual(sizes);
    const done = await provider.completeMultipartUpload(
      { bucket, key: 'big/copy.bin', uploadId: upload.uploadId, parts, mpObjectSize: size },
      ctx(),
    );
    const copyMs = performance.now() - started;
    expect(done.etag).toMatch(/^"[0-9a-f]{32}-4"$/);

    started = performance.now();
    const got = await provider.getObject({ bucket, key: 'big/copy.bin' }, ctx());
    const result = await sha256Of(got.body);
    const verifyMs = performance.now() - started;
    expect(result.bytes).toBe(size);
    expect(result.sha256).toBe(source.sha256);
    console.info(
      `[s3/minio] 64 MiB+12345 B: put ${uploadMs.toFixed(0)} ms, ` +
        `4-part server-side copy + complete ${copyMs.toFixed(0)} ms, streamed SHA-256 read ${verifyMs.toFixed(0)} ms`,
    );
  }, 300_000);

  it('fails a part with PreconditionFailed when the source changed after the first part pinned its ETag', async () => {
    const first = await provider.putObject(
      { bucket, key: 'changing/source', body: toPayload(new Uint8Array(12 * MiB).fill(1)) },
      ctx(),
    );
    const upload = await provider.createMultipartUpload({ bucket, key: 'changing/copy' }, ctx());
    const copy = (partNumber: number, start: number, end: number) =>
      provider.uploadPartCopy(
        {
          bucket,
          key: 'changing/copy',
          uploadId: upload.uploadId,
          partNumber,
          source: { bucket, key: 'changing/source' },
          range: { start, end },
          conditions: { ifMatch: [first.etag] },
        },
        ctx(),
      );
    await copy(1, 0, 6 * MiB - 1);
    await provider.putObject(
      { bucket, key: 'changing/source', body: toPayload(new Uint8Array(12 * MiB).fill(2)) },
      ctx(),
    );
    const error = await copy(2, 6 * MiB, 12 * MiB - 1).catch((e: unknown) => e);
    expect(PartCopyError.hasCode(error, 'PreconditionFailed')).toBe(true);
    expect((error as PartCopyError).status).toBe(412);
    await provider.abortMultipartUpload({ bucket, key: 'changing/copy', uploadId: upload.uploadId }, ctx());
  });

  it('runs the lifecycle: create with settings, upload, copy, list, complete, head, ranged get', async () => {
    const source = await provider.putObject(
      { bucket, key: 'life/src', body: text('0123456789abcdef') },
      ctx(),
    );
    const upload = await provider.createMultipartUpload(
      {
        bucket,
        key: 'life/dest',
        contentType: 'text/plain',
        cacheControl: 'max-age=60',
        contentDisposition: 'attachment; filename="x.txt"',
        metadata: { purpose: 'test' },
      },
      ctx(),
    );
    const part1 = await provider.uploadPart(
      {
        bucket,
        key: 'life/dest',
        uploadId: upload.uploadId,
        partNumber: 1,
        body: toPayload(new Uint8Array(5 * MiB).fill(65)),
      },
      ctx(),
    );
    const part2 = await provider.uploadPartCopy(
      {
        bucket,
        key: 'life/dest',
        uploadId: upload.uploadId,
        partNumber: 2,
        source: { bucket, key: 'life/src' },
        conditions: { ifMatch: ['"not-it"', source.etag] },
      },
      ctx(),
    );
    expect(part2.bytesCopied).toBe(16);
    // MinIO filters uploads only by a prefix equal to the whole key (see README).
    const uploads = await provider.listMultipartUploads({ bucket, prefix: 'life/dest' }, ctx());
    expect(uploads.uploads.map((u) => u.uploadId)).toContain(upload.uploadId);
    const page1 = await provider.listParts(
      { bucket, key: 'life/dest', uploadId: upload.uploadId, maxParts: 1 },
      ctx(),
    );
    expect(page1.parts.map((p) => p.partNumber)).toEqual([1]);
    expect(page1.isTruncated).toBe(true);
    const page2 = await provider.listParts(
      { bucket, key: 'life/dest', uploadId: upload.uploadId, partNumberMarker: page1.nextPartNumberMarker },
      ctx(),
    );
    expect(page2.parts.map((p) => [p.partNumber, p.size])).toEqual([[2, 16]]);
    await provider.completeMultipartUpload(
      {
        bucket,
        key: 'life/dest',
        uploadId: upload.uploadId,
        parts: [
          { partNumber: 1, etag: part1.etag },
          { partNumber: 2, etag: part2.copyPartResult.etag },
        ],
      },
      ctx(),
    );
    const head = await provider.headObject({ bucket, key: 'life/dest' }, ctx());
    expect(head).toMatchObject({
      size: 5 * MiB + 16,
      contentType: 'text/plain',
      cacheControl: 'max-age=60',
      metadata: { purpose: 'test' },
    });
    const tail = await provider.getObject(
      { bucket, key: 'life/dest', range: { start: 5 * MiB + 10, end: 5 * MiB + 15 } },
      ctx(),
    );
    expect(tail.contentLength).toBe(6);
    expect(new TextDecoder().decode(await collectBytes(tail.body))).toBe('abcdef');
    const error = await provider
      .listParts({ bucket, key: 'life/dest', uploadId: upload.uploadId }, ctx())
      .catch((e: unknown) => e);
    expect(PartCopyError.hasCode(error, 'NoSuchUpload')).toBe(true);
  });

  it('lets a second provider instance upload parts into an upload created with SHA-256', async () => {
    const other = minioProvider();
    try {
      const upload = await provider.createMultipartUpload(
        { bucket, key: 'sha/dest', checksumAlgorithm: 'SHA256' },
        ctx(),
      );
      const part = await other.uploadPart(
        { bucket, key: 'sha/dest', uploadId: upload.uploadId, partNumber: 1, body: text('hello') },
        ctx(),
      );
      // SHA-256 of "hello", as S3 returns it (base64).
      expect(part.checksumSHA256).toBe('LPJNul+wow4m6DsqxbninhsWHlwfp0JecwQzYpOLmCQ=');
      const done = await other.completeMultipartUpload(
        {
          bucket,
          key: 'sha/dest',
          uploadId: upload.uploadId,
          parts: [{ partNumber: 1, etag: part.etag, checksumSHA256: part.checksumSHA256 }],
        },
        ctx(),
      );
      expect(done.etag).toMatch(/-1"$/);
    } finally {
      await other.close();
    }
  });

  it('answers missing things with S3 codes', async () => {
    const missingBucket = await provider
      .headObject({ bucket: `${bucket}-none`, key: 'k' }, ctx())
      .catch((e: unknown) => e);
    expect(PartCopyError.hasCode(missingBucket, 'NoSuchBucket')).toBe(true);
    const missingKey = await provider.headObject({ bucket, key: 'none' }, ctx()).catch((e: unknown) => e);
    expect(PartCopyError.hasCode(missingKey, 'NoSuchKey')).toBe(true);
    const upload = await provider.createMultipartUpload({ bucket, key: 'miss/dest' }, ctx());
    const copy = (source: { bucket: string; key: string }) =>
      provider
        .uploadPartCopy(
          {
            bucket,
            key: 'miss/dest',
            uploadId: upload.uploadId,
            partNumber: 1,
            source,
            range: { start: 0, end: 0 },
            conditions: {},
          },
          ctx(),
        )
        .catch((e: unknown) => e);
    expect(PartCopyError.hasCode(await copy({ bucket, key: 'none' }), 'NoSuchKey')).toBe(true);
    expect(PartCopyError.hasCode(await copy({ bucket: `${bucket}-none`, key: 'k' }), 'NoSuchBucket')).toBe(
      true,
    );
    await provider.putObject({ bucket, key: 'miss/small', body: text('abc') }, ctx());
    const pastEnd = await provider
      .uploadPartCopy(
        {
          bucket,
          key: 'miss/dest',
          uploadId: upload.uploadId,
          partNumber: 1,
          source: { bucket, key: 'miss/small' },
          range: { start: 0, end: 3 },
          conditions: {},
        },
        ctx(),
      )
      .catch((e: unknown) => e);
    expect(PartCopyError.hasCode(pastEnd, 'InvalidArgument')).toBe(true);
    await provider.abortMultipartUpload({ bucket, key: 'miss/dest', uploadId: upload.uploadId }, ctx());
    const gone = await provider
      .uploadPartCopy(
        {
          bucket,
          key: 'miss/dest',
          uploadId: upload.uploadId,
          partNumber: 1,
          source: { bucket, key: 'miss/small' },
          conditions: {},
        },
        ctx(),
      )
      .catch((e: unknown) => e);
    expect(PartCopyError.hasCode(gone, 'NoSuchUpload')).toBe(true);
  });
});

describe('S3 provider on MinIO with versioning', () => {
  let provider: S3Provider;
  let bucket: string;
  beforeAll(async () => {
    provider = minioProvider();
    bucket = await freshBucket(provider, true);
  });
  afterAll(async () => {
    await destroyBucket(provider, bucket);
    await provider.close();
  });

  it('copies from an older version and reports copySourceVersionId', async () => {
    const v1 = await provider.putObject({ bucket, key: 'doc', body: text('version one') }, ctx());
    const v2 = await provider.putObject({ bucket, key: 'doc', body: text('version two!') }, ctx());
    expect(v1.versionId).toBeTruthy();
    expect(v2.versionId).not.toBe(v1.versionId);
    const upload = await provider.createMultipartUpload({ bucket, key: 'copy-of-v1' }, ctx());
    const part = await provider.uploadPartCopy(
      {
        bucket,
        key: 'copy-of-v1',
        uploadId: upload.uploadId,
        partNumber: 1,
        source: { bucket, key: 'doc', versionId: v1.versionId },
        conditions: {},
      },
      ctx(),
    );
    expect(part.copySourceVersionId).toBe(v1.versionId);
    expect(part.bytesCopied).toBe('version one'.length);
    const ranged = await provider.uploadPartCopy(
      {
        bucket,
        key: 'copy-of-v1',
        uploadId: upload.uploadId,
        partNumber: 1,
        source: { bucket, key: 'doc', versionId: v1.versionId },
        range: { start: 8, end: 10 },
        conditions: {},
      },
      ctx(),
    );
    expect(ranged.copySourceVersionId).toBe(v1.versionId);
    const done = await provider.completeMultipartUpload(
      {
        bucket,
        key: 'copy-of-v1',
        uploadId: upload.uploadId,
        parts: [{ partNumber: 1, etag: ranged.copyPartResult.etag }],
      },
      ctx(),
    );
    expect(done.versionId).toBeTruthy();
    const got = await provider.getObject({ bucket, key: 'copy-of-v1' }, ctx());
    expect(new TextDecoder().decode(await collectBytes(got.body))).toBe('one');
  });

  it('fails a copy from a deleted key with NoSuchKey and from a delete marker version with InvalidRequest', async () => {
    await provider.putObject({ bucket, key: 'gone', body: text('soon deleted') }, ctx());
    const marker = await provider.deleteObject({ bucket, key: 'gone' }, ctx());
    expect(marker.deleteMarker).toBe(true);
    const upload = await provider.createMultipartUpload({ bucket, key: 'from-gone' }, ctx());
    const copy = (versionId?: string) =>
      provider
        .uploadPartCopy(
          {
            bucket,
            key: 'from-gone',
            uploadId: upload.uploadId,
            partNumber: 1,
            source: { bucket, key: 'gone', versionId },
            range: { start: 0, end: 1 },
            conditions: {},
          },
          ctx(),
        )
        .catch((e: unknown) => e);
    const current = await copy();
    expect(PartCopyError.hasCode(current, 'NoSuchKey')).toBe(true);
    const ofMarker = await copy(marker.versionId);
    expect((ofMarker as PartCopyError).code).toBe('InvalidRequest');
    await provider.abortMultipartUpload({ bucket, key: 'from-gone', uploadId: upload.uploadId }, ctx());
  });
});
