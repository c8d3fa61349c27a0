/**
 * Presigned reads on MinIO: the URL reads the object (and a range of it, asked with a Range
 * header) without credentials, expires as asked, names one object, and its signature never
 * survives into a PartCopyError message.
 */
import { createHash } from 'node:crypto';
import { PartCopyError } from '@partcopy/core';
import { toPayload } from '@partcopy/core/provider';
import { describe, expect, it } from 'vitest';
import { minioProvider, randomBucket } from './support/servers.js';

const ctx = () => ({ signal: new AbortController().signal });
const sha = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

describe('presignGetObject on MinIO', () => {
  it('signs a read-only URL that serves ranges to any HTTP client until it expires', async () => {
    const provider = minioProvider();
    const bucket = randomBucket();
    await provider.createBucket({ bucket }, ctx());
    const data = new Uint8Array(100_000).map((_, i) => (i * 7) % 251);
    await provider.putObject({ bucket, key: 'dir/a b.bin', body: toPayload(data) }, ctx());
    const before = Date.now();
    const signed = await provider.presignGetObject(
      { bucket, key: 'dir/a b.bin', expiresInSeconds: 300 },
      ctx(),
    );
    const url = new URL(signed.url);
    expect(url.searchParams.get('X-Amz-Expires')).toBe('300');
    expect(url.searchParams.get('X-Amz-Signature')).toMatch(/^[0-9a-f]{64}$/);
    expect(decodeURIComponent(url.pathname)).toContain(`${bucket}/dir/a b.bin`);
    expect(signed.expiresAt.getTime()).toBeGreaterThanOrEqual(before + 300_000);
    expect(signed.expiresAt.getTime()).toBeLessThanOrEqual(Date.now() + 300_000);

    const whole = await fetch(signed.url);
    expect(whole.status).toBe(200);
    expect(sha(new Uint8Array(await whole.arrayBuffer()))).toBe(sha(data));
    const ranged = await fetch(signed.url, { headers: { range: 'bytes=1000-1999' } });
    expect(ranged.status).toBe(206);
    expect(sha(new Uint8Array(await ranged.arrayBuffer()))).toBe(sha(data.subarray(1000, 2000)));
    // Read-only: the same URL cannot write.
    const put = await fetch(signed.url, { method: 'PUT', body: 'x' });
    expect(put.status).toBe(403);

    const signature = url.searchParams.get('X-Amz-Signature') as string;
    const error = new PartCopyError('InternalError', `the destination could not read ${signed.url}`);
    expect(error.message).not.toContain(signature);
    expect(error.message).not.toContain(url.searchParams.get('X-Amz-Credential') as string);
    await provider.deleteObject({ bucket, key: 'dir/a b.bin' }, ctx());
    await provider.deleteBucket({ bucket }, ctx());
  });

  it('refuses a lifetime S3 does not allow', async () => {
    const provider = minioProvider();
    const error = await provider
      .presignGetObject({ bucket: 'b', key: 'k', expiresInSeconds: 8 * 24 * 3600 }, ctx())
      .catch((e: unknown) => e);
    expect(PartCopyError.hasCode(error, 'InvalidArgument')).toBe(true);
  });
});
