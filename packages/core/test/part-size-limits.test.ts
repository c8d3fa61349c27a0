import { checkBodySize, checkCopySourceSize } from '@partcopy/core/provider';
import { thrownPartCopyError } from '@partcopy/core/testing';
import { describe, expect, it } from 'vitest';

const context = { bucket: 'b', key: 'k', uploadId: 'u', partNumber: 2 };

describe('part size limits', () => {
  it('accepts a body or a copy of exactly maxPartSize bytes', () => {
    expect(() => checkBodySize(100, 100, context)).not.toThrow();
    expect(() => checkCopySourceSize(100, 100, context)).not.toThrow();
  });

  it('refuses a larger body with EntityTooLarge and a larger copy source with InvalidRequest, as S3', () => {
    const body = thrownPartCopyError(() => checkBodySize(101, 100, context));
    expect([body.code, body.status, body.partNumber]).toEqual(['EntityTooLarge', 400, 2]);
    const copy = thrownPartCopyError(() => checkCopySourceSize(101, 100, context));
    expect([copy.code, copy.status, copy.partNumber]).toEqual(['InvalidRequest', 400, 2]);
  });
});
