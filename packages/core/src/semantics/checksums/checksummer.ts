/**
 * Incremental (streaming) S3 flexible checksums: feed the bytes as they pass, in any pieces, and
 * take the big-endian digest at the end, base64 as S3's `x-amz-checksum-*` headers carry it.
 * Emulating providers use these so a part or an object gets the same checksum as on S3 without
 * ever holding all of its bytes.
 */
import { createHash, type Hash } from 'node:crypto';
import { crc32 } from 'node:zlib';
import type { ChecksumAlgorithm } from '../../contract/capabilities.js';
import { PartCopyError } from '../../errors/part-copy-error.js';
import { crc32c } from './crc32c.js';
import { type Crc64, crc64Bytes, crc64nvme } from './crc64nvme.js';

/** A checksum being computed over bytes that arrive in pieces. */
export interface Checksummer {
  readonly algorithm: ChecksumAlgorithm;
  /** Adds the next bytes. Returns the checksummer, so calls chain. */
  update(bytes: Uint8Array): Checksummer;
  /** The raw big-endian digest of everything added. Ends the checksum: a later update throws. */
  digest(): Uint8Array;
  /** The digest in base64, as S3 reports it. Same end as {@link digest}. */
  digestBase64(): string;
}

/** A fresh checksummer for any of S3's flexible-checksum algorithms. */
export function createChecksummer(algorithm: ChecksumAlgorithm): Checksummer {
  switch (algorithm) {
    case 'CRC32':
      // zlib's crc32 takes the running value, so it continues across pieces without a copy.
      return crc32Checksummer(algorithm, (bytes, previous) => crc32(bytes, previous));
    case 'CRC32C':
      return crc32Checksummer(algorithm, crc32c);
    case 'CRC64NVME':
      return crc64Checksummer();
    case 'SHA1':
      return hashChecksummer(algorithm, createHash('sha1'));
    case 'SHA256':
      return hashChecksummer(algorithm, createHash('sha256'));
  }
}

/** The base64 checksum of `bytes`, as S3 reports it for a part or a single-part object. */
export function checksumOf(algorithm: ChecksumAlgorithm, bytes: Uint8Array): string {
  return createChecksummer(algorithm).update(bytes).digestBase64();
}

/** The algorithm-specific part: how bytes are added and how the digest is laid out. */
interface DigestState {
  update(bytes: Uint8Array): void;
  digest(): Uint8Array;
}

class StreamingChecksummer implements Checksummer {
  readonly algorithm: ChecksumAlgorithm;
  readonly #state: DigestState;
  #digest: Uint8Array | undefined;

  constructor(algorithm: ChecksumAlgorithm, state: DigestState) {
    this.algorithm = algorithm;
    this.#state = state;
  }

  update(bytes: Uint8Array): Checksummer {
    if (this.#digest !== undefined) {
      throw new PartCopyError('InternalError', `the ${this.algorithm} checksum was already finished`);
    }
    this.#state.update(bytes);
    return this;
  }

  // Kept, so asking twice gives the same answer (a node:crypto Hash refuses a second digest).
  digest(): Uint8Array {
    this.#digest ??= this.#state.digest();
    return this.#digest.slice();
  }

  digestBase64(): string {
    const bytes = this.digest();
    return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
  }
}

function crc32Checksummer(
  algorithm: ChecksumAlgorithm,
  step: (bytes: Uint8Array, previous: number) => number,
): Checksummer {
  let value = 0;
  return new StreamingChecksummer(algorithm, {
    update: (bytes) => {
      value = step(bytes, value);
    },
    digest: () => {
      const out = new Uint8Array(4);
      new DataView(out.buffer).setUint32(0, value >>> 0);
      return out;
    },
  });
}

function crc64Checksummer(): Checksummer {
  let value: Crc64 = { hi: 0, lo: 0 };
  return new StreamingChecksummer('CRC64NVME', {
    update: (bytes) => {
      value = crc64nvme(bytes, value);
    },
    digest: () => crc64Bytes(value),
  });
}

function hashChecksummer(algorithm: ChecksumAlgorithm, hash: Hash): Checksummer {
  return new StreamingChecksummer(algorithm, {
    update: (bytes) => {
      hash.update(bytes);
    },
    digest: () => hash.digest(),
  });
}
