/**
 * The CRC of a concatenation from the CRCs and lengths of its pieces, without their bytes: how
 * a copy made of parts is checked against a whole-object CRC (S3's FULL_OBJECT CRC64NVME /
 * CRC32C / CRC32, GCS's crc32c) when the store reports only each part's CRC.
 *
 * The math is zlib's `crc32_combine` (multiplication modulo the CRC polynomial in GF(2), with
 * x^(2^k) from a table), written once for any reflected CRC whose initial value and final XOR
 * are all ones, which all three are. BigInt keeps it one function for 32 and 64 bits; a combine
 * costs a few thousand BigInt steps, small beside the request that copied the part.
 */
import type { ChecksumAlgorithm } from '../../contract/capabilities.js';

/** The checksum algorithms whose full-object value can be combined from the parts' values. */
export type CombinableChecksumAlgorithm = 'CRC32' | 'CRC32C' | 'CRC64NVME';

interface CrcShape {
  width: bigint;
  /** The polynomial, reflected (as the table-driven CRC uses it). */
  polynomial: bigint;
  /** x^(2^k) modulo the polynomial, k = 0..63: enough for lengths up to 2^61 bytes. */
  powers: bigint[];
}

const SHAPES: Record<CombinableChecksumAlgorithm, CrcShape> = {
  CRC32: shape(32n, 0xedb88320n),
  CRC32C: shape(32n, 0x82f63b78n),
  CRC64NVME: shape(64n, 0x9a6c9329ac4bc9b5n),
};

/** Whether a full-object checksum of this algorithm can be combined from part checksums. */
export function isCombinableChecksum(algorithm: ChecksumAlgorithm): algorithm is CombinableChecksumAlgorithm {
  return algorithm === 'CRC32' || algorithm === 'CRC32C' || algorithm === 'CRC64NVME';
}

/** The CRC of `A || B` from crc(A), crc(B) and the length of B in bytes (as unsigned integers). */
export function crcCombine(
  algorithm: CombinableChecksumAlgorithm,
  crcA: bigint,
  crcB: bigint,
  lengthB: number,
): bigint {
  const crc = SHAPES[algorithm];
  if (lengthB <= 0) return crcA;
  // Appending B to A multiplies A's CRC by x^(8 * lengthB), then adds B's CRC.
  return multiplyModulo(crc, zeroBytesOperator(crc, BigInt(lengthB)), crcA) ^ crcB;
}

/**
 * The base64 checksum (big-endian, as S3 and GCS carry it) of pieces concatenated in order, from
 * each piece's base64 checksum and size. An empty list gives the checksum of no bytes; a piece
 * whose checksum is not a value of the algorithm's width (a server that reports a 4-byte
 * "CRC64NVME") gives undefined: nothing can be concluded from it.
 */
export function combineChecksums(
  algorithm: CombinableChecksumAlgorithm,
  pieces: ReadonlyArray<{ checksum: string; size: number }>,
): string | undefined {
  const width = Number(SHAPES[algorithm].width) / 8;
  let crc = 0n;
  for (const piece of pieces) {
    const value = fromBase64(piece.checksum, width);
    if (value === undefined) return undefined;
    crc = crcCombine(algorithm, crc, value, piece.size);
  }
  return toBase64(crc, width);
}

function shape(width: bigint, polynomial: bigint): CrcShape {
  const crc: CrcShape = { width, polynomial, powers: [] };
  // x^1 in the reflected representation is the bit below the top one.
  let power = 1n << (width - 2n);
  for (let k = 0; k < 64; k++) {
    crc.powers.push(power);
    power = multiplyModulo(crc, power, power);
  }
  return crc;
}

/** a * b modulo the polynomial, reflected (zlib's multmodp). */
function multiplyModulo(crc: CrcShape, a: bigint, b: bigint): bigint {
  const top = 1n << (crc.width - 1n);
  let product = 0n;
  let multiplier = b;
  for (let bit = top; bit !== 0n; bit >>= 1n) {
    if (a & bit) {
      product ^= multiplier;
      if ((a & (bit - 1n)) === 0n) break;
    }
    multiplier = multiplier & 1n ? (multiplier >> 1n) ^ crc.polynomial : multiplier >> 1n;
  }
  return product;
}

/** x^(8 * bytes) modulo the polynomial: the operator that appends `bytes` zero bytes. */
function zeroBytesOperator(crc: CrcShape, bytes: bigint): bigint {
  let result = 1n << (crc.width - 1n); // x^0
  let remaining = bytes;
  let k = 3; // 2^3 bits per byte
  while (remaining > 0n) {
    if (remaining & 1n) result = multiplyModulo(crc, crc.powers[k] as bigint, result);
    remaining >>= 1n;
    k++;
  }
  return result;
}

function fromBase64(value: string, width: number): bigint | undefined {
  const bytes = Buffer.from(value, 'base64');
  if (bytes.length !== width) return undefined;
  return BigInt(`0x${bytes.toString('hex')}`);
}

function toBase64(value: bigint, width: number): string {
  return Buffer.from(value.toString(16).padStart(width * 2, '0'), 'hex').toString('base64');
}
