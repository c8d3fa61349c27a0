/**
 * Running a compose's multipart plan: one upload, parts copied on the server or joined through
 * this process (`concurrency` at a time, every read and copy pinned to the piece's ETag), one
 * completion with the destination's conditions. A failure aborts the upload, so nothing is left;
 * with a session, an interrupt (or a failure that may pass) keeps the upload and the record, and a
 * resume copies only the parts the store does not list.
 */
import type { PartCopyClient } from '../client/part-copy-client.js';
import { PartCopyError } from '../errors/part-copy-error.js';
import { completeOrRecognise, isPublishedUpload } from './completion-recognition.js';
import type { ComposePart, ComposePartPlan, ComposeSlice } from './compose-part-plan.js';
import {
  type ComposeSessionRecord,
  checkSamePins,
  newComposeRecord,
  parseComposeRecord,
} from './compose-session.js';
import type { ComposeObjectRequest, PinnedPiece } from './compose-types.js';
import { mapWithConcurrency } from './concurrency.js';
import type { CopyMeter } from './copy-metrics.js';
import { abortQuietly, leavesSession } from './copy-object.js';
import { listAllParts, type UploadTarget } from './part-copy-run.js';
import { uploadsSince } from './resume-copy.js';
import { sessionText } from './session-record.js';
import type { SessionStore } from './session-store.js';
import { createUploadOrCleanUp } from './upload-creation.js';

export interface MultipartCompose {
  request: ComposeObjectRequest;
  pieces: readonly PinnedPiece[];
  plan: ComposePartPlan;
  meter: CopyMeter;
  /** The session id, for a resumable compose. */
  sessionId?: string | undefined;
}

export interface MultipartComposeOutcome {
  etag: string;
  versionId?: string;
  uploadId: string;
  session?: { id: string; resumed: boolean; partsReused: number };
}

interface Session {
  store: SessionStore;
  id: string;
  record: ComposeSessionRecord;
  resumed: boolean;
}

/** Creates (or, with a session, finds) the upload, copies the missing parts and completes. */
export async function runComposeMultipart(job: MultipartCompose): Promise<MultipartComposeOutcome> {
  const { request, sessionId } = job;
  const options = request.session;
  if (options === undefined || sessionId === undefined) return await runUpload(job, undefined);
  const lock = await options.store.lock(sessionId);
  try {
    const text = await options.store.read(sessionId);
    const session: Session = text
      ? { store: options.store, id: sessionId, record: parseComposeRecord(sessionId, text), resumed: true }
      : {
          store: options.store,
          id: sessionId,
          record: newComposeRecord(
            request.client,
            sessionId,
            options.storeLabel,
            request.destination,
            job.pieces,
            {
              partsCount: job.plan.parts.length,
              totalSize: job.plan.totalSize,
            },
            { strategy: 'multipart', partSize: request.partSize, settings: request.settings },
          ),
          resumed: false,
        };
    if (session.resumed) await checkResumable(request.client, session, job.pieces);
    return await runUpload(job, session);
  } finally {
    await lock.release();
  }
}

// A source changed since the session began: its upload is aborted and the session dropped.
async function checkResumable(
  client: PartCopyClient,
  session: Session,
  pieces: readonly PinnedPiece[],
): Promise<void> {
  try {
    checkSamePins(session.record, pieces);
  } catch (error) {
    const { uploadId } = session.record;
    if (uploadId !== undefined)
      await abortQuietly(client, { ...destinationOf(session.record), uploadId }, undefined);
    await session.store.remove(session.id);
    throw error;
  }
}

async function runUpload(
  job: MultipartCompose,
  session: Session | undefined,
): Promise<MultipartComposeOutcome> {
  const { request, plan } = job;
  const { client, destination, signal } = request;
  const upload = await uploadOf(job, session);
  let existing = new Map<number, string>();
  if (session?.resumed && session.record.uploadId !== undefined) {
    try {
      const listed = await listAllParts(client, upload, signal);
      const sizes = new Map(plan.parts.map((p) => [p.partNumber, p.size]));
      existing = new Map(
        listed.filter((p) => sizes.get(p.partNumber) === p.size).map((p) => [p.partNumber, p.etag]),
      );
    } catch (error) {
      if (!PartCopyError.hasCode(error, 'NoSuchUpload')) throw error;
      const published = await publishedBefore(job, session, upload);
      await session.store.remove(session.id);
      if (published) return published;
      throw new PartCopyError(
        'NoSuchUpload',
        `compose session ${session.id}: its upload is gone (completed or aborted elsewhere); check ${destination.bucket}/${destination.key}, or compose again`,
      );
    }
  }
  const reused = plan.parts.filter((p) => existing.has(p.partNumber));
  job.meter.start(plan.totalSize, plan.parts.length, reused);
  try {
    const etags = await copyParts(job, upload, existing);
    const parts = plan.parts.map((p) => ({
      partNumber: p.partNumber,
      etag: etags.get(p.partNumber) as string,
    }));
    if (session) await save(session, { state: 'completing', completedParts: parts });
    const completion = { ...upload, parts, size: plan.totalSize, abortSignal: signal };
    const done = await completeOrRecognise(client, completion, () =>
      client.completeMultipartUpload({
        ...upload,
        parts,
        ...(destination.ifMatch === undefined ? {} : { ifMatch: destination.ifMatch }),
        ...(destination.ifNoneMatch === undefined ? {} : { ifNoneMatch: destination.ifNoneMatch }),
        abortSignal: signal,
      }),
    );
    if (session) await session.store.remove(session.id);
    return {
      etag: done.etag,
      ...(done.versionId === undefined ? {} : { versionId: done.versionId }),
      uploadId: upload.uploadId,
      ...(session
        ? { session: { id: session.id, resumed: session.resumed, partsReused: reused.length } }
        : {}),
    };
  } catch (error) {
    if (session && leavesSession(error)) throw error;
    await abortQuietly(client, upload, undefined);
    if (session) await session.store.remove(session.id);
    throw error;
  }
}

async function uploadOf(job: MultipartCompose, session: Session | undefined): Promise<UploadTarget> {
  const { client, destination, signal, settings } = job.request;
  const target = { bucket: destination.bucket, key: destination.key };
  if (session?.record.uploadId !== undefined) return { ...target, uploadId: session.record.uploadId };
  const adopted = session?.resumed ? await orphanUpload(job, session) : undefined;
  if (adopted !== undefined) {
    await save(session as Session, { state: 'copying', uploadId: adopted });
    return { ...target, uploadId: adopted };
  }
  // Recorded before the upload exists, so a run killed right after creating it is found again.
  if (session) await save(session, { state: 'creating' });
  // A lost answer's upload is aborted whatever happens next: a resumed compose creates its own.
  const created = await createUploadOrCleanUp(
    client,
    { ...target, ...settings, abortSignal: signal },
    { cleanUp: () => true },
  );
  const upload = { ...target, uploadId: created.uploadId };
  if (session) {
    try {
      await save(session, { state: 'copying', uploadId: created.uploadId });
    } catch (error) {
      await abortQuietly(client, upload, undefined);
      throw error;
    }
  }
  return upload;
}

async function copyParts(
  job: MultipartCompose,
  upload: UploadTarget,
  existing: ReadonlyMap<number, string>,
): Promise<Map<number, string>> {
  const { request, plan } = job;
  const etags = new Map(existing);
  const missing = plan.parts.filter((p) => !existing.has(p.partNumber));
  await mapWithConcurrency(
    missing,
    request.concurrency ?? 4,
    async (part, _index, signal) => {
      const etag =
        part.kind === 'copy'
          ? await copyPart(job, upload, part, signal)
          : await uploadJoined(job, upload, part, signal);
      etags.set(part.partNumber, etag);
      job.meter.copied(part.size, part.kind === 'copy' ? 'server-side' : 'client-streamed');
    },
    request.signal,
  );
  return etags;
}

async function copyPart(job: MultipartCompose, upload: UploadTarget, part: ComposePart, signal: AbortSignal) {
  const slice = part.slices[0] as ComposeSlice;
  const piece = job.pieces[slice.piece] as PinnedPiece;
  const whole = slice.start === 0 && slice.end === piece.sourceSize - 1;
  const copied = await job.request.client.uploadPartCopy({
    ...upload,
    partNumber: part.partNumber,
    copySource: sourceOf(piece),
    ...(whole ? {} : { copySourceRange: { start: slice.start, end: slice.end } }),
    copySourceIfMatch: piece.etag,
    abortSignal: signal,
  });
  return copied.copyPartResult.etag;
}

// Small pieces joined into one part: each slice read with a ranged GET whose ETag must still be the
// pin (a GET cannot carry If-Match on every store, so the answer's ETag is checked instead).
async function uploadJoined(
  job: MultipartCompose,
  upload: UploadTarget,
  part: ComposePart,
  signal: AbortSignal,
) {
  const { client } = job.request;
  const bytes = new Uint8Array(part.size);
  let offset = 0;
  for (const slice of part.slices) {
    const piece = job.pieces[slice.piece] as PinnedPiece;
    const got = await client.getObject({
      ...sourceOf(piece),
      range: { start: slice.start, end: slice.end },
      abortSignal: signal,
    });
    if (got.etag !== piece.etag) {
      for await (const _ of got.body) break;
      throw new PartCopyError(
        'PreconditionFailed',
        `${piece.bucket}/${piece.key} changed during the compose (ETag ${got.etag}, pinned ${piece.etag})`,
        { operation: 'getObject', bucket: piece.bucket, key: piece.key },
      );
    }
    for await (const chunk of got.body) {
      bytes.set(chunk, offset);
      offset += chunk.length;
    }
  }
  const uploaded = await client.uploadPart({
    ...upload,
    partNumber: part.partNumber,
    body: bytes,
    abortSignal: signal,
  });
  return uploaded.etag;
}

// A run killed between creating the upload and recording its id left the upload behind: the
// only upload of the destination key started since the record was written is that one.
async function orphanUpload(job: MultipartCompose, session: Session): Promise<string | undefined> {
  if (session.record.state !== 'creating') return undefined;
  const found = await uploadsSince(job.request.client, session.record, job.request.signal);
  return found.length === 1 ? found[0] : undefined;
}

// A run killed after its completion reached the store left a record in state `completing` whose
// upload is gone: the destination holding the object those parts make is that completion's result.
async function publishedBefore(
  job: MultipartCompose,
  session: Session,
  upload: UploadTarget,
): Promise<MultipartComposeOutcome | undefined> {
  const { client, destination, signal } = job.request;
  const parts = session.record.completedParts;
  if (session.record.state !== 'completing' || parts === undefined) return undefined;
  const head = await client
    .headObject({ bucket: destination.bucket, key: destination.key, abortSignal: signal })
    .catch(() => undefined);
  const notBefore = Date.parse(session.record.updatedAt);
  if (
    head === undefined ||
    !isPublishedUpload(client, destination.bucket, parts, head, job.plan.totalSize, notBefore)
  )
    return undefined;
  job.meter.start(job.plan.totalSize, job.plan.parts.length, job.plan.parts);
  return {
    etag: head.etag,
    ...(head.versionId === undefined ? {} : { versionId: head.versionId }),
    uploadId: upload.uploadId,
    session: { id: session.id, resumed: true, partsReused: job.plan.parts.length },
  };
}

function sourceOf(piece: PinnedPiece): { bucket: string; key: string; versionId?: string } {
  return {
    bucket: piece.bucket,
    key: piece.key,
    ...(piece.versionId === undefined ? {} : { versionId: piece.versionId }),
  };
}

function destinationOf(record: ComposeSessionRecord): { bucket: string; key: string } {
  return { bucket: record.destination.bucket, key: record.destination.key };
}

async function save(session: Session, change: Partial<ComposeSessionRecord>): Promise<void> {
  session.record = { ...session.record, ...change, updatedAt: new Date().toISOString() };
  await session.store.write(session.id, sessionText(session.record));
}
