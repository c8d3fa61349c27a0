/**
 * S3 flexible checksums over bytes held in memory: one digest per algorithm, base64 of the
 * big-endian digest (as S3's `x-amz-checksum-*` headers carry it), plus the two ways S3 combines
 * part checksums into an object checksum.
 */
import { createHash } from 'node:crypto';
import { crc32 } from 'node:zlib';
import type { ChecksumAlgorithm, Checksums, ChecksumType } from '@partcopy/core';
import { crc32c } from './crc32c.js';
import { crc64Bytes, crc64nvme } from './crc64nvme.js';

/** Every algorithm this package computes (all of S3's flexible checksums in specVersion 1). */
export const MEMORY_CHECKSUM_ALGORITHMS: readonly ChecksumAlgorithm[] = Object.freeze([
  'CRC32',
  'CRC32C',
  'CRC64NVME',
  'SHA1',
  'SHA256',
]);

/** The field of {@link Checksums} that carries each algorithm. */
export const CHECKSUM_FIELD = {
  CRC32: 'checksumCRC32',
  CRC32C: 'checksumCRC32C',
  CRC64NVME: 'checksumCRC64NVME',
  SHA1: 'checksumSHA1',
  SHA256: 'checksumSHA256',
} as const satisfies Record<ChecksumAlgorithm, keyof Checksums>;

/** The raw (binary, big-endian) digest of `bytes`. */
export function digest(algorithm: ChecksumAlgorithm, bytes: Uint8Array): Uint8Array {
  switch (algorithm) {
    case 'CRC32':
      return uint32Bytes(crc32(bytes));
    case 'CRC32C':
      return uint32Bytes(crc32c(bytes));
    case 'CRC64NVME':
      return crc64Bytes(crc64nvme(bytes));
    case 'SHA1':
      return createHash('sha1').update(bytes).digest();
    case 'SHA256':
      return createHash('sha256').update(bytes).digest();
  }
}

/** The base64 digest, as S3 reports it for a part or a single-part object. */
export function checksumOf(algorithm: ChecksumAlgorithm, bytes: Uint8Array): string {
  return toBase64(digest(algorithm, bytes));
}

/**
 * S3's COMPOSITE object checksum: the algorithm applied to the concatenated binary checksums of
 * the parts, base64, then `-N` (N parts).
 */
export function compositeChecksum(algorithm: ChecksumAlgorithm, partChecksums: readonly string[]): string {
  const joined = Buffer.concat(partChecksums.map((value) => Buffer.from(value, 'base64')));
  return `${checksumOf(algorithm, joined)}-${partChecksums.length}`;
}

/** The checksum type S3 uses when CreateMultipartUpload names an algorithm but no type. */
export function defaultChecksumType(algorithm: ChecksumAlgorithm): ChecksumType {
  return algorithm === 'CRC64NVME' ? 'FULL_OBJECT' : 'COMPOSITE';
}

/** Which algorithm and type pairs S3 accepts: SHA only composite, CRC64NVME only full-object. */
export function isValidChecksumPair(algorithm: ChecksumAlgorithm, type: ChecksumType): boolean {
  if (algorithm === 'CRC64NVME') return type === 'FULL_OBJECT';
  if (algorithm === 'SHA1' || algorithm === 'SHA256') return type === 'COMPOSITE';
  return true;
}

/** `{ checksumX: value }` for one algorithm, to spread into a result. */
export function checksumField(
  algorithm: ChecksumAlgorithm | undefined,
  value: string | undefined,
): Checksums {
  if (algorithm === undefined || value === undefined) return {};
  return { [CHECKSUM_FIELD[algorithm]]: value };
}

function uint32Bytes(value: number): Uint8Array {
  const out = new Uint8Array(4);
  new DataView(out.buffer).setUint32(0, value >>> 0);
  return out;
}

function toBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}
