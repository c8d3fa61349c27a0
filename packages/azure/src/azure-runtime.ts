/**
 * What every operation of the provider shares: the client, resolved options, how sources are
 * authorised, and the one wrapper through which every Azure call passes (abort check, error
 * mapping with context).
 */

import type { BlobServiceClient, BlockBlobClient } from '@azure/storage-blob';
import {
  type ErrorContext,
  type OperationName,
  throwIfAborted,
  type UploadRef,
} from '@partcopy/core/provider';
import type { ResolvedAzureOptions, SourceAuthMode } from './azure-config.js';
import { azureErrorCode, mapAzureError } from './azure-error-map.js';
import type { BlockBuffers } from './block-buffers.js';
import { assertAddressableKey, isUploadId, stagingBlobName } from './staging-names.js';
import { noSuchUpload, requireManifest, type UploadManifest } from './upload-manifest.js';

export const PROVIDER_NAME = 'azure';

export interface AzureRuntime {
  service: BlobServiceClient;
  credential: unknown;
  sourceAuth: SourceAuthMode;
  options: ResolvedAzureOptions;
  /** Buffers of streamed uploadPart blocks, reused (block-buffers.ts). */
  blockBuffers: BlockBuffers;
}

/** Runs one Azure call: fails fast when aborted, maps any error with `context`. */
export async function azureCall<T>(
  signal: AbortSignal,
  context: ErrorContext,
  call: () => Promise<T>,
): Promise<T> {
  throwIfAborted(signal, context);
  try {
    return await call();
  } catch (error) {
    throw mapAzureError(error, context, signal);
  }
}

/** Error context for an operation. */
export function contextOf(
  operation: OperationName,
  fields: Omit<ErrorContext, 'provider' | 'operation'>,
): ErrorContext {
  return { provider: PROVIDER_NAME, operation, ...fields };
}

/** The client of one blob; refuses keys no URL can carry. */
export function blockBlob(
  rt: AzureRuntime,
  bucket: string,
  key: string,
  context: ErrorContext = {},
): BlockBlobClient {
  assertAddressableKey(key, { provider: PROVIDER_NAME, bucket, key, ...context });
  return rt.service.getContainerClient(bucket).getBlockBlobClient(key);
}

/** An upload's staging blob, manifest and the staging blob's ETag. */
export interface LoadedUpload {
  staging: BlockBlobClient;
  manifest: UploadManifest;
  etag: string;
  /** Version id of the staging blob when the account keeps versions. */
  versionId?: string;
}

/** Reads an upload's manifest; `NoSuchUpload` for unknown ids, ids of other keys and finished uploads. */
export async function loadUpload(
  rt: AzureRuntime,
  ref: UploadRef,
  signal: AbortSignal,
  context: ErrorContext,
): Promise<LoadedUpload> {
  if (!isUploadId(ref.uploadId)) throw noSuchUpload(context);
  const staging = blockBlob(rt, ref.bucket, stagingBlobName(ref.uploadId));
  try {
    const props = await azureCall(signal, context, () => staging.getProperties({ abortSignal: signal }));
    const manifest = requireManifest(props.metadata, ref.key, context);
    return { staging, manifest, etag: props.etag ?? '', versionId: props.versionId };
  } catch (error) {
    // A missing staging blob is a missing upload; a missing container stays NoSuchBucket.
    if ((error as { providerCode?: string }).providerCode === 'BlobNotFound' || isPlain404(error))
      throw noSuchUpload(context);
    throw error;
  }
}

function isPlain404(error: unknown): boolean {
  const e = error as { status?: number; providerCode?: string };
  return e.status === 404 && e.providerCode === undefined;
}

/** True when an Azure error (raw or mapped) carries this Azure code. */
export function hasAzureCode(error: unknown, code: string): boolean {
  return azureErrorCode(error) === code || (error as { providerCode?: string }).providerCode === code;
}
