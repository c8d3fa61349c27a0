/**
 * The engine's view of the optional whole-object server-side copy (S3 CopyObject, GCS rewrite,
 * Azure Copy Blob From URL). The primitive belongs to the contract and the facade; the engine only
 * asks whether the client offers it and calls it, so the strategy plugs in wherever it exists.
 */
import type { PartCopyClient } from '../client/part-copy-client.js';
import type { ChecksumAlgorithm } from '../contract/capabilities.js';
import type { Checksums } from '../contract/types.js';
import type { SourceHint } from '../semantics/source-hint.js';
import type { PlanCapabilities } from './copy-plan.js';

/**
 * What the engine hands the whole-object copy (a subset of the facade's `copyObjectServerSide`
 * input: the source's settings are copied by the store, S3's `COPY` directive).
 */
export interface WholeObjectCopyInput {
  bucket: string;
  key: string;
  copySource: { bucket: string; key: string; versionId?: string };
  /** The pin: the copy fails with `PreconditionFailed` when the source's ETag differs. */
  copySourceIfMatch?: string;
  /** What the engine read of the source: the provider skips its own metadata read. */
  copySourceHint?: SourceHint;
  /** Ask the store to compute the copy's checksum with this algorithm (copy-checksums.ts). */
  checksumAlgorithm?: ChecksumAlgorithm;
  /** Continues a copy the store runs in rounds (GCS rewrite) from its last token. */
  resumeToken?: string;
  /** Receives the token after each unfinished round, for the session record. */
  onResumeToken?: (token: string) => void;
  abortSignal?: AbortSignal | undefined;
}

/** What the engine needs back (with any checksums the store reported). */
export interface WholeObjectCopyOutput extends Checksums {
  etag: string;
  versionId?: string;
  bytesCopied?: number;
  transfer?: 'server-side' | 'client-streamed';
}

type WholeObjectCopyMethod = (input: WholeObjectCopyInput) => Promise<WholeObjectCopyOutput>;

/** The facade's whole-object copy, when this client has one; absent otherwise. */
export function wholeObjectCopyOf(client: PartCopyClient): WholeObjectCopyMethod | undefined {
  const method = (client as unknown as { copyObjectServerSide?: WholeObjectCopyMethod }).copyObjectServerSide;
  return typeof method === 'function' ? method.bind(client) : undefined;
}

/** The capabilities of `bucket` as the planner reads them (with the optional whole-object flags). */
export function planCapabilitiesOf(client: PartCopyClient, bucket: string): PlanCapabilities {
  return client.capabilitiesFor(bucket) as PlanCapabilities;
}
