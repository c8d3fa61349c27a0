import { randomBytes } from 'node:crypto';
import {
  type CompleteMultipartUploadRequest,
  type CompleteMultipartUploadResult,
  type ErrorContext,
  type OperationContext,
  PartCopyError,
  planCompletion,
  type StoredPart,
} from '@partcopy/core/provider';
import { versionIdIfVersioned } from './bucket-versioning.js';
import { combinedCrc32c } from './crc32c-combine.js';
import { type ComposeTreeReport, planComposeTree, runComposeTree } from './gcs-compose-tree.js';
import { encryptionHeaders, encryptionResult } from './gcs-encryption.js';
import { GCS_PROVIDER_NAME } from './gcs-error-map.js';
import { composedEtag, gcsEtag, recordedEtagMetadata, UPLOAD_ID_KEY } from './gcs-etag.js';
import { GcsHttpError, objectPath } from './gcs-json-api.js';
import type { ManifestStore } from './gcs-manifest.js';
import { type GcsObject, type GcsObjectSettings, settingsToResource } from './gcs-object-resource.js';
import type { GcsObjectStore } from './gcs-object-store.js';
import { partsRecordMetadata } from './gcs-parts-record.js';
import { type GcsRuntime, runGcs } from './gcs-runtime.js';
import type { StagingNames } from './gcs-staging-names.js';
import { removeStaging } from './staging-cleanup.js';
import { destinationPrecondition } from './write-conditions.js';

export interface CompleteDeps {
  store: GcsObjectStore;
  names: StagingNames;
  manifests: ManifestStore;
  minPartSize: number;
  composeConcurrency: number;
  onComposeTree?: (report: ComposeTreeReport) => void;
}

/** A staged part as completion needs it. */
export interface StagedPart extends StoredPart {
  name: string;
  generation: string;
  crc32c?: string;
  lastModified: Date;
}

/** A compose source: an object pinned to one generation. */
interface Source {
  name: string;
  generation: string;
}

/**
 * CompleteMultipartUpload on GCS: S3's rules first (nothing changes when they fail), then a
 * compose tree (gcs-compose-tree.ts) whose every source is pinned by generation and guarded by
 * a per-source `ifGenerationMatch`, the last call writing the destination with its settings
 * and the caller's condition as `ifGenerationMatch`. Intermediates live under the upload's
 * prefix with names unique to this attempt. A failure leaves the destination and the parts as
 * they were; success deletes every staged object, the manifest last.
 */
export async function completeUpload(
  deps: CompleteDeps,
  request: CompleteMultipartUploadRequest,
  ctx: OperationContext,
): Promise<CompleteMultipartUploadResult> {
  const { bucket, key, uploadId } = request;
  const { signal } = ctx;
  const context: ErrorContext = {
    provider: GCS_PROVIDER_NAME,
    operation: 'completeMultipartUpload',
    bucket,
    key,
    uploadId,
  };
  let manifest: Awaited<ReturnType<ManifestStore['read']>>;
  let plan: StagedPart[];
  try {
    manifest = await deps.manifests.read(bucket, key, uploadId, signal, context);
    checkCustomerKey(manifest.sseKeySha256, request, context);
    const staged = await listStagedParts(deps, bucket, uploadId, signal);
    plan = planCompletion(request.parts, staged, { minPartSize: deps.minPartSize }, context);
  } catch (error) {
    // A retry of a completion whose clean-up was cut short finds the manifest but some parts
    // gone: when the key holds this upload's object, the completion happened. Finish the
    // clean-up and answer as for any completed upload (NoSuchUpload), instead of InvalidPart
    // on every retry.
    if (PartCopyError.hasCode(error, 'InvalidPart')) await refuseIfCompleted(deps, request, signal, context);
    throw error;
  }
  const size = plan.reduce((sum, part) => sum + part.size, 0);
  if (request.mpObjectSize !== undefined && request.mpObjectSize !== size) {
    throw new PartCopyError(
      'InvalidRequest',
      `The parts add up to ${size} bytes, not the expected object size ${request.mpObjectSize}`,
      context,
    );
  }
  const destinationGeneration = await destinationPrecondition(deps, request, signal, context);

  const etag = composedEtag(plan.map((part) => part.etag));
  const destination: GcsObjectSettings = settingsToResource(manifest.settingsValue);
  destination.metadata = {
    ...destination.metadata,
    ...recordedEtagMetadata(etag, combinedCrc32c(plan)),
    ...partsRecordMetadata(plan.map((part) => part.size)),
    [UPLOAD_ID_KEY]: uploadId,
  };
  const headers = encryptionHeaders(request.sseCustomer);
  const attempt = randomBytes(6).toString('hex');
  const intermediates: GcsObject[] = [];

  let composed: GcsObject;
  try {
    const tree = await runComposeTree<Source & { object?: GcsObject }>(
      planComposeTree(plan.length),
      plan.map((part) => ({ name: part.name, generation: part.generation })),
      async (sources, level, index, final) => {
        const name = final ? key : deps.names.intermediate(uploadId, attempt, level, index);
        const object = await compose(deps, bucket, name, sources, {
          destination: final
            ? destination
            : { storageClass: 'STANDARD', contentType: 'application/octet-stream' },
          ifGenerationMatch: final ? destinationGeneration : '0',
          headers,
          signal,
        });
        if (!final) intermediates.push(object);
        return { name: object.name, generation: object.generation, object };
      },
      { concurrency: deps.composeConcurrency, signal },
    );
    composed = tree.result.object as GcsObject;
    deps.onComposeTree?.(tree.report);
  } catch (error) {
    // The parts stay for a retry; this attempt's intermediates go (best effort: they sit
    // under the upload's prefix, so a later completion or abort removes any that remain).
    if (!signal.aborted) await deps.store.deleteAll(bucket, intermediates, signal);
    throw await explainComposeFailure(deps, request, destinationGeneration, error, signal, context);
  }

  await removeStaging(
    deps,
    bucket,
    uploadId,
    signal,
    context,
    `the object was completed (ETag ${gcsEtag(composed)})`,
  );
  return {
    bucket,
    key,
    etag: gcsEtag(composed),
    versionId: composed.generation,
    ...encryptionResult(request.sseCustomer),
  };
}

/**
 * When the key holds this upload's object (the completed object names its upload:
 * UPLOAD_ID_KEY), finishes the clean-up that was cut short and fails with `NoSuchUpload`, S3's
 * answer for a completed upload; else returns.
 */
async function refuseIfCompleted(
  deps: CompleteDeps,
  request: CompleteMultipartUploadRequest,
  signal: AbortSignal,
  context: ErrorContext,
): Promise<void> {
  const current = await deps.store.find(
    request.bucket,
    request.key,
    signal,
    encryptionHeaders(request.sseCustomer),
  );
  if (current?.metadata?.[UPLOAD_ID_KEY] !== request.uploadId) return;
  const etag = gcsEtag(current);
  await removeStaging(
    deps,
    request.bucket,
    request.uploadId,
    signal,
    context,
    `the object was completed (ETag ${etag})`,
  );
  throw new PartCopyError(
    'NoSuchUpload',
    `The upload was already completed: its object (ETag ${etag}) is at the key; its remaining staged objects were removed`,
    { ...context, providerCode: 'AlreadyCompleted' },
  );
}

/** The upload's staged parts by number (current generations). */
export async function listStagedParts(
  deps: Pick<CompleteDeps, 'store' | 'names'>,
  bucket: string,
  uploadId: string,
  signal: AbortSignal,
): Promise<Map<number, StagedPart>> {
  const objects = await deps.store.listAll(bucket, deps.names.partsPrefix(uploadId), signal);
  const parts = new Map<number, StagedPart>();
  for (const object of objects) {
    const partNumber = deps.names.partNumberOf(uploadId, object.name);
    if (partNumber === undefined) continue;
    const part: StagedPart = {
      partNumber,
      etag: gcsEtag(object),
      size: Number(object.size),
      name: object.name,
      generation: object.generation,
      lastModified: new Date(object.updated),
    };
    if (object.crc32c !== undefined) part.crc32c = object.crc32c;
    parts.set(partNumber, part);
  }
  return parts;
}

/**
 * Compose needs the customer-supplied key of the parts again (it re-encrypts the result),
 * where S3 needs none at completion: ask for it explicitly rather than fail obscurely.
 */
function checkCustomerKey(
  expectedSha256: string | undefined,
  request: CompleteMultipartUploadRequest,
  context: ErrorContext,
): void {
  if (expectedSha256 === undefined) return;
  if (!request.sseCustomer) {
    throw new PartCopyError(
      'InvalidRequest',
      'This upload was created with a customer-supplied key (SSE-C); GCS needs the same key again to compose the parts: pass it to completeMultipartUpload',
      context,
    );
  }
  if (request.sseCustomer.keySHA256() !== expectedSha256) {
    throw new PartCopyError(
      'InvalidRequest',
      'The SSE-C key differs from the one the upload was created with',
      context,
    );
  }
}

interface ComposeOptions {
  destination: GcsObjectSettings;
  ifGenerationMatch: string | undefined;
  headers: Record<string, string>;
  signal: AbortSignal;
}

/** One objects.compose call, every source pinned to its generation and guarded by it. */
export async function compose(
  deps: Pick<CompleteDeps, 'store'>,
  bucket: string,
  name: string,
  sources: Source[],
  options: ComposeOptions,
): Promise<GcsObject> {
  return deps.store.api.json<GcsObject>('POST', `${objectPath(bucket, name)}/compose`, {
    query: { ifGenerationMatch: options.ifGenerationMatch, projection: 'noAcl' },
    headers: options.headers,
    json: {
      kind: 'storage#composeRequest',
      sourceObjects: sources.map((source) => ({
        name: source.name,
        generation: source.generation,
        objectPreconditions: { ifGenerationMatch: source.generation },
      })),
      destination: options.destination,
    },
    signal: options.signal,
    // Only a guarded compose is safe to repeat (an unguarded one may have replaced the object).
    idempotent: options.ifGenerationMatch !== undefined,
  });
}

/**
 * 412 from a compose means either the destination condition no longer holds or a part was
 * replaced after it was listed. Look at the destination to tell which: S3 answers the first
 * with `PreconditionFailed`, the second (a part ETag no longer matching) with `InvalidPart`.
 */
async function explainComposeFailure(
  deps: CompleteDeps,
  request: CompleteMultipartUploadRequest,
  destinationGeneration: string | undefined,
  error: unknown,
  signal: AbortSignal,
  context: ErrorContext,
): Promise<unknown> {
  if (!(error instanceof GcsHttpError) || signal.aborted) return error;
  // An abort removed the upload while it was being completed (GCS answers the compose 404,
  // fake-gcs-server 500): NoSuchUpload, whatever the compose said.
  await deps.manifests.head(request.bucket, request.key, request.uploadId, signal, context);
  if (error.status === 412) {
    if (destinationGeneration !== undefined) {
      const current = await deps.store.find(request.bucket, request.key, signal);
      const now = current?.generation ?? '0';
      if (now !== destinationGeneration) {
        return new PartCopyError(
          'PreconditionFailed',
          'At least one of the pre-conditions you specified did not hold (the destination changed)',
          {
            ...context,
            cause: error,
          },
        );
      }
    }
    return new PartCopyError(
      'InvalidPart',
      'A part was replaced while the upload was being completed; list the parts and complete again',
      {
        ...context,
        cause: error,
      },
    );
  }
  if (error.status === 404) {
    // A part vanished while the upload stayed (its manifest was checked above).
    return new PartCopyError('InvalidPart', 'A part disappeared while the upload was being completed', {
      ...context,
      cause: error,
    });
  }
  return error;
}

/** The provider's CompleteMultipartUpload: {@link completeUpload} with the provider's settings, errors mapped once. */
export async function completeMultipartUpload(
  rt: GcsRuntime,
  request: CompleteMultipartUploadRequest,
  ctx: OperationContext,
): Promise<CompleteMultipartUploadResult> {
  const context = { bucket: request.bucket, key: request.key, uploadId: request.uploadId };
  return runGcs('completeMultipartUpload', context, ctx, {}, async () => {
    const result = await completeUpload(
      {
        store: rt.store,
        names: rt.names,
        manifests: rt.manifests,
        minPartSize: rt.capabilities.minPartSize,
        composeConcurrency: rt.options.composeConcurrency ?? 16,
        ...(rt.options.onComposeTree ? { onComposeTree: rt.options.onComposeTree } : {}),
      },
      request,
      ctx,
    );
    return versionIdIfVersioned(rt.versioning, request.bucket, ctx.signal, result);
  });
}
