/**
 * The engine's view of the optional whole-object server-side copy (S3 CopyObject, GCS rewrite,
 * Azure Copy Blob From URL). The primitive belongs to the contract and the facade; the engine only
 * asks whether the client offers it and calls it, so the strategy plugs in wherever it exists.
 */
import type { PartCopyClient } from '../client/part-copy-client.js';
import type { ObjectSettings } from '../contract/types.js';
import type { PlanCapabilities } from './copy-plan.js';

/** What the engine hands the whole-object copy. */
export interface WholeObjectCopyInput extends ObjectSettings {
  bucket: string;
  key: string;
  copySource: { bucket: string; key: string; versionId?: string };
  /** The pin: the copy fails with `PreconditionFailed` when the source's ETag differs. */
  copySourceIfMatch?: string;
  abortSignal?: AbortSignal | undefined;
}

/** What the engine needs back. */
export interface WholeObjectCopyOutput {
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
