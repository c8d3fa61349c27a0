/**
 * The session record of a resumable copy: what was intended (source identity and pin,
 * destination, range, plan, upload id), never what was done (the store's listParts says that),
 * and never a secret. Versioned, so a record from another format is refused, not misread.
 */
import type { ByteRange } from '../contract/types.js';
import type { CopyStrategy } from './copy-plan.js';
import { corruptSession, parseSessionOfKind, type SessionEnvelope } from './session-record.js';

export { CopySessionError, type CopySessionProblem } from './session-error.js';

/** The record, as stored (JSON). */
export interface CopySessionRecord extends SessionEnvelope<'copy'> {
  /** The provider's name (`s3`, `fs`, ...): a session is resumed only on the same kind of store. */
  provider: string;
  /** The caller's label for the store (e.g. `s3 http://127.0.0.1:9000`), checked when both sides name one. */
  store?: string;
  /** The source and its pin: resume fails with PreconditionFailed when the ETag or size changed. */
  source: { bucket: string; key: string; versionId?: string; etag: string; size: number };
  destination: { bucket: string; key: string };
  range: ByteRange;
  strategy: CopyStrategy;
  plan: { partSize: number; partsCount: number; totalSize: number; ranged: boolean };
  pinSource: boolean;
  /** The multipart upload the parts go to (absent for a whole-object copy). */
  uploadId?: string;
  /**
   * `creating` from just before the upload is created until its id is recorded (a run killed in
   * between leaves an upload the resume adopts: the only one for the destination key started
   * since the record was written); `copying` while parts are copied; `completing` once every part exists and completion was
   * sent, with the part ETags, so a resume after a crash during completion can recognise the
   * completed object instead of failing on a vanished upload.
   */
  state: 'creating' | 'copying' | 'completing';
  completedParts?: Array<{ partNumber: number; etag: string }>;
  /**
   * A whole-object copy the store runs in rounds (GCS rewrite): the token of the last finished
   * round, so a resume continues the copy instead of starting it over.
   */
  resumeToken?: string;
}

/** Checks a record's text is a copy session this engine can resume; typed errors otherwise. */
export function parseCopySession(id: string, text: string): CopySessionRecord {
  const value = parseSessionOfKind(id, text, 'copy');
  const problem = shapeProblem(value);
  if (problem !== undefined) throw corruptSession(id, problem);
  return value as unknown as CopySessionRecord;
}

function shapeProblem(value: Record<string, unknown>): string | undefined {
  const { source, destination, range, plan } = value;
  if (typeof value.id !== 'string' || typeof value.provider !== 'string') return 'id or provider missing';
  if (!isObject(source) || typeof source.bucket !== 'string' || typeof source.key !== 'string')
    return 'source missing';
  if (typeof source.etag !== 'string' || !Number.isSafeInteger(source.size)) return 'source pin missing';
  if (!isObject(destination) || typeof destination.bucket !== 'string' || typeof destination.key !== 'string')
    return 'destination missing';
  if (!isObject(range) || !Number.isSafeInteger(range.start) || !Number.isSafeInteger(range.end))
    return 'range missing';
  if (!isObject(plan) || !Number.isSafeInteger(plan.partSize) || !Number.isSafeInteger(plan.partsCount))
    return 'plan missing';
  if (!['creating', 'copying', 'completing'].includes(value.state as string)) return 'state missing';
  if (value.resumeToken !== undefined && typeof value.resumeToken !== 'string')
    return 'resume token not text';
  if (value.strategy !== 'whole-object' && value.state !== 'creating' && typeof value.uploadId !== 'string')
    return 'upload id missing';
  return undefined;
}

/** The record's only parts of it that may need abort on a bad record: upload id and destination. */
export function salvageUpload(text: string): { bucket: string; key: string; uploadId: string } | undefined {
  try {
    const value = JSON.parse(text) as Record<string, unknown>;
    const destination = value.destination as Record<string, unknown> | undefined;
    if (
      typeof value.uploadId === 'string' &&
      typeof destination?.bucket === 'string' &&
      typeof destination.key === 'string'
    )
      return { bucket: destination.bucket, key: destination.key, uploadId: value.uploadId };
  } catch {
    // Nothing to salvage from a file that is not JSON.
  }
  return undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
