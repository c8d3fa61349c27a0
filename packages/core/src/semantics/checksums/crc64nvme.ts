/**
 * CRC-64/NVME (the CRC S3 calls CRC64NVME): reflected polynomial 0x9A6C9329AC4BC9B5
 * (0xAD93D23594C93659 unreflected), initial value and final XOR all ones. Check value of
 * "123456789": 0xAE8B14860A799888.
 *
 * The 64-bit register is kept as two unsigned 32-bit halves so no BigInt arithmetic runs per
 * byte (BigInt would make large parts very slow).
 */

const POLY_HI = 0x9a6c9329;
const POLY_LO = 0xac4bc9b5;

const [TABLE_HI, TABLE_LO] = buildTables();

function buildTables(): [Uint32Array, Uint32Array] {
  const hiTable = new Uint32Array(256);
  const loTable = new Uint32Array(256);
  for (let i = 0; i < 256; i++) {
    let hi = 0;
    let lo = i;
    for (let bit = 0; bit < 8; bit++) {
      const carry = lo & 1;
      lo = ((lo >>> 1) | ((hi & 1) << 31)) >>> 0;
      hi = hi >>> 1;
      if (carry) {
        hi = (hi ^ POLY_HI) >>> 0;
        lo = (lo ^ POLY_LO) >>> 0;
      }
    }
    hiTable[i] = hi;
    loTable[i] = lo;
  }
  return [hiTable, loTable];
}

/** A CRC-64 value as its two 32-bit halves (the digest's big-endian byte order is hi then lo). */
export interface Crc64 {
  hi: number;
  lo: number;
}

/** Continues a CRC-64/NVME over `bytes` (start with no `previous`). */
export function crc64nvme(bytes: Uint8Array, previous: Crc64 = { hi: 0, lo: 0 }): Crc64 {
  let hi = ~previous.hi >>> 0;
  let lo = ~previous.lo >>> 0;
  for (let i = 0; i < bytes.length; i++) {
    const index = (lo ^ (bytes[i] as number)) & 0xff;
    lo = (((lo >>> 8) | (hi << 24)) ^ (TABLE_LO[index] as number)) >>> 0;
    hi = ((hi >>> 8) ^ (TABLE_HI[index] as number)) >>> 0;
  }
  return { hi: ~hi >>> 0, lo: ~lo >>> 0 };
}

/** The CRC as 8 big-endian bytes, as S3 base64-encodes it. */
export function crc64Bytes(crc: Crc64): Uint8Array {
  const out = new Uint8Array(8);
  const view = new DataView(out.buffer);
  view.setUint32(0, crc.hi);
  view.setUint32(4, crc.lo);
  return out;
}
