/**
 * Transfers an object (or a byte range of it) from one store to another: any pair of providers.
 * The destination's server pulls each part from a URL the source signs where the pair allows
 * (no payload byte through this process); otherwise ranged reads of the source, each pinned to
 * the ETag (and version) read at the start, stream into part uploads of the destination with
 * bounded concurrency and backpressure. Every byte is accounted for as server-side or
 * client-streamed; the destination is untouched until one atomic completion; with a session, an
 * interrupted transfer resumes from the parts the destination already holds.
 */
import { PartCopyError, throwIfAborted } from '../../errors/part-copy-error.js';
import { formatByteRange, parseByteRange, resolveCopyRange } from '../../semantics/byte-range.js';
import { etagMatches } from '../../semantics/etag.js';
import { completeOrRecognise } from '../completion-recognition.js';
import { mapWithConcurrency } from '../concurrency.js';
import { CopyMeter } from '../copy-metrics.js';
import { abortQuietly, leavesSession, settingsOf } from '../copy-object.js';
import { listAllParts, type UploadTarget } from '../part-copy-run.js';
import { CopySessionError } from '../session-error.js';
import { newEnvelope, sessionText } from '../session-record.js';
import type { SessionLock, SessionStore } from '../session-store.js';
import { createUploadOrCleanUp } from '../upload-creation.js';
import { withPartRetries } from './part-retry.js';
import { pullPart } from './pull-part.js';
import { type PinnedRead, streamPart } from './stream-part.js';
import { checkTransferRequest } from './transfer-input.js';
import { planTransfer, type TransferPlan } from './transfer-plan.js';
import { parseTransferSession, type TransferSessionRecord, transferSessionId } from './transfer-session.js';
import type { TransferObjectRequest, TransferObjectResult } from './transfer-types.js';
import { verifyTransfer } from './transfer-verification.js';

/** Default lifetime of a signed URL of a server-side pull. */
const PRESIGN_SECONDS = 3600;
const MD5_HEX = /^[0-9a-f]{32}$/;

interface Session {
  store: SessionStore;
  id: string;
  record?: TransferSessionRecord;
  /** A record existed when the run began: this run resumes it. */
  resumed: boolean;
  lock: SessionLock;
}

interface Run {
  request: TransferObjectRequest;
  source: PinnedRead & { size: number };
  plan: TransferPlan;
  upload: UploadTarget;
  /** Parts the destination already holds (found on resume): number to ETag. */
  existing: Map<number, string>;
  /** Those of them listed with the CRC32 of the stored part. */
  existingCrc32: Set<number>;
  session: Session | undefined;
  sourceMeter: CopyMeter;
  meter: CopyMeter;
}

/**
 * Copies `source` (any store) to `destination` (any store), by server-side pull or stream as
 * `strategy` allows (`result.strategy` and `result.reason` say which and why), verified, with
 * progress, and resumable with `session`.
 *
 * @example
 * ```ts
 * const result = await transferObject({
 *   source: { client: s3, bucket: 'raw', key: 'video.mp4' },
 *   destination: { client: azure, bucket: 'archive', key: 'video.mp4' },
 *   strategy: 'auto',
 *   session: { store: new FileSessionStore('.partcopy/sessions') },
 *   onProgress: (p) => console.log(p.bytesDone, '/', p.bytesTotal),
 * });
 * console.log(result.strategy, result.bytesServerSide, result.bytesClientStreamed, result.verification.checks);
 * ```
 */
export async function transferObject(request: TransferObjectRequest): Promise<TransferObjectResult> {
  checkTransferRequest(request);
  const { source, destination, signal } = request;
  throwIfAborted(signal);
  const sourceMeter = new CopyMeter(source.client, [source]);
  const meter = new CopyMeter(destination.client, [destination], request.onProgress);
  let session: Session | undefined;
  try {
    session = await openSession(request);
    const head = await source.client.headObject({
      bucket: source.bucket,
      key: source.key,
      ...(source.versionId === undefined ? {} : { versionId: source.versionId }),
      abortSignal: signal,
    });
    if (session?.record) await checkSourcePin(request, session, head);
    const range =
      session?.record?.range ??
      resolveCopyRange(
        source.range === undefined ? undefined : parseByteRange(source.range, 'source.range'),
        head.size,
        { bucket: source.bucket, key: source.key, operation: 'getObject' },
      );
    const pinned: Run['source'] = {
      client: source.client,
      bucket: source.bucket,
      key: source.key,
      versionId: source.versionId ?? head.versionId,
      etag: head.etag,
      size: head.size,
    };
    const planInput = {
      source: source.client,
      sourceBucket: source.bucket,
      destination: destination.client,
      destinationBucket: destination.bucket,
      strategy: session?.record?.strategy ?? request.strategy ?? 'auto',
      range,
      partSize: session?.record?.plan.partSize ?? request.partSize,
      concurrency: request.concurrency,
    };
    const plan = await probedPlan(planInput, pinned, request);
    if (plan.strategy === 'empty-put') return await putEmpty(request, pinned, plan, head, sourceMeter, meter);
    if (session && !destination.client.capabilitiesFor(destination.bucket).listParts)
      throw new PartCopyError(
        'Unsupported',
        `${destination.client.provider.name} cannot list parts, so a transfer to it cannot be resumed; run it without a session`,
      );
    const held = await uploadOf(request, session, pinned, plan, head);
    return await runParts({ request, source: pinned, plan, ...held, session, sourceMeter, meter });
  } finally {
    await session?.lock.release();
    sourceMeter.stop();
    meter.stop();
  }
}

/**
 * The plan, with a pull's first signature made before anything is created: credentials that cannot
 * sign (GCS without a key, Azure without a shared key) are found here. Under `auto` the transfer
 * then streams and says why; under `server-pull` the error stands.
 */
async function probedPlan(
  input: Parameters<typeof planTransfer>[0],
  source: PinnedRead,
  request: TransferObjectRequest,
): Promise<TransferPlan> {
  const plan = planTransfer(input);
  if (plan.strategy !== 'server-pull') return plan;
  try {
    await presignProbe(source, plan, request.signal);
    return plan;
  } catch (error) {
    if (input.strategy !== 'auto' || !PartCopyError.isInstance(error) || error.code === 'RequestAborted')
      throw error;
    const streamed = planTransfer({ ...input, strategy: 'stream' });
    return {
      ...streamed,
      reason: `streamed through this process with bounded memory (no server-side pull: ${error.message})`,
    };
  }
}

async function presignProbe(
  source: PinnedRead,
  plan: TransferPlan,
  signal: AbortSignal | undefined,
): Promise<void> {
  await source.client.presignGetObject({
    bucket: source.bucket,
    key: source.key,
    ...(source.versionId === undefined ? {} : { versionId: source.versionId }),
    ...(plan.range === undefined ? {} : { range: plan.range }),
    expiresInSeconds: 60,
    ...(signal === undefined ? {} : { abortSignal: signal }),
  });
}

async function openSession(request: TransferObjectRequest): Promise<Session | undefined> {
  if (request.session === undefined) return undefined;
  const { store } = request.session;
  const id = request.session.id ?? transferSessionId(request);
  const lock = await store.lock(id);
  try {
    const text = await store.read(id);
    if (text === undefined) return { store, id, lock, resumed: false };
    return { store, id, lock, resumed: true, record: parseTransferSession(id, text, request) };
  } catch (error) {
    await lock.release();
    throw error;
  }
}

// A resumed transfer continues only from the source the parts were read from; otherwise its
// upload is aborted, its record removed, and the error says to start again.
async function checkSourcePin(
  request: TransferObjectRequest,
  session: Session,
  head: { etag: string; size: number },
): Promise<void> {
  const record = session.record as TransferSessionRecord;
  if (etagMatches(record.source.etag, head.etag) && head.size === record.source.size) return;
  if (record.uploadId)
    await abortQuietly(
      request.destination.client,
      { bucket: record.destination.bucket, key: record.destination.key, uploadId: record.uploadId },
      request.onCleanupFailed,
    );
  await session.store.remove(session.id);
  throw new CopySessionError(
    'source-changed',
    session.id,
    `the source ${record.source.bucket}/${record.source.key} changed since session ${session.id} started (ETag ${record.source.etag}, now ${head.etag}); its upload was aborted and its record removed: transfer again`,
  );
}

/** The upload to write into: the session's (with the parts the destination already holds), or a new one. */
async function uploadOf(
  request: TransferObjectRequest,
  session: Session | undefined,
  source: Run['source'],
  plan: TransferPlan,
  head: Parameters<typeof settingsOf>[0],
): Promise<Pick<Run, 'upload' | 'existing' | 'existingCrc32'>> {
  const { destination, signal } = request;
  const target = { bucket: destination.bucket, key: destination.key };
  const recorded = session?.record?.state === 'copying' ? session.record.uploadId : undefined;
  if (recorded !== undefined) {
    const upload = { ...target, uploadId: recorded };
    try {
      const listed = await listAllParts(destination.client, upload, signal);
      const sizes = new Map(plan.parts.map((part) => [part.partNumber, part.size]));
      const kept = listed.filter((p) => sizes.get(p.partNumber) === p.size);
      const existing = new Map(kept.map((p) => [p.partNumber, p.etag]));
      const existingCrc32 = new Set(
        kept.filter((p) => p.checksumCRC32 !== undefined).map((p) => p.partNumber),
      );
      return { upload, existing, existingCrc32 };
    } catch (error) {
      if (!PartCopyError.hasCode(error, 'NoSuchUpload')) throw error;
      // The upload expired or was aborted: start a new one under the same session.
    }
  }
  if (session) await saveSession(session, newRecord(request, session.id, source, plan));
  // A lost answer's upload is aborted whatever happens next: a resumed transfer creates its own.
  const created = await createUploadOrCleanUp(
    destination.client,
    { ...target, ...settingsOf(head), abortSignal: signal },
    { cleanUp: () => true, onCleanupFailed: request.onCleanupFailed },
  );
  const upload = { ...target, uploadId: created.uploadId };
  if (session?.record) {
    try {
      await saveSession(session, { ...session.record, uploadId: upload.uploadId, state: 'copying' });
    } catch (error) {
      await abortQuietly(destination.client, upload, request.onCleanupFailed);
      throw error;
    }
  }
  return { upload, existing: new Map(), existingCrc32: new Set() };
}

/** Moves the missing parts, completes, verifies; on failure aborts (or keeps a resumable session). */
async function runParts(run: Run): Promise<TransferObjectResult> {
  const { request, plan, upload, session, meter } = run;
  const { destination, signal } = request;
  const reused = plan.parts.filter((part) => run.existing.has(part.partNumber));
  meter.start(plan.totalSize, plan.parts.length, reused);
  request.onStart?.({
    strategy: plan.strategy,
    reason: plan.reason,
    totalSize: plan.totalSize,
    partSize: plan.partSize,
    partsCount: plan.parts.length,
    concurrency: plan.concurrency,
    uploadId: upload.uploadId,
    ...(session ? { sessionId: session.id } : {}),
    partsReused: reused.length,
  });
  const etags = new Map(run.existing);
  const md5s = new Map<number, string>();
  for (const [partNumber, etag] of run.existing) {
    const bare = etag.replaceAll('"', '');
    if (MD5_HEX.test(bare)) md5s.set(partNumber, bare);
  }
  let partsChecked = plan.strategy === 'stream';
  let crc32Checked = plan.strategy === 'stream';
  let blocksChecked = plan.strategy === 'stream';
  // Set once a part's ETag proved to be its MD5: later parts tell the store their MD5 is checked.
  let etagsAreMd5 = false;
  // Whether the destination checks and answers each part's CRC32: declared by its capabilities
  // (then nothing is hashed here), else learnt from the first part's answer (then CRC32 here). A
  // single part is hashed both ways all the same: its MD5 may also be checked against the
  // source's MD5 ETag.
  const declaresCrc32 =
    plan.parts.length > 1 &&
    destination.client.capabilitiesFor(destination.bucket).uploadPartAnswersCrc32 === true;
  let reportsCrc32: boolean | undefined = declaresCrc32 ? true : undefined;
  let completed: Awaited<ReturnType<typeof destination.client.completeMultipartUpload>>;
  try {
    await mapWithConcurrency(
      plan.parts.filter((part) => !run.existing.has(part.partNumber)),
      plan.concurrency,
      async (part, _index, partSignal) => {
        // Read at each attempt: a retry follows what earlier answers taught.
        const targetNow = () => ({
          client: destination.client,
          ...upload,
          etagsAreMd5,
          ...(reportsCrc32 === undefined ? {} : { reportsCrc32 }),
          storeChecksCrc32: declaresCrc32 && reportsCrc32 === true,
          onNoCrc32: () => {
            reportsCrc32 = false;
          },
        });
        const target = targetNow();
        if (plan.strategy === 'server-pull') {
          const pulled = await pullPart(
            run.source,
            target,
            part,
            request.presignExpiresInSeconds ?? PRESIGN_SECONDS,
            partSignal,
          );
          etags.set(part.partNumber, pulled.etag);
          meter.copied(pulled.bytesCopied, 'server-side');
          return;
        }
        const streamed = await withPartRetries(partSignal, () =>
          streamPart(run.source, targetNow(), part, partSignal, () => {}),
        );
        etags.set(part.partNumber, streamed.etag);
        const md5 = streamed.md5 ?? checkedPartEtag(streamed);
        if (md5 !== undefined) md5s.set(part.partNumber, md5);
        partsChecked &&= streamed.md5Checked;
        crc32Checked &&= streamed.crc32Checked;
        etagsAreMd5 ||= streamed.md5Checked;
        reportsCrc32 ??= streamed.crc32Checked;
        blocksChecked &&= streamed.blocksChecked;
        meter.copied(part.size, 'client-streamed');
      },
      signal,
    );
    throwIfAborted(signal);
    if (plan.strategy === 'server-pull') await recheckPin(run);
    const parts = plan.parts.map((part) => ({
      partNumber: part.partNumber,
      etag: etags.get(part.partNumber) as string,
    }));
    const completion = { ...upload, parts, size: plan.totalSize, abortSignal: signal };
    completed = await completeOrRecognise(destination.client, completion, () =>
      destination.client.completeMultipartUpload({ ...upload, parts, abortSignal: signal }),
    );
  } catch (error) {
    if (session && leavesSession(error)) throw error;
    await abortQuietly(destination.client, upload, request.onCleanupFailed);
    if (session) await session.store.remove(session.id);
    throw error;
  }
  if (session) await session.store.remove(session.id);
  const verification = await verifyTransfer({
    mode: request.verify ?? 'auto',
    source: run.source,
    range: plan.range as NonNullable<TransferPlan['range']>,
    destination,
    etag: completed.etag,
    size: plan.totalSize,
    partMd5s: plan.parts.map((part) => md5s.get(part.partNumber)),
    partsChecked: partsChecked && reused.length === 0,
    // Parts found on resume count when the store checks every part's CRC32 on arrival and listed
    // one for each of them.
    crc32Checked:
      crc32Checked &&
      (reused.length === 0 ||
        (declaresCrc32 &&
          reportsCrc32 === true &&
          reused.every((part) => run.existingCrc32.has(part.partNumber)))),
    // Parts found on resume were streamed by an earlier process: their blocks count as checked
    // when the completion says the store checked every block against its staged MD5.
    blocksChecked: blocksChecked && (reused.length === 0 || completed.blocksChecked === true),
    signal,
    onRead: (bytes) => meter.readBack(bytes),
  });
  return resultOf(run, completed, verification, reused.length);
}

// A part checked by the CRC32 the store answered has no MD5 computed here; its ETag, where that is
// the MD5 the store computed of the part, stands for it in the multipart ETag check, as the ETags
// of parts found on resume do: that check then proves the object is those checked parts, in order.
function checkedPartEtag(streamed: { etag: string; crc32Checked: boolean }): string | undefined {
  const bare = streamed.etag.replaceAll('"', '');
  return streamed.crc32Checked && MD5_HEX.test(bare) ? bare : undefined;
}

// A pull fetches through a URL: between stores of different kinds the store cannot check the
// source's ETag on each fetch, so the pin is the version in the URL (where the source has one)
// and this second look at the source after the last part, before anything is published.
async function recheckPin(run: Run): Promise<void> {
  const { source } = run;
  const head = await source.client.headObject({
    bucket: source.bucket,
    key: source.key,
    ...(source.versionId === undefined ? {} : { versionId: source.versionId }),
    abortSignal: run.request.signal,
  });
  if (etagMatches(source.etag, head.etag)) return;
  throw new PartCopyError(
    'PreconditionFailed',
    `the source ${source.bucket}/${source.key} changed during the transfer (ETag ${head.etag}, pinned ${source.etag})`,
    { bucket: source.bucket, key: source.key, operation: 'headObject', retryable: false },
  );
}

function newRecord(
  request: TransferObjectRequest,
  id: string,
  source: Run['source'],
  plan: TransferPlan,
): TransferSessionRecord {
  const { destination } = request;
  return {
    ...newEnvelope('transfer', id),
    source: {
      provider: source.client.provider.name,
      ...(request.source.label === undefined ? {} : { label: request.source.label }),
      bucket: source.bucket,
      key: source.key,
      ...(request.source.versionId === undefined ? {} : { versionId: request.source.versionId }),
      etag: source.etag,
      size: source.size,
    },
    destination: {
      provider: destination.client.provider.name,
      ...(destination.label === undefined ? {} : { label: destination.label }),
      bucket: destination.bucket,
      key: destination.key,
    },
    range: plan.range as NonNullable<TransferPlan['range']>,
    strategy: plan.strategy as TransferSessionRecord['strategy'],
    plan: { partSize: plan.partSize, partsCount: plan.parts.length, totalSize: plan.totalSize },
    state: 'creating',
  };
}

async function saveSession(session: Session, record: TransferSessionRecord): Promise<void> {
  session.record = { ...record, updatedAt: new Date().toISOString() };
  await session.store.write(session.id, sessionText(session.record));
}

// An empty source: S3 cannot complete an upload of no bytes, so one empty put with its settings.
async function putEmpty(
  request: TransferObjectRequest,
  source: Run['source'],
  plan: TransferPlan,
  head: Parameters<typeof settingsOf>[0],
  sourceMeter: CopyMeter,
  meter: CopyMeter,
): Promise<TransferObjectResult> {
  const { destination } = request;
  request.onStart?.({
    strategy: 'empty-put',
    reason: plan.reason,
    totalSize: 0,
    partSize: 0,
    partsCount: 0,
    concurrency: 1,
    partsReused: 0,
  });
  const put = await destination.client.putObject({
    bucket: destination.bucket,
    key: destination.key,
    ...settingsOf(head),
    body: new Uint8Array(0),
    abortSignal: request.signal,
  });
  if (request.session) await request.session.store.remove(request.session.id ?? transferSessionId(request));
  return {
    bucket: destination.bucket,
    key: destination.key,
    etag: put.etag,
    ...(put.versionId === undefined ? {} : { versionId: put.versionId }),
    size: 0,
    strategy: 'empty-put',
    reason: plan.reason,
    partSize: 0,
    partsCount: 0,
    concurrency: 1,
    sourceEtag: source.etag,
    ...(source.versionId === undefined ? {} : { sourceVersionId: source.versionId }),
    transfer: 'server-side',
    bytesServerSide: 0,
    bytesClientStreamed: 0,
    verification: { size: true, checks: [], bytesRead: 0 },
    metrics: { source: requestsOf(sourceMeter), destination: meter.stop() },
  };
}

function resultOf(
  run: Run,
  completed: { bucket: string; key: string; etag: string; versionId?: string },
  verification: TransferObjectResult['verification'],
  partsReused: number,
): TransferObjectResult {
  const { plan, source, session } = run;
  const metrics = run.meter.stop();
  const { bytesServerSide, bytesClientStreamed } = metrics;
  return {
    bucket: completed.bucket,
    key: completed.key,
    etag: completed.etag,
    ...(completed.versionId === undefined ? {} : { versionId: completed.versionId }),
    size: plan.totalSize,
    strategy: plan.strategy,
    reason: plan.reason,
    partSize: plan.partSize,
    partsCount: plan.parts.length,
    concurrency: plan.concurrency,
    uploadId: run.upload.uploadId,
    sourceRange: formatByteRange(plan.range as NonNullable<TransferPlan['range']>),
    sourceEtag: source.etag,
    ...(source.versionId === undefined ? {} : { sourceVersionId: source.versionId }),
    transfer: bytesClientStreamed === 0 ? 'server-side' : bytesServerSide === 0 ? 'client-streamed' : 'mixed',
    bytesServerSide,
    bytesClientStreamed,
    verification,
    metrics: { source: requestsOf(run.sourceMeter), destination: metrics },
    ...(session ? { session: { id: session.id, resumed: session.resumed, partsReused } } : {}),
  };
}

function requestsOf(meter: CopyMeter): TransferObjectResult['metrics']['source'] {
  const { requests, retries } = meter.stop();
  return { requests, retries };
}
