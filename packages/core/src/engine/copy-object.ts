/**
 * The copy engine behind `partcopy cp`: copies a whole object or a byte range into a new object
 * through part copies, on the store's side. Create an upload, plan the parts within the store's
 * limits, copy them with bounded concurrency (each pinned to the source's ETag), complete, and
 * check the result; on any failure or abort, abort the upload so nothing is left behind.
 */
import type { CompletedPartInput, CreateMultipartUploadInput } from '../client/inputs.js';
import type { PartCopyClient } from '../client/part-copy-client.js';
import type { ObjectInfo } from '../contract/provider-contract.js';
import type { ByteRange, TransferMode } from '../contract/types.js';
import { PartCopyError, throwIfAborted } from '../errors/part-copy-error.js';
import { formatByteRange, resolveCopyRange } from '../semantics/byte-range.js';
import { etagMatches } from '../semantics/etag.js';
import type { SourceHint } from '../semantics/source-hint.js';
import { mapWithConcurrency } from './concurrency.js';
import { type CopyPartPlan, type PlannedPart, planCopyParts } from './part-plan.js';

/** Parts copied at once when the caller names no concurrency. */
export const DEFAULT_COPY_CONCURRENCY = 4;

/** How long the clean-up abort may take after a failure or an interrupt. */
const CLEANUP_TIMEOUT_MS = 30_000;

export interface CopyObjectRequest {
  /** The store holding both objects: part copies happen inside one store. */
  client: PartCopyClient;
  source: { bucket: string; key: string; versionId?: string | undefined };
  destination: { bucket: string; key: string };
  /** Inclusive bytes of the source to copy; absent copies the whole object. */
  range?: ByteRange | undefined;
  /** Bytes per part; absent lets the planner choose (8 MiB, grown to fit the store's part count). */
  partSize?: number | undefined;
  /** Part copies in flight at once (default {@link DEFAULT_COPY_CONCURRENCY}). */
  concurrency?: number | undefined;
  /**
   * Pin every part to the source's ETag with `copySourceIfMatch` (default true), so a source
   * that changes during the copy fails it with `PreconditionFailed` instead of mixing versions.
   */
  pinSource?: boolean | undefined;
  /** Stops the copy; the upload is then aborted and the error is `RequestAborted`. */
  signal?: AbortSignal | undefined;
  /** Called once the upload exists and the parts are planned (e.g. to size a progress bar). */
  onStart?: ((start: CopyStart) => void) | undefined;
  /** Called after each part is copied. */
  onPart?: ((part: PlannedPart, etag: string, transfer: TransferMode) => void) | undefined;
  /** Called when the clean-up abort itself failed: the upload may need `partcopy uploads abort`. */
  onCleanupFailed?: ((uploadId: string, error: unknown) => void) | undefined;
}

export interface CopyStart {
  uploadId: string;
  plan: CopyPartPlan;
  source: ObjectInfo;
}

export interface CopyObjectResult {
  bucket: string;
  key: string;
  etag: string;
  versionId?: string;
  /** Bytes in the new object. */
  size: number;
  /** The upload used (gone after completion); absent for an empty source, copied with one put. */
  uploadId?: string;
  partsCount: number;
  partSize: number;
  /** `bytes=a-b` of the source that was copied; absent for an empty source. */
  sourceRange?: string;
  /** The source's ETag every part was pinned to. */
  sourceEtag: string;
  sourceVersionId?: string;
  /** `server-side` when no byte passed through this process, `client-streamed` when all did, else `mixed`. */
  transfer: TransferMode | 'mixed';
  bytesServerSide: number;
  bytesClientStreamed: number;
}

/**
 * Copies `source` (or `range` of it) to `destination` through a multipart upload of part copies.
 * Fails with the first part's error, after aborting the upload; the destination is untouched
 * unless the copy completed.
 */
export async function copyObject(request: CopyObjectRequest): Promise<CopyObjectResult> {
  const { client, source, destination, signal } = request;
  throwIfAborted(signal);
  const head = await client.headObject({ ...source, abortSignal: signal });
  const range = resolveCopyRange(request.range, head.size, {
    bucket: source.bucket,
    key: source.key,
    operation: 'uploadPartCopy',
  });
  if (range === undefined) return copyEmptyObject(request, head);
  const plan = planCopyParts(range, {
    limits: client.capabilities,
    partSize: partSizeFor(request, client, range, head.size),
  });
  // One part that is the whole object needs no range, which lets stores that copy only whole
  // objects on the server (GCS rewrite) do it without streaming.
  const wholeInOnePart = plan.parts.length === 1 && range.start === 0 && range.end === head.size - 1;
  checkRangedCopy(client, plan, wholeInOnePart);
  if ((request.pinSource ?? true) && !client.capabilities.copySourceIfMatch) {
    throw new PartCopyError(
      'Unsupported',
      `${client.provider.name} cannot pin the source with copySourceIfMatch; copy unpinned (pinSource: false, cp --unpinned) to accept that a concurrent change of the source can mix versions`,
      { provider: client.provider.name, operation: 'uploadPartCopy' },
    );
  }
  const created = await client.createMultipartUpload({
    ...destination,
    ...settingsOf(head),
    abortSignal: signal,
  });
  const upload = { ...destination, uploadId: created.uploadId };
  let completed: Awaited<ReturnType<PartCopyClient['completeMultipartUpload']>>;
  const moved = { serverSide: 0, clientStreamed: 0 };
  try {
    request.onStart?.({ uploadId: created.uploadId, plan, source: head });
    const parts = await copyParts(request, head, upload, plan, moved, wholeInOnePart);
    completed = await client.completeMultipartUpload({ ...upload, parts, abortSignal: signal });
  } catch (error) {
    await abortQuietly(client, upload, request.onCleanupFailed);
    throw error;
  }
  await verify(client, destination, completed.etag, plan.totalSize, signal);
  return {
    bucket: completed.bucket,
    key: completed.key,
    etag: completed.etag,
    ...(completed.versionId === undefined ? {} : { versionId: completed.versionId }),
    size: plan.totalSize,
    uploadId: created.uploadId,
    partsCount: plan.parts.length,
    partSize: plan.partSize,
    sourceRange: formatByteRange(range),
    sourceEtag: head.etag,
    ...(head.versionId === undefined ? {} : { sourceVersionId: head.versionId }),
    transfer: transferOf(moved),
    bytesServerSide: moved.serverSide,
    bytesClientStreamed: moved.clientStreamed,
  };
}

/** Copies the planned parts, at most `concurrency` at a time; the first failure stops the rest. */
async function copyParts(
  request: CopyObjectRequest,
  head: ObjectInfo,
  upload: { bucket: string; key: string; uploadId: string },
  plan: CopyPartPlan,
  moved: { serverSide: number; clientStreamed: number },
  wholeInOnePart: boolean,
): Promise<CompletedPartInput[]> {
  const pin = request.pinSource ?? true;
  // Parts are planned 1..n, so the results (in plan order) are the completion list. The first
  // failure fires `signal` for the parts in flight and is the one thrown: the others are mostly
  // the RequestAborted it caused.
  const results = await mapWithConcurrency(
    plan.parts,
    request.concurrency ?? DEFAULT_COPY_CONCURRENCY,
    async (part, _index, signal): Promise<CompletedPartInput> => {
      const result = await request.client.uploadPartCopy({
        ...upload,
        partNumber: part.partNumber,
        copySource:
          request.source.versionId === undefined
            ? { bucket: request.source.bucket, key: request.source.key }
            : request.source,
        ...(wholeInOnePart ? {} : { copySourceRange: part.range }),
        ...(pin ? { copySourceIfMatch: head.etag, copySourceHint: hintOf(head) } : {}),
        abortSignal: signal,
      });
      if (result.transfer === 'client-streamed') moved.clientStreamed += result.bytesCopied;
      else moved.serverSide += result.bytesCopied;
      request.onPart?.(part, result.copyPartResult.etag, result.transfer);
      return { partNumber: part.partNumber, etag: result.copyPartResult.etag };
    },
    request.signal,
  );
  throwIfAborted(request.signal);
  return results;
}

// The source as the engine read it once: providers that would otherwise read its metadata for
// every part (Azure, GCS) use this instead, pinned to the same ETag.
function hintOf(head: ObjectInfo): SourceHint {
  const hint: SourceHint = { size: head.size, etag: head.etag, lastModified: head.lastModified };
  if (head.versionId !== undefined) hint.versionId = head.versionId;
  return hint;
}

// Stores that copy only whole objects on the server get the whole object as one part when it
// fits and the caller named no part size; everyone else gets the planner's default.
function partSizeFor(
  request: CopyObjectRequest,
  client: PartCopyClient,
  range: ByteRange,
  size: number,
): number | undefined {
  if (request.partSize !== undefined) return request.partSize;
  const { rangedCopy, clientStreamedRanges, maxPartSize } = client.capabilities;
  const whole = range.start === 0 && range.end === size - 1;
  return rangedCopy !== 'native' && !clientStreamedRanges && whole && size <= maxPartSize ? size : undefined;
}

// Fail before creating anything when the store would refuse every ranged part anyway.
function checkRangedCopy(client: PartCopyClient, plan: CopyPartPlan, wholeInOnePart: boolean): void {
  const { rangedCopy, clientStreamedRanges, maxPartSize } = client.capabilities;
  if (rangedCopy === 'native' || clientStreamedRanges || wholeInOnePart) return;
  throw new PartCopyError(
    'Unsupported',
    `${client.provider.name} copies only whole objects on the server (rangedCopy: ${rangedCopy}) and client-streamed ranges are off; ` +
      `this copy needs ${plan.parts.length === 1 ? 'a ranged part' : `${plan.parts.length} ranged parts`}. ` +
      `Copy a whole object of at most ${maxPartSize} bytes in one part (--part-size at least its size), or allow client-streamed ranges in the provider`,
    { provider: client.provider.name, operation: 'uploadPartCopy' },
  );
}

// S3 cannot make a multipart upload out of zero bytes copied; an empty object is one empty put,
// with the source's settings, which is what the copy would have produced.
async function copyEmptyObject(request: CopyObjectRequest, head: ObjectInfo): Promise<CopyObjectResult> {
  const put = await request.client.putObject({
    ...request.destination,
    ...settingsOf(head),
    body: new Uint8Array(0),
    abortSignal: request.signal,
  });
  return {
    ...request.destination,
    etag: put.etag,
    ...(put.versionId === undefined ? {} : { versionId: put.versionId }),
    size: 0,
    partsCount: 0,
    partSize: 0,
    sourceEtag: head.etag,
    ...(head.versionId === undefined ? {} : { sourceVersionId: head.versionId }),
    transfer: 'client-streamed',
    bytesServerSide: 0,
    bytesClientStreamed: 0,
  };
}

/** The source's object settings, carried to the copy as S3's CopyObject does by default. */
function settingsOf(head: ObjectInfo): Omit<CreateMultipartUploadInput, 'bucket' | 'key'> {
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
  return Object.fromEntries(Object.entries(settings).filter(([, value]) => value !== undefined));
}

/** The new object must be there with the completed ETag and the planned size. */
async function verify(
  client: PartCopyClient,
  destination: { bucket: string; key: string },
  etag: string,
  size: number,
  signal: AbortSignal | undefined,
): Promise<void> {
  const head = await client.headObject({ ...destination, abortSignal: signal });
  if (head.size !== size || !etagMatches(etag, head.etag)) {
    throw new PartCopyError(
      'InternalError',
      `verification failed: ${destination.bucket}/${destination.key} is ${head.size} bytes with ETag ${head.etag} after completion, expected ${size} bytes with ETag ${etag} (was it overwritten meanwhile?)`,
      { ...destination, operation: 'headObject', retryable: false },
    );
  }
}

// The caller's signal may be the reason we are here (Ctrl-C), so the clean-up gets its own.
async function abortQuietly(
  client: PartCopyClient,
  upload: { bucket: string; key: string; uploadId: string },
  onFailed: CopyObjectRequest['onCleanupFailed'],
): Promise<void> {
  try {
    await client.abortMultipartUpload({ ...upload, abortSignal: AbortSignal.timeout(CLEANUP_TIMEOUT_MS) });
  } catch (error) {
    if (!PartCopyError.hasCode(error, 'NoSuchUpload')) onFailed?.(upload.uploadId, error);
  }
}

function transferOf(moved: { serverSide: number; clientStreamed: number }): CopyObjectResult['transfer'] {
  if (moved.clientStreamed === 0) return 'server-side';
  return moved.serverSide === 0 ? 'client-streamed' : 'mixed';
}
