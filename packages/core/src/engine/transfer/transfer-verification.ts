/**
 * Checking a completed transfer. Size and ETag always (a HEAD of the destination). Content from
 * what was computed while the bytes streamed: each part's MD5 against the destination's part ETag,
 * or its CRC32 against the one the destination answered for the stored part (checked as each part
 * finished), or, where the destination checks each block's MD5 on arrival, that check; the
 * destination's multipart ETag against the MD5 of those parts' MD5s,
 * and the source's ETag when it is the MD5 of the bytes transferred. On request both sides are
 * read again and their SHA-256 compared.
 */
import type { PartCopyClient } from '../../client/part-copy-client.js';
import type { ByteRange } from '../../contract/types.js';
import { PartCopyError } from '../../errors/part-copy-error.js';
import { etagMatches, multipartEtag, unquoteEtag } from '../../semantics/etag.js';
import { hashBody, readBackMismatch } from '../read-back-hash.js';
import type { PinnedRead } from './stream-part.js';
import type { TransferCheck, TransferVerification, TransferVerifyMode } from './transfer-types.js';

export interface TransferVerifyInput {
  mode: TransferVerifyMode;
  source: PinnedRead & { size: number };
  range: ByteRange;
  destination: { client: PartCopyClient; bucket: string; key: string };
  /** What completion returned. */
  etag: string;
  size: number;
  /** Hex MD5 of every part in order, where known (computed while streaming, or an MD5 part ETag). */
  partMd5s: ReadonlyArray<string | undefined>;
  /** Every streamed part's MD5 was checked against the destination's part ETag. */
  partsChecked: boolean;
  /** Every streamed part's CRC32 was checked against the CRC32 the destination answered for it. */
  crc32Checked: boolean;
  /** The destination checked every streamed block's digest on arrival (`uploadPartChecksBlocks`). */
  blocksChecked: boolean;
  signal: AbortSignal | undefined;
  onRead: (bytes: number) => void;
}

export async function verifyTransfer(input: TransferVerifyInput): Promise<TransferVerification> {
  const { destination } = input;
  const head = await destination.client.headObject({
    bucket: destination.bucket,
    key: destination.key,
    abortSignal: input.signal,
  });
  if (head.size !== input.size || !etagMatches(input.etag, head.etag)) {
    throw failed(
      input,
      `${destination.bucket}/${destination.key} is ${head.size} bytes with ETag ${head.etag}, expected ${input.size} bytes with ETag ${input.etag} (overwritten meanwhile?)`,
    );
  }
  if (input.mode === 'size-only') return { size: true, checks: [], bytesRead: 0 };
  const checks = checksumChecks(input);
  if (input.mode !== 'read-back') return { size: true, checks, bytesRead: 0 };
  const bytesRead = await readBack(input);
  return { size: true, checks: [...checks, 'read-back-sha256'], bytesRead };
}

function checksumChecks(input: TransferVerifyInput): TransferCheck[] {
  const checks: TransferCheck[] = input.partsChecked ? ['part-md5'] : [];
  if (input.crc32Checked) checks.push('part-crc32');
  if (input.blocksChecked) checks.push('block-md5');
  const md5s = input.partMd5s;
  if (md5s.length === 0 || md5s.some((md5) => md5 === undefined)) return checks;
  const known = md5s as string[];
  const etag = unquoteEtag(input.etag);
  if (etag.includes('-')) {
    if (unquoteEtag(multipartEtag(known)) !== etag)
      throw failed(input, `the destination's ETag ${input.etag} is not the multipart ETag of the parts sent`);
    checks.push('multipart-etag');
  }
  const sourceEtag = unquoteEtag(input.source.etag);
  const whole = input.range.start === 0 && input.range.end === input.source.size - 1;
  if (whole && known.length === 1 && /^[0-9a-f]{32}$/.test(sourceEtag)) {
    if (sourceEtag !== known[0])
      throw failed(input, `the bytes read do not have the source's MD5 ETag ${input.source.etag}`);
    checks.push('source-md5');
  }
  return checks;
}

async function readBack(input: TransferVerifyInput): Promise<number> {
  const { source, destination, signal } = input;
  const read = await source.client.getObject({
    bucket: source.bucket,
    key: source.key,
    ...(source.versionId === undefined ? {} : { versionId: source.versionId }),
    range: input.range,
    abortSignal: signal,
  });
  const sourceHash = await hashBody(read.body, input.onRead);
  const copy = await destination.client.getObject({
    bucket: destination.bucket,
    key: destination.key,
    abortSignal: signal,
  });
  const copyHash = await hashBody(copy.body, input.onRead);
  const mismatch = readBackMismatch(sourceHash, copyHash);
  if (mismatch !== undefined) throw failed(input, mismatch);
  return sourceHash.bytes + copyHash.bytes;
}

function failed(input: TransferVerifyInput, why: string): PartCopyError {
  return new PartCopyError(
    'InternalError',
    `verification failed: ${why}; the transfer completed, so check or delete the destination`,
    {
      bucket: input.destination.bucket,
      key: input.destination.key,
      operation: 'headObject',
      retryable: false,
    },
  );
}
