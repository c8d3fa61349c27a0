import { createHash } from 'node:crypto';
import { checkCompletedObjectSize, checkContentMD5 } from '@partcopy/core/provider';
import { thrownPartCopyError } from '@partcopy/core/testing';
import { describe, expect, it } from 'vitest';

const context = { bucket: 'b', key: 'k', uploadId: 'u' };

describe('checkContentMD5', () => {
  const md5 = createHash('md5').update('hello').digest('base64');

  it('passes a matching Content-MD5 and no Content-MD5 at all', () => {
    expect(() => checkContentMD5(md5, md5, context)).not.toThrow();
    expect(() => checkContentMD5(undefined, md5, context)).not.toThrow();
  });

  it("answers a mismatch with S3's BadDigest (400) and the request's context", () => {
    const other = createHash('md5').update('hellO').digest('base64');
    const error = thrownPartCopyError(() => checkContentMD5(other, md5, context));
    expect([error.code, error.status, error.uploadId]).toEqual(['BadDigest', 400, 'u']);
  });
});

describe('checkCompletedObjectSize', () => {
  it('passes a size within the maximum, stated or not', () => {
    expect(() => checkCompletedObjectSize(100, 100, undefined, context)).not.toThrow();
    expect(() => checkCompletedObjectSize(100, 100, 100, context)).not.toThrow();
  });

  it('refuses an object over the maximum (EntityTooLarge) and a wrong stated size (InvalidRequest)', () => {
    expect(thrownPartCopyError(() => checkCompletedObjectSize(101, 100, undefined, context)).code).toBe(
      'EntityTooLarge',
    );
    const wrong = thrownPartCopyError(() => checkCompletedObjectSize(100, 100, 99, context));
    expect([wrong.code, wrong.status]).toEqual(['InvalidRequest', 400]);
    expect(wrong.message).toContain('99');
  });
});
