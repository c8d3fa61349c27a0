/**
 * The session record of a resumable transfer: what was intended (both stores, the source's pin,
 * range, plan, upload id), never what was done (the destination's part list says that), and no
 * secret (signed URLs are made per part and never kept). Versioned like the copy engine's record.
 */
import { createHash } from 'node:crypto';
import type { ByteRange } from '../../contract/types.js';
import { parseByteRange } from '../../semantics/byte-range.js';
import { CopySessionError } from '../session-error.js';
import { corruptSession, parseSessionOfKind, type SessionEnvelope } from '../session-record.js';
import type { TransferObjectRequest, TransferPlanStrategy } from './transfer-types.js';

export interface TransferSessionRecord extends SessionEnvelope<'transfer'> {
  source: {
    provider: string;
    label?: string;
    bucket: string;
    key: string;
    versionId?: string;
    etag: string;
    size: number;
  };
  destination: { provider: string; label?: string; bucket: string; key: string };
  range: ByteRange;
  strategy: Exclude<TransferPlanStrategy, 'empty-put'>;
  plan: { partSize: number; partsCount: number; totalSize: number };
  uploadId?: string;
  /** `creating` until the upload id is recorded, `copying` while parts move. */
  state: 'creating' | 'copying';
}

/** The id a transfer's session gets when the caller names none: the same transfer finds it again. */
export function transferSessionId(request: TransferObjectRequest): string {
  const { source, destination } = request;
  const identity = JSON.stringify([
    source.client.provider.name,
    source.label ?? '',
    source.bucket,
    source.key,
    source.versionId ?? '',
    source.range ?? null,
    destination.client.provider.name,
    destination.label ?? '',
    destination.bucket,
    destination.key,
    request.partSize ?? null,
  ]);
  return `tr-${createHash('sha256').update(identity).digest('hex').slice(0, 24)}`;
}

/** Parses a record and checks it describes this transfer; typed errors otherwise. */
export function parseTransferSession(
  id: string,
  text: string,
  request: TransferObjectRequest,
): TransferSessionRecord {
  const value = parseTransferRecord(id, text);
  checkSameTransfer(id, value, request);
  return value;
}

/** Reads a record that must be a transfer session (typed errors), whatever transfer it is. */
export function parseTransferRecord(id: string, text: string): TransferSessionRecord {
  const value = parseSessionOfKind(id, text, 'transfer') as Partial<TransferSessionRecord>;
  const { source, destination, range, plan } = value;
  if (!source || !destination || !range || !plan || typeof source.etag !== 'string')
    throw corruptSession(id, 'source, destination, range or plan missing');
  if (value.state === 'copying' && typeof value.uploadId !== 'string')
    throw corruptSession(id, 'upload id missing');
  return value as TransferSessionRecord;
}

function checkSameTransfer(id: string, record: TransferSessionRecord, request: TransferObjectRequest): void {
  const { source: s, destination: d } = request;
  const same =
    record.source.provider === s.client.provider.name &&
    (record.source.label ?? '') === (s.label ?? '') &&
    record.source.bucket === s.bucket &&
    record.source.key === s.key &&
    (record.source.versionId ?? '') === (s.versionId ?? '') &&
    record.destination.provider === d.client.provider.name &&
    (record.destination.label ?? '') === (d.label ?? '') &&
    record.destination.bucket === d.bucket &&
    record.destination.key === d.key &&
    sameRange(s.range, record.range);
  if (same) return;
  throw new CopySessionError(
    'other-copy',
    id,
    `session ${id} is the transfer of ${record.source.provider}:${record.source.bucket}/${record.source.key} to ${record.destination.provider}:${record.destination.bucket}/${record.destination.key}, not this one; use another session id`,
  );
}

function sameRange(input: TransferObjectRequest['source']['range'], recorded: ByteRange): boolean {
  if (input === undefined) return true;
  const range = parseByteRange(input, 'source.range');
  return range.start === recorded.start && range.end === recorded.end;
}
