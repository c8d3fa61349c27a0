/**
 * Cuts a request body into Azure blocks of given sizes, buffering one block at a time (so the
 * SDK can resend a block on retry). In-memory bodies are sliced without copying.
 */
import { PartCopyError, type Payload } from '@partcopy/core/provider';

/** Regroups a payload's chunks into blocks of the given sizes. */
export async function* blocksOf(body: Payload, sizes: number[]): AsyncGenerator<Uint8Array> {
  if (body.bytes) {
    let offset = 0;
    for (const size of sizes) {
      yield body.bytes.subarray(offset, offset + size);
      offset += size;
    }
    return;
  }
  let pending: Uint8Array[] = [];
  let pendingLength = 0;
  let sizeIndex = 0;
  for await (const chunk of body.chunks()) {
    let rest = chunk;
    while (rest.length > 0 && sizeIndex < sizes.length) {
      const want = (sizes[sizeIndex] as number) - pendingLength;
      const take = rest.subarray(0, want);
      pending.push(take);
      pendingLength += take.length;
      rest = rest.subarray(take.length);
      if (pendingLength === sizes[sizeIndex]) {
        yield Buffer.concat(pending);
        pending = [];
        pendingLength = 0;
        sizeIndex++;
      }
    }
  }
  if (sizeIndex < sizes.length) {
    // Only an empty body ends with a block still owed (its one zero-byte block).
    if (pendingLength !== 0 || sizes[sizeIndex] !== 0) {
      throw new PartCopyError('IncompleteBody', 'the body ended before its declared length');
    }
    yield new Uint8Array(0);
  }
}
