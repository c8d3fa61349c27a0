/**
 * Native compose on GCS: every piece becomes one compose source pinned to its generation, and a
 * compose tree (gcs-compose-tree.ts) joins any number of them, 32 per call, the last call writing
 * the destination with the caller's condition as `ifGenerationMatch` (one atomic publish).
 *
 * - A whole object in the destination bucket is a compose source as it is: no byte moves.
 * - A whole object in another bucket is first rewritten (server-side) into a staging object, since
 *   compose takes sources from the destination's bucket only.
 * - A byte range cannot be copied on the server: it is streamed through this process into a staging
 *   object, only when client-streamed ranges are allowed (the engine refuses otherwise, before
 *   anything is written), and counted in `bytesClientStreamed`.
 *
 * Staging objects and intermediate composites live under `<prefix>compose/<attempt>/` (hidden from
 * listings) and are deleted when the compose ends, however it ends: an abort or a failure half-way
 * up the tree leaves nothing behind (the clean-up runs on its own signal, since the caller's may be
 * the reason we stop).
 *
 * With a `resumeKey` (a compose session) the attempt is derived from the key, so every staging
 * object and intermediate composite has a name a later process can find: those objects are the
 * compose's progress. The call lists the attempt's folder first and reuses each object whose
 * size is the one planned (each was written once, with `ifGenerationMatch=0`, from sources pinned
 * to their generations, and is used pinned to its own generation); an interrupt or a failure that
 * may pass keeps them for the resume, anything else (and success) deletes them.
 */
import { createHash, randomBytes } from 'node:crypto';
import {
  type ComposeGroupReport,
  type ComposeObjectRequest,
  type ComposeObjectResult,
  type ComposePieceRequest,
  type ErrorContext,
  mapWithConcurrency,
  type OperationContext,
  PartCopyError,
} from '@partcopy/core/provider';
import { compose } from './complete-upload.js';
import { explainSourceFailure } from './copy-part.js';
import { planComposeTree, runComposeTree } from './gcs-compose-tree.js';
import { gcsEtag } from './gcs-etag.js';
import { GcsHttpError, objectPath } from './gcs-json-api.js';
import { type GcsObject, pickSettings, settingsToResource } from './gcs-object-resource.js';
import { type GcsRuntime, runGcs } from './gcs-runtime.js';
import { rewriteObject } from './rewrite-object.js';
import { destinationPrecondition } from './write-conditions.js';

const STAGING_RESOURCE = { storageClass: 'STANDARD', contentType: 'application/octet-stream' } as const;
const CLEANUP_TIMEOUT_MS = 30_000;

interface Source {
  name: string;
  generation: string;
  size: number;
}

/** What one compose run needs and counts. */
interface Run {
  rt: GcsRuntime;
  request: ComposeObjectRequest;
  ctx: OperationContext;
  context: ErrorContext;
  attempt: string;
  created: GcsObject[];
  /** With a resume key: what earlier calls left under the attempt's folder, by name. */
  found: Map<string, GcsObject>;
  reused: number;
  requests: number;
  byKind: Record<string, number>;
  streamed: number;
}

/** The provider's composeObject. */
export async function composeObject(
  rt: GcsRuntime,
  request: ComposeObjectRequest,
  ctx: OperationContext,
): Promise<ComposeObjectResult> {
  const context = { bucket: request.bucket, key: request.key };
  return runGcs('composeObject', context, ctx, {}, async () => {
    const run: Run = {
      rt,
      request,
      ctx,
      context: { operation: 'composeObject', ...context },
      attempt: attemptOf(request),
      created: [],
      found: new Map(),
      reused: 0,
      requests: 0,
      byKind: {},
      streamed: 0,
    };
    let result: ComposeObjectResult;
    try {
      if (request.resumeKey !== undefined) await findEarlierProgress(run);
      result = await composeRun(run);
    } catch (error) {
      if (!keepsProgress(run, error)) await removeCreated(run).catch(() => {});
      throw error;
    }
    await removeCreated(run);
    return {
      ...result,
      requests: run.requests,
      requestsByKind: run.byKind,
      ...(request.resumeKey === undefined ? {} : { stagedReused: run.reused }),
    };
  });
}

// A resumable compose's attempt is its key's; any other gets a random one.
function attemptOf(request: ComposeObjectRequest): string {
  if (request.resumeKey === undefined) return randomBytes(9).toString('base64url');
  return resumableAttempt(request.resumeKey);
}

/** The attempt (staging folder name) of a resumable compose with this key. */
export function resumableAttempt(resumeKey: string): string {
  return `r${createHash('sha256').update(resumeKey).digest('base64url').slice(0, 15)}`;
}

async function findEarlierProgress(run: Run): Promise<void> {
  const { rt, request, ctx } = run;
  count(run, 'list');
  const objects = await rt.store.listAll(
    request.bucket,
    `${composeStagingPrefix(rt, run.attempt)}/`,
    ctx.signal,
  );
  run.found = new Map(objects.map((o) => [o.name, o]));
  // Deleted with the rest once the compose ends, whether reused or not.
  run.created.push(...objects);
}

// An interrupt or a failure that may pass keeps a resumable compose's objects for the resume.
function keepsProgress(run: Run, error: unknown): boolean {
  if (run.request.resumeKey === undefined || !PartCopyError.isInstance(error)) return false;
  return error.code === 'RequestAborted' || error.retryable;
}

// An object an earlier call of this resumable compose wrote at `name` with the planned size.
function reusable(run: Run, name: string, size: number): Source | undefined {
  const found = run.found.get(name);
  if (found === undefined || Number(found.size) !== size) return undefined;
  run.reused++;
  return { name: found.name, generation: found.generation, size };
}

function count(run: Run, kind: string, n = 1): void {
  run.requests += n;
  run.byKind[kind] = (run.byKind[kind] ?? 0) + n;
}

/** The folder of one compose attempt's temporary objects. */
export function composeStagingPrefix(rt: Pick<GcsRuntime, 'names'>, attempt = ''): string {
  return `${rt.names.prefix}compose/${attempt}`;
}

async function composeRun(run: Run): Promise<ComposeObjectResult> {
  const { rt, request, ctx } = run;
  const size = request.pieces.reduce((sum, p) => sum + p.size, 0);
  if (request.ifMatch !== undefined) count(run, 'get');
  const destinationGeneration = await destinationPrecondition(rt, request, ctx.signal, run.context);
  // GCS enforces ifGenerationMatch=0 on the final compose; fake-gcs-server ignores it on compose,
  // so If-None-Match is also decided up front (one GET), and stays guarded at the publish.
  if (destinationGeneration === '0') await checkAbsent(run);
  const objects = await pinnedSources(run);
  const sources = await mapWithConcurrency(
    request.pieces,
    rt.options.composeConcurrency ?? 16,
    (piece, index, signal) => sourceFor(run, piece, objects[index] as GcsObject, index, signal),
    ctx.signal,
  );
  const plan = planComposeTree(sources.length);
  const destination = settingsToResource(pickSettings(request.settings));
  const tree = await runComposeTree<Source>(
    plan,
    sources,
    async (inputs, level, index, final) => {
      const name = final ? request.key : `${composeStagingPrefix(rt, run.attempt)}/tree-${level}-${index}`;
      const nodeSize = inputs.reduce((sum, input) => sum + input.size, 0);
      const earlier = final ? undefined : reusable(run, name, nodeSize);
      if (earlier !== undefined) return earlier as Source & { object: GcsObject };
      count(run, 'compose');
      const object = await compose(rt, request.bucket, name, inputs, {
        destination: final ? destination : STAGING_RESOURCE,
        ifGenerationMatch: final ? destinationGeneration : '0',
        headers: {},
        signal: ctx.signal,
      }).catch(async (error: unknown) => {
        throw await explainFailure(run, destinationGeneration, error);
      });
      if (!final) run.created.push(object);
      ctx.onProgress?.(final ? size : 0, size);
      return { name: object.name, generation: object.generation, size: nodeSize, object };
    },
    { concurrency: rt.options.composeConcurrency ?? 16, signal: ctx.signal },
  );
  const composed = (tree.result as Source & { object: GcsObject }).object;
  return {
    etag: gcsEtag(composed),
    versionId: composed.generation,
    size: Number(composed.size),
    bytesServerSide: size - run.streamed,
    bytesClientStreamed: run.streamed,
    requests: run.requests,
    groups: groupsOf(request.pieces, request.bucket),
  };
}

async function checkAbsent(run: Run): Promise<void> {
  count(run, 'get');
  const current = await run.rt.store.find(run.request.bucket, run.request.key, run.ctx.signal);
  if (current === undefined) return;
  throw new PartCopyError(
    'PreconditionFailed',
    'At least one of the pre-conditions you specified did not hold (If-None-Match: an object exists)',
    run.context,
  );
}

/**
 * One read per distinct source, each checked against its pin (partcopy's ETag for GCS), giving the
 * generation every compose source is then pinned to. The read is not skipped even though the
 * engine HEADed the source already: fake-gcs-server ignores source generations on compose, so
 * only this comparison proves the pin there (on GCS the generation alone would hold it).
 */
async function pinnedSources(run: Run): Promise<GcsObject[]> {
  const { rt, request, ctx } = run;
  const distinct = new Map<string, ComposePieceRequest>();
  for (const piece of request.pieces) distinct.set(identity(piece), piece);
  const read = new Map<string, GcsObject>();
  await mapWithConcurrency(
    [...distinct.entries()],
    rt.options.composeConcurrency ?? 16,
    async ([id, piece], _index, signal) => {
      const { bucket, key, versionId } = piece.source;
      const context = { ...run.context, sourceBucket: bucket, sourceKey: key, sourceVersionId: versionId };
      if (versionId !== undefined && !/^\d+$/.test(versionId))
        throw await rt.store.notFound(bucket, signal, 'NoSuchKey', context);
      count(run, 'get');
      const object = await rt.store.get(bucket, key, signal, {
        ...(versionId === undefined ? {} : { generation: versionId }),
        missing: 'NoSuchKey',
        context,
      });
      if (gcsEtag(object) !== piece.etag) {
        throw new PartCopyError(
          'PreconditionFailed',
          `${bucket}/${key} changed since the compose was planned`,
          context,
        );
      }
      read.set(id, object);
    },
    ctx.signal,
  );
  return request.pieces.map((piece) => read.get(identity(piece)) as GcsObject);
}

/** The compose source of one piece: the object itself, or a staging copy of it. */
async function sourceFor(
  run: Run,
  piece: ComposePieceRequest,
  object: GcsObject,
  index: number,
  signal: AbortSignal,
) {
  const { rt, request } = run;
  const name = `${composeStagingPrefix(rt, run.attempt)}/piece-${String(index).padStart(6, '0')}`;
  const pieceRequest = { source: piece.source };
  try {
    if (piece.range === undefined && object.bucket === request.bucket)
      return { name: object.name, generation: object.generation, size: piece.size };
    const earlier = reusable(run, name, piece.size);
    if (earlier !== undefined) return earlier;
    if (piece.range === undefined) {
      count(run, 'rewrite');
      const copy = await rewriteObject(rt.store, {
        source: object,
        bucket: request.bucket,
        name,
        resource: STAGING_RESOURCE,
        ifGenerationMatch: '0',
        headers: {},
        signal,
      });
      run.created.push(copy);
      return { name: copy.name, generation: copy.generation, size: piece.size };
    }
    return await streamRange(run, piece, object, name, signal);
  } catch (error) {
    throw await explainSourceFailure(rt, pieceRequest, error, signal, run.context);
  }
}

async function streamRange(
  run: Run,
  piece: ComposePieceRequest,
  object: GcsObject,
  name: string,
  signal: AbortSignal,
) {
  const { rt, request } = run;
  const range = piece.range as { start: number; end: number };
  count(run, 'read-range');
  count(run, 'insert');
  const response = await rt.store.api.stream(objectPath(object.bucket, object.name), {
    query: { generation: object.generation, ifGenerationMatch: object.generation },
    headers: { range: `bytes=${range.start}-${range.end}` },
    signal,
  });
  if (response.status !== 206) {
    await response.cancel();
    throw new PartCopyError(
      'InternalError',
      `GCS answered a ranged read with status ${response.status}, not 206`,
      {
        retryable: true,
      },
    );
  }
  const { object: staged } = await rt.store.insert(request.bucket, signal, {
    resource: { ...STAGING_RESOURCE, name },
    chunks: response.body,
    length: piece.size,
    query: { ifGenerationMatch: '0' },
  });
  run.created.push(staged);
  run.streamed += piece.size;
  return { name: staged.name, generation: staged.generation, size: piece.size };
}

// A 412 from the final compose is the destination condition or a source replaced meanwhile.
async function explainFailure(
  run: Run,
  destinationGeneration: string | undefined,
  error: unknown,
): Promise<unknown> {
  if (!(error instanceof GcsHttpError) || run.ctx.signal.aborted) return error;
  if (error.status !== 412 && error.status !== 404) return error;
  if (destinationGeneration !== undefined) {
    const current = await run.rt.store.find(run.request.bucket, run.request.key, run.ctx.signal);
    if ((current?.generation ?? '0') !== destinationGeneration)
      return new PartCopyError(
        'PreconditionFailed',
        'At least one of the pre-conditions you specified did not hold (the destination changed)',
        { ...run.context, cause: error },
      );
  }
  return new PartCopyError('PreconditionFailed', 'a source changed while the compose ran', {
    ...run.context,
    cause: error,
  });
}

async function removeCreated(run: Run): Promise<void> {
  if (run.created.length === 0) return;
  const failures = await run.rt.store.deleteAll(
    run.request.bucket,
    run.created,
    AbortSignal.timeout(CLEANUP_TIMEOUT_MS),
  );
  count(run, 'delete', run.created.length);
  if (failures.length > 0) {
    throw new PartCopyError(
      'InternalError',
      `the compose could not delete ${failures.length} staging object(s) under ${composeStagingPrefix(run.rt, run.attempt)}`,
      { ...run.context, cause: failures[0] },
    );
  }
}

function groupsOf(pieces: readonly ComposePieceRequest[], bucket: string): ComposeGroupReport[] {
  const groups: ComposeGroupReport[] = [];
  pieces.forEach((piece, index) => {
    const strategy =
      piece.range !== undefined
        ? 'streamed-then-composed'
        : piece.source.bucket === bucket
          ? 'compose'
          : 'rewrite-then-composed';
    const last = groups[groups.length - 1];
    if (last && last.strategy === strategy) {
      last.pieces++;
      last.bytes += piece.size;
      return;
    }
    groups.push({
      strategy,
      firstPiece: index,
      pieces: 1,
      bytes: piece.size,
      transfer: strategy === 'streamed-then-composed' ? 'client-streamed' : 'server-side',
    });
  });
  return groups;
}

function identity(piece: ComposePieceRequest): string {
  return JSON.stringify([piece.source.bucket, piece.source.key, piece.source.versionId ?? null]);
}
