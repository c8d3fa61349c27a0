import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { checksumOf } from '../src/semantics/checksums/checksummer.js';
import {
  type CombinableChecksumAlgorithm,
  combineChecksums,
  crcCombine,
  isCombinableChecksum,
} from '../src/semantics/checksums/crc-combine.js';

const ALGORITHMS: CombinableChecksumAlgorithm[] = ['CRC32', 'CRC32C', 'CRC64NVME'];

/** Splits `bytes` at the given offsets. */
function split(bytes: Buffer, cuts: number[]): Buffer[] {
  const points = [0, ...cuts, bytes.length];
  return points.slice(1).map((end, i) => bytes.subarray(points[i], end));
}

describe('combineChecksums: the checksum of a concatenation from its pieces', () => {
  for (const algorithm of ALGORITHMS) {
    it(`${algorithm}: equals the checksum computed over the bytes, for many splits`, () => {
      const bytes = randomBytes(300_000);
      const splits = [[], [1], [150_000], [7, 8, 9, 65_536, 131_072, 299_999], [100_000, 200_000]];
      for (const cuts of splits) {
        const pieces = split(bytes, cuts).map((piece) => ({
          checksum: checksumOf(algorithm, piece),
          size: piece.length,
        }));
        expect(combineChecksums(algorithm, pieces)).toBe(checksumOf(algorithm, bytes));
      }
    });

    it(`${algorithm}: empty pieces change nothing; no pieces is the checksum of no bytes`, () => {
      const bytes = randomBytes(1000);
      const empty = { checksum: checksumOf(algorithm, new Uint8Array(0)), size: 0 };
      const whole = { checksum: checksumOf(algorithm, bytes), size: bytes.length };
      expect(combineChecksums(algorithm, [empty, whole, empty])).toBe(whole.checksum);
      expect(combineChecksums(algorithm, [])).toBe(checksumOf(algorithm, new Uint8Array(0)));
    });

    it(`${algorithm}: a changed piece changes the result`, () => {
      const a = randomBytes(5000);
      const b = randomBytes(5000);
      const honest = combineChecksums(algorithm, [
        { checksum: checksumOf(algorithm, a), size: a.length },
        { checksum: checksumOf(algorithm, b), size: b.length },
      ]);
      const swapped = combineChecksums(algorithm, [
        { checksum: checksumOf(algorithm, b), size: b.length },
        { checksum: checksumOf(algorithm, a), size: a.length },
      ]);
      expect(honest).toBe(checksumOf(algorithm, Buffer.concat([a, b])));
      expect(swapped).not.toBe(honest);
    });
  }

  it('a checksum of the wrong width gives undefined (nothing can be concluded)', () => {
    expect(combineChecksums('CRC64NVME', [{ checksum: 'vLFzwQ==', size: 10 }])).toBeUndefined();
    expect(combineChecksums('CRC32C', [{ checksum: '839KQvgh0BY=', size: 10 }])).toBeUndefined();
  });

  it('lengths past 2^32 bytes: appending zeros in two steps equals one step', () => {
    // 6 GiB of zeros = 3 GiB + 3 GiB: the operator must hold beyond 32-bit lengths.
    for (const algorithm of ALGORITHMS) {
      const zeros3 = 3 * 2 ** 30;
      const crc = 0x1234_5678n;
      const twoSteps = crcCombine(algorithm, crcCombine(algorithm, crc, 0n, zeros3), 0n, zeros3);
      expect(crcCombine(algorithm, crc, 0n, 2 * zeros3)).toBe(twoSteps);
    }
  });

  it('only the CRC algorithms combine', () => {
    expect(ALGORITHMS.every(isCombinableChecksum)).toBe(true);
    expect(isCombinableChecksum('SHA256')).toBe(false);
    expect(isCombinableChecksum('SHA1')).toBe(false);
  });
});
