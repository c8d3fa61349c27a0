// CRC32C of a concatenation from the CRC32Cs and lengths of its pieces, without the bytes
// (the GF(2) matrix method of zlib's crc32_combine, with the Castagnoli polynomial). Compose
// concatenates parts on the server; this predicts the composite's crc32c so the ETag recorded
// in the same compose request can be bound to it.

/** Reflected CRC32C (Castagnoli) polynomial. */
const POLY = 0x82f63b78;

function times(matrix: Uint32Array, vector: number): number {
  let sum = 0;
  let v = vector >>> 0;
  for (let i = 0; v !== 0; i++, v >>>= 1) if (v & 1) sum ^= matrix[i] as number;
  return sum >>> 0;
}

function square(target: Uint32Array, matrix: Uint32Array): void {
  for (let n = 0; n < 32; n++) target[n] = times(matrix, matrix[n] as number);
}

/** CRC32C of `A || B` from crc(A), crc(B) and the length of B in bytes (any safe integer). */
export function crc32cCombine(crcA: number, crcB: number, lengthB: number): number {
  if (lengthB <= 0) return crcA >>> 0;
  const even = new Uint32Array(32);
  const odd = new Uint32Array(32);
  // Operator for one zero bit, then two, then four.
  odd[0] = POLY;
  for (let n = 1; n < 32; n++) odd[n] = (1 << (n - 1)) >>> 0;
  square(even, odd);
  square(odd, even);
  let crc = crcA >>> 0;
  let remaining = lengthB;
  // Apply zero bytes: each round squares the operator (1, 2, 4, ... bytes) and applies it when
  // the matching bit of the length is set. Division, not shifts: lengths may pass 2^32.
  for (;;) {
    square(even, odd);
    if (remaining % 2 === 1) crc = times(even, crc);
    remaining = Math.floor(remaining / 2);
    if (remaining === 0) break;
    square(odd, even);
    if (remaining % 2 === 1) crc = times(odd, crc);
    remaining = Math.floor(remaining / 2);
    if (remaining === 0) break;
  }
  return (crc ^ crcB) >>> 0;
}

/** Base64 big-endian (GCS's `crc32c` field) to a number, and back. */
export function crc32cFromBase64(value: string): number {
  return Buffer.from(value, 'base64').readUInt32BE(0);
}

export function crc32cToBase64(value: number): string {
  const buffer = Buffer.alloc(4);
  buffer.writeUInt32BE(value >>> 0, 0);
  return buffer.toString('base64');
}

/**
 * The crc32c (base64) of pieces concatenated in order, or undefined when any piece's crc32c is
 * unknown (objects under a customer-supplied key hide it).
 */
export function combinedCrc32c(pieces: ReadonlyArray<{ crc32c?: string; size: number }>): string | undefined {
  let crc = 0;
  for (const piece of pieces) {
    if (piece.crc32c === undefined) return undefined;
    crc = crc32cCombine(crc, crc32cFromBase64(piece.crc32c), piece.size);
  }
  return crc32cToBase64(crc);
}
