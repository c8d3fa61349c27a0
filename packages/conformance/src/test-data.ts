/**
 * Bytes for checks: random buffers for small objects, and a seeded, regenerable stream for large
 * ones, so a multi-MiB object is written and verified by SHA-256 without holding it twice.
 */
import { createHash, randomBytes } from 'node:crypto';

/** `size` random bytes. Random content makes a shifted or wrong range visible. */
export function randomData(size: number): Uint8Array {
  return new Uint8Array(randomBytes(size));
}

/** Concatenates byte arrays. */
export function concatBytes(...pieces: readonly Uint8Array[]): Uint8Array {
  return new Uint8Array(Buffer.concat(pieces.map((p) => Buffer.from(p.buffer, p.byteOffset, p.byteLength))));
}

const CHUNK = 256 * 1024;

/**
 * A deterministic pseudo-random byte sequence (xorshift32) of `size` bytes, in chunks. The same
 * seed always yields the same bytes, so expected digests are computed by regenerating it.
 */
export async function* seededChunks(seed: number, size: number, skip = 0): AsyncGenerator<Uint8Array> {
  let state = seed >>> 0 || 0x9e3779b9;
  let produced = 0;
  const end = skip + size;
  while (produced < end) {
    const length = Math.min(CHUNK, end - produced);
    const chunk = new Uint8Array(length);
    for (let i = 0; i < length; i++) {
      state ^= state << 13;
      state >>>= 0;
      state ^= state >>> 17;
      state ^= state << 5;
      state >>>= 0;
      chunk[i] = state & 0xff;
    }
    const from = Math.max(0, skip - produced);
    produced += length;
    if (from < length) yield from === 0 ? chunk : chunk.subarray(from);
  }
}

/** A random seed for {@link seededChunks}. */
export function randomSeed(): number {
  return randomBytes(4).readUInt32LE(0) || 1;
}

/** Streaming SHA-256 over several byte sources, in order. */
export async function sha256OfStreams(
  ...sources: AsyncIterable<Uint8Array>[]
): Promise<{ hex: string; size: number }> {
  const hash = createHash('sha256');
  let size = 0;
  for (const source of sources) {
    for await (const chunk of source) {
      hash.update(chunk);
      size += chunk.length;
    }
  }
  return { hex: hash.digest('hex'), size };
}
