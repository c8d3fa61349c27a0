/** The compose engine's request, plan and result. */
import type { PartCopyClient } from '../client/part-copy-client.js';
import type { ComposeGroupReport } from '../contract/provider-contract.js';
import type { ByteRange, ObjectSettings } from '../contract/types.js';
import type { ByteRangeInput } from '../semantics/byte-range.js';
import type { CopySessionOptions } from './copy-types.js';

/** One piece of a compose: a source object, or a byte range of it. */
export interface ComposeSource {
  bucket: string;
  key: string;
  /** Inclusive bytes of the source (`bytes=a-b` or `{ start, end }`); absent means the whole object. */
  range?: ByteRangeInput | undefined;
  /** A version of the source (where the store keeps versions). */
  versionId?: string | undefined;
  /** Refuse the compose unless the source has this ETag now (it is pinned to it anyway). */
  ifMatch?: string | undefined;
}

/** Where the result goes, with S3's conditional-write conditions. */
export interface ComposeDestination {
  bucket: string;
  key: string;
  /** Publish only if the current object has this ETag. */
  ifMatch?: string | undefined;
  /** `*`: publish only if no object exists at the key. */
  ifNoneMatch?: string | undefined;
}

/** Where a compose stands. */
export interface ComposeProgress {
  bytesDone: number;
  bytesTotal: number;
  partsDone: number;
  partsTotal: number;
}

/** How a compose may run: `auto` picks the store's native compose when it has one. */
export type ComposeMode = 'auto' | 'multipart';

export interface ComposeObjectRequest {
  client: PartCopyClient;
  destination: ComposeDestination;
  /** The pieces, in order; the same source may appear any number of times. */
  sources: readonly ComposeSource[];
  /** Settings of the new object (content type, metadata, ...); none by default. */
  settings?: ObjectSettings | undefined;
  /** Requests in flight at once (HEADs, part copies, part uploads); default 4. */
  concurrency?: number | undefined;
  /** `multipart` forces S3's part rules even where the store composes natively (for comparison). */
  mode?: ComposeMode | undefined;
  /** Bytes per server-side part copy of a large piece; absent lets the planner choose. */
  partSize?: number | undefined;
  /** Stops the compose; without a session everything it created is removed. */
  signal?: AbortSignal | undefined;
  onProgress?: ((progress: ComposeProgress) => void) | undefined;
  /**
   * Called once every piece is pinned and the plan is made, before anything is written; the
   * compose waits for a returned promise (a caller may confirm, or stop it with `signal`).
   */
  onPlan?: ((plan: ComposePlanSummary) => void | Promise<void>) | undefined;
  /**
   * Make a multipart compose resumable: an interrupted run leaves its session (and upload), and the
   * same call again copies only the parts the store does not hold.
   */
  session?: CopySessionOptions | undefined;
}

/** A piece after validation: resolved range, pinned to what the store said at the start. */
export interface PinnedPiece {
  /** Position in the caller's list. */
  index: number;
  bucket: string;
  key: string;
  versionId?: string | undefined;
  /** The pin: the source's ETag when the compose began. */
  etag: string;
  sourceSize: number;
  /** Inclusive bytes of the source; undefined for an empty piece. */
  range: ByteRange | undefined;
  size: number;
  /** True when the piece is the whole source object. */
  whole: boolean;
}

/** What the plan will do, for display before it runs. */
export interface ComposePlanSummary {
  strategy: ComposeStrategy;
  pieces: number;
  distinctSources: number;
  totalSize: number;
  /** Parts of the multipart strategy (0 otherwise). */
  parts: number;
  partsCopied: number;
  partsUploaded: number;
  /** Bytes the plan reads through this process, and the least any legal plan must. */
  plannedClientBytes: number;
  clientBytesLowerBound: number;
  /** Pieces by how they will be made (multipart strategy), in order. */
  groups: ComposeGroupReport[];
}

/**
 * - `native`: the store's own compose (Azure blocks, GCS compose, in-store on fs and memory);
 * - `multipart`: S3's rules: part copies for large pieces, small ones joined through the client;
 * - `empty-put`: every piece is empty, the result is one empty object.
 */
export type ComposeStrategy = 'native' | 'multipart' | 'empty-put';

export interface ComposeObjectResult {
  bucket: string;
  key: string;
  etag: string;
  versionId?: string;
  size: number;
  strategy: ComposeStrategy;
  pieces: number;
  distinctSources: number;
  /** Payload bytes the store copied itself, and bytes that passed through this process. */
  bytesServerSide: number;
  bytesClientStreamed: number;
  /** The least bytes through this process any plan under the store's rules needs. */
  clientBytesLowerBound: number;
  /** Requests in all (facade calls plus what a native compose sent), and facade calls by operation. */
  requests: number;
  requestsByOperation: Record<string, number>;
  /** What a native compose sent, by the store's own request names (where the provider counts them). */
  providerRequests?: Record<string, number>;
  /** Pieces by how they were made, in order. */
  groups: ComposeGroupReport[];
  /** The multipart strategy's upload and parts. */
  uploadId?: string;
  partsCount: number;
  durationMs: number;
  /** The session, for a resumable compose (removed once the compose completed). */
  session?: { id: string; resumed: boolean; partsReused: number };
}
