/**
 * Reused block buffers for streamed uploadPart bodies. Each staged block is buffered whole (a
 * retry resends it); a fresh buffer per block left every finished block to the garbage collector,
 * which frees such memory late, so a transfer's RSS grew by several blocks beyond the ones in
 * flight. A buffer goes back here only after its block was staged (the request is over), and at
 * most `maxBytes` of free buffers are kept.
 */
export class BlockBuffers {
  readonly #free = new Map<number, Uint8Array[]>();
  readonly #maxBytes: number;
  #freeBytes = 0;

  constructor(maxBytes: number) {
    this.#maxBytes = maxBytes;
  }

  /** A buffer of exactly `size` bytes, with unspecified content. */
  take(size: number): Uint8Array {
    const reused = this.#free.get(size)?.pop();
    if (reused === undefined) return Buffer.allocUnsafeSlow(size);
    this.#freeBytes -= size;
    return reused;
  }

  /** Returns a buffer no request uses any more. */
  give(buffer: Uint8Array): void {
    if (buffer.length === 0 || this.#freeBytes + buffer.length > this.#maxBytes) return;
    const list = this.#free.get(buffer.length) ?? [];
    list.push(buffer);
    this.#free.set(buffer.length, list);
    this.#freeBytes += buffer.length;
  }
}
