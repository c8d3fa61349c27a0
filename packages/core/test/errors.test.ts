import { ERROR_CODES, PartCopyError, redactSecrets, SseCustomerKey } from '@partcopy/core';
import { describe, expect, it } from 'vitest';

describe('PartCopyError', () => {
  it('carries code, status, retryable and context', () => {
    const e = new PartCopyError('NoSuchUpload', 'gone', { provider: 'p', uploadId: 'u', partNumber: 3 });
    expect(e.code).toBe('NoSuchUpload');
    expect(e.status).toBe(404);
    expect(e.retryable).toBe(false);
    expect(e.uploadId).toBe('u');
    expect(e.partNumber).toBe(3);
    expect(new PartCopyError('SlowDown', 'x').retryable).toBe(true);
  });

  it('isInstance recognises errors from another copy of the package by marker', () => {
    const foreign = Object.assign(new Error('x'), {
      [Symbol.for('partcopy.error')]: true,
      code: 'NoSuchKey',
    });
    expect(PartCopyError.isInstance(foreign)).toBe(true);
    expect(PartCopyError.isInstance(new Error('x'))).toBe(false);
    expect(PartCopyError.isInstance(null)).toBe(false);
  });

  it('withContext fills gaps and keeps existing fields', () => {
    const e = new PartCopyError('NoSuchKey', 'm', { key: 'k' }).withContext({
      key: 'other',
      bucket: 'b',
      operation: 'uploadPartCopy',
    });
    expect(e.key).toBe('k');
    expect(e.bucket).toBe('b');
    expect(e.operation).toBe('uploadPartCopy');
  });

  it('every code has an HTTP status', () => {
    for (const status of Object.values(ERROR_CODES)) expect(status).toBeGreaterThanOrEqual(400);
  });
});

describe('no secret in messages', () => {
  it('redacts SAS tokens, signatures, SSE-C headers, bearer tokens and account keys', () => {
    const text = [
      'https://acct.blob.core.windows.net/c/b?sv=2024-01-01&sr=b&sp=r&se=2026-01-01&sig=SECRETSIG%3D',
      'https://s3/b/k?X-Amz-Credential=AKIA/x&X-Amz-Signature=deadbeef',
      'x-amz-server-side-encryption-customer-key: S3CR3TKEY=',
      'Authorization: Bearer eyJhbGciOi.secret.token',
      'DefaultEndpointsProtocol=http;AccountName=a;AccountKey=S3CR3T==;',
    ].join('\n');
    const out = redactSecrets(text);
    for (const secret of ['SECRETSIG', 'deadbeef', 'S3CR3TKEY', 'eyJhbGciOi', 'S3CR3T=='])
      expect(out).not.toContain(secret);
    expect(out).toContain('sig=REDACTED');
  });

  it('errors redact on construction', () => {
    expect(new PartCopyError('AccessDenied', 'url https://x/y?sig=abc123').message).not.toContain('abc123');
  });

  it('an SSE-C key never prints', () => {
    const raw = Buffer.alloc(32, 7).toString('base64');
    const key = SseCustomerKey.from('AES256', raw);
    expect(JSON.stringify({ key })).not.toContain(raw);
    expect(String(key)).not.toContain(raw);
    expect(key.keyBase64()).toBe(raw);
    expect(() => SseCustomerKey.from('AES256', raw, 'wrong')).toThrow(/does not match/);
    expect(() => SseCustomerKey.from('AES128', raw)).toThrow(/AES256/);
    expect(() => SseCustomerKey.from(undefined, 'c2hvcnQ=')).toThrow(/256 bits/);
  });
});
