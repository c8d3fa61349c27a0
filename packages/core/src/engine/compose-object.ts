/**
 * The compose engine: one object made of many pieces (whole objects or byte ranges of them, any
 * source any number of times), on the store's side wherever the store can.
 *
 * Order of work: the input is checked; every distinct source is HEADed once and every piece pinned
 * to its ETag; the result is checked against the store's limits; then one strategy runs:
 * - the store's native compose (`Provider.composeObject`: Azure blocks with no minimum size, GCS
 *   compose trees, in-store on fs and memory);
 * - otherwise S3's rules ({@link planComposeParts}): part copies for large pieces, small pieces
 *   joined through this process with the fewest bytes, one multipart upload;
 * - or one empty put when every piece is empty.
 * The destination is untouched until one atomic publish with its If-Match / If-None-Match, and a
 * failure or an abort leaves nothing behind.
 */
import type { PartCopyClient } from '../client/part-copy-client.js';
import type { Capabilities } from '../contract/capabilities.js';
import type { ComposeObjectResult as NativeResult } from '../contract/provider-contract.js';
import { PartCopyError, throwIfAborted } from '../errors/part-copy-error.js';
import { runComposeMultipart } from './compose-multipart.js';
import { keepsNativeSession, runNativeSession } from './compose-native-session.js';
import { type ComposePartPlan, planComposeParts } from './compose-part-plan.js';
import { checkComposeInput, checkResultSize, pinPieces } from './compose-pieces.js';
import { composeSessionId, parseComposeRecord } from './compose-session.js';
import type {
  ComposeObjectRequest,
  ComposeObjectResult,
  ComposePlanSummary,
  PinnedPiece,
} from './compose-types.js';
import { CopyMeter } from './copy-metrics.js';

const DEFAULT_COMPOSE_CONCURRENCY = 4;

/**
 * Composes `destination` out of `sources`, in order. Fails with a typed error before anything is
 * created for an empty list, a range past a source's end, a missing source, a source whose ETag is
 * not its `ifMatch`, or a result over the store's size or part limits.
 *
 * @example
 * ```ts
 * import { composeObject, PartCopyClient } from '@partcopy/core';
 *
 * const result = await composeObject({
 *   client,
 *   destination: { bucket: 'media', key: 'film.ts', ifNoneMatch: '*' },
 *   sources: [
 *     { bucket: 'media', key: 'seg-001.ts' },
 *     { bucket: 'media', key: 'seg-002.ts', range: 'bytes=0-1048575' },
 *   ],
 * });
 * console.log(result.strategy, result.bytesServerSide, result.bytesClientStreamed);
 * ```
 */
export async function composeObject(request: ComposeObjectRequest): Promise<ComposeObjectResult> {
  const { client, destination, sources, signal } = request;
  throwIfAborted(signal);
  checkComposeInput(destination, sources);
  const concurrency = request.concurrency ?? DEFAULT_COMPOSE_CONCURRENCY;
  const meter = new CopyMeter(client, [destination, ...sources], request.onProgress);
  try {
    const { pieces } = await pinPieces(client, sources, concurrency, signal);
    const totalSize = pieces.reduce((sum, p) => sum + p.size, 0);
    checkResultSize(client, destination.bucket, totalSize);
    const caps = client.capabilitiesFor(destination.bucket);
    const distinctSources = new Set(pieces.map((p) => `${p.bucket}\n${p.key}\n${p.versionId ?? ''}`)).size;
    const base = { pieces: pieces.length, distinctSources, totalSize };
    if (totalSize === 0) return await composeEmpty(request, base, meter);
    const native = (await recordedStrategy(request)) !== 'multipart' && usesNative(client, request, pieces);
    if (native) return await composeNative(request, pieces, caps, base, meter);
    return await composeMultipart(request, pieces, caps, base, meter);
  } finally {
    meter.stop();
  }
}

type Base = { pieces: number; distinctSources: number; totalSize: number };

// A session resumes with the strategy it began with: a multipart session's upload holds its parts.
async function recordedStrategy(request: ComposeObjectRequest): Promise<'multipart' | 'native' | undefined> {
  if (request.session === undefined) return undefined;
  const text = await request.session.store.read(sessionIdOf(request));
  if (text === undefined) return undefined;
  return parseComposeRecord(sessionIdOf(request), text).strategy ?? 'multipart';
}

function sessionIdOf(request: ComposeObjectRequest): string {
  const { client, destination, sources, session } = request;
  return session?.id ?? composeSessionId(client, destination, sources, session?.storeLabel);
}

function usesNative(
  client: PartCopyClient,
  request: ComposeObjectRequest,
  pieces: readonly PinnedPiece[],
): boolean {
  if (request.mode === 'multipart' || typeof client.provider.composeObject !== 'function') return false;
  const buckets = new Set([request.destination.bucket, ...pieces.map((p) => p.bucket)]);
  return [...buckets].every((bucket) => client.capabilitiesFor(bucket).nativeCompose);
}

async function composeNative(
  request: ComposeObjectRequest,
  pieces: readonly PinnedPiece[],
  caps: Readonly<Capabilities>,
  base: Base,
  meter: CopyMeter,
): Promise<ComposeObjectResult> {
  const { client, destination, signal } = request;
  const nonEmpty = pieces.filter((p) => p.size > 0);
  const streamed = caps.rangedCopy === 'native' ? [] : nonEmpty.filter((p) => !p.whole);
  if (streamed.length > 0 && !caps.clientStreamedRanges) {
    throw new PartCopyError(
      'Unsupported',
      `${client.provider.name} composes only whole objects on the server and client-streamed ranges are off; ` +
        `${streamed.length} piece(s) are ranges (first: sources[${(streamed[0] as PinnedPiece).index}] ${(streamed[0] as PinnedPiece).bucket}/${(streamed[0] as PinnedPiece).key})`,
      {
        provider: client.provider.name,
        operation: 'composeObject',
        bucket: destination.bucket,
        key: destination.key,
      },
    );
  }
  const lowerBound = streamed.reduce((sum, p) => sum + p.size, 0);
  await request.onPlan?.({
    ...base,
    strategy: 'native',
    parts: 0,
    partsCopied: 0,
    partsUploaded: 0,
    plannedClientBytes: lowerBound,
    clientBytesLowerBound: lowerBound,
    groups: [],
  });
  throwIfAborted(signal);
  meter.start(base.totalSize, nonEmpty.length);
  const send = (resumeKey: string | undefined) =>
    client.composeObjectNative({
      bucket: destination.bucket,
      key: destination.key,
      pieces: nonEmpty.map((p) => ({
        source: {
          bucket: p.bucket,
          key: p.key,
          ...(p.versionId === undefined ? {} : { versionId: p.versionId }),
        },
        ...(p.whole || p.range === undefined ? {} : { range: p.range }),
        etag: p.etag,
        size: p.size,
        sourceSize: p.sourceSize,
      })),
      settings: { ...request.settings },
      ...(destination.ifMatch === undefined ? {} : { ifMatch: destination.ifMatch }),
      ...(destination.ifNoneMatch === undefined ? {} : { ifNoneMatch: destination.ifNoneMatch }),
      ...(resumeKey === undefined ? {} : { resumeKey }),
      abortSignal: signal,
    });
  const { composed, session } = keepsNativeSession(client, request)
    ? await runNativeSession(request, sessionIdOf(request), pieces, base.totalSize, send)
    : { composed: await send(undefined), session: undefined };
  meter.copied(composed.bytesServerSide, 'server-side', false);
  if (composed.bytesClientStreamed > 0) meter.copied(composed.bytesClientStreamed, 'client-streamed', false);
  const metrics = meter.stop();
  // The facade saw one composeObject call; the provider says what it sent for it.
  const facadeCalls = sumOf(metrics.requests) - (metrics.requests.composeObject ?? 0);
  return {
    bucket: destination.bucket,
    key: destination.key,
    etag: composed.etag,
    ...(composed.versionId === undefined ? {} : { versionId: composed.versionId }),
    size: composed.size,
    strategy: 'native',
    ...base,
    bytesServerSide: composed.bytesServerSide,
    bytesClientStreamed: composed.bytesClientStreamed,
    clientBytesLowerBound: lowerBound,
    requests: facadeCalls + composed.requests,
    requestsByOperation: { ...metrics.requests },
    groups: remapGroups(composed.groups, nonEmpty),
    ...(composed.requestsByKind === undefined ? {} : { providerRequests: { ...composed.requestsByKind } }),
    partsCount: 0,
    durationMs: metrics.durationMs,
    ...(session ? { session } : {}),
  };
}

async function composeMultipart(
  request: ComposeObjectRequest,
  pieces: readonly PinnedPiece[],
  caps: Readonly<Capabilities>,
  base: Base,
  meter: CopyMeter,
): Promise<ComposeObjectResult> {
  const { client, destination } = request;
  if (
    (destination.ifMatch !== undefined || destination.ifNoneMatch !== undefined) &&
    !caps.completeConditions
  ) {
    throw new PartCopyError(
      'Unsupported',
      `${client.provider.name} cannot publish a multipart upload with If-Match / If-None-Match (completeConditions is false)`,
      { provider: client.provider.name, operation: 'completeMultipartUpload', bucket: destination.bucket },
    );
  }
  const plan = planComposeParts(pieces, caps, { copyPartSize: request.partSize });
  checkRangedCopies(client, caps, plan, pieces);
  checkCanPinCopies(client, plan, pieces);
  await request.onPlan?.(summaryOf(base, plan));
  throwIfAborted(request.signal);
  const sessionId = request.session === undefined ? undefined : sessionIdOf(request);
  const outcome = await runComposeMultipart({ request, pieces, plan, meter, sessionId });
  const metrics = meter.stop();
  return {
    bucket: destination.bucket,
    key: destination.key,
    etag: outcome.etag,
    ...(outcome.versionId === undefined ? {} : { versionId: outcome.versionId }),
    size: plan.totalSize,
    strategy: 'multipart',
    ...base,
    bytesServerSide: metrics.bytesServerSide,
    bytesClientStreamed: metrics.bytesClientStreamed,
    clientBytesLowerBound: plan.clientBytesLowerBound,
    requests: sumOf(metrics.requests),
    requestsByOperation: { ...metrics.requests },
    groups: plan.groups,
    uploadId: outcome.uploadId,
    partsCount: plan.parts.length,
    durationMs: metrics.durationMs,
    ...(outcome.session ? { session: outcome.session } : {}),
  };
}

// A store that copies only whole objects on the server refuses ranged part copies unless it may
// stream them: fail before the upload exists.
function checkRangedCopies(
  client: PartCopyClient,
  caps: Readonly<Capabilities>,
  plan: ComposePartPlan,
  pieces: readonly PinnedPiece[],
): void {
  if (caps.rangedCopy === 'native' || caps.clientStreamedRanges) return;
  const ranged = plan.parts.find((part) => {
    if (part.kind !== 'copy') return false;
    const slice = part.slices[0];
    const piece = pieces[slice?.piece ?? 0] as PinnedPiece;
    return slice !== undefined && (slice.start !== 0 || slice.end !== piece.sourceSize - 1);
  });
  if (ranged === undefined) return;
  throw new PartCopyError(
    'Unsupported',
    `${client.provider.name} copies only whole objects on the server and client-streamed ranges are off; part ${ranged.partNumber} of the compose is a range`,
    { provider: client.provider.name, operation: 'uploadPartCopy' },
  );
}

// Every server-side part copy is pinned with copySourceIfMatch; a bucket that cannot would let a
// changed source mix versions into the result.
function checkCanPinCopies(
  client: PartCopyClient,
  plan: ComposePartPlan,
  pieces: readonly PinnedPiece[],
): void {
  for (const part of plan.parts) {
    if (part.kind !== 'copy') continue;
    const piece = pieces[part.slices[0]?.piece ?? 0] as PinnedPiece;
    if (client.capabilitiesFor(piece.bucket).copySourceIfMatch) continue;
    throw new PartCopyError(
      'Unsupported',
      `${client.provider.name} cannot pin part copies from bucket ${piece.bucket} (copySourceIfMatch is false), so a compose cannot hold its pieces still`,
      { provider: client.provider.name, operation: 'uploadPartCopy' },
    );
  }
}

async function composeEmpty(
  request: ComposeObjectRequest,
  base: Base,
  meter: CopyMeter,
): Promise<ComposeObjectResult> {
  const { client, destination } = request;
  await request.onPlan?.({
    ...base,
    strategy: 'empty-put',
    parts: 0,
    partsCopied: 0,
    partsUploaded: 0,
    plannedClientBytes: 0,
    clientBytesLowerBound: 0,
    groups: [],
  });
  const put = await client.putObject({
    bucket: destination.bucket,
    key: destination.key,
    ...request.settings,
    body: new Uint8Array(0),
    ...(destination.ifMatch === undefined ? {} : { ifMatch: destination.ifMatch }),
    ...(destination.ifNoneMatch === undefined ? {} : { ifNoneMatch: destination.ifNoneMatch }),
    abortSignal: request.signal,
  });
  const metrics = meter.stop();
  return {
    bucket: destination.bucket,
    key: destination.key,
    etag: put.etag,
    ...(put.versionId === undefined ? {} : { versionId: put.versionId }),
    size: 0,
    strategy: 'empty-put',
    ...base,
    bytesServerSide: 0,
    bytesClientStreamed: 0,
    clientBytesLowerBound: 0,
    requests: sumOf(metrics.requests),
    requestsByOperation: { ...metrics.requests },
    groups: [],
    partsCount: 0,
    durationMs: metrics.durationMs,
  };
}

function summaryOf(base: Base, plan: ComposePartPlan): ComposePlanSummary {
  return {
    ...base,
    strategy: 'multipart',
    parts: plan.parts.length,
    partsCopied: plan.parts.filter((p) => p.kind === 'copy').length,
    partsUploaded: plan.parts.filter((p) => p.kind === 'upload').length,
    plannedClientBytes: plan.plannedClientBytes,
    clientBytesLowerBound: plan.clientBytesLowerBound,
    groups: plan.groups,
  };
}

// The provider numbers pieces in the list it was given (empty pieces dropped): map back to the
// caller's positions.
function remapGroups(groups: NativeResult['groups'], sent: readonly PinnedPiece[]): NativeResult['groups'] {
  return groups.map((g) => ({ ...g, firstPiece: sent[g.firstPiece]?.index ?? g.firstPiece }));
}

function sumOf(counts: Record<string, number>): number {
  return Object.values(counts).reduce((sum, n) => sum + n, 0);
}
