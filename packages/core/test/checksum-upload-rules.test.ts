import type { CompletedPart } from '@partcopy/core';
import {
  checkCompletionChecksumType,
  checkListedPartChecksums,
  checkStatedObjectChecksum,
  resolveUploadChecksum,
} from '@partcopy/core/provider';
import { thrownPartCopyError } from '@partcopy/core/testing';
import { describe, expect, it } from 'vitest';

const context = { bucket: 'b', key: 'k', uploadId: 'u' };

describe('resolveUploadChecksum (CreateMultipartUpload)', () => {
  it('defaults the type as S3 and keeps a valid one', () => {
    expect(resolveUploadChecksum({})).toEqual({});
    expect(resolveUploadChecksum({ checksumAlgorithm: 'CRC64NVME' })).toEqual({
      checksumAlgorithm: 'CRC64NVME',
      checksumType: 'FULL_OBJECT',
    });
    expect(resolveUploadChecksum({ checksumAlgorithm: 'SHA256' })).toEqual({
      checksumAlgorithm: 'SHA256',
      checksumType: 'COMPOSITE',
    });
    expect(resolveUploadChecksum({ checksumAlgorithm: 'CRC32C', checksumType: 'FULL_OBJECT' })).toEqual({
      checksumAlgorithm: 'CRC32C',
      checksumType: 'FULL_OBJECT',
    });
  });

  it('refuses a type without an algorithm and the pairs S3 refuses (InvalidRequest)', () => {
    for (const request of [
      { checksumType: 'COMPOSITE' },
      { checksumAlgorithm: 'SHA1', checksumType: 'FULL_OBJECT' },
      { checksumAlgorithm: 'SHA256', checksumType: 'FULL_OBJECT' },
      { checksumAlgorithm: 'CRC64NVME', checksumType: 'COMPOSITE' },
    ] as const) {
      const error = thrownPartCopyError(() => resolveUploadChecksum(request, context));
      expect([error.code, error.bucket, error.uploadId]).toEqual(['InvalidRequest', 'b', 'u']);
    }
  });
});

describe('CompleteMultipartUpload checksum rules', () => {
  it('refuses another checksum type than the upload has; none named is fine', () => {
    expect(() => checkCompletionChecksumType('COMPOSITE', undefined, context)).not.toThrow();
    expect(() => checkCompletionChecksumType('COMPOSITE', 'COMPOSITE', context)).not.toThrow();
    expect(
      thrownPartCopyError(() => checkCompletionChecksumType('COMPOSITE', 'FULL_OBJECT', context)).code,
    ).toBe('InvalidRequest');
    expect(
      thrownPartCopyError(() => checkCompletionChecksumType(undefined, 'FULL_OBJECT', context)).code,
    ).toBe('InvalidRequest');
  });

  it('needs every part checksum for COMPOSITE (InvalidRequest) and a matching one always (InvalidPart)', () => {
    const stored = [
      { checksums: { checksumCRC32: 'AAAAAQ==' } },
      { checksums: { checksumCRC32: 'AAAAAg==' } },
    ];
    const listed: CompletedPart[] = [
      { partNumber: 1, etag: '"a"', checksumCRC32: 'AAAAAQ==' },
      { partNumber: 2, etag: '"b"', checksumCRC32: 'AAAAAg==' },
    ];
    const composite = { checksumAlgorithm: 'CRC32', checksumType: 'COMPOSITE' } as const;
    const full = { checksumAlgorithm: 'CRC32', checksumType: 'FULL_OBJECT' } as const;
    expect(() => checkListedPartChecksums(composite, listed, stored, context)).not.toThrow();
    const bare = listed.map(({ partNumber, etag }) => ({ partNumber, etag }));
    const missing = thrownPartCopyError(() => checkListedPartChecksums(composite, bare, stored, context));
    expect([missing.code, missing.partNumber]).toEqual(['InvalidRequest', 1]);
    expect(() => checkListedPartChecksums(full, bare, stored, context)).not.toThrow();
    const wrong = [
      listed[0] as CompletedPart,
      { ...(listed[1] as CompletedPart), checksumCRC32: 'AAAAAw==' },
    ];
    for (const upload of [composite, full]) {
      const error = thrownPartCopyError(() => checkListedPartChecksums(upload, wrong, stored, context));
      expect([error.code, error.partNumber]).toEqual(['InvalidPart', 2]);
    }
    expect(() => checkListedPartChecksums({}, wrong, stored, context)).not.toThrow();
  });

  it('checks a stated object checksum, with or without the -N suffix (BadDigest)', () => {
    const actual = { checksumSHA256: 'abcd-2' };
    expect(() => checkStatedObjectChecksum('SHA256', {}, actual, context)).not.toThrow();
    expect(() =>
      checkStatedObjectChecksum('SHA256', { checksumSHA256: 'abcd-2' }, actual, context),
    ).not.toThrow();
    expect(() =>
      checkStatedObjectChecksum('SHA256', { checksumSHA256: 'abcd' }, actual, context),
    ).not.toThrow();
    const error = thrownPartCopyError(() =>
      checkStatedObjectChecksum('SHA256', { checksumSHA256: 'abce' }, actual, context),
    );
    expect([error.code, error.providerCode, error.status]).toEqual(['BadDigest', undefined, 400]);
    expect(() =>
      checkStatedObjectChecksum(undefined, { checksumSHA256: 'x' }, actual, context),
    ).not.toThrow();
  });
});
