/**
 * Bucket set-up and clean-up for integration tests, through the provider (and its native client
 * for the versions listing the contract does not expose).
 */
import { createHash, randomBytes } from 'node:crypto';
import { ListObjectVersionsCommand } from '@aws-sdk/client-s3';
import { type Payload, toPayload } from '@partcopy/core/provider';
import type { S3Provider } from '../../src/index.js';
import { randomBucket } from './servers.js';

const ctx = () => ({ signal: AbortSignal.timeout(120_000) });

/** Creates a fresh bucket and returns its name. */
export async function freshBucket(provider: S3Provider, versioning = false): Promise<string> {
  const bucket = randomBucket();
  await provider.createBucket({ bucket, versioning }, ctx());
  return bucket;
}

/** Aborts every upload, deletes every object version and delete marker, then the bucket. */
export async function destroyBucket(provider: S3Provider, bucket: string): Promise<void> {
  for (;;) {
    const { uploads, isTruncated } = await provider.listMultipartUploads({ bucket }, ctx());
    for (const upload of uploads) {
      await provider.abortMultipartUpload({ bucket, key: upload.key, uploadId: upload.uploadId }, ctx());
    }
    if (!isTruncated || uploads.length === 0) break;
  }
  let keyMarker: string | undefined;
  let versionMarker: string | undefined;
  for (;;) {
    const page = await provider.native.send(
      new ListObjectVersionsCommand({ Bucket: bucket, KeyMarker: keyMarker, VersionIdMarker: versionMarker }),
    );
    const entries = [...(page.Versions ?? []), ...(page.DeleteMarkers ?? [])];
    for (const entry of entries) {
      await provider.deleteObject(
        { bucket, key: entry.Key ?? '', versionId: entry.VersionId ?? undefined },
        ctx(),
      );
    }
    if (!page.IsTruncated) break;
    keyMarker = page.NextKeyMarker;
    versionMarker = page.NextVersionIdMarker;
  }
  await provider.deleteBucket({ bucket }, ctx());
}

/** A streamed pseudo-random body of `size` bytes and the SHA-256 of exactly those bytes. */
export function randomPayload(size: number, chunkSize = 1024 * 1024): { payload: Payload; sha256: string } {
  const hash = createHash('sha256');
  const chunks: Buffer[] = [];
  for (let done = 0; done < size; done += chunkSize) {
    const chunk = randomBytes(Math.min(chunkSize, size - done));
    hash.update(chunk);
    chunks.push(chunk);
  }
  async function* stream() {
    yield* chunks;
  }
  return { payload: toPayload(stream(), size), sha256: hash.digest('hex') };
}

/** SHA-256 of a streamed body, without holding it in memory. */
export async function sha256Of(body: AsyncIterable<Uint8Array>): Promise<{ sha256: string; bytes: number }> {
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const chunk of body) {
    hash.update(chunk);
    bytes += chunk.length;
  }
  return { sha256: hash.digest('hex'), bytes };
}
