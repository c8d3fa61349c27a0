import { createHash } from 'node:crypto';
import { crc32 } from 'node:zlib';
import type { ChecksumAlgorithm } from '@partcopy/core';
import {
  CHECKSUM_ALGORITHMS,
  checksumEntry,
  checksumField,
  checksumOf,
  compositeChecksum,
  crc32c,
  crc64Bytes,
  crc64nvme,
  createChecksummer,
  defaultChecksumType,
  isValidChecksumPair,
} from '@partcopy/core/provider';
import { describe, expect, it } from 'vitest';

const CHECK_INPUT = new TextEncoder().encode('123456789');

// Bit-at-a-time reference implementations straight from the polynomials, to cross-check the
// table-driven ones on inputs the catalogue does not cover.
function referenceCrc32c(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of bytes) {
    crc ^= byte;
    for (let bit = 0; bit < 8; bit++) crc = crc & 1 ? (crc >>> 1) ^ 0x82f63b78 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

function referenceCrc64nvme(bytes: Uint8Array): bigint {
  const mask = (1n << 64n) - 1n;
  let crc = mask;
  for (const byte of bytes) {
    crc ^= BigInt(byte);
    for (let bit = 0; bit < 8; bit++) crc = crc & 1n ? (crc >> 1n) ^ 0x9a6c9329ac4bc9b5n : crc >> 1n;
  }
  return crc ^ mask;
}

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

// Deterministic, non-repeating-looking bytes (the same generator the memory provider's tests use).
function pattern(n: number, seed = 0): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = (i * 31 + seed * 7 + (i >> 8)) & 0xff;
  return out;
}

describe('CRC-32C', () => {
  it('matches the CRC catalogue check value and the RFC 3720 (iSCSI) vectors', () => {
    expect(crc32c(CHECK_INPUT)).toBe(0xe3069283);
    expect(crc32c(new Uint8Array(32))).toBe(0x8a9136aa);
    expect(crc32c(new Uint8Array(32).fill(0xff))).toBe(0x62a8ab43);
    expect(crc32c(Uint8Array.from({ length: 32 }, (_, i) => i))).toBe(0x46dd794e);
    expect(crc32c(Uint8Array.from({ length: 32 }, (_, i) => 31 - i))).toBe(0x113fdb5c);
    expect(crc32c(new Uint8Array(0))).toBe(0);
  });

  it('agrees with a bitwise reference and can be continued across pieces', () => {
    const data = pattern(4099, 3);
    expect(crc32c(data)).toBe(referenceCrc32c(data));
    expect(crc32c(data.subarray(1000), crc32c(data.subarray(0, 1000)))).toBe(crc32c(data));
  });
});

describe('CRC-64/NVME', () => {
  it('matches the CRC catalogue check value', () => {
    expect(hex(crc64Bytes(crc64nvme(CHECK_INPUT)))).toBe('ae8b14860a799888');
    expect(hex(crc64Bytes(crc64nvme(new Uint8Array(0))))).toBe('0000000000000000');
  });

  it('agrees with a BigInt bitwise reference and can be continued across pieces', () => {
    const data = pattern(3001, 9);
    const expected = referenceCrc64nvme(data).toString(16).padStart(16, '0');
    expect(hex(crc64Bytes(crc64nvme(data)))).toBe(expected);
    expect(hex(crc64Bytes(crc64nvme(data.subarray(77), crc64nvme(data.subarray(0, 77)))))).toBe(expected);
  });
});

describe('checksumOf / compositeChecksum', () => {
  it('gives base64 of the big-endian digest for every algorithm', () => {
    const data = pattern(1000);
    const be32 = (n: number) =>
      Buffer.from([n >>> 24, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff]).toString('base64');
    expect(checksumOf('CRC32', data)).toBe(be32(crc32(data)));
    expect(checksumOf('CRC32C', CHECK_INPUT)).toBe(Buffer.from('e3069283', 'hex').toString('base64'));
    expect(checksumOf('CRC64NVME', CHECK_INPUT)).toBe(
      Buffer.from('ae8b14860a799888', 'hex').toString('base64'),
    );
    expect(checksumOf('SHA1', data)).toBe(createHash('sha1').update(data).digest('base64'));
    expect(checksumOf('SHA256', data)).toBe(createHash('sha256').update(data).digest('base64'));
  });

  it('composes part checksums as S3 does: digest of the binary digests, then -N', () => {
    const parts = [pattern(10, 1), pattern(20, 2)];
    const digests = parts.map((part) => createHash('sha256').update(part).digest());
    const expected = `${createHash('sha256').update(Buffer.concat(digests)).digest('base64')}-2`;
    expect(
      compositeChecksum(
        'SHA256',
        parts.map((part) => checksumOf('SHA256', part)),
      ),
    ).toBe(expected);
  });
});

describe('createChecksummer (streaming)', () => {
  it('gives the same checksum fed in uneven pieces as over the whole bytes, for every algorithm', () => {
    const data = pattern(70_001, 4);
    const cuts = [0, 1, 2, 1000, 4096, 65_537, data.length];
    for (const algorithm of CHECKSUM_ALGORITHMS) {
      const summer = createChecksummer(algorithm);
      for (let i = 1; i < cuts.length; i++) summer.update(data.subarray(cuts[i - 1], cuts[i]));
      expect(summer.algorithm).toBe(algorithm);
      expect(summer.digestBase64()).toBe(checksumOf(algorithm, data));
    }
  });

  it('gives the CRC catalogue check values through the streaming API, as big-endian bytes', () => {
    const crc32 = createChecksummer('CRC32')
      .update(CHECK_INPUT.subarray(0, 4))
      .update(CHECK_INPUT.subarray(4));
    expect(hex(crc32.digest())).toBe('cbf43926');
    const crc32cSum = createChecksummer('CRC32C')
      .update(CHECK_INPUT.subarray(0, 5))
      .update(CHECK_INPUT.subarray(5));
    expect(hex(crc32cSum.digest())).toBe('e3069283');
    const crc64 = createChecksummer('CRC64NVME')
      .update(CHECK_INPUT.subarray(0, 3))
      .update(CHECK_INPUT.subarray(3));
    expect(hex(crc64.digest())).toBe('ae8b14860a799888');
    expect(hex(createChecksummer('CRC32').digest())).toBe('00000000');
  });

  it('can be asked for its digest twice, and refuses more bytes after it', () => {
    for (const algorithm of CHECKSUM_ALGORITHMS) {
      const summer = createChecksummer(algorithm).update(CHECK_INPUT);
      const first = summer.digestBase64();
      expect(summer.digestBase64()).toBe(first);
      expect(() => summer.update(CHECK_INPUT)).toThrow(expect.objectContaining({ code: 'InternalError' }));
    }
  });
});

describe('checksum algorithms and types', () => {
  it('names the result field of every algorithm', () => {
    expect(CHECKSUM_ALGORITHMS).toEqual(['CRC32', 'CRC32C', 'CRC64NVME', 'SHA1', 'SHA256']);
    expect(CHECKSUM_ALGORITHMS.map((algorithm) => checksumField(algorithm))).toEqual([
      'checksumCRC32',
      'checksumCRC32C',
      'checksumCRC64NVME',
      'checksumSHA1',
      'checksumSHA256',
    ]);
    expect(checksumEntry('SHA1', 'abc=')).toEqual({ checksumSHA1: 'abc=' });
    expect(checksumEntry(undefined, 'abc=')).toEqual({});
    expect(checksumEntry('SHA1', undefined)).toEqual({});
  });

  it("knows S3's default types and valid pairs: CRC64NVME full-object only, SHA composite only", () => {
    const types = ['COMPOSITE', 'FULL_OBJECT'] as const;
    const valid = (algorithm: ChecksumAlgorithm) =>
      types.filter((type) => isValidChecksumPair(algorithm, type));
    expect(valid('CRC32')).toEqual(['COMPOSITE', 'FULL_OBJECT']);
    expect(valid('CRC32C')).toEqual(['COMPOSITE', 'FULL_OBJECT']);
    expect(valid('CRC64NVME')).toEqual(['FULL_OBJECT']);
    expect(valid('SHA1')).toEqual(['COMPOSITE']);
    expect(valid('SHA256')).toEqual(['COMPOSITE']);
    expect(CHECKSUM_ALGORITHMS.map(defaultChecksumType)).toEqual([
      'COMPOSITE',
      'COMPOSITE',
      'FULL_OBJECT',
      'COMPOSITE',
      'COMPOSITE',
    ]);
  });
});
