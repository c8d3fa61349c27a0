/**
 * Reads an upload's parts from its staging blob's block list (committed and uncommitted: a
 * completion that failed after committing the staging blob leaves the parts committed).
 * For each part number the newest attempt with all its blocks present is the part; older and
 * incomplete attempts are ignored until a completion or abort discards them.
 */
import type { StoredPart } from '@partcopy/core/provider';
import { attemptEtag, decodePartBlockId, type PartAttempt } from './block-ids.js';

/** A part as staged: its blocks in order and the attempt that wrote them. */
export interface StagedPart extends StoredPart {
  attempt: PartAttempt;
  /** Base64 block ids, in order. */
  blockIds: string[];
  /** Each block's size and the MD5 it was staged with where its id names one, in order. */
  blocks: StagedBlock[];
  lastModified: Date;
}

export interface StagedBlock {
  size: number;
  md5?: Uint8Array;
}

/** A block as Get Block List reports it. */
export interface ListedBlock {
  name: string;
  size: number;
}

interface AttemptBlocks {
  attempt: PartAttempt;
  count: number;
  blocks: Map<number, ListedBlock & { md5?: Uint8Array }>;
}

/** The current parts, by part number, ascending. */
export function currentParts(blocks: Iterable<ListedBlock>): Map<number, StagedPart> {
  const attempts = new Map<string, AttemptBlocks>();
  for (const block of blocks) {
    const id = decodePartBlockId(block.name);
    if (!id) continue;
    const key = `${id.partNumber}/${id.stamp}/${id.nonce}/${id.count}`;
    let entry = attempts.get(key);
    if (!entry) {
      entry = {
        attempt: { partNumber: id.partNumber, stamp: id.stamp, nonce: id.nonce },
        count: id.count,
        blocks: new Map(),
      };
      attempts.set(key, entry);
    }
    entry.blocks.set(id.index, id.md5 === undefined ? block : { ...block, md5: id.md5 });
  }
  const parts = new Map<number, StagedPart>();
  for (const entry of attempts.values()) {
    if (entry.blocks.size !== entry.count) continue;
    const existing = parts.get(entry.attempt.partNumber);
    if (existing && !isNewer(entry.attempt, existing.attempt)) continue;
    parts.set(entry.attempt.partNumber, toPart(entry));
  }
  return new Map([...parts.entries()].sort(([a], [b]) => a - b));
}

function isNewer(a: PartAttempt, b: PartAttempt): boolean {
  return a.stamp !== b.stamp ? a.stamp > b.stamp : a.nonce > b.nonce;
}

function toPart(entry: AttemptBlocks): StagedPart {
  const ordered = [...entry.blocks.entries()].sort(([a], [b]) => a - b).map(([, block]) => block);
  return {
    partNumber: entry.attempt.partNumber,
    etag: attemptEtag(entry.attempt),
    size: ordered.reduce((sum, block) => sum + block.size, 0),
    attempt: entry.attempt,
    blockIds: ordered.map((block) => block.name),
    blocks: ordered.map((block) =>
      block.md5 === undefined ? { size: block.size } : { size: block.size, md5: block.md5 },
    ),
    lastModified: new Date(entry.attempt.stamp),
  };
}

/** Splits `length` bytes starting at `start` into block ranges of at most `maxBlock` bytes. */
export function splitRange(
  start: number,
  length: number,
  maxBlock: number,
): Array<{ offset: number; count: number }> {
  if (length === 0) return [{ offset: start, count: 0 }];
  const ranges: Array<{ offset: number; count: number }> = [];
  for (let done = 0; done < length; done += maxBlock) {
    ranges.push({ offset: start + done, count: Math.min(maxBlock, length - done) });
  }
  return ranges;
}
