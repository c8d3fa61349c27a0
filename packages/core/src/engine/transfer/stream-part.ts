/**
 * One streamed part: a ranged read of the source, pinned to the ETag (and version) the transfer
 * started with, piped into the destination's part upload. The body is an async iterable pulled by
 * the upload, so the read advances only as fast as the write (real backpressure) and no part is
 * held whole here.
 *
 * What is computed over the bytes as they pass depends on what the destination can be checked
 * against, the cheapest honest check first:
 * - a store that checks every block's own digest on arrival (capability `uploadPartChecksBlocks`,
 *   Azure) gets nothing here: a second digest of the same bytes would check nothing more;
 * - a store that declares it checks the CRC32 sent with every part on arrival and answers it
 *   (capability `uploadPartAnswersCrc32`: S3 and MinIO, the SDK's CRC32 trailer) gets nothing here
 *   either: the provider's SDK computes that CRC32 over these same bytes, so a second CRC32 here
 *   would be a second pass over every byte checking nothing more. The answer must carry the
 *   CRC32 (the sign the store checked one); a part answered without it fails retryably, to be
 *   sent again with its MD5 computed;
 * - a store that answers a CRC32 without declaring it is checked by a CRC32 of the bytes that
 *   passed (zlib's CRC32 costs about a tenth of an MD5 pass);
 * - otherwise the MD5 of the bytes is checked against the part ETag where that is an MD5.
 * Until the first part's answer says which kind an undeclared destination is, both sums are
 * computed.
 */
import { createHash } from 'node:crypto';
import type { PartCopyClient } from '../../client/part-copy-client.js';
import { PartCopyError } from '../../errors/part-copy-error.js';
import { type Checksummer, createChecksummer } from '../../semantics/checksums/checksummer.js';
import { etagMatches, unquoteEtag } from '../../semantics/etag.js';
import type { PlannedPart } from '../part-plan.js';

/** The source as every read pins it. */
export interface PinnedRead {
  client: PartCopyClient;
  bucket: string;
  key: string;
  versionId?: string | undefined;
  etag: string;
}

export interface StreamedPart {
  etag: string;
  /** Hex MD5 of the bytes that passed; absent when the destination checked each block itself. */
  md5?: string;
  /** The destination's part ETag is that MD5 (checked; a mismatch throws `BadDigest`). */
  md5Checked: boolean;
  /**
   * The destination answered the stored part's CRC32 and it equals the CRC32 of the bytes that
   * passed (checked; a mismatch throws `BadDigest`).
   */
  crc32Checked: boolean;
  /** The destination checked every block's digest on arrival (`uploadPartChecksBlocks`). */
  blocksChecked: boolean;
}

const MD5_HEX = /^[0-9a-f]{32}$/;

/** Streams `part` of the source into part `part.partNumber` of the destination upload. */
export async function streamPart(
  source: PinnedRead,
  destination: {
    client: PartCopyClient;
    bucket: string;
    key: string;
    uploadId: string;
    /** An earlier part's ETag was its MD5: this part's MD5 check covers what a store checksum would. */
    etagsAreMd5?: boolean;
    /**
     * What an earlier part's answer said: true when it carried the stored part's CRC32 (this part
     * is then checked by CRC32 alone), false when it did not (MD5 alone), absent before any answer.
     */
    reportsCrc32?: boolean;
    /**
     * The destination declares that it checks the CRC32 sent with the part on arrival and answers
     * it (`uploadPartAnswersCrc32`), and no answer has contradicted that yet: nothing is computed
     * here and the answer's CRC32 is the check.
     */
    storeChecksCrc32?: boolean;
    /**
     * Called when the part went without its MD5 (`reportsCrc32` or `storeChecksCrc32` true) and the
     * answer carried no CRC32 after all: the part then fails retryably, and its next attempt must
     * compute the MD5.
     */
    onNoCrc32?: () => void;
  },
  part: PlannedPart,
  signal: AbortSignal,
  onBytes: (bytes: number) => void,
): Promise<StreamedPart> {
  const read = await source.client.getObject({
    bucket: source.bucket,
    key: source.key,
    ...(source.versionId === undefined ? {} : { versionId: source.versionId }),
    range: part.range,
    abortSignal: signal,
  });
  const chunks = read.body[Symbol.asyncIterator]();
  try {
    checkPin(source, read.etag, read.contentLength, part);
    const sums = partSumsFor(destination);
    const hash = sums === 'md5' || sums === 'both' ? createHash('md5') : undefined;
    const crc32 = sums === 'crc32' || sums === 'both' ? createChecksummer('CRC32') : undefined;
    const body = passThrough(chunks, hash, crc32, onBytes, sourceReadOf(source, part));
    const uploaded = await destination.client.uploadPart({
      bucket: destination.bucket,
      key: destination.key,
      uploadId: destination.uploadId,
      partNumber: part.partNumber,
      body,
      contentLength: part.size,
      // Without the store's CRC32 to check, the MD5 check stands in for the SDK's own checksum.
      ...(sums === 'md5' && destination.etagsAreMd5 === true ? { md5CheckedByCaller: true } : {}),
      abortSignal: signal,
    });
    const target = { destination, part };
    const blocksChecked = sums === 'store-blocks';
    const crc32Checked =
      sums === 'store-crc32'
        ? uploaded.checksumCRC32 !== undefined
        : crc32 !== undefined && checkCrc32(target, crc32, uploaded.checksumCRC32);
    if ((sums === 'store-crc32' || sums === 'crc32') && !crc32Checked) {
      destination.onNoCrc32?.();
      throw noCrc32Answered(source, part);
    }
    if (hash === undefined) return { etag: uploaded.etag, md5Checked: false, crc32Checked, blocksChecked };
    const md5 = hash.digest('hex');
    const md5Checked = checkMd5(target, md5, uploaded.etag);
    return { etag: uploaded.etag, md5, md5Checked, crc32Checked, blocksChecked };
  } finally {
    // Releases the source's connection when the upload stopped before reading to the end.
    await chunks.return?.();
  }
}

/**
 * What is summed here over a part's bytes as they pass, decided once per part (see the file's
 * comment): nothing where the store checks a digest sent with the bytes itself (`store-blocks`,
 * `store-crc32`), else the CRC32 (`crc32`), the MD5 (`md5`), or both until an answer tells.
 */
type PartSums = 'store-blocks' | 'store-crc32' | 'crc32' | 'md5' | 'both';

function partSumsFor(destination: Parameters<typeof streamPart>[1]): PartSums {
  if (destination.client.capabilitiesFor(destination.bucket).uploadPartChecksBlocks === true)
    return 'store-blocks';
  if (destination.storeChecksCrc32 === true) return 'store-crc32';
  if (destination.reportsCrc32 === undefined) return 'both';
  return destination.reportsCrc32 ? 'crc32' : 'md5';
}

interface CheckTarget {
  destination: { bucket: string; key: string };
  part: PlannedPart;
}

/** True when the part ETag is an MD5 and equals `md5`; throws `BadDigest` when it is one and differs. */
function checkMd5(target: CheckTarget, md5: string, etag: string): boolean {
  const partEtag = unquoteEtag(etag);
  if (!MD5_HEX.test(partEtag)) return false;
  if (partEtag !== md5) throw badDigest(target, 'MD5', partEtag, md5);
  return true;
}

/** True when the store answered a CRC32 equal to the one computed; throws `BadDigest` when it differs. */
function checkCrc32(target: CheckTarget, crc32: Checksummer, answered: string | undefined): boolean {
  if (answered === undefined) return false;
  const sent = crc32.digestBase64();
  if (answered !== sent) throw badDigest(target, 'CRC32', answered, sent);
  return true;
}

/**
 * A part sent without its MD5 because the destination was expected to answer its CRC32
 * (`uploadPartAnswersCrc32`) and did not: unchecked, so sent again (retryable), with its MD5.
 */
function noCrc32Answered(source: PinnedRead, part: PlannedPart): PartCopyError {
  return new PartCopyError(
    'InternalError',
    `part ${part.partNumber}: the destination answered no CRC32 of the stored part, so its bytes are unchecked; sending it again with its MD5 computed`,
    {
      bucket: source.bucket,
      key: source.key,
      partNumber: part.partNumber,
      operation: 'uploadPart',
      retryable: true,
    },
  );
}

function badDigest(
  { destination, part }: CheckTarget,
  sum: string,
  stored: string,
  sent: string,
): PartCopyError {
  return new PartCopyError(
    'BadDigest',
    `part ${part.partNumber}: the destination stored bytes whose ${sum} (${stored}) differs from the bytes sent (${sent})`,
    {
      bucket: destination.bucket,
      key: destination.key,
      partNumber: part.partNumber,
      operation: 'uploadPart',
    },
  );
}

// Every read carries the pin: a version id where the source has one, and the ETag of the answer
// must be the one the transfer started with, checked before any byte is used. A source replaced
// meanwhile fails the part with PreconditionFailed instead of mixing two versions.
function checkPin(source: PinnedRead, etag: string, length: number, part: PlannedPart): void {
  if (!etagMatches(source.etag, etag)) {
    throw new PartCopyError(
      'PreconditionFailed',
      `the source ${source.bucket}/${source.key} changed during the transfer (ETag ${etag}, pinned ${source.etag})`,
      { bucket: source.bucket, key: source.key, operation: 'getObject', retryable: false },
    );
  }
  if (length !== part.size) {
    throw new PartCopyError(
      'InternalError',
      `the source answered ${length} bytes for part ${part.partNumber} (bytes ${part.range.start}-${part.range.end}), expected ${part.size}`,
      { bucket: source.bucket, key: source.key, operation: 'getObject', retryable: true },
    );
  }
}

interface SourceRead {
  expected: number;
  /** The error of a read that ended before `expected` bytes. */
  endedShort: (seen: number) => PartCopyError;
}

// A connection closed cleanly mid-body ends the read early without an error. The body's declared
// length would then fail the upload with IncompleteBody, a permanent error that fails the whole
// transfer; but the range can be read again, so the short read is a retryable error of the read.
function sourceReadOf(source: PinnedRead, part: PlannedPart): SourceRead {
  return {
    expected: part.size,
    endedShort: (seen) =>
      new PartCopyError(
        'InternalError',
        `the source's read of part ${part.partNumber} ended after ${seen} of ${part.size} bytes`,
        { bucket: source.bucket, key: source.key, operation: 'getObject', retryable: true },
      ),
  };
}

async function* passThrough(
  chunks: AsyncIterator<Uint8Array>,
  hash: ReturnType<typeof createHash> | undefined,
  crc32: Checksummer | undefined,
  onBytes: (bytes: number) => void,
  read: SourceRead,
): AsyncGenerator<Uint8Array> {
  let seen = 0;
  for (;;) {
    const next = await chunks.next();
    if (next.done) {
      if (seen < read.expected) throw read.endedShort(seen);
      return;
    }
    seen += next.value.length;
    hash?.update(next.value);
    crc32?.update(next.value);
    onBytes(next.value.length);
    yield next.value;
  }
}
