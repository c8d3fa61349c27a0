/**
 * The managed copy engine: copies a whole object or a byte range into a new object on the
 * store's side. It reads the source once (its ETag becomes the pin of every request), plans the
 * strategy (whole-object copy, one part, parallel parts), runs it with bounded concurrency,
 * verifies the result and reports what it did. A permanent failure aborts everything the copy
 * created; a resumable copy (with a session) that is interrupted leaves its session instead.
 */
import type { PartCopyClient } from '../client/part-copy-client.js';
import type { ChecksumAlgorithm } from '../contract/capabilities.js';
import type { ObjectInfo } from '../contract/provider-contract.js';
import type { ByteRange } from '../contract/types.js';
import { PartCopyError, throwIfAborted } from '../errors/part-copy-error.js';
import { formatByteRange, resolveCopyRange } from '../semantics/byte-range.js';
import { completeOrRecognise } from './completion-recognition.js';
import {
  type ChecksumPlan,
  checkPartsAgainstSource,
  combinedPartChecksum,
  planCopyChecksum,
  statedChecksum,
} from './copy-checksums.js';
import { CopyMeter } from './copy-metrics.js';
import { type CopyPlan, planCopy } from './copy-plan.js';
import type { CopySessionRecord } from './copy-session.js';
import type { CopyObjectRequest, CopyObjectResult, CopyRunOptions } from './copy-types.js';
import { verifyCopy } from './copy-verification.js';
import { copyMissingParts, hintOf, type UploadTarget } from './part-copy-run.js';
import { resumeFromRecord, sessionIdFor } from './resume-copy.js';
import { ResumeTokenKeeper } from './resume-token-keeper.js';
import { newEnvelope, sessionText } from './session-record.js';
import type { SessionStore } from './session-store.js';
import { createUploadOrCleanUp, type LostUploadPolicy } from './upload-creation.js';
import { planCapabilitiesOf, wholeObjectCopyOf } from './whole-object-copy.js';

/** How long the clean-up abort may take after a failure or an interrupt. */
const CLEANUP_TIMEOUT_MS = 30_000;

/** A source as the copy pins it: identity and the ETag and size read at the start. */
export interface PinnedSource {
  bucket: string;
  key: string;
  versionId?: string | undefined;
  etag: string;
  size: number;
}

/** A session being run: where its record lives and what it says. */
export interface ActiveSession {
  store: SessionStore;
  id: string;
  record: CopySessionRecord;
  resumed: boolean;
}

/** Everything a part-strategy run needs, for a new copy and a resumed one. */
export interface MultipartJob {
  options: CopyRunOptions;
  head: ObjectInfo;
  source: PinnedSource;
  destination: { bucket: string; key: string };
  pinSource: boolean;
  plan: CopyPlan;
  upload: UploadTarget;
  existing: ReadonlyMap<number, string>;
  meter: CopyMeter;
  session?: ActiveSession | undefined;
  /** The store's checksums this copy asked for (a new upload only; see copy-checksums.ts). */
  checksum?: ChecksumPlan | undefined;
}

/**
 * Copies `source` (or `range` of it) to `destination` on the store's side, with the plan the
 * store's capabilities and the size call for (`result.strategy` says which). Fails with the first
 * permanent error after aborting what it created; the destination is untouched unless the copy
 * completed. With `session`, an interrupted copy leaves a session that {@link resumeCopy} (or the
 * same call again) finishes, copying only the parts the store does not hold yet.
 */
export async function copyObject(request: CopyObjectRequest): Promise<CopyObjectResult> {
  const { client, source, destination, signal } = request;
  throwIfAborted(signal);
  const meter = new CopyMeter(client, [source, destination], request.onProgress);
  try {
    if (request.session !== undefined) {
      const id = request.session.id ?? sessionIdFor(client, request);
      const text = await request.session.store.read(id);
      if (text !== undefined)
        return await resumeFromRecord({ ...request, session: { ...request.session, id } }, text, meter);
    }
    const head = await client.headObject({ ...source, abortSignal: signal });
    const pinned: PinnedSource = { ...source, etag: head.etag, size: head.size };
    const resolved = resolveCopyRange(request.range, head.size, {
      bucket: source.bucket,
      key: source.key,
      operation: 'uploadPartCopy',
    });
    const plan = planCopy({
      capabilities: planCapabilitiesOf(client, destination.bucket),
      sourceSize: head.size,
      range: resolved,
      partSize: request.partSize,
      concurrency: request.concurrency,
      wholeObjectCopyAvailable: wholeObjectCopyOf(client) !== undefined,
    });
    checkPlanRuns(client, plan, destination.bucket);
    const pinSource = request.pinSource ?? true;
    if (pinSource) checkCanPin(client, source.bucket);
    if (plan.strategy === 'empty-put') return await copyEmptyObject(request, head, plan, meter);
    if (plan.strategy === 'whole-object') {
      request.onStart?.({ plan, source: head, partsReused: 0, bytesReused: 0 });
      // A resumable whole-object copy has a record only once the store reports a resume token.
      const session = request.session
        ? {
            store: request.session.store,
            id: request.session.id ?? sessionIdFor(client, request),
            resumed: false,
          }
        : undefined;
      const active = session && {
        ...session,
        record: {
          ...newRecord(client, request, session.id, pinned, plan, pinSource),
          state: 'copying' as const,
        },
      };
      return await copyWholeObject(request, head, pinned, plan, pinSource, meter, active);
    }
    return await startMultipart(request, head, pinned, plan, pinSource, meter);
  } finally {
    meter.stop();
  }
}

/** Creates the upload (and the session, when asked), then runs the parts. */
async function startMultipart(
  request: CopyObjectRequest,
  head: ObjectInfo,
  source: PinnedSource,
  plan: CopyPlan,
  pinSource: boolean,
  meter: CopyMeter,
): Promise<CopyObjectResult> {
  const { client, destination, signal } = request;
  const sessionId = request.session ? (request.session.id ?? sessionIdFor(client, request)) : undefined;
  const lock = request.session && sessionId ? await request.session.store.lock(sessionId) : undefined;
  try {
    let session: ActiveSession | undefined;
    if (request.session && sessionId) {
      const record = newRecord(client, request, sessionId, source, plan, pinSource);
      session = { store: request.session.store, id: sessionId, record, resumed: false };
      // Recorded before the upload exists, so a run killed right after creating it leaves a
      // record that finds the upload again.
      await saveRecord(session);
    }
    const checksum =
      request.verify === 'size-only'
        ? undefined
        : planCopyChecksum(
            client.capabilitiesFor(destination.bucket),
            head,
            'parts',
            plan.totalSize === head.size,
          );
    let upload: UploadTarget;
    try {
      // A lost answer's upload is aborted unless the session stays to adopt it on resume.
      const cleanUp = (error: unknown) => session === undefined || !leavesSession(error);
      upload = await createUpload(client, destination, head, signal, session, {
        lost: { cleanUp, onCleanupFailed: request.onCleanupFailed },
        checksumAlgorithm: checksum?.request,
      });
    } catch (error) {
      if (session && !leavesSession(error)) await session.store.remove(session.id);
      throw error;
    }
    return await runMultipart({
      options: request,
      head,
      source,
      destination,
      pinSource,
      plan,
      upload,
      existing: new Map(),
      meter,
      session,
      checksum,
    });
  } finally {
    await lock?.release();
  }
}

/**
 * Copies the missing parts, completes, verifies. On failure: a resumable copy that was
 * interrupted (or whose failure may pass: retryable after the pipeline's attempts) keeps its
 * session and upload; anything else aborts the upload and drops the session.
 */
export async function runMultipart(job: MultipartJob): Promise<CopyObjectResult> {
  const { options, plan, upload, session } = job;
  const { client, signal } = options;
  const reused = plan.parts.filter((p) => job.existing.has(p.partNumber));
  job.meter.start(plan.totalSize, plan.parts.length, reused);
  options.onStart?.({
    plan,
    source: job.head,
    uploadId: upload.uploadId,
    ...(session ? { sessionId: session.id } : {}),
    partsReused: reused.length,
    bytesReused: reused.reduce((sum, part) => sum + part.size, 0),
  });
  let completed: Awaited<ReturnType<PartCopyClient['completeMultipartUpload']>>;
  let parts: Array<{ partNumber: number; etag: string }>;
  let expectedChecksum: ReturnType<typeof checkPartsAgainstSource>;
  try {
    const copied = await copyMissingParts({
      client,
      source: job.source,
      pinSource: job.pinSource,
      hint: hintOf(job.head),
      upload,
      plan,
      existing: job.existing,
      meter: job.meter,
      signal,
      onPart: options.onPart,
    });
    parts = copied.map(({ partNumber, etag }) => ({ partNumber, etag }));
    // A part that is not the source's bytes fails here, before completion: the upload is aborted.
    expectedChecksum = job.checksum
      ? checkPartsAgainstSource(job.checksum, combinedPartChecksum(job.checksum, copied), {
          ...upload,
          operation: 'completeMultipartUpload',
        })
      : undefined;
    if (session) {
      session.record = { ...session.record, state: 'completing', completedParts: parts };
      await saveRecord(session);
    }
    const completion = { ...upload, parts, size: plan.totalSize, abortSignal: signal };
    completed = await completeOrRecognise(client, completion, () =>
      client.completeMultipartUpload({
        ...upload,
        parts,
        // Stated, so a store that checks it (S3) refuses a mismatch at completion itself.
        ...(job.checksum ? statedChecksum(job.checksum, expectedChecksum) : {}),
        abortSignal: signal,
      }),
    );
  } catch (error) {
    if (session && leavesSession(error)) throw error;
    await abortQuietly(client, upload, options.onCleanupFailed);
    if (session) await session.store.remove(session.id);
    throw error;
  }
  // The record goes only after verification: a run killed before that is recognised as
  // completed by the resume (state `completing`), instead of copying everything again.
  let verification: CopyObjectResult['verification'];
  try {
    verification = await verifyCopy({
      client,
      mode: options.verify ?? 'auto',
      source: job.source,
      range: plan.range as ByteRange,
      sourceIsWhole: plan.totalSize === job.source.size,
      destination: job.destination,
      etag: completed.etag,
      size: plan.totalSize,
      partEtags: parts.map((p) => p.etag),
      expectedChecksum,
      reportedChecksums: completed,
      versionId: completed.versionId,
      signal,
      onRead: (bytes) => job.meter.readBack(bytes),
    });
  } finally {
    if (session) await session.store.remove(session.id);
  }
  return resultOf(job, completed, verification);
}

function resultOf(
  job: MultipartJob,
  completed: { bucket: string; key: string; etag: string; versionId?: string },
  verification: CopyObjectResult['verification'],
): CopyObjectResult {
  const { plan, meter, session } = job;
  const metrics = meter.stop();
  return {
    bucket: completed.bucket,
    key: completed.key,
    etag: completed.etag,
    ...(completed.versionId === undefined ? {} : { versionId: completed.versionId }),
    size: plan.totalSize,
    strategy: plan.strategy,
    plan: planSummary(plan),
    uploadId: job.upload.uploadId,
    partsCount: plan.parts.length,
    partSize: plan.partSize,
    sourceRange: formatByteRange(plan.range as ByteRange),
    sourceEtag: job.source.etag,
    ...(job.head.versionId === undefined ? {} : { sourceVersionId: job.head.versionId }),
    transfer: transferOf(metrics),
    bytesServerSide: metrics.bytesServerSide,
    bytesClientStreamed: metrics.bytesClientStreamed,
    verification,
    metrics,
    ...(session
      ? { session: { id: session.id, resumed: session.resumed, partsReused: metrics.partsReused } }
      : {}),
  };
}

/** One server-side whole-object copy, pinned to the source's ETag. */
export async function copyWholeObject(
  options: CopyRunOptions & { destination: { bucket: string; key: string } },
  head: ObjectInfo,
  source: PinnedSource,
  plan: CopyPlan,
  pinSource: boolean,
  meter: CopyMeter,
  session: ActiveSession | undefined,
): Promise<CopyObjectResult> {
  const { client, destination, signal } = options;
  const copy = wholeObjectCopyOf(client);
  if (copy === undefined)
    throw new PartCopyError('Unsupported', `${client.provider.name} has no whole-object copy`);
  meter.start(plan.totalSize, 1);
  const tokens = session ? new ResumeTokenKeeper(session, saveRecord) : undefined;
  const checksum =
    options.verify === 'size-only'
      ? undefined
      : planCopyChecksum(client.capabilitiesFor(destination.bucket), head, 'whole-object', true);
  let copied: Awaited<ReturnType<typeof copy>>;
  try {
    copied = await copy({
      ...destination,
      copySource: {
        bucket: source.bucket,
        key: source.key,
        ...(source.versionId === undefined ? {} : { versionId: source.versionId }),
      },
      ...(pinSource ? { copySourceIfMatch: source.etag, copySourceHint: hintOf(head) } : {}),
      ...(checksum?.request === undefined ? {} : { checksumAlgorithm: checksum.request }),
      ...(tokens ? tokens.copyOptions() : {}),
      abortSignal: signal,
    });
  } catch (error) {
    await tokens?.settled().catch(() => undefined);
    // An interrupted copy keeps the token of its last round; anything else starts over.
    if (session && !leavesSession(error)) await session.store.remove(session.id);
    throw error;
  }
  await tokens?.settled();
  meter.copied(copied.bytesCopied ?? plan.totalSize, copied.transfer ?? 'server-side', false);
  if (session) await session.store.remove(session.id);
  const verification = await verifyCopy({
    client,
    mode: options.verify ?? 'auto',
    source,
    range: plan.range as ByteRange,
    sourceIsWhole: true,
    destination,
    etag: copied.etag,
    size: plan.totalSize,
    expectedChecksum: checksum?.expected,
    reportedChecksums: copied,
    versionId: copied.versionId,
    signal,
    onRead: (bytes) => meter.readBack(bytes),
  });
  const metrics = meter.stop();
  return {
    ...destination,
    etag: copied.etag,
    ...(copied.versionId === undefined ? {} : { versionId: copied.versionId }),
    size: plan.totalSize,
    strategy: 'whole-object',
    plan: planSummary(plan),
    partsCount: 0,
    partSize: 0,
    sourceRange: formatByteRange(plan.range as ByteRange),
    sourceEtag: source.etag,
    ...(source.versionId === undefined ? {} : { sourceVersionId: source.versionId }),
    transfer: transferOf(metrics),
    bytesServerSide: metrics.bytesServerSide,
    bytesClientStreamed: metrics.bytesClientStreamed,
    verification,
    metrics,
    ...(session ? { session: { id: session.id, resumed: session.resumed, partsReused: 0 } } : {}),
  };
}

// S3 cannot make a multipart upload out of zero bytes copied; an empty object is one empty put,
// with the source's settings, which is what the copy would have produced.
async function copyEmptyObject(
  request: CopyObjectRequest,
  head: ObjectInfo,
  plan: CopyPlan,
  meter: CopyMeter,
): Promise<CopyObjectResult> {
  request.onStart?.({ plan, source: head, partsReused: 0, bytesReused: 0 });
  const put = await request.client.putObject({
    ...request.destination,
    ...settingsOf(head),
    body: new Uint8Array(0),
    abortSignal: request.signal,
  });
  const metrics = meter.stop();
  return {
    ...request.destination,
    etag: put.etag,
    ...(put.versionId === undefined ? {} : { versionId: put.versionId }),
    size: 0,
    strategy: 'empty-put',
    plan: planSummary(plan),
    partsCount: 0,
    partSize: 0,
    sourceEtag: head.etag,
    ...(head.versionId === undefined ? {} : { sourceVersionId: head.versionId }),
    transfer: 'server-side',
    bytesServerSide: 0,
    bytesClientStreamed: 0,
    verification: { size: true, content: 'none', bytesRead: 0 },
    metrics,
  };
}

function newRecord(
  client: PartCopyClient,
  request: CopyObjectRequest,
  id: string,
  source: PinnedSource,
  plan: CopyPlan,
  pinSource: boolean,
): CopySessionRecord {
  return {
    ...newEnvelope('copy', id),
    provider: client.provider.name,
    ...(request.session?.storeLabel === undefined ? {} : { store: request.session.storeLabel }),
    source: {
      bucket: source.bucket,
      key: source.key,
      ...(source.versionId === undefined ? {} : { versionId: source.versionId }),
      etag: source.etag,
      size: source.size,
    },
    destination: { bucket: request.destination.bucket, key: request.destination.key },
    range: plan.range as ByteRange,
    strategy: plan.strategy,
    plan: {
      partSize: plan.partSize,
      partsCount: plan.parts.length,
      totalSize: plan.totalSize,
      ranged: plan.ranged,
    },
    pinSource,
    state: 'creating',
  };
}

/** Creates the upload and, for a session, records its id. */
export async function createUpload(
  client: PartCopyClient,
  destination: { bucket: string; key: string },
  head: ObjectInfo,
  signal: AbortSignal | undefined,
  session: ActiveSession | undefined,
  options: { lost?: LostUploadPolicy; checksumAlgorithm?: ChecksumAlgorithm | undefined } = {},
): Promise<UploadTarget> {
  const { checksumAlgorithm, lost = { cleanUp: () => session === undefined } } = options;
  const created = await createUploadOrCleanUp(
    client,
    {
      ...destination,
      ...settingsOf(head),
      // The store then computes each copied part's CRC and the full object's (copy-checksums.ts).
      ...(checksumAlgorithm === undefined ? {} : { checksumAlgorithm, checksumType: 'FULL_OBJECT' as const }),
      abortSignal: signal,
    },
    lost,
  );
  const upload = { ...destination, uploadId: created.uploadId };
  if (session === undefined) return upload;
  session.record = { ...session.record, uploadId: created.uploadId, state: 'copying' };
  try {
    await saveRecord(session);
  } catch (error) {
    await abortQuietly(client, upload, undefined);
    throw error;
  }
  return upload;
}

/** Writes the session's record (atomically, through its store). */
export async function saveRecord(session: ActiveSession): Promise<void> {
  session.record = { ...session.record, updatedAt: new Date().toISOString() };
  await session.store.write(session.id, sessionText(session.record));
}

/** Interrupts, and failures the pipeline gave up on but that may pass, leave a resumable session. */
export function leavesSession(error: unknown): boolean {
  return PartCopyError.isInstance(error) && (error.code === 'RequestAborted' || error.retryable);
}

// Fail before creating anything when the store would refuse every ranged part anyway.
function checkPlanRuns(client: PartCopyClient, plan: CopyPlan, bucket: string): void {
  const { rangedCopy, clientStreamedRanges, maxPartSize } = client.capabilitiesFor(bucket);
  if (plan.strategy !== 'part-copies' || rangedCopy === 'native' || clientStreamedRanges) return;
  throw new PartCopyError(
    'Unsupported',
    `${client.provider.name} copies only whole objects on the server (rangedCopy: ${rangedCopy}) and client-streamed ranges are off; ` +
      `this copy needs ${plan.parts.length === 1 ? 'a ranged part' : `${plan.parts.length} ranged parts`}. ` +
      `Copy a whole object of at most ${maxPartSize} bytes in one part (--part-size at least its size), or allow client-streamed ranges in the provider`,
    { provider: client.provider.name, operation: 'uploadPartCopy' },
  );
}

/** The copy pins its source with copySourceIfMatch: the source bucket must be able to. */
export function checkCanPin(client: PartCopyClient, sourceBucket: string): void {
  if (client.capabilitiesFor(sourceBucket).copySourceIfMatch) return;
  throw new PartCopyError(
    'Unsupported',
    `${client.provider.name} cannot pin the source with copySourceIfMatch; copy unpinned (pinSource: false, cp --unpinned) to accept that a concurrent change of the source can mix versions`,
    { provider: client.provider.name, operation: 'uploadPartCopy' },
  );
}

/** The source's object settings, carried to the copy as S3's CopyObject does by default. */
export function settingsOf(head: ObjectInfo) {
  const {
    contentType,
    contentEncoding,
    contentDisposition,
    contentLanguage,
    cacheControl,
    expires,
    metadata,
  } = head;
  const settings = {
    contentType,
    contentEncoding,
    contentDisposition,
    contentLanguage,
    cacheControl,
    expires,
    metadata,
  };
  return Object.fromEntries(Object.entries(settings).filter(([, value]) => value !== undefined)) as Partial<
    typeof settings
  >;
}

// The caller's signal may be the reason we are here (Ctrl-C), so the clean-up gets its own.
export async function abortQuietly(
  client: PartCopyClient,
  upload: UploadTarget,
  onFailed: CopyRunOptions['onCleanupFailed'],
): Promise<void> {
  try {
    await client.abortMultipartUpload({ ...upload, abortSignal: AbortSignal.timeout(CLEANUP_TIMEOUT_MS) });
  } catch (error) {
    if (!PartCopyError.hasCode(error, 'NoSuchUpload')) onFailed?.(upload.uploadId, error);
  }
}

export function planSummary(plan: CopyPlan): CopyObjectResult['plan'] {
  return {
    reason: plan.reason,
    partSize: plan.partSize,
    partsCount: plan.parts.length,
    concurrency: plan.concurrency,
  };
}

function transferOf(moved: {
  bytesServerSide: number;
  bytesClientStreamed: number;
}): CopyObjectResult['transfer'] {
  if (moved.bytesClientStreamed === 0) return 'server-side';
  return moved.bytesServerSide === 0 ? 'client-streamed' : 'mixed';
}
