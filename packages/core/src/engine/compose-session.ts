/**
 * The session record of a resumable compose: the destination, every piece with the ETag it was
 * pinned to, the plan's shape and the upload id. What was done is never recorded: on resume the
 * store's part list says which parts exist. No secrets.
 */
import { createHash } from 'node:crypto';
import type { PartCopyClient } from '../client/part-copy-client.js';
import type { ByteRange } from '../contract/types.js';
import type { ComposeDestination, ComposeSource, PinnedPiece } from './compose-types.js';
import { CopySessionError } from './copy-session.js';

export const COMPOSE_SESSION_FORMAT = 'partcopy.compose-session';
export const COMPOSE_SESSION_FORMAT_VERSION = 1;

export interface ComposeSessionRecord {
  format: typeof COMPOSE_SESSION_FORMAT;
  formatVersion: number;
  id: string;
  createdAt: string;
  updatedAt: string;
  provider: string;
  store?: string;
  destination: ComposeDestination;
  pieces: Array<{ bucket: string; key: string; versionId?: string; etag: string; range?: ByteRange }>;
  plan: { partsCount: number; totalSize: number };
  uploadId?: string;
  /**
   * `creating` from just before the upload is created until its id is recorded (a resume adopts
   * the upload such a run left); `completing` once every part exists, with the part ETags, so a
   * resume after a crash during completion recognises the published object.
   */
  state: 'creating' | 'copying' | 'completing';
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
): ComposeSessionRecord {
  const now = new Date().toISOString();
  return {
    format: COMPOSE_SESSION_FORMAT,
    formatVersion: COMPOSE_SESSION_FORMAT_VERSION,
    id,
    createdAt: now,
    updatedAt: now,
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
    state: 'creating',
  };
}

/** Reads a record, refusing text that is not a compose session of this format. */
export function parseComposeRecord(id: string, text: string): ComposeSessionRecord {
  let record: Partial<ComposeSessionRecord>;
  try {
    record = JSON.parse(text) as Partial<ComposeSessionRecord>;
  } catch (error) {
    throw new CopySessionError(
      'corrupt',
      id,
      `compose session ${id} is not valid JSON; abort it and compose again`,
      {
        cause: error,
      },
    );
  }
  if (record.format !== COMPOSE_SESSION_FORMAT || !Array.isArray(record.pieces) || record.plan === undefined)
    throw new CopySessionError(
      'corrupt',
      id,
      `session ${id} is not a compose session; abort it and compose again`,
    );
  if (record.formatVersion !== COMPOSE_SESSION_FORMAT_VERSION) {
    throw new CopySessionError(
      'format-version',
      id,
      `compose session ${id} has format version ${record.formatVersion}; this partcopy reads ${COMPOSE_SESSION_FORMAT_VERSION}. Abort it and compose again`,
    );
  }
  return record as ComposeSessionRecord;
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
