/**
 * Sessions of resumable copies: resume one (the store's part list is the truth, the source pin is
 * checked again, only missing parts are copied), abort one (its upload goes, then its record),
 * list them. Any process can do each of these with the session store and a client for the store.
 */
import { createHash } from 'node:crypto';
import type { PartCopyClient } from '../client/part-copy-client.js';
import type { ObjectInfo } from '../contract/provider-contract.js';
import { PartCopyError } from '../errors/part-copy-error.js';
import { etagMatches } from '../semantics/etag.js';
import { isPublishedUpload } from './completion-recognition.js';
import { CopyMeter } from './copy-metrics.js';
import {
  type ActiveSession,
  abortQuietly,
  checkCanPin,
  copyWholeObject,
  createUpload,
  type PinnedSource,
  planSummary,
  runMultipart,
  saveRecord,
} from './copy-object.js';
import { type CopyPlan, DEFAULT_COPY_CONCURRENCY } from './copy-plan.js';
import { CopySessionError, type CopySessionRecord, parseCopySession } from './copy-session.js';
import type {
  CopyObjectRequest,
  CopyObjectResult,
  CopySessionOptions,
  ResumeCopyRequest,
} from './copy-types.js';
import { listAllParts, reusableParts, type UploadTarget } from './part-copy-run.js';
import { planCopyParts } from './part-plan.js';
import type { SessionStore } from './session-store.js';
import { abortSession } from './sessions.js';
import { planCapabilitiesOf } from './whole-object-copy.js';

/** Clock difference tolerated between this process and the store when adopting an upload. */
const CLOCK_SKEW_MS = 2_000;

/**
 * The id a copy's session gets when the caller names none: a hash of what identifies the copy
 * (store, source, destination, range, part size), so the same copy run again finds its session.
 */
export function sessionIdFor(client: PartCopyClient, request: CopyObjectRequest): string {
  const identity = JSON.stringify([
    client.provider.name,
    request.session?.storeLabel ?? '',
    request.source.bucket,
    request.source.key,
    request.source.versionId ?? '',
    request.destination.bucket,
    request.destination.key,
    request.range ?? null,
    request.partSize ?? null,
  ]);
  return `cp-${createHash('sha256').update(identity).digest('hex').slice(0, 24)}`;
}

/** Resumes the session `session.id` kept in `session.store`. */
export async function resumeCopy(request: ResumeCopyRequest): Promise<CopyObjectResult> {
  const text = await request.session.store.read(request.session.id);
  if (text === undefined) throw notFound(request.session);
  const meter = new CopyMeter(request.client, [], request.onProgress);
  try {
    return await resumeFromRecord(request, text, meter);
  } finally {
    meter.stop();
  }
}

/**
 * Resumes from a record's text: checks it, takes the session's lock, checks the source pin,
 * reconciles with the store's part list and runs the missing parts.
 */
export async function resumeFromRecord(
  request: ResumeCopyRequest | (CopyObjectRequest & { session: CopySessionOptions & { id: string } }),
  text: string,
  meter: CopyMeter,
): Promise<CopyObjectResult> {
  const { client, session: options } = request;
  const record = parseCopySession(options.id, text);
  checkSameStore(client, options, record);
  if ('source' in request) checkSameCopy(request, options.id, record);
  meter.watch([record.source, record.destination]);
  const lock = await options.store.lock(options.id);
  try {
    const session: ActiveSession = { store: options.store, id: options.id, record, resumed: true };
    const head = await pinnedHead(client, session, request.signal, request.onCleanupFailed);
    const source: PinnedSource = { ...record.source, etag: head.etag, size: head.size };
    if (record.pinSource) checkCanPin(client, record.source.bucket);
    const plan = planOf(client, record, request.concurrency);
    if (record.strategy === 'whole-object') {
      request.onStart?.({ plan, source: head, sessionId: session.id, partsReused: 0, bytesReused: 0 });
      return await copyWholeObject(
        { ...request, destination: record.destination },
        head,
        source,
        plan,
        record.pinSource,
        meter,
        session,
      );
    }
    const upload =
      record.state === 'creating'
        ? await adoptOrCreateUpload(client, session, head, request.signal)
        : { ...record.destination, uploadId: record.uploadId as string };
    let listed: Awaited<ReturnType<typeof listAllParts>>;
    try {
      listed = await listAllParts(client, upload, request.signal);
    } catch (error) {
      if (!PartCopyError.hasCode(error, 'NoSuchUpload')) throw error;
      return await finishedOrGone(client, session, plan, head, meter, request.signal);
    }
    return await runMultipart({
      options: request,
      head,
      source,
      destination: record.destination,
      pinSource: record.pinSource,
      plan,
      upload,
      existing: reusableParts(plan, listed),
      meter,
      session,
    });
  } finally {
    await lock.release();
  }
}

// A run killed between creating the upload and recording its id left the upload behind: the
// only upload of the destination key started since the record was written is that one. None:
// the create never reached the store, so create one now.
async function adoptOrCreateUpload(
  client: PartCopyClient,
  session: ActiveSession,
  head: ObjectInfo,
  signal: AbortSignal | undefined,
): Promise<UploadTarget> {
  const found = await uploadsSince(client, session.record, signal);
  if (found.length === 1) {
    const upload = { ...session.record.destination, uploadId: found[0] as string };
    session.record = { ...session.record, uploadId: upload.uploadId, state: 'copying' };
    await saveRecord(session);
    return upload;
  }
  return createUpload(client, session.record.destination, head, signal, session);
}

/** Uploads of the record's destination key started since the record was written (compose asks too). */
export async function uploadsSince(
  client: PartCopyClient,
  record: Pick<CopySessionRecord, 'destination' | 'createdAt'>,
  signal: AbortSignal | undefined,
): Promise<string[]> {
  if (!client.capabilitiesFor(record.destination.bucket).listMultipartUploads) return [];
  const since = Date.parse(record.createdAt) - CLOCK_SKEW_MS;
  const ids: string[] = [];
  let markers: { keyMarker?: string; uploadIdMarker?: string } = {};
  for (;;) {
    const page = await client.listMultipartUploads({
      bucket: record.destination.bucket,
      prefix: record.destination.key,
      ...markers,
      abortSignal: signal,
    });
    for (const upload of page.uploads) {
      if (upload.key === record.destination.key && upload.initiated.getTime() >= since)
        ids.push(upload.uploadId);
    }
    if (!page.isTruncated) return ids;
    markers = {
      ...(page.nextKeyMarker === undefined ? {} : { keyMarker: page.nextKeyMarker }),
      ...(page.nextUploadIdMarker === undefined ? {} : { uploadIdMarker: page.nextUploadIdMarker }),
    };
  }
}

/** What {@link abortCopySession} did. */
export interface AbortCopySessionResult {
  id: string;
  /** The upload aborted, when the record named one. */
  uploadId?: string;
  /** The upload was already gone (completed, aborted, or expired). */
  uploadWasGone: boolean;
}

/**
 * Aborts a session: its upload (and with it every part copied) goes, then its record. The same
 * as {@link abortSession}, which takes a session of any kind.
 */
export async function abortCopySession(request: {
  client: PartCopyClient;
  session: { store: SessionStore; id: string };
}): Promise<AbortCopySessionResult> {
  const { kind: _kind, ...result } = await abortSession(request);
  return result;
}

/** One entry of {@link listCopySessions}: the record, or why it cannot be read. */
export interface CopySessionEntry {
  id: string;
  record?: CopySessionRecord;
  problem?: CopySessionError;
}

/**
 * The copy sessions a store keeps, each parsed (or with the problem that stops it); sessions of
 * other kinds are left out ({@link listSessions} lists every kind).
 */
export async function listCopySessions(store: SessionStore): Promise<CopySessionEntry[]> {
  const entries: CopySessionEntry[] = [];
  for (const id of (await store.list()).sort()) {
    const text = await store.read(id);
    if (text === undefined) continue;
    try {
      entries.push({ id, record: parseCopySession(id, text) });
    } catch (error) {
      if (!CopySessionError.isSessionError(error)) throw error;
      if (error.problem !== 'other-kind') entries.push({ id, problem: error });
    }
  }
  return entries;
}

function checkSameStore(
  client: PartCopyClient,
  options: CopySessionOptions & { id: string },
  record: CopySessionRecord,
): void {
  const otherLabel =
    options.storeLabel !== undefined && record.store !== undefined && options.storeLabel !== record.store;
  if (record.provider === client.provider.name && !otherLabel) return;
  throw new CopySessionError(
    'other-store',
    options.id,
    `session ${options.id} belongs to ${record.store ?? record.provider}, not ${options.storeLabel ?? client.provider.name}; resume or abort it with a client for that store`,
  );
}

// `copyObject` with a session id that names another copy's session must not finish that one.
function checkSameCopy(request: CopyObjectRequest, id: string, record: CopySessionRecord): void {
  const { source, destination } = request;
  const same =
    source.bucket === record.source.bucket &&
    source.key === record.source.key &&
    (source.versionId ?? undefined) === record.source.versionId &&
    destination.bucket === record.destination.bucket &&
    destination.key === record.destination.key &&
    (request.range === undefined ||
      (request.range.start === record.range.start && request.range.end === record.range.end));
  if (same) return;
  throw new CopySessionError(
    'other-copy',
    id,
    `session ${id} is the copy of ${record.source.bucket}/${record.source.key} to ${record.destination.bucket}/${record.destination.key}, not this one; use another session id, or resume or abort that session first`,
  );
}

// The source must still be the one the parts were copied from; otherwise the session is over:
// its upload is aborted and its record removed, and the error says so.
async function pinnedHead(
  client: PartCopyClient,
  session: ActiveSession,
  signal: AbortSignal | undefined,
  onCleanupFailed: ResumeCopyRequest['onCleanupFailed'],
): Promise<ObjectInfo> {
  const { record } = session;
  let head: ObjectInfo | undefined;
  try {
    head = await client.headObject({ ...record.source, abortSignal: signal });
  } catch (error) {
    if (!PartCopyError.hasCode(error, 'NoSuchKey') && !PartCopyError.hasCode(error, 'NoSuchVersion'))
      throw error;
  }
  if (head !== undefined && etagMatches(record.source.etag, head.etag) && head.size === record.source.size)
    return head;
  if (record.uploadId !== undefined) {
    await abortQuietly(client, { ...record.destination, uploadId: record.uploadId }, onCleanupFailed);
  }
  await session.store.remove(session.id);
  const now = head === undefined ? 'is gone' : `is now ${head.size} bytes with ETag ${head.etag}`;
  throw new CopySessionError(
    'source-changed',
    session.id,
    `the source ${record.source.bucket}/${record.source.key} changed since session ${session.id} started (it was ${record.source.size} bytes with ETag ${record.source.etag}, it ${now}); the session's upload was aborted and its record removed: copy again to copy the new source`,
    { bucket: record.source.bucket, key: record.source.key, operation: 'headObject' },
  );
}

// The upload is gone. If the record says completion was sent and the destination is what it
// would have produced, the copy finished (the process died before removing the record).
async function finishedOrGone(
  client: PartCopyClient,
  session: ActiveSession,
  plan: CopyPlan,
  source: ObjectInfo,
  meter: CopyMeter,
  signal: AbortSignal | undefined,
): Promise<CopyObjectResult> {
  const { record } = session;
  const parts = record.completedParts;
  const head =
    record.state === 'completing' && parts !== undefined
      ? await client.headObject({ ...record.destination, abortSignal: signal }).catch(() => undefined)
      : undefined;
  if (
    head !== undefined &&
    parts !== undefined &&
    isOurCompletion(client, record, parts, head, plan.totalSize)
  ) {
    await session.store.remove(session.id);
    const metrics = meter.stop();
    return {
      ...record.destination,
      etag: head.etag,
      ...(head.versionId === undefined ? {} : { versionId: head.versionId }),
      size: plan.totalSize,
      strategy: plan.strategy,
      plan: planSummary(plan),
      uploadId: record.uploadId as string,
      partsCount: plan.parts.length,
      partSize: plan.partSize,
      sourceEtag: source.etag,
      ...(source.versionId === undefined ? {} : { sourceVersionId: source.versionId }),
      transfer: 'server-side',
      bytesServerSide: 0,
      bytesClientStreamed: 0,
      verification: {
        size: true,
        content: client.capabilitiesFor(record.destination.bucket).multipartEtag ? 'multipart-etag' : 'none',
        bytesRead: 0,
      },
      metrics: { ...metrics, partsReused: plan.parts.length },
      session: { id: session.id, resumed: true, partsReused: plan.parts.length },
    };
  }
  await session.store.remove(session.id);
  throw new CopySessionError(
    'upload-gone',
    session.id,
    `the upload ${record.uploadId} of session ${session.id} no longer exists (aborted, or expired by a lifecycle rule) and the copy did not complete; the record was removed: copy again`,
    { ...record.destination, uploadId: record.uploadId, operation: 'listParts' },
  );
}

// Is the destination the object our completion made? Where completion yields S3's multipart ETag
// it must be the one of the recorded parts; elsewhere (Azure, GCS) the object must have the
// planned size and have been written after the record entered `completing`.
function isOurCompletion(
  client: PartCopyClient,
  record: CopySessionRecord,
  parts: ReadonlyArray<{ etag: string }>,
  head: ObjectInfo,
  size: number,
): boolean {
  const { bucket } = record.destination;
  return isPublishedUpload(client, bucket, parts, head, size, Date.parse(record.updatedAt));
}

// The record's plan again, with the caller's concurrency (it may differ from run to run).
function planOf(
  client: PartCopyClient,
  record: CopySessionRecord,
  concurrency: number | undefined,
): CopyPlan {
  const runConcurrency = Math.max(1, Math.floor(concurrency ?? DEFAULT_COPY_CONCURRENCY));
  const base = {
    strategy: record.strategy,
    reason: `resumed session ${record.id}`,
    totalSize: record.plan.totalSize,
    range: record.range,
    concurrency: runConcurrency,
    ranged: record.plan.ranged,
    expectedTransfer: 'server-side' as const,
  };
  if (record.strategy === 'whole-object') return { ...base, partSize: 0, parts: [] };
  const parts = planCopyParts(record.range, {
    limits: planCapabilitiesOf(client, record.destination.bucket),
    partSize: record.plan.partSize,
  });
  return { ...base, partSize: parts.partSize, parts: parts.parts };
}

function notFound(session: { store: SessionStore; id: string }): CopySessionError {
  return new CopySessionError(
    'not-found',
    session.id,
    `no session ${session.id} in ${session.store.description} (it completed, was aborted, or lives elsewhere: list them with \`partcopy sessions list\`)`,
  );
}
