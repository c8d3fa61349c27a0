/**
 * The lock between a completion and an abort of one upload: a lease on the upload's staging
 * blob, held by the completion from before it commits the staging blob until the staging blob
 * is deleted. Azure refuses to delete a leased blob without the lease id, so an abort cannot
 * remove an upload whose object is about to be published (it answers a retryable
 * `ConditionalRequestConflict`), and a completion cannot start on an upload an abort removed.
 *
 * The lease id is derived from the upload id, so every completion of the upload (a resume after
 * a crash, a second caller) shares the lease instead of waiting for it; aborts never use it. The
 * lease lasts 60 s and is renewed while the completion runs, so a completion that died blocks
 * aborts for at most 60 s.
 */
import { createHash } from 'node:crypto';
import type { BlobLeaseClient } from '@azure/storage-blob';
import { type ErrorContext, PartCopyError } from '@partcopy/core/provider';
import { azureCall, hasAzureCode, type LoadedUpload } from './azure-runtime.js';
import { noSuchUpload } from './upload-manifest.js';

export const COMPLETION_LEASE_SECONDS = 60;
const RENEW_EVERY_MS = 15_000;

/** The GUID every completion of this upload uses as its lease id. */
export function completionLeaseId(uploadId: string): string {
  const hex = createHash('sha256').update(`partcopy-completion-lease:${uploadId}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

export interface CompletionLease {
  readonly id: string;
  /** Stops renewing and gives the lease up (best effort): after a failed completion. */
  release(): Promise<void>;
  /** Stops renewing: the staging blob is deleted (with the lease id) by the caller. */
  end(): void;
}

export async function acquireCompletionLease(
  upload: LoadedUpload,
  uploadId: string,
  signal: AbortSignal,
  context: ErrorContext,
): Promise<CompletionLease> {
  const id = completionLeaseId(uploadId);
  const client: BlobLeaseClient = upload.staging.getBlobLeaseClient(id);
  try {
    await azureCall(signal, context, () =>
      client.acquireLease(COMPLETION_LEASE_SECONDS, { abortSignal: signal }),
    );
  } catch (error) {
    if ((error as { status?: number }).status === 404 || hasAzureCode(error, 'BlobNotFound')) {
      throw noSuchUpload(context);
    }
    throw error;
  }
  const timer = setInterval(() => {
    client.renewLease().catch(() => undefined);
  }, RENEW_EVERY_MS);
  timer.unref();
  return {
    id,
    async release() {
      clearInterval(timer);
      await client.releaseLease().catch(() => undefined);
    },
    end() {
      clearInterval(timer);
    },
  };
}

/** What an abort answers when the staging blob is leased: a completion holds it. */
export function completionInProgress(error: unknown, context: ErrorContext): PartCopyError {
  return new PartCopyError(
    'ConditionalRequestConflict',
    `A completion of this upload is in progress (or stopped less than ${COMPLETION_LEASE_SECONDS} s ago); abort again once it has ended`,
    { ...context, retryable: true, cause: error },
  );
}

/** Whether an Azure error says the blob is leased and no (or another) lease id was given. */
export function isLeasedError(error: unknown): boolean {
  return (
    hasAzureCode(error, 'LeaseIdMissing') ||
    hasAzureCode(error, 'LeaseIdMismatchWithBlobOperation') ||
    hasAzureCode(error, 'LeaseIdMismatchWithLeaseOperation')
  );
}
