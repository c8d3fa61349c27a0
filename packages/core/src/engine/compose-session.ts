/**
 * The session record of a resumable compose: the destination, every piece with the ETag it was
 * pinned to, the plan's shape and the upload id. What was done is never recorded: on resume the
 * store's part list says which parts exist. No secrets.
 */
import { createHash } from 'node:crypto';
import type { PartCopyClient } from '../client/part-copy-client.js';
import type { ByteRange, ObjectSettings } from '../contract/types.js';
import type { ComposeDestination, ComposeSource, PinnedPiece } from './compose-types.js';
import { CopySessionError } from './session-error.js';
import { corruptSession, newEnvelope, parseSessionOfKind, type SessionEnvelope } from './session-record.js';

export interface ComposeSessionRecord extends SessionEnvelope<'compose'> {
  /** The provider's name: a session is resumed only on the same kind of store. */
  provider: string;
  /** The caller's label for the store (e.g. `az http://127.0.0.1:10000/devstoreaccount1`). */
  store?: string;
  /** The result's place and its publish conditions (If-Match / If-None-Match). */
  destination: ComposeDestination;
  /** Every piece, in order, with the ETag it is pinned to (a resume fails when one changed). */
  pieces: Array<{ bucket: string; key: string; versionId?: string; etag: string; range?: ByteRange }>;
  /** Parts of the multipart plan (0 for a native compose) and bytes of the result. */
  plan: { partsCount: number; totalSize: number };
  /**
   * `multipart` (S3's part rules, one upload: the default of records without it) or `native`
   * (the store's own compose, resumable where the provider keeps its staged progress under the
   * session's key: Azure's uncommitted blocks).
   */
  strategy?: 'multipart' | 'native';
  /** The caller's part size for copies of large pieces, so a resume plans the same parts. */
  partSize?: number;
  /** The result's settings (content type, metadata...: no secrets), re-applied by a resume. */
  settings?: ObjectSettings;
  /** The multipart upload the parts go to, once created. */
  uploadId?: string;
  /**
   * `creating` from just before the upload is created until its id is recorded (a resume adopts
   * the upload such a run left); `copying` while parts are copied (native: while pieces are
   * staged); `completing` once every part exists, with the part ETags, so a resume after a crash
   * during completion recognises the published object.
   */
  state: 'creating' | 'copying' | 'completing';
  /** The parts completion was sent with (state `completing`). */
  completedParts?: Array<{ partNumber: number; etag: string }>;
}

/** The same compose (store, destination, pieces as given) always gets the same id. */
export function composeSessionId(
  client: PartCopyClient,
  destination: ComposeDestination,
  sources: readonly ComposeSource[],
  storeLabel: string | undefined,
): string {
  const hash = createHash('sha256');
  hash.update(
    JSON.stringify([client.provider.name, storeLabel ?? null, destination.bucket, destination.key]),
  );
  for (const s of sources)
    hash.update(JSON.stringify([s.bucket, s.key, s.versionId ?? null, s.range ?? null]));
  return `compose-${hash.digest('hex').slice(0, 24)}`;
}

export function newComposeRecord(
  client: PartCopyClient,
  id: string,
  storeLabel: string | undefined,
  destination: ComposeDestination,
  pieces: readonly PinnedPiece[],
  plan: { partsCount: number; totalSize: number },
  options: {
    strategy: 'multipart' | 'native';
    partSize?: number | undefined;
    settings?: ObjectSettings | undefined;
  },
): ComposeSessionRecord {
  const settings = options.settings ?? {};
  return {
    ...newEnvelope('compose', id),
    provider: client.provider.name,
    ...(storeLabel === undefined ? {} : { store: storeLabel }),
    destination: { ...destination },
    pieces: pieces.map((p) => ({
      bucket: p.bucket,
      key: p.key,
      ...(p.versionId === undefined ? {} : { versionId: p.versionId }),
      etag: p.etag,
      ...(p.range === undefined ? {} : { range: p.range }),
    })),
    plan,
    strategy: options.strategy,
    ...(options.partSize === undefined ? {} : { partSize: options.partSize }),
    ...(Object.keys(settings).length === 0 ? {} : { settings: { ...settings } }),
    state: options.strategy === 'native' ? 'copying' : 'creating',
  };
}

/** Reads a record, refusing text that is not a compose session (typed errors). */
export function parseComposeRecord(id: string, text: string): ComposeSessionRecord {
  const record = parseSessionOfKind(id, text, 'compose');
  const { pieces, plan, destination } = record as Partial<ComposeSessionRecord>;
  if (!Array.isArray(pieces) || plan === undefined || typeof destination?.key !== 'string')
    throw corruptSession(id, 'pieces, plan or destination missing');
  const settings = (record as Partial<ComposeSessionRecord>).settings;
  // JSON keeps a Date as its ISO text.
  if (settings?.expires !== undefined)
    return { ...record, settings: { ...settings, expires: new Date(settings.expires) } } as never;
  return record as unknown as ComposeSessionRecord;
}

/** The pieces pinned now must be the pieces the record pinned: a changed source ends the session. */
export function checkSamePins(record: ComposeSessionRecord, pieces: readonly PinnedPiece[]): void {
  const changed = pieces.find((p, i) => record.pieces[i]?.etag !== p.etag);
  if (changed === undefined && record.pieces.length === pieces.length) return;
  const where = changed ? `${changed.bucket}/${changed.key}` : 'the piece list';
  throw new CopySessionError(
    'source-changed',
    record.id,
    `compose session ${record.id}: ${where} changed since the compose began; the session was aborted, compose again`,
  );
}
