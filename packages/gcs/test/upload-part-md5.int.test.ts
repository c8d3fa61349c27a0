// A streamed part whose MD5 the caller checks (md5CheckedByCaller) is not hashed a second time
// here; its ETag is still the MD5 GCS stored, which is what the caller checks against.
import { createHash } from 'node:crypto';
import { collectBytes } from '@partcopy/core';
import { toPayload } from '@partcopy/core/provider';
import { describe, expect, it } from 'vitest';
import { ctx, newBucket, serverProvider } from './support/gcs-server.js';

function streamed(bytes: Uint8Array) {
  async function* chunks() {
    for (let offset = 0; offset < bytes.length; offset += 64 * 1024)
      yield bytes.subarray(offset, offset + 64 * 1024);
  }
  return toPayload(chunks(), bytes.length);
}

describe('uploadPart with md5CheckedByCaller on fake-gcs-server', () => {
  it('answers the MD5 of the bytes as the part ETag, and the completed object holds them', async () => {
    const p = serverProvider();
    const bucket = await newBucket(p);
    const bytes = new Uint8Array(5 * 1024 * 1024 + 3).map((_, i) => (i * 31) % 251);
    const up = await p.createMultipartUpload({ bucket, key: 'k' }, ctx());
    const part = await p.uploadPart(
      { ...up, partNumber: 1, body: streamed(bytes), md5CheckedByCaller: true },
      ctx(),
    );
    expect(part.etag).toBe(`"${createHash('md5').update(bytes).digest('hex')}"`);
    await p.completeMultipartUpload({ ...up, parts: [{ partNumber: 1, etag: part.etag }] }, ctx());
    const read = await p.getObject({ bucket, key: 'k' }, ctx());
    expect(Buffer.from(await collectBytes(read.body)).equals(Buffer.from(bytes))).toBe(true);
  });
});
