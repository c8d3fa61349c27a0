/**
 * The opt-in read-back of a copy or a transfer: both sides are read and hashed with SHA-256,
 * every byte counted as read (the metrics report them).
 */
import { createHash } from 'node:crypto';

export interface BodyHash {
  /** SHA-256, hex. */
  digest: string;
  bytes: number;
}

/** Hashes a body as it streams, telling `onRead` each chunk's length. */
export async function hashBody(
  body: AsyncIterable<Uint8Array>,
  onRead: (bytes: number) => void,
): Promise<BodyHash> {
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const chunk of body) {
    hash.update(chunk);
    bytes += chunk.length;
    onRead(chunk.length);
  }
  return { digest: hash.digest('hex'), bytes };
}

/** Why a read-back failed, or undefined when both sides hashed the same. */
export function readBackMismatch(source: BodyHash, copy: BodyHash): string | undefined {
  if (source.digest === copy.digest) return undefined;
  return `the destination's bytes differ from the source's (SHA-256 ${copy.digest} vs ${source.digest})`;
}
