/**
 * The MD5 and size of each block this instance staged with uploadPart (upload-part.ts computes
 * them for the transactional Content-MD5 anyway). Completion copies the staging blob into the
 * destination with Put Block From URL; when every block of the object is known here it copies
 * block by block with `x-ms-source-content-md5`, so the store checks the server-side copy too
 * (and Azurite computes a native MD5 instead of a JavaScript CRC64 of every byte: measured 2.3
 * times faster per 64 MiB block). Blocks staged by another process are simply not known: the
 * completion then copies without digests, as before. Bounded; ids are unique per attempt.
 */

const MAX_ENTRIES = 100_000;

export interface BlockDigest {
  md5: Uint8Array;
  size: number;
}

export class BlockDigests {
  readonly #known = new Map<string, BlockDigest>();

  remember(blockId: string, digest: BlockDigest): void {
    if (this.#known.size >= MAX_ENTRIES) {
      const oldest = this.#known.keys().next().value;
      if (oldest !== undefined) this.#known.delete(oldest);
    }
    this.#known.set(blockId, digest);
  }

  /** The digests of all `blockIds` in order, or `undefined` when any is unknown. */
  all(blockIds: readonly string[]): BlockDigest[] | undefined {
    const digests: BlockDigest[] = [];
    for (const id of blockIds) {
      const digest = this.#known.get(id);
      if (digest === undefined) return undefined;
      digests.push(digest);
    }
    return digests;
  }

  forget(blockIds: readonly string[]): void {
    for (const id of blockIds) this.#known.delete(id);
  }
}
