import { createHash, type Hash } from 'node:crypto';
import { crc32 } from 'node:zlib';
import type { ChecksumAlgorithm, Checksums, ChecksumType } from '@partcopy/core';

/** The flexible-checksum algorithms this provider computes (CRC64NVME is not implemented). */
export const SUPPORTED_CHECKSUMS = [
  'CRC32',
  'CRC32C',
  'SHA1',
  'SHA256',
] as const satisfies readonly ChecksumAlgorithm[];

/** An incremental checksum: feed bytes, then take the big-endian digest. */
export interface Checksummer {
  update(bytes: Uint8Array): void;
  digest(): Buffer;
}

/** The `Checksums` field an algorithm's value goes in. */
export function checksumField(algorithm: ChecksumAlgorithm): keyof Checksums {
  return `checksum${algorithm}` as keyof Checksums;
}

/** A fresh checksummer for a supported algorithm. */
export function createChecksummer(algorithm: ChecksumAlgorithm): Checksummer {
  switch (algorithm) {
    case 'CRC32':
      return crcChecksummer((bytes, value) => crc32(bytes, value));
    case 'CRC32C':
      return crcChecksummer(crc32c);
    case 'SHA1':
    case 'SHA256':
      return hashChecksummer(createHash(algorithm.toLowerCase()));
    default:
      throw new TypeError(`checksum algorithm ${algorithm} is not supported by the fs provider`);
  }
}

/**
 * S3's composite checksum of a multipart object: the checksum of the concatenated binary part
 * checksums, base64, then `-N`.
 */
export function compositeChecksum(algorithm: ChecksumAlgorithm, partChecksums: readonly string[]): string {
  const summer = createChecksummer(algorithm);
  for (const value of partChecksums) summer.update(Buffer.from(value, 'base64'));
  return `${summer.digest().toString('base64')}-${partChecksums.length}`;
}

/** S3's default checksum type for an algorithm (CRC64NVME is full-object only; SHAs composite only). */
export function defaultChecksumType(algorithm: ChecksumAlgorithm): ChecksumType {
  return algorithm === 'CRC64NVME' ? 'FULL_OBJECT' : 'COMPOSITE';
}

function crcChecksummer(step: (bytes: Uint8Array, value: number) => number): Checksummer {
  let value = 0;
  return {
    update(bytes) {
      value = step(bytes, value);
    },
    digest() {
      const out = Buffer.alloc(4);
      out.writeUInt32BE(value >>> 0);
      return out;
    },
  };
}

function hashChecksummer(hash: Hash): Checksummer {
  return { update: (bytes) => hash.update(bytes), digest: () => hash.digest() };
}

// CRC-32C (Castagnoli, reflected polynomial 0x82F63B78): Node has no built-in, and a table
// loop is fast enough for a local store.
const CRC32C_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0x82f63b78 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

function crc32c(bytes: Uint8Array, previous: number): number {
  let crc = ~previous >>> 0;
  for (let i = 0; i < bytes.length; i++) {
    crc = (CRC32C_TABLE[(crc ^ (bytes[i] as number)) & 0xff] as number) ^ (crc >>> 8);
  }
  return ~crc >>> 0;
}
