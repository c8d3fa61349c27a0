/**
 * The uploads the sessions of a session store own, so garbage collection never takes them: the
 * upload a record names, and, for a session killed while creating its upload (state `creating`,
 * no id recorded yet), any upload of its destination key initiated since the record was written
 * (the one a resume would adopt). Every kind of session counts alike (copy, compose, transfer: each
 * names its destination, the store that holds its upload). Records are read leniently: a record this engine cannot resume
 * (corrupt, another format version) still protects the upload it names.
 */
import type { MultipartUploadInfo } from '../contract/provider-contract.js';
import type { SessionStore } from './session-store.js';

/** Clock difference tolerated between the process that wrote a record and the store. */
const CLOCK_SKEW_MS = 2_000;

/** Answers which session, if any, owns an upload. */
export interface LiveUploads {
  /** The id of the session that owns the upload, or undefined. */
  owner(bucket: string, upload: MultipartUploadInfo): string | undefined;
}

interface Claim {
  session: string;
  bucket: string;
  key: string;
  /** The upload id, when recorded. */
  uploadId?: string;
  /** Without an id: uploads of the key initiated at or after this time. */
  since?: number;
}

/** Reads every session of `store` once. */
export async function liveSessionUploads(store: SessionStore): Promise<LiveUploads> {
  const claims: Claim[] = [];
  for (const id of await store.list()) {
    const text = await store.read(id);
    const claim = text === undefined ? undefined : claimOf(id, text);
    if (claim !== undefined) claims.push(claim);
  }
  return {
    owner(bucket, upload) {
      const found = claims.find(
        (c) =>
          c.bucket === bucket &&
          c.key === upload.key &&
          (c.uploadId !== undefined
            ? c.uploadId === upload.uploadId
            : upload.initiated.getTime() >= (c.since ?? Number.POSITIVE_INFINITY)),
      );
      return found?.session;
    },
  };
}

function claimOf(session: string, text: string): Claim | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const record = value as Record<string, unknown>;
  const destination = record.destination as Record<string, unknown> | undefined;
  if (typeof destination?.bucket !== 'string' || typeof destination.key !== 'string') return undefined;
  // A whole-object copy and a native compose make no upload.
  if (record.strategy === 'whole-object' || record.strategy === 'native') return undefined;
  const target = { session, bucket: destination.bucket, key: destination.key };
  if (typeof record.uploadId === 'string') return { ...target, uploadId: record.uploadId };
  const created = typeof record.createdAt === 'string' ? Date.parse(record.createdAt) : Number.NaN;
  // No id and no readable time: every upload of the key may be the session's.
  return { ...target, since: Number.isNaN(created) ? 0 : created - CLOCK_SKEW_MS };
}
