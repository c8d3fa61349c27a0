/**
 * One streamed part: a ranged read of the source, pinned to the ETag (and version) the transfer
 * started with, piped into the destination's part upload. The body is an async iterable pulled by
 * the upload, so the read advances only as fast as the write (real backpressure) and no part is
 * held whole here; its MD5 is computed as the bytes pass, unless the destination checks every
 * block's own digest on arrival (capability `uploadPartChecksBlocks`): a second MD5 of the same
 * bytes would then check nothing more, its part ETags not being MD5s.
 */
import { createHash } from 'node:crypto';
import type { PartCopyClient } from '../../client/part-copy-client.js';
import { PartCopyError } from '../../errors/part-copy-error.js';
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
    const blocksChecked =
      destination.client.capabilitiesFor(destination.bucket).uploadPartChecksBlocks === true;
    const hash = blocksChecked ? undefined : createHash('md5');
    const body = passThrough(chunks, hash, onBytes, sourceReadOf(source, part));
    const uploaded = await destination.client.uploadPart({
      bucket: destination.bucket,
      key: destination.key,
      uploadId: destination.uploadId,
      partNumber: part.partNumber,
      body,
      contentLength: part.size,
      ...(hash !== undefined && destination.etagsAreMd5 === true ? { md5CheckedByCaller: true } : {}),
      abortSignal: signal,
    });
    if (hash === undefined) return { etag: uploaded.etag, md5Checked: false, blocksChecked };
    const md5 = hash.digest('hex');
    const partEtag = unquoteEtag(uploaded.etag);
    const md5Checked = MD5_HEX.test(partEtag);
    if (md5Checked && partEtag !== md5) {
      throw new PartCopyError(
        'BadDigest',
        `part ${part.partNumber}: the destination stored bytes whose MD5 (${partEtag}) differs from the bytes sent (${md5})`,
        {
          bucket: destination.bucket,
          key: destination.key,
          partNumber: part.partNumber,
          operation: 'uploadPart',
        },
      );
    }
    return { etag: uploaded.etag, md5, md5Checked, blocksChecked };
  } finally {
    // Releases the source's connection when the upload stopped before reading to the end.
    await chunks.return?.();
  }
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
    onBytes(next.value.length);
    yield next.value;
  }
}
