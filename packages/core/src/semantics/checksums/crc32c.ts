/**
 * CRC-32C (Castagnoli): reflected polynomial 0x82F63B78, initial value and final XOR 0xFFFFFFFF.
 * Table-driven, one byte at a time: plenty for an emulating store, and small enough to check by
 * eye against the CRC catalogue (check value of "123456789" is 0xE3069283).
 */

const POLYNOMIAL = 0x82f63b78;

const TABLE = buildTable();

function buildTable(): Uint32Array {
  const table = new Uint32Array(256);
  for (let i = 0; i < 256; i++) {
    let crc = i;
    for (let bit = 0; bit < 8; bit++) crc = crc & 1 ? (crc >>> 1) ^ POLYNOMIAL : crc >>> 1;
    table[i] = crc >>> 0;
  }
  return table;
}

/**
 * Continues a CRC-32C over `bytes`. Start with `crc32c(bytes)`; feed more with
 * `crc32c(more, previous)` to checksum data that arrives in pieces.
 */
export function crc32c(bytes: Uint8Array, previous = 0): number {
  let crc = ~previous >>> 0;
  for (let i = 0; i < bytes.length; i++) {
    crc = (TABLE[(crc ^ (bytes[i] as number)) & 0xff] as number) ^ (crc >>> 8);
  }
  return ~crc >>> 0;
}
