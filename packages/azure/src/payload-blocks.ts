/**
 * Cuts a request body into Azure blocks of given sizes, buffering one block at a time (so the
 * SDK can resend a block on retry), each copied once into its own buffer. In-memory bodies are
 * sliced without copying.
 */
import { PartCopyError, type Payload } from '@partcopy/core/provider';

/**
 * Regroups a payload's chunks into blocks of the given sizes. A streamed body's blocks come from
 * `take` (a new buffer by default); the caller may reuse a block's buffer once it has sent it.
 */
export async function* blocksOf(
  body: Payload,
  sizes: number[],
  take: (size: number) => Uint8Array = (size) => Buffer.allocUnsafe(size),
): AsyncGenerator<Uint8Array> {
  if (body.bytes) {
    let offset = 0;
    for (const size of sizes) {
      yield body.bytes.subarray(offset, offset + size);
      offset += size;
    }
    return;
  }
  let block: Uint8Array | undefined;
  let filled = 0;
  let sizeIndex = 0;
  for await (const chunk of body.chunks()) {
    let rest = chunk;
    while (rest.length > 0 && sizeIndex < sizes.length) {
      const size = sizes[sizeIndex] as number;
      block ??= take(size);
      const piece = rest.subarray(0, size - filled);
      block.set(piece, filled);
      filled += piece.length;
      rest = rest.subarray(piece.length);
      if (filled === size) {
        yield block;
        block = undefined;
        filled = 0;
        sizeIndex++;
      }
    }
  }
  if (sizeIndex < sizes.length) {
    // Only an empty body ends with a block still owed (its one zero-byte block).
    if (filled !== 0 || sizes[sizeIndex] !== 0) {
      throw new PartCopyError('IncompleteBody', 'the body ended before its declared length');
    }
    yield new Uint8Array(0);
  }
}
