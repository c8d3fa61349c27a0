// The crc32c a compose will give, predicted from the pieces' crc32c values and sizes (core's
// CRC combiner), so the ETag recorded in the same compose request can be bound to it.
import { combineChecksums } from '@partcopy/core/provider';

/**
 * The crc32c (base64) of pieces concatenated in order, or undefined when any piece's crc32c is
 * unknown (objects under a customer-supplied key hide it).
 */
export function combinedCrc32c(pieces: ReadonlyArray<{ crc32c?: string; size: number }>): string | undefined {
  const known: Array<{ checksum: string; size: number }> = [];
  for (const piece of pieces) {
    if (piece.crc32c === undefined) return undefined;
    known.push({ checksum: piece.crc32c, size: piece.size });
  }
  return combineChecksums('CRC32C', known);
}
