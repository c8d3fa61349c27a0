/** The managed copy's request, callbacks and result. */
import type { PartCopyClient } from '../client/part-copy-client.js';
import type { ObjectInfo } from '../contract/provider-contract.js';
import type { ByteRange, TransferMode } from '../contract/types.js';
import type { CopyMetrics, CopyProgress } from './copy-metrics.js';
import type { CopyPlan, CopyStrategy } from './copy-plan.js';
import type { CopyVerification, VerifyMode } from './copy-verification.js';
import type { PlannedPart } from './part-plan.js';
import type { SessionStore } from './session-store.js';

/** Make the copy resumable: its session is kept in `store` until the copy completes or is aborted. */
export interface CopySessionOptions {
  store: SessionStore;
  /**
   * The session's id. Absent: derived from the copy's parameters (store, source, destination,
   * range, part size), so running the same copy again resumes it, as gsutil's tracker files do.
   */
  id?: string | undefined;
  /** Names the store beyond the provider (e.g. `s3 http://127.0.0.1:9000`); recorded and checked on resume. */
  storeLabel?: string | undefined;
}

/** Options shared by a new copy and a resumed one. */
export interface CopyRunOptions {
  client: PartCopyClient;
  /** Part copies in flight at once (default `DEFAULT_COPY_CONCURRENCY`). */
  concurrency?: number | undefined;
  /** `auto` (default): size, and content from the store's checksums where it gives them; `read-back` also hashes both sides (bytes counted in the metrics); `size-only`. */
  verify?: VerifyMode | undefined;
  /**
   * Stops the copy. Without a session the copy is aborted (nothing left behind) and the error is
   * `RequestAborted`; with a session the upload and the record are left for a resume or an abort.
   */
  signal?: AbortSignal | undefined;
  /** Called once the plan is made and the upload (if any) exists, before any byte is copied. */
  onStart?: ((start: CopyStart) => void) | undefined;
  /** Called after each part this run copied. */
  onPart?: ((part: PlannedPart, etag: string, transfer: TransferMode) => void) | undefined;
  /** Called as bytes and parts are done. */
  onProgress?: ((progress: CopyProgress) => void) | undefined;
  /** Called when the clean-up abort itself failed: the upload may need `partcopy uploads abort`. */
  onCleanupFailed?: ((uploadId: string, error: unknown) => void) | undefined;
}

export interface CopyObjectRequest extends CopyRunOptions {
  /** The store holding both objects: the copy happens inside one store. */
  source: { bucket: string; key: string; versionId?: string | undefined };
  destination: { bucket: string; key: string };
  /** Inclusive bytes of the source to copy; absent copies the whole object. */
  range?: ByteRange | undefined;
  /** Bytes per part; absent lets the planner choose for speed within the store's limits. */
  partSize?: number | undefined;
  /**
   * Pin every request to the source's ETag (default true), so a source that changes during the
   * copy fails it with `PreconditionFailed` instead of mixing versions.
   */
  pinSource?: boolean | undefined;
  /** Make the copy resumable (see {@link CopySessionOptions}). */
  session?: CopySessionOptions | undefined;
}

export interface ResumeCopyRequest extends CopyRunOptions {
  session: CopySessionOptions & { id: string };
}

/** What a copy is about to do. */
export interface CopyStart {
  plan: CopyPlan;
  source: ObjectInfo;
  /** The multipart upload, for the part strategies. */
  uploadId?: string;
  /** The session, for a resumable copy. */
  sessionId?: string;
  /** Parts found already copied (a resumed session), and their bytes. */
  partsReused: number;
  bytesReused: number;
}

export interface CopyObjectResult {
  bucket: string;
  key: string;
  etag: string;
  versionId?: string;
  /** Bytes in the new object. */
  size: number;
  strategy: CopyStrategy;
  /** The plan that ran: why, part size, parts, concurrency. */
  plan: { reason: string; partSize: number; partsCount: number; concurrency: number };
  /** The upload used (gone after completion), for the part strategies. */
  uploadId?: string;
  partsCount: number;
  partSize: number;
  /** `bytes=a-b` of the source that was copied; absent for an empty source. */
  sourceRange?: string;
  /** The source's ETag the copy was pinned to. */
  sourceEtag: string;
  sourceVersionId?: string;
  /** `server-side` when no byte passed through this process, `client-streamed` when all did, else `mixed`. */
  transfer: TransferMode | 'mixed';
  bytesServerSide: number;
  bytesClientStreamed: number;
  verification: CopyVerification;
  metrics: CopyMetrics;
  /** The session, for a resumable copy (removed once the copy completed). */
  session?: { id: string; resumed: boolean; partsReused: number };
}
