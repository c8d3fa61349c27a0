/** The cross-store transfer's request, callbacks and result. */
import type { PartCopyClient } from '../../client/part-copy-client.js';
import type { TransferMode } from '../../contract/types.js';
import type { ByteRangeInput } from '../../semantics/byte-range.js';
import type { CopyMetrics, CopyProgress } from '../copy-metrics.js';
import type { SessionStore } from '../session-store.js';

/**
 * How the bytes move:
 * - `auto` (default): a server-side pull where the destination can fetch from a URL the source
 *   signs, a stream through this process otherwise (the result says which, and why);
 * - `server-pull`: the destination's server fetches every part from a signed URL of the source
 *   (`Unsupported` before anything is created when the pair cannot);
 * - `stream`: ranged reads of the source feed part uploads of the destination, with bounded memory.
 */
export type TransferStrategy = 'auto' | 'server-pull' | 'stream';

/** The strategy that ran: one of the two above, or one empty put for an empty source. */
export type TransferPlanStrategy = 'server-pull' | 'stream' | 'empty-put';

/** One side of a transfer: a client (any store) and an object in it. */
export interface TransferEndpoint {
  client: PartCopyClient;
  bucket: string;
  key: string;
  /**
   * Names the store beyond its provider (e.g. `s3 http://127.0.0.1:9000`): recorded in the
   * session and checked on resume, so a session is never resumed against another store.
   */
  label?: string | undefined;
}

export interface TransferSource extends TransferEndpoint {
  /** One version of the source (a generation on GCS). */
  versionId?: string | undefined;
  /** Inclusive bytes of the source to transfer; absent transfers the whole object. */
  range?: ByteRangeInput | undefined;
}

/** Make the transfer resumable: its record stays in `store` until it completes or is aborted. */
export interface TransferSessionOptions {
  store: SessionStore;
  /** Absent: derived from the transfer's parameters, so the same transfer run again resumes it. */
  id?: string | undefined;
}

/**
 * `auto` (default): size always, and every check the stores allow without reading the bytes
 * again (each streamed part's MD5 against the destination's part ETag, the completed multipart
 * ETag, the source's MD5 ETag); `read-back` also reads both sides and compares their SHA-256;
 * `size-only`.
 */
export type TransferVerifyMode = 'auto' | 'read-back' | 'size-only';

export interface TransferObjectRequest {
  source: TransferSource;
  destination: TransferEndpoint;
  /** Default `auto`. */
  strategy?: TransferStrategy | undefined;
  /** Bytes per part; absent: chosen for the strategy within the destination's limits. */
  partSize?: number | undefined;
  /** Parts in flight; absent: {@link TRANSFER_CONCURRENCY}, lowered to keep streamed memory bounded. */
  concurrency?: number | undefined;
  /** Stops the transfer: aborted (nothing left) without a session, resumable with one. */
  signal?: AbortSignal | undefined;
  onStart?: ((start: TransferStart) => void) | undefined;
  onProgress?: ((progress: CopyProgress) => void) | undefined;
  session?: TransferSessionOptions | undefined;
  verify?: TransferVerifyMode | undefined;
  /** Lifetime of each signed URL of a server-side pull, in seconds (default 3600). */
  presignExpiresInSeconds?: number | undefined;
  /** Called when the clean-up abort itself failed: the upload may need `partcopy uploads abort`. */
  onCleanupFailed?: ((uploadId: string, error: unknown) => void) | undefined;
}

/** What a transfer is about to do (called once the upload exists, before any byte moves). */
export interface TransferStart {
  strategy: TransferPlanStrategy;
  reason: string;
  totalSize: number;
  partSize: number;
  partsCount: number;
  concurrency: number;
  uploadId?: string;
  sessionId?: string;
  partsReused: number;
}

/** A check the transfer made of the bytes it wrote. */
export type TransferCheck =
  /** Each streamed part's MD5, computed while it passed, equals the destination's part ETag. */
  | 'part-md5'
  /**
   * Each part was sent with the CRC32 of its bytes, which the destination checked on arrival and
   * answered for the part it stored (S3, MinIO, capability `uploadPartAnswersCrc32`: the SDK's
   * CRC32 trailer; a part found on resume: the CRC32 the store lists for it). For a destination
   * that answers a CRC32 without declaring that it checks one, the CRC32 computed here while the
   * part passed equals the one answered.
   */
  | 'part-crc32'
  /**
   * The destination checked every block of every streamed part against the MD5 sent with it and
   * stored none that differed (Azure Put Block with a transactional Content-MD5).
   */
  | 'block-md5'
  /**
   * The destination's multipart ETag is the MD5 of the parts' MD5s: computed while streaming, or,
   * for a part checked by `part-crc32` (or found on resume), its ETag, the MD5 the store computed.
   */
  | 'multipart-etag'
  /** The source's ETag is the MD5 of its bytes and equals the MD5 computed while streaming. */
  | 'source-md5'
  /** Both sides were read again and their SHA-256 compared. */
  | 'read-back-sha256';

export interface TransferVerification {
  /** The destination's size equals the bytes transferred (always checked). */
  size: true;
  /** The content checks that held; empty when the stores offer none (say `verify: 'read-back'`). */
  checks: TransferCheck[];
  /** Bytes read to verify (read-back only, both sides). */
  bytesRead: number;
}

export interface TransferObjectResult {
  bucket: string;
  key: string;
  etag: string;
  versionId?: string;
  /** Bytes in the new object. */
  size: number;
  strategy: TransferPlanStrategy;
  /** Why this strategy: one sentence. */
  reason: string;
  partSize: number;
  partsCount: number;
  concurrency: number;
  uploadId?: string;
  /** `bytes=a-b` of the source; absent for an empty source. */
  sourceRange?: string;
  /** The source's ETag every read was pinned to, and its version when it has one. */
  sourceEtag: string;
  sourceVersionId?: string;
  /** `server-side` when no payload byte passed through this process, `client-streamed` when all did. */
  transfer: TransferMode | 'mixed';
  /** Payload bytes fetched by the destination's server (server-side pull). */
  bytesServerSide: number;
  /** Payload bytes read from the source and written to the destination by this process. */
  bytesClientStreamed: number;
  verification: TransferVerification;
  /** Requests by side (every attempt), bytes and parts. */
  metrics: {
    source: Pick<CopyMetrics, 'requests' | 'retries'>;
    destination: CopyMetrics;
  };
  session?: { id: string; resumed: boolean; partsReused: number };
}
