import { createHash, randomBytes } from 'node:crypto';
import { SseCustomerKey } from '@partcopy/core';
import {
  checkObjectSseCustomerKey,
  checkUploadSseCustomerKey,
  contentEtag,
  md5Etag,
  sseCustomerEtagHash,
  sseCustomerResult,
} from '@partcopy/core/provider';
import { thrownPartCopyError } from '@partcopy/core/testing';
import { describe, expect, it } from 'vitest';

const key = SseCustomerKey.from('AES256', randomBytes(32));
const otherKey = SseCustomerKey.from('AES256', randomBytes(32));
const context = { provider: 'test', operation: 'getObject', bucket: 'b', key: 'k' } as const;

describe('checkObjectSseCustomerKey (read, head, copy source)', () => {
  it('passes the right key for an SSE-C object and no key for a plain one', () => {
    expect(() => checkObjectSseCustomerKey(key.keyMD5, key, context)).not.toThrow();
    expect(() => checkObjectSseCustomerKey(undefined, undefined, context)).not.toThrow();
  });

  it('answers as S3: no key 400 InvalidRequest, another key 403 AccessDenied, key for plain 400', () => {
    const missing = thrownPartCopyError(() => checkObjectSseCustomerKey(key.keyMD5, undefined, context));
    expect([missing.code, missing.status]).toEqual(['InvalidRequest', 400]);
    expect(missing.context).toEqual(context);
    const wrong = thrownPartCopyError(() => checkObjectSseCustomerKey(key.keyMD5, otherKey, context));
    expect([wrong.code, wrong.status]).toEqual(['AccessDenied', 403]);
    const extra = thrownPartCopyError(() => checkObjectSseCustomerKey(undefined, key, context));
    expect([extra.code, extra.status]).toEqual(['InvalidRequest', 400]);
  });

  it('never puts the key in a message', () => {
    const wrong = thrownPartCopyError(() => checkObjectSseCustomerKey(key.keyMD5, otherKey, context));
    expect(wrong.message).not.toContain(otherKey.keyBase64());
    expect(wrong.message).not.toContain(key.keyBase64());
  });
});

describe('checkUploadSseCustomerKey (UploadPart, UploadPartCopy destination)', () => {
  it('passes the upload key, or no key for an upload without one', () => {
    expect(() => checkUploadSseCustomerKey(key.keyMD5, key, context)).not.toThrow();
    expect(() => checkUploadSseCustomerKey(undefined, undefined, context)).not.toThrow();
  });

  it('answers every mismatch with 400 InvalidRequest, as S3', () => {
    for (const [stored, given] of [
      [key.keyMD5, undefined],
      [key.keyMD5, otherKey],
      [undefined, key],
    ] as const) {
      const error = thrownPartCopyError(() =>
        checkUploadSseCustomerKey(stored, given, { ...context, partNumber: 3 }),
      );
      expect([error.code, error.status, error.partNumber]).toEqual(['InvalidRequest', 400, 3]);
    }
  });
});

describe('SSE-C results and ETags', () => {
  it('echoes the algorithm and key MD5 only for data written with a key', () => {
    expect(sseCustomerResult(key.keyMD5)).toEqual({
      sseCustomerAlgorithm: 'AES256',
      sseCustomerKeyMD5: key.keyMD5,
    });
    expect(sseCustomerResult(undefined)).toEqual({});
  });

  it('gives plain bytes the MD5 ETag and SSE-C bytes a stable, key-dependent, non-MD5 one', () => {
    const bytes = new TextEncoder().encode('classified');
    expect(contentEtag(bytes, undefined)).toBe(md5Etag(bytes));
    const encrypted = contentEtag(bytes, key.keyMD5);
    const expected = createHash('md5').update(Buffer.from(key.keyMD5, 'base64')).update(bytes).digest('hex');
    expect(encrypted).toBe(`"${expected}"`);
    expect(encrypted).not.toBe(md5Etag(bytes));
    expect(contentEtag(bytes, otherKey.keyMD5)).not.toBe(encrypted);
    const streamed = sseCustomerEtagHash(key.keyMD5).update(bytes.subarray(0, 4)).update(bytes.subarray(4));
    expect(`"${streamed.digest('hex')}"`).toBe(encrypted);
  });
});
