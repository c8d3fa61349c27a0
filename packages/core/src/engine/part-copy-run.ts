/**
 * The part strategies' run: copy the parts the store does not have yet, with bounded
 * concurrency, each pinned to the source's ETag, then complete. Used by a new copy and by a
 * resumed one alike; the store's part list (not a record) says which parts exist.
 */
import type { CompletedPartInput } from '../client/inputs.js';
import type { PartCopyClient } from '../client/part-copy-client.js';
import type { ObjectInfo, PartInfo } from '../contract/provider-contract.js';
import type { Checksums } from '../contract/types.js';
import { throwIfAborted } from '../errors/part-copy-error.js';
import type { SourceHint } from '../semantics/source-hint.js';
import { mapWithConcurrency } from './concurrency.js';
import type { CopyMeter } from './copy-metrics.js';
import type { CopyPlan } from './copy-plan.js';
import type { PlannedPart } from './part-plan.js';

export interface UploadTarget {
  bucket: string;
  key: string;
  uploadId: string;
}

export interface PartRun {
  client: PartCopyClient;
  source: { bucket: string; key: string; versionId?: string | undefined; etag: string; size: number };
  /** What the engine read of the source once: providers skip their per-part metadata reads. */
  hint: SourceHint;
  pinSource: boolean;
  upload: UploadTarget;
  plan: CopyPlan;
  /** Parts already in the store with the planned size: their ETags. */
  existing: ReadonlyMap<number, string>;
  meter: CopyMeter;
  signal: AbortSignal | undefined;
  onPart?:
    | ((part: PlannedPart, etag: string, transfer: 'server-side' | 'client-streamed') => void)
    | undefined;
}

/** A part ready for completion, with the checksums the store reported when it copied it. */
export interface CopiedPart extends CompletedPartInput {
  size: number;
  /** From the part copy's answer; absent for parts already in the store before this run. */
  checksums?: Checksums;
}

/** Copies the missing parts; returns every part of the plan, in order, ready for completion. */
export async function copyMissingParts(run: PartRun): Promise<CopiedPart[]> {
  const { client, plan, upload, source, existing } = run;
  const missing = plan.parts.filter((part) => !existing.has(part.partNumber));
  const copied = new Map<number, string>(existing);
  const checksums = new Map<number, Checksums>();
  // The first failure fires `signal` for the parts in flight and is the one thrown; the others
  // are mostly the RequestAborted it caused. Retryable failures were already retried by the
  // client's pipeline, the one retry owner: this loop never repeats a part itself.
  await mapWithConcurrency(
    missing,
    plan.concurrency,
    async (part, _index, signal) => {
      const result = await client.uploadPartCopy({
        ...upload,
        partNumber: part.partNumber,
        copySource:
          source.versionId === undefined
            ? { bucket: source.bucket, key: source.key }
            : { bucket: source.bucket, key: source.key, versionId: source.versionId },
        ...(plan.ranged ? { copySourceRange: part.range } : {}),
        // The hint rides with the pin: a provider trusts it only while the ETag still matches.
        ...(run.pinSource ? { copySourceIfMatch: source.etag, copySourceHint: run.hint } : {}),
        abortSignal: signal,
      });
      copied.set(part.partNumber, result.copyPartResult.etag);
      checksums.set(part.partNumber, checksumsOf(result.copyPartResult));
      run.meter.copied(result.bytesCopied, result.transfer);
      run.onPart?.(part, result.copyPartResult.etag, result.transfer);
    },
    run.signal,
  );
  throwIfAborted(run.signal);
  return plan.parts.map((part) => {
    const reported = checksums.get(part.partNumber);
    return {
      partNumber: part.partNumber,
      etag: copied.get(part.partNumber) as string,
      size: part.size,
      ...(reported === undefined ? {} : { checksums: reported }),
    };
  });
}

function checksumsOf(result: Checksums): Checksums {
  const { checksumCRC32, checksumCRC32C, checksumCRC64NVME, checksumSHA1, checksumSHA256 } = result;
  const all = { checksumCRC32, checksumCRC32C, checksumCRC64NVME, checksumSHA1, checksumSHA256 };
  return Object.fromEntries(Object.entries(all).filter(([, value]) => value !== undefined));
}

/** The source as the engine read it once (HEAD at the start, or again on resume). */
export function hintOf(head: ObjectInfo): SourceHint {
  const hint: SourceHint = { size: head.size, etag: head.etag, lastModified: head.lastModified };
  if (head.versionId !== undefined) hint.versionId = head.versionId;
  return hint;
}

/** Every part of the upload, across pages: what the store holds is the truth on resume. */
export async function listAllParts(
  client: PartCopyClient,
  upload: UploadTarget,
  signal: AbortSignal | undefined,
): Promise<PartInfo[]> {
  const parts: PartInfo[] = [];
  let marker: number | undefined;
  for (;;) {
    const page = await client.listParts({
      ...upload,
      ...(marker === undefined ? {} : { partNumberMarker: marker }),
      abortSignal: signal,
    });
    parts.push(...page.parts);
    if (!page.isTruncated || page.nextPartNumberMarker === undefined) return parts;
    marker = page.nextPartNumberMarker;
  }
}

/** The listed parts that match the plan (number and size): the ones a resume keeps. */
export function reusableParts(plan: CopyPlan, listed: readonly PartInfo[]): Map<number, string> {
  const planned = new Map(plan.parts.map((part) => [part.partNumber, part.size]));
  const reusable = new Map<number, string>();
  for (const part of listed) {
    if (planned.get(part.partNumber) === part.size) reusable.set(part.partNumber, part.etag);
  }
  return reusable;
}
