import { createHash, randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { SseCustomerKey } from '@partcopy/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FsProvider } from '../src/index.js';
import { ctx, errorCode, payload, provider, read, tempDir, tree } from './helpers.js';

let root: { dir: string; cleanup: () => Promise<void> };
let p: FsProvider;
const bucket = 'secret';
const key = SseCustomerKey.from('AES256', randomBytes(32));
const otherKey = SseCustomerKey.from('AES256', randomBytes(32));

beforeEach(async () => {
  root = await tempDir();
  p = provider(root.dir);
  await p.createBucket({ bucket }, ctx());
});
afterEach(() => root.cleanup());

describe('SSE-C semantics', () => {
  it('needs the right key to read; stores only the key MD5', async () => {
    const put = await p.putObject(
      { bucket, key: 'enc', body: payload('classified'), sseCustomer: key },
      ctx(),
    );
    expect(put).toMatchObject({ sseCustomerAlgorithm: 'AES256', sseCustomerKeyMD5: key.keyMD5 });
    expect(put.etag).not.toBe(`"${createHash('md5').update('classified').digest('hex')}"`);
    expect(await errorCode(() => p.headObject({ bucket, key: 'enc' }, ctx()))).toBe('InvalidRequest');
    expect(await errorCode(() => p.getObject({ bucket, key: 'enc', sseCustomer: otherKey }, ctx()))).toBe(
      'AccessDenied',
    );
    expect(new TextDecoder().decode(await read(p, bucket, 'enc', { sseCustomer: key }))).toBe('classified');
    expect((await p.headObject({ bucket, key: 'enc', sseCustomer: key }, ctx())).sseCustomerKeyMD5).toBe(
      key.keyMD5,
    );
    await p.putObject({ bucket, key: 'plain', body: payload('open') }, ctx());
    expect(await errorCode(() => p.getObject({ bucket, key: 'plain', sseCustomer: key }, ctx()))).toBe(
      'InvalidRequest',
    );
    // No sidecar holds the key itself.
    const secret = key.keyBase64();
    for (const entry of await tree(root.dir)) {
      const path = `${root.dir}/${entry.split(' ')[0]}`;
      if (!entry.endsWith('/') && path.endsWith('.json'))
        expect(await readFile(path, 'utf8')).not.toContain(secret);
    }
  });

  it('applies the upload key to parts and the source key to copies', async () => {
    await p.putObject({ bucket, key: 'src', body: payload('0123456789'), sseCustomer: key }, ctx());
    const { uploadId, sseCustomerKeyMD5 } = await p.createMultipartUpload(
      { bucket, key: 'dest', sseCustomer: otherKey },
      ctx(),
    );
    expect(sseCustomerKeyMD5).toBe(otherKey.keyMD5);
    const ref = { bucket, key: 'dest', uploadId };
    expect(await errorCode(() => p.uploadPart({ ...ref, partNumber: 1, body: payload('x') }, ctx()))).toBe(
      'InvalidRequest',
    );
    expect(
      await errorCode(() =>
        p.uploadPart({ ...ref, partNumber: 1, body: payload('x'), sseCustomer: key }, ctx()),
      ),
    ).toBe('InvalidRequest');
    const copy = {
      ...ref,
      partNumber: 1,
      source: { bucket, key: 'src' },
      conditions: {},
      sseCustomer: otherKey,
    };
    expect(await errorCode(() => p.uploadPartCopy(copy, ctx()))).toBe('InvalidRequest');
    expect(await errorCode(() => p.uploadPartCopy({ ...copy, sourceSseCustomer: otherKey }, ctx()))).toBe(
      'AccessDenied',
    );
    const copied = await p.uploadPartCopy(
      { ...copy, sourceSseCustomer: key, range: { start: 2, end: 5 } },
      ctx(),
    );
    expect(copied.sseCustomerKeyMD5).toBe(otherKey.keyMD5);
    const done = await p.completeMultipartUpload(
      { ...ref, parts: [{ partNumber: 1, etag: copied.copyPartResult.etag }] },
      ctx(),
    );
    expect(done.sseCustomerKeyMD5).toBe(otherKey.keyMD5);
    expect(await errorCode(() => p.getObject({ bucket, key: 'dest' }, ctx()))).toBe('InvalidRequest');
    expect(new TextDecoder().decode(await read(p, bucket, 'dest', { sseCustomer: otherKey }))).toBe('2345');
  });
});
