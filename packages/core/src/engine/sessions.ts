/**
 * Every kind of session through one door: list the sessions of a store (copy, compose and
 * transfer alike, each summarised the same way), resume one by its kind, abort one whatever its
 * kind. The kinds' own engines do the work (`resumeCopy`, `composeObject`, `transferObject`);
 * this file reads records and dispatches.
 */
import type { PartCopyClient } from '../client/part-copy-client.js';
import type { ByteRange } from '../contract/types.js';
import { PartCopyError } from '../errors/part-copy-error.js';
import { nativeResumeKey } from './compose-native-session.js';
import { composeObject } from './compose-object.js';
import { type ComposeSessionRecord, parseComposeRecord } from './compose-session.js';
import type { ComposeObjectRequest, ComposeObjectResult } from './compose-types.js';
import { type CopySessionRecord, parseCopySession, salvageUpload } from './copy-session.js';
import { uploadsSince } from './resume-copy.js';
import { CopySessionError } from './session-error.js';
import { parseSessionEnvelope, type SessionKind } from './session-record.js';
import type { SessionStore } from './session-store.js';
import { transferObject } from './transfer/transfer-object.js';
import { parseTransferRecord, type TransferSessionRecord } from './transfer/transfer-session.js';
import type { TransferObjectRequest, TransferObjectResult } from './transfer/transfer-types.js';

/** A session record of any kind; `kind` tells which. */
export type SessionRecord = CopySessionRecord | ComposeSessionRecord | TransferSessionRecord;

/** What every kind of session has, for listing: where from, where to, how far it is planned. */
export interface SessionSummary {
  /** The session's id in its store. */
  id: string;
  /** Which engine resumes it. */
  kind: SessionKind;
  /** Where it stands (`creating`, `copying`, `completing`), as last recorded. */
  state: SessionRecord['state'];
  /** The sources (a compose has one per piece), each with its store's provider name and label. */
  sources: Array<{ provider: string; store?: string; bucket: string; key: string; range?: ByteRange }>;
  /** The destination, with its store's provider name and label: the store that holds the upload. */
  destination: { provider: string; store?: string; bucket: string; key: string };
  /** The upload the session writes into, once created (none for a whole-object copy or a native compose). */
  uploadId?: string;
  /** Parts planned (0 for a native compose, which has no parts) and bytes of the result. */
  partsTotal: number;
  totalSize: number;
  /** e.g. `part-copies`, `multipart`, `native`, `stream`, `server-pull`. */
  strategy: string;
  /** ISO times the record was written first and last. */
  createdAt: string;
  updatedAt: string;
}

/** One session of {@link listSessions}: its record and summary, or why it cannot be read. */
export interface SessionEntry {
  /** The session's id in its store. */
  id: string;
  /** The record, when it could be read. */
  record?: SessionRecord;
  /** Its kind-independent summary, when it could be read. */
  summary?: SessionSummary;
  /** Why it cannot be read (`corrupt`, `format-version`): abort it to remove it. */
  problem?: CopySessionError;
}

/** Reads and checks the record `id` of any kind; `not-found` when there is none. */
export async function readSession(store: SessionStore, id: string): Promise<SessionRecord> {
  const text = await store.read(id);
  if (text === undefined) throw notFound(store, id);
  return parseRecord(id, text);
}

function parseRecord(id: string, text: string): SessionRecord {
  switch (parseSessionEnvelope(id, text).kind) {
    case 'copy':
      return parseCopySession(id, text);
    case 'compose':
      return parseComposeRecord(id, text);
    case 'transfer':
      return parseTransferRecord(id, text);
  }
}

/** Every session a store keeps, sorted by id: each parsed and summarised, or with its problem. */
export async function listSessions(store: SessionStore): Promise<SessionEntry[]> {
  const entries: SessionEntry[] = [];
  for (const id of (await store.list()).sort()) {
    const text = await store.read(id);
    if (text === undefined) continue;
    try {
      const record = parseRecord(id, text);
      entries.push({ id, record, summary: summarise(record) });
    } catch (error) {
      if (!CopySessionError.isSessionError(error)) throw error;
      entries.push({ id, problem: error });
    }
  }
  return entries;
}

/** The kind-independent summary of a record. */
export function summarise(record: SessionRecord): SessionSummary {
  const common = {
    id: record.id,
    kind: record.kind,
    state: record.state,
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
    ...(record.uploadId === undefined ? {} : { uploadId: record.uploadId }),
  };
  const label = (store: string | undefined) => (store === undefined ? {} : { store });
  switch (record.kind) {
    case 'copy': {
      const where = { provider: record.provider, ...label(record.store) };
      return {
        ...common,
        sources: [{ ...where, bucket: record.source.bucket, key: record.source.key, range: record.range }],
        destination: { ...where, bucket: record.destination.bucket, key: record.destination.key },
        partsTotal: record.plan.partsCount,
        totalSize: record.plan.totalSize,
        strategy: record.strategy,
      };
    }
    case 'compose': {
      const where = { provider: record.provider, ...label(record.store) };
      return {
        ...common,
        sources: record.pieces.map((p) => ({
          ...where,
          bucket: p.bucket,
          key: p.key,
          ...(p.range === undefined ? {} : { range: p.range }),
        })),
        destination: { ...where, bucket: record.destination.bucket, key: record.destination.key },
        partsTotal: record.plan.partsCount,
        totalSize: record.plan.totalSize,
        strategy: record.strategy ?? 'multipart',
      };
    }
    case 'transfer': {
      const { source: s, destination: d } = record;
      return {
        ...common,
        sources: [
          { provider: s.provider, ...label(s.label), bucket: s.bucket, key: s.key, range: record.range },
        ],
        destination: { provider: d.provider, ...label(d.label), bucket: d.bucket, key: d.key },
        partsTotal: record.plan.partsCount,
        totalSize: record.plan.totalSize,
        strategy: record.strategy,
      };
    }
  }
}

/** What {@link abortSession} did. */
export interface AbortSessionResult {
  /** The session removed. */
  id: string;
  /** The session's kind, when its record could be read. */
  kind?: SessionKind;
  /** The upload aborted, when the record named one (or a run killed while creating it left one). */
  uploadId?: string;
  /** The upload was already gone (completed, aborted, or expired). */
  uploadWasGone: boolean;
  /**
   * A native compose session: what its compose had staged (GCS staging objects, Azure uncommitted
   * blocks), removed and left (with the reason: Azure cannot drop uncommitted blocks of an existing
   * destination without changing it).
   */
  staged?: { removed: number; left: number; leftReason?: string };
}

/**
 * Aborts a session of any kind: its upload (every part written with it) goes, then its record.
 * `client` is the client of the store that holds the upload: the destination's. Works on a
 * record that cannot be resumed (corrupt, another format version) as long as it names an upload;
 * a record killed while creating its upload (state `creating`) finds the upload that run left.
 * A native compose session has no upload: what its compose staged under the session's key (GCS
 * staging objects and composites, Azure uncommitted blocks) is discarded through the provider's
 * `discardComposeProgress`, an existing destination left as it is.
 */
export async function abortSession(request: {
  client: PartCopyClient;
  session: { store: SessionStore; id: string };
}): Promise<AbortSessionResult> {
  const { client, session } = request;
  const text = await session.store.read(session.id);
  if (text === undefined) throw notFound(session.store, session.id);
  const lock = await session.store.lock(session.id);
  try {
    const upload = salvageUpload(text) ?? (await orphanOf(client, text));
    let uploadWasGone = upload === undefined;
    if (upload !== undefined) {
      try {
        await client.abortMultipartUpload(upload);
      } catch (error) {
        if (!PartCopyError.hasCode(error, 'NoSuchUpload')) throw error;
        uploadWasGone = true;
      }
    }
    const staged = await discardNativeCompose(client, session.id, text);
    await session.store.remove(session.id);
    const kind = kindOf(session.id, text);
    return {
      id: session.id,
      ...(kind === undefined ? {} : { kind }),
      ...(upload ? { uploadId: upload.uploadId } : {}),
      uploadWasGone,
      ...(staged === undefined ? {} : { staged }),
    };
  } finally {
    await lock.release();
  }
}

/**
 * How many units (Azure blocks, GCS staging objects and composites) the compose of a native compose
 * session has staged in the store so far: its progress, as the store holds it. Undefined for other
 * sessions, and where the provider cannot tell (no `discardComposeProgress`).
 */
export async function nativeComposeStaged(
  client: PartCopyClient,
  record: SessionRecord,
  signal?: AbortSignal,
): Promise<number | undefined> {
  if (record.kind !== 'compose' || record.strategy !== 'native') return undefined;
  if (typeof client.provider.discardComposeProgress !== 'function') return undefined;
  const { bucket, key } = record.destination;
  const counted = await client.discardComposeProgress({
    bucket,
    key,
    resumeKey: nativeResumeKey(record),
    dryRun: true,
    abortSignal: signal,
  });
  return counted.removed + counted.left;
}

// A native compose session's staged progress goes with it, where the provider can find it again.
async function discardNativeCompose(
  client: PartCopyClient,
  id: string,
  text: string,
): Promise<AbortSessionResult['staged']> {
  let record: ComposeSessionRecord;
  try {
    record = parseComposeRecord(id, text);
  } catch {
    return undefined;
  }
  if (record.strategy !== 'native' || typeof client.provider.discardComposeProgress !== 'function') {
    return undefined;
  }
  const { bucket, key } = record.destination;
  const result = await client.discardComposeProgress({ bucket, key, resumeKey: nativeResumeKey(record) });
  return {
    removed: result.removed,
    left: result.left,
    ...(result.leftReason === undefined ? {} : { leftReason: result.leftReason }),
  };
}

function kindOf(id: string, text: string): SessionKind | undefined {
  try {
    return parseSessionEnvelope(id, text).kind;
  } catch {
    return undefined;
  }
}

// A record killed in state `creating` names no upload; the one it left, if any, is found as on resume.
async function orphanOf(client: PartCopyClient, text: string) {
  try {
    const record = JSON.parse(text) as Pick<CopySessionRecord, 'state' | 'createdAt' | 'destination'>;
    if (record.state !== 'creating' || typeof record.createdAt !== 'string') return undefined;
    const found = await uploadsSince(client, record, undefined);
    const destination = { bucket: record.destination.bucket, key: record.destination.key };
    return found.length === 1 ? { ...destination, uploadId: found[0] as string } : undefined;
  } catch {
    return undefined;
  }
}

/** What {@link resumeCompose} takes: the session, the client of its store, and how to run. */
export interface ResumeComposeRequest
  extends Pick<ComposeObjectRequest, 'concurrency' | 'signal' | 'onProgress' | 'onPlan'> {
  /** A client for the store the compose writes to (the record's provider). */
  client: PartCopyClient;
  /** Where the record is, its id, and the caller's label for the store (checked against the record's). */
  session: { store: SessionStore; id: string; storeLabel?: string | undefined };
}

/**
 * Finishes a compose session from its record alone: the same pieces (each still pinned to the
 * ETag the record holds, else the session ends with `PreconditionFailed`), destination,
 * conditions, settings and strategy; only what the store lacks is written.
 */
export async function resumeCompose(request: ResumeComposeRequest): Promise<ComposeObjectResult> {
  const { client, session } = request;
  const record = await readSession(session.store, session.id);
  if (record.kind !== 'compose') throw otherKind(record, 'compose');
  checkStore(client.provider.name, session.storeLabel, record.provider, record.store, record.id);
  return composeObject({
    client,
    destination: { ...record.destination },
    sources: record.pieces.map((p) => ({
      bucket: p.bucket,
      key: p.key,
      ...(p.versionId === undefined ? {} : { versionId: p.versionId }),
      ...(p.range === undefined ? {} : { range: p.range }),
    })),
    ...(record.settings === undefined ? {} : { settings: record.settings }),
    mode: record.strategy === 'native' ? 'auto' : 'multipart',
    ...(record.partSize === undefined ? {} : { partSize: record.partSize }),
    concurrency: request.concurrency,
    signal: request.signal,
    onProgress: request.onProgress,
    onPlan: request.onPlan,
    session: { store: session.store, id: record.id, storeLabel: session.storeLabel ?? record.store },
  });
}

/** What {@link resumeTransfer} takes: the session, a client for each of its two stores, and how to run. */
export interface ResumeTransferRequest
  extends Pick<TransferObjectRequest, 'concurrency' | 'signal' | 'onProgress' | 'onStart' | 'verify'> {
  /** A client for the store the record names as the source. */
  source: PartCopyClient;
  /** A client for the store the record names as the destination (it holds the upload). */
  destination: PartCopyClient;
  /** Where the record is and its id. */
  session: { store: SessionStore; id: string };
}

/** Finishes a transfer session from its record alone: only the parts the destination lacks move. */
export async function resumeTransfer(request: ResumeTransferRequest): Promise<TransferObjectResult> {
  const { session } = request;
  const record = await readSession(session.store, session.id);
  if (record.kind !== 'transfer') throw otherKind(record, 'transfer');
  const { source: s, destination: d } = record;
  return transferObject({
    source: {
      client: request.source,
      bucket: s.bucket,
      key: s.key,
      ...(s.versionId === undefined ? {} : { versionId: s.versionId }),
      ...(s.label === undefined ? {} : { label: s.label }),
      range: record.range,
    },
    destination: {
      client: request.destination,
      bucket: d.bucket,
      key: d.key,
      ...(d.label === undefined ? {} : { label: d.label }),
    },
    strategy: record.strategy,
    partSize: record.plan.partSize,
    concurrency: request.concurrency,
    verify: request.verify,
    signal: request.signal,
    onStart: request.onStart,
    onProgress: request.onProgress,
    session: { store: session.store, id: record.id },
  });
}

function checkStore(
  provider: string,
  label: string | undefined,
  recorded: string,
  recordedLabel: string | undefined,
  id: string,
): void {
  if (
    provider === recorded &&
    (label === undefined || recordedLabel === undefined || label === recordedLabel)
  )
    return;
  throw new CopySessionError(
    'other-store',
    id,
    `session ${id} belongs to ${recordedLabel ?? recorded}, not ${label ?? provider}; resume or abort it with a client for that store`,
  );
}

function otherKind(record: SessionRecord, wanted: SessionKind): CopySessionError {
  return new CopySessionError(
    'other-kind',
    record.id,
    `session ${record.id} is a ${record.kind} session, not a ${wanted} session; resume it as one (\`partcopy sessions resume ${record.id}\` picks the kind itself)`,
  );
}

function notFound(store: SessionStore, id: string): CopySessionError {
  return new CopySessionError(
    'not-found',
    id,
    `no session ${id} in ${store.description} (it completed, was aborted, or lives elsewhere: list them with \`partcopy sessions list\`)`,
  );
}
