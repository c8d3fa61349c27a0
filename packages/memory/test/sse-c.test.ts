import { inspect } from 'node:util';
import { md5Etag } from '@partcopy/core/provider';
import { describe, expect, it } from 'vitest';
import { ctx, expectCode, newBucket, newProvider, payload, put, readBody, sseKey, text } from './helpers.js';

describe('SSE-C objects', () => {
  it('need the key they were written with to be read; results echo algorithm and key MD5', async () => {
    const provider = newProvider();
    const bucket = await newBucket(provider);
    const key = sseKey();
    const written = await put(provider, bucket, 'secret', 'hidden text', key);
    expect(written).toMatchObject({ sseCustomerAlgorithm: 'AES256', sseCustomerKeyMD5: key.keyMD5 });
    // S3's ETag under SSE-C is not the MD5 of the plaintext.
    expect(written.etag).not.toBe(md5Etag(new TextEncoder().encode('hidden text')));
    expect(written.etag).toMatch(/^"[0-9a-f]{32}"$/);
    const got = await provider.getObject({ bucket, key: 'secret', sseCustomer: key }, ctx());
    expect(got).toMatchObject({ sseCustomerAlgorithm: 'AES256', sseCustomerKeyMD5: key.keyMD5 });
    expect(text(await readBody(got.body))).toBe('hidden text');
  });

  it('without the key: InvalidRequest (400); with another key: AccessDenied (403)', async () => {
    const provider = newProvider();
    const bucket = await newBucket(provider);
    const key = sseKey();
    await put(provider, bucket, 'secret', 'hidden', key);
    expect(
      (await expectCode(provider.headObject({ bucket, key: 'secret' }, ctx()), 'InvalidRequest')).status,
    ).toBe(400);
    expect(
      (
        await expectCode(
          provider.getObject({ bucket, key: 'secret', sseCustomer: sseKey() }, ctx()),
          'AccessDenied',
        )
      ).status,
    ).toBe(403);
  });

  it('a key given for an unencrypted object is InvalidRequest', async () => {
    const provider = newProvider();
    const bucket = await newBucket(provider);
    await put(provider, bucket, 'plain', 'open');
    await expectCode(
      provider.headObject({ bucket, key: 'plain', sseCustomer: sseKey() }, ctx()),
      'InvalidRequest',
    );
  });

  it('never put the key in an error, and the store keeps only its MD5', async () => {
    const provider = newProvider();
    const bucket = await newBucket(provider);
    const key = sseKey();
    await put(provider, bucket, 'secret', 'hidden', key);
    const error = await expectCode(
      provider.getObject({ bucket, key: 'secret', sseCustomer: sseKey() }, ctx()),
      'AccessDenied',
    );
    const printed = `${error.message} ${JSON.stringify(error)} ${inspect(error)} ${inspect(provider.store, { depth: 10 })}`;
    expect(printed).not.toContain(key.keyBase64());
  });
});

describe('SSE-C uploads and part copies', () => {
  async function encryptedUpload() {
    const provider = newProvider();
    const bucket = await newBucket(provider);
    const destinationKey = sseKey();
    const sourceKey = sseKey();
    await put(provider, bucket, 'src', 'encrypted source bytes', sourceKey);
    await put(provider, bucket, 'plain', 'plain source bytes');
    const upload = await provider.createMultipartUpload(
      { bucket, key: 'dst', sseCustomer: destinationKey },
      ctx(),
    );
    expect(upload).toMatchObject({
      sseCustomerAlgorithm: 'AES256',
      sseCustomerKeyMD5: destinationKey.keyMD5,
    });
    return { provider, bucket, destinationKey, sourceKey, upload };
  }

  it('copies from an SSE-C source with its key into an SSE-C upload with the upload key', async () => {
    const { provider, bucket, destinationKey, sourceKey, upload } = await encryptedUpload();
    const result = await provider.uploadPartCopy(
      {
        ...upload,
        partNumber: 1,
        source: { bucket, key: 'src' },
        conditions: {},
        sseCustomer: destinationKey,
        sourceSseCustomer: sourceKey,
      },
      ctx(),
    );
    expect(result).toMatchObject({
      sseCustomerAlgorithm: 'AES256',
      sseCustomerKeyMD5: destinationKey.keyMD5,
      bytesCopied: 22,
    });
    const done = await provider.completeMultipartUpload(
      {
        ...upload,
        parts: [{ partNumber: 1, etag: result.copyPartResult.etag }],
        sseCustomer: destinationKey,
      },
      ctx(),
    );
    expect(done.sseCustomerKeyMD5).toBe(destinationKey.keyMD5);
    await expectCode(provider.getObject({ bucket, key: 'dst' }, ctx()), 'InvalidRequest');
    const got = await provider.getObject({ bucket, key: 'dst', sseCustomer: destinationKey }, ctx());
    expect(text(await readBody(got.body))).toBe('encrypted source bytes');
  });

  it('refuses a source read without its key (InvalidRequest) or with another (AccessDenied)', async () => {
    const { provider, bucket, destinationKey, upload } = await encryptedUpload();
    const base = {
      ...upload,
      partNumber: 1,
      source: { bucket, key: 'src' },
      conditions: {},
      sseCustomer: destinationKey,
    };
    await expectCode(provider.uploadPartCopy(base, ctx()), 'InvalidRequest');
    await expectCode(
      provider.uploadPartCopy({ ...base, sourceSseCustomer: sseKey() }, ctx()),
      'AccessDenied',
    );
    await expectCode(
      provider.uploadPartCopy(
        { ...base, source: { bucket, key: 'plain' }, sourceSseCustomer: sseKey() },
        ctx(),
      ),
      'InvalidRequest',
    );
  });

  it('parts must carry the upload key: missing or different is InvalidRequest', async () => {
    const { provider, bucket, upload } = await encryptedUpload();
    await expectCode(
      provider.uploadPart({ ...upload, partNumber: 1, body: payload('x') }, ctx()),
      'InvalidRequest',
    );
    await expectCode(
      provider.uploadPart({ ...upload, partNumber: 1, body: payload('x'), sseCustomer: sseKey() }, ctx()),
      'InvalidRequest',
    );
    await expectCode(
      provider.uploadPartCopy(
        { ...upload, partNumber: 1, source: { bucket, key: 'plain' }, conditions: {} },
        ctx(),
      ),
      'InvalidRequest',
    );
    const plainUpload = await provider.createMultipartUpload({ bucket, key: 'p' }, ctx());
    await expectCode(
      provider.uploadPart(
        { ...plainUpload, partNumber: 1, body: payload('x'), sseCustomer: sseKey() },
        ctx(),
      ),
      'InvalidRequest',
    );
    expect((await provider.listParts(upload, ctx())).parts).toEqual([]);
  });
});
