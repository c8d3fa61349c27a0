/**
 * Checking a completed copy. Size always. Content without reading bytes, best first:
 * - checksums the store computed over the bytes it copied (`capabilities.partCopyChecksums` /
 *   `wholeObjectCopyChecksums`; see copy-checksums.ts): the copy's full-object CRC equals the
 *   source's, or the CRC combined from the parts the store copied;
 * - where the store's ETags are MD5s (S3, MinIO, memory, fs): the new object's multipart ETag must
 *   be the MD5 of the part ETags the store returned for the parts it copied from the pinned
 *   source, and when the source's own ETag is an MD5 that the copy reproduces (one part of a plain
 *   object, or the same part layout) the copy is proven equal to the source.
 * Otherwise, on request, both sides are read back and hashed, and the bytes read are counted.
 */
import type { PartCopyClient } from '../client/part-copy-client.js';
import type { ChecksumAlgorithm } from '../contract/capabilities.js';
import type { ObjectInfo } from '../contract/provider-contract.js';
import type { ByteRange, Checksums } from '../contract/types.js';
import { PartCopyError } from '../errors/part-copy-error.js';
import { etagMatches, multipartEtag, unquoteEtag } from '../semantics/etag.js';
import { type CopyChecksum, checksumMismatch, destinationChecksum } from './copy-checksums.js';
import { hashBody, readBackMismatch } from './read-back-hash.js';

/** How the copy was checked. */
export type ContentVerification =
  /**
   * The destination's full-object CRC, computed by the store over the bytes it wrote, equals the
   * source's: same bytes (0 bytes read).
   */
  | 'source-checksum'
  /**
   * The destination's full-object CRC equals the CRC combined from the CRCs the store computed
   * as it copied each part: the object is exactly those parts (a range, or a source without a
   * full-object CRC; 0 bytes read).
   */
  | 'part-checksums'
  /** The destination's ETag equals the source's MD5 ETag: same bytes. */
  | 'source-etag'
  /** The destination's multipart ETag is the MD5 of the copied parts' MD5s: exactly those parts. */
  | 'multipart-etag'
  /** Both sides were read and their SHA-256 compared. */
  | 'read-back-sha256'
  /** Only the size and the completion's ETag were checked (the store gives no usable checksum). */
  | 'none';

/** How a copy was verified (`CopyObjectResult.verification`). */
export interface CopyVerification {
  /** The destination's size equals the bytes copied (always checked). */
  size: true;
  content: ContentVerification;
  /** The full-object checksum compared, for `source-checksum` and `part-checksums`. */
  checksum?: { algorithm: ChecksumAlgorithm; value: string };
  /** Bytes read to verify (read-back only, both sides). */
  bytesRead: number;
}

/**
 * `auto` (default): size, and content from the store's checksums where it gives them;
 * `read-back`: also read both sides and compare their SHA-256 (costs the bytes twice, counted);
 * `size-only`: the size and the completion's ETag alone.
 */
export type VerifyMode = 'auto' | 'read-back' | 'size-only';

export interface VerifyInput {
  client: PartCopyClient;
  mode: VerifyMode;
  source: { bucket: string; key: string; versionId?: string | undefined; etag: string };
  range: ByteRange;
  sourceIsWhole: boolean;
  destination: { bucket: string; key: string };
  /** The ETag completion (or the whole-object copy) returned. */
  etag: string;
  size: number;
  /** Part ETags in order, for part strategies. */
  partEtags?: readonly string[];
  /**
   * The checksum the copy must have, when the store computes them: the source's full-object CRC,
   * or the parts' combined CRC (`source` says which).
   */
  expectedChecksum?: CopyChecksum | undefined;
  /** Checksums the completion (or the whole-object copy) returned. */
  reportedChecksums?: Checksums | undefined;
  /** The destination version the copy created (removed again when its checksum is wrong). */
  versionId?: string | undefined;
  signal: AbortSignal | undefined;
  onRead: (bytes: number) => void;
}

const MD5_HEX = /^[0-9a-f]{32}$/;

export async function verifyCopy(input: VerifyInput): Promise<CopyVerification> {
  const { client, destination } = input;
  const head = await client.headObject({ ...destination, abortSignal: input.signal });
  checkHead(input, head);
  if (input.mode === 'size-only') return { size: true, content: 'none', bytesRead: 0 };
  // The multipart ETag and the checksums are checked in every mode but size-only: they cost no
  // request beyond the HEAD above.
  const byEtag = etagVerification(input);
  const checked = await checksumVerification(input, head);
  const content = checked?.content ?? byEtag;
  if (input.mode !== 'read-back')
    return { size: true, content, ...(checked ? { checksum: checked.checksum } : {}), bytesRead: 0 };
  const bytesRead = await readBack(input);
  return { size: true, content: 'read-back-sha256', bytesRead };
}

/**
 * The destination's full-object checksum against the expected one. A mismatch removes the
 * object the copy just wrote (its HEAD showed our ETag) and fails with `BadDigest`.
 */
async function checksumVerification(
  input: VerifyInput,
  head: ObjectInfo,
): Promise<
  { content: ContentVerification; checksum: { algorithm: ChecksumAlgorithm; value: string } } | undefined
> {
  const expected = input.expectedChecksum;
  if (expected === undefined) return undefined;
  const actual = destinationChecksum(expected.algorithm, head, input.reportedChecksums);
  if (actual === undefined) return undefined;
  if (actual !== expected.value) {
    await discardCopy(input);
    throw checksumMismatch(
      { ...input.destination, operation: 'headObject' },
      `the copy's full-object ${expected.algorithm} is ${actual}, expected ${expected.value} (${expected.source === 'source' ? "the source's" : 'the parts the store copied, combined'}); the copy was removed`,
    );
  }
  return {
    content: expected.source === 'source' ? 'source-checksum' : 'part-checksums',
    checksum: { algorithm: expected.algorithm, value: expected.value },
  };
}

// Best effort: the HEAD just showed the copy's own ETag at the key, so this removes our write.
async function discardCopy(input: VerifyInput): Promise<void> {
  await input.client
    .deleteObject({
      ...input.destination,
      ...(input.versionId === undefined ? {} : { versionId: input.versionId }),
      abortSignal: AbortSignal.timeout(30_000),
    })
    .catch(() => undefined);
}

function checkHead(input: VerifyInput, head: ObjectInfo): void {
  if (head.size === input.size && etagMatches(input.etag, head.etag)) return;
  throw failed(
    input,
    `${input.destination.bucket}/${input.destination.key} is ${head.size} bytes with ETag ${head.etag} after the copy, expected ${input.size} bytes with ETag ${input.etag} (was it overwritten meanwhile?)`,
  );
}

function etagVerification(input: VerifyInput): ContentVerification {
  const etag = unquoteEtag(input.etag);
  const sourceEtag = unquoteEtag(input.source.etag);
  const parts = input.partEtags?.map(unquoteEtag);
  if (parts === undefined) {
    // A whole-object copy: an MD5 ETag that survives the copy proves the bytes.
    return input.sourceIsWhole && MD5_HEX.test(sourceEtag) && etag === sourceEtag ? 'source-etag' : 'none';
  }
  if (parts.length === 0 || !parts.every((part) => MD5_HEX.test(part))) return 'none';
  if (etag.includes('-')) {
    if (unquoteEtag(multipartEtag(parts)) !== etag) {
      throw failed(
        input,
        `the destination's ETag ${input.etag} is not the multipart ETag of the ${parts.length} parts copied`,
      );
    }
    // Same part layout as the source, and the same ETag: the same bytes.
    return input.sourceIsWhole && etag === sourceEtag ? 'source-etag' : 'multipart-etag';
  }
  return 'none';
}

async function readBack(input: VerifyInput): Promise<number> {
  const { client, signal } = input;
  const source = await client.getObject({
    bucket: input.source.bucket,
    key: input.source.key,
    ...(input.source.versionId === undefined ? {} : { versionId: input.source.versionId }),
    range: input.range,
    abortSignal: signal,
  });
  const sourceHash = await hashBody(source.body, input.onRead);
  const copy = await client.getObject({ ...input.destination, abortSignal: signal });
  const copyHash = await hashBody(copy.body, input.onRead);
  const mismatch = readBackMismatch(sourceHash, copyHash);
  if (mismatch !== undefined) throw failed(input, mismatch);
  return sourceHash.bytes + copyHash.bytes;
}

function failed(input: VerifyInput, why: string): PartCopyError {
  return new PartCopyError(
    'InternalError',
    `verification failed: ${why}; the copy completed, so check or delete the destination`,
    {
      ...input.destination,
      operation: 'headObject',
      retryable: false,
    },
  );
}
