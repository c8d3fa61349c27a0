/** The records and reports of the fleet: plain data, JSON in Redis, no secret in any of them. */

/** Where a session is in its life; `completed`, `failed` and `cancelled` are final. */
export type FleetSessionState = 'running' | 'paused' | 'completing' | 'completed' | 'failed' | 'cancelled';

/**
 * One copy of one object, split into part jobs. `store` is a label (a remote name, a scheme)
 * that every worker resolves to a client with its own credentials.
 */
export interface FleetSessionRecord {
  id: string;
  store: string;
  /** The source and its pin: every part copy is conditional on this ETag. */
  source: {
    bucket: string;
    key: string;
    versionId?: string;
    etag: string;
    size: number;
    lastModified: string;
  };
  destination: { bucket: string; key: string };
  uploadId: string;
  partSize: number;
  partsCount: number;
  totalBytes: number;
  /** Whether parts name a source range (false: one part, the whole object). */
  ranged: boolean;
  createdAt: string;
}

/** A session's progress, summed over every worker. */
export interface FleetProgress {
  sessionId: string;
  state: FleetSessionState;
  source: FleetSessionRecord['source'];
  destination: FleetSessionRecord['destination'];
  totalBytes: number;
  partsCount: number;
  bytesDone: number;
  partsDone: number;
  /** Bytes the store copied on its side. */
  serverSideBytes: number;
  /** Bytes that went down to a worker and back up. */
  clientBytes: number;
  /** Bytes per second since the session started (until it finished). */
  bytesPerSecond: number;
  startedAt: Date;
  finishedAt?: Date;
  /** Why it failed or was cancelled. */
  error?: string;
  /** The new object's ETag, once completed. */
  etag?: string;
}

/** `listing` while keys are still being enqueued, `running` after, `done` when every object has an outcome. */
export type BulkState = 'listing' | 'running' | 'done' | 'cancelled';

/** A bulk copy: every object of a prefix or a manifest, one job each. */
export interface BulkRecord {
  id: string;
  /** Store label of the source. */
  store: string;
  /** Store label of the destination, when it is another store (objects are then transferred). */
  destinationStore?: string;
  source: { bucket: string; prefix: string };
  destination: { bucket: string; prefix: string };
  createdAt: string;
}

/** What a bulk copy did, summed over every worker. */
export interface BulkReport {
  bulkId: string;
  state: BulkState;
  /** Paused: object jobs wait (delayed) until it is resumed. */
  paused: boolean;
  /** Objects enqueued so far. */
  listed: number;
  listingDone: boolean;
  copied: number;
  skipped: number;
  failed: number;
  /** Every listed object has an outcome and the listing ended. */
  done: boolean;
  copiedBytes: number;
  skippedBytes: number;
  /** Bytes of the copied objects the stores moved on their side. */
  serverSideBytes: number;
  /** Bytes of the copied objects that passed through workers. */
  clientBytes: number;
  bytesPerSecond: number;
  /** The first failures (up to 100 unless asked otherwise), with their error text. */
  failures: Array<{ key: string; error: string }>;
}

/** Job data: a part of a session. Names only; everything else is in the session record. */
export interface PartJobData {
  session: string;
  part: number;
  /** Inclusive source range, when the session is ranged. */
  start: number;
  end: number;
}

/** Job data: the completion of a session (the parent of its part jobs). */
export interface CompleteJobData {
  session: string;
}

/** Job data: one object of a bulk copy. */
export interface ObjectJobData {
  bulk: string;
  key: string;
  size: number;
  etag: string;
}
