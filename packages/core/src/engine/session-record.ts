/**
 * The one session record format: every resumable run of the engine (a copy, a compose, a
 * transfer) is kept in a {@link SessionStore} as JSON with the same envelope,
 * `{ format: 'partcopy.session', formatVersion: 2, kind, id, createdAt, updatedAt, ... }`, so one
 * store (one folder) holds every kind, and listing, abort and garbage collection read them alike.
 *
 * The previous release wrote one format per kind (`partcopy.copy-session`,
 * `partcopy.compose-session`, `partcopy.transfer-session`, each version 1, same fields otherwise):
 * those records are read as version 2 records of their kind and written back in the new form at
 * the session's next save. A version this engine does not know is refused with a typed error that
 * says what to do.
 */
import { CopySessionError } from './session-error.js';

/** The `format` of every session record, so a stray JSON file is never taken for a session. */
export const SESSION_FORMAT = 'partcopy.session';
/** The record layout this engine writes. Version 1 records (one format per kind) are read too. */
export const SESSION_FORMAT_VERSION = 2;

/** What a session resumes: a managed copy, a compose, or a transfer between two stores. */
export type SessionKind = 'copy' | 'compose' | 'transfer';

/** The fields every session record has, whatever its kind. */
export interface SessionEnvelope<K extends SessionKind = SessionKind> {
  /** Always {@link SESSION_FORMAT}. */
  format: typeof SESSION_FORMAT;
  /** Always {@link SESSION_FORMAT_VERSION} once read (version 1 records are upgraded as they are read). */
  formatVersion: typeof SESSION_FORMAT_VERSION;
  /** Which engine resumes the session. */
  kind: K;
  /** The session's id in its store. */
  id: string;
  /** ISO times; informative (and, while an upload is being created, the adoption window). */
  createdAt: string;
  updatedAt: string;
}

// The formats of the previous release: version 1, one per kind.
const LEGACY_FORMATS: Readonly<Record<string, SessionKind>> = {
  'partcopy.copy-session': 'copy',
  'partcopy.compose-session': 'compose',
  'partcopy.transfer-session': 'transfer',
};
const KINDS: readonly SessionKind[] = ['copy', 'compose', 'transfer'];

/**
 * Parses a record's text into the current envelope (a version 1 record is upgraded in memory),
 * or throws a {@link CopySessionError}: `corrupt` for text that is not a session, `format-version`
 * for a version this engine does not read.
 */
export function parseSessionEnvelope(id: string, text: string): SessionEnvelope & Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw corruptSession(id, 'it is not JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw corruptSession(id, 'it is not a partcopy session');
  const record = value as Record<string, unknown>;
  const legacy = typeof record.format === 'string' ? LEGACY_FORMATS[record.format] : undefined;
  if (legacy !== undefined && record.formatVersion === 1)
    return {
      ...record,
      format: SESSION_FORMAT,
      formatVersion: SESSION_FORMAT_VERSION,
      kind: legacy,
    } as never;
  if (record.format !== SESSION_FORMAT && legacy === undefined)
    throw corruptSession(id, 'it is not a partcopy session');
  if (record.formatVersion !== SESSION_FORMAT_VERSION || legacy !== undefined) {
    throw new CopySessionError(
      'format-version',
      id,
      `session ${id} has format version ${String(record.formatVersion)} (${String(record.format)}); this partcopy reads ${SESSION_FORMAT} version ${SESSION_FORMAT_VERSION} (and version 1 records of the previous release). Resume it with the partcopy that wrote it, or abort it (the abort still removes its upload)`,
    );
  }
  if (!KINDS.includes(record.kind as SessionKind))
    throw corruptSession(id, `its kind ${JSON.stringify(record.kind)} is not one of ${KINDS.join(', ')}`);
  return record as SessionEnvelope & Record<string, unknown>;
}

/** Parses a record that must be of `kind`; a session of another kind is refused and named. */
export function parseSessionOfKind<K extends SessionKind>(
  id: string,
  text: string,
  kind: K,
): SessionEnvelope<K> & Record<string, unknown> {
  const record = parseSessionEnvelope(id, text);
  if (record.kind === kind) return record as SessionEnvelope<K> & Record<string, unknown>;
  throw new CopySessionError(
    'other-kind',
    id,
    `session ${id} is a ${record.kind} session, not a ${kind} session; resume or abort it as one (\`partcopy sessions resume ${id}\` picks the kind itself)`,
  );
}

/** The envelope of a new record of `kind`, stamped now. */
export function newEnvelope<K extends SessionKind>(kind: K, id: string): SessionEnvelope<K> {
  const now = new Date().toISOString();
  return {
    format: SESSION_FORMAT,
    formatVersion: SESSION_FORMAT_VERSION,
    kind,
    id,
    createdAt: now,
    updatedAt: now,
  };
}

/** The text a store keeps for a record. */
export function sessionText(record: SessionEnvelope): string {
  return `${JSON.stringify(record, null, 2)}\n`;
}

export function corruptSession(id: string, why: string): CopySessionError {
  return new CopySessionError(
    'corrupt',
    id,
    `session ${id} is unreadable (${why}); nothing was changed. Abort it to remove it (its upload is aborted when the record still names one; otherwise \`partcopy uploads list\` finds it)`,
  );
}
