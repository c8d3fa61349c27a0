/**
 * Garbage collection for any store: multipart uploads nobody will finish (a copy killed, a
 * client that never aborted, a create whose answer was lost) and the store's own leftovers
 * (staging objects no upload names, temporary files of crashed writers), older than an age.
 *
 * Uploads are found and ended through the client (`listMultipartUploads`, `abortMultipartUpload`),
 * so the pipeline owns retries, events and errors, on every provider alike. Store-specific
 * leftovers come from the provider's optional `collectStoreGarbage` (capability
 * `storeGarbageCollection`). Uploads that a session in the caller's session store names are
 * never garbage, however old: `resumeCopy` or `abortCopySession` finishes those.
 */
import type { PartCopyClient } from '../client/part-copy-client.js';
import type { MultipartUploadInfo, StoreGarbageItem } from '../contract/provider-contract.js';
import { PartCopyError, throwIfAborted } from '../errors/part-copy-error.js';
import { toPartCopyError } from '../pipeline/error-context.js';
import { type LiveUploads, liveSessionUploads } from './live-session-uploads.js';
import type { SessionStore } from './session-store.js';

/** What {@link collectGarbage} is asked to do. */
export interface CollectGarbageRequest {
  /** The client of the store holding the buckets: uploads are listed and aborted through it. */
  client: PartCopyClient;
  /** The buckets to clean. */
  buckets: readonly string[];
  /**
   * Only what is at least this old is garbage: uploads initiated, and leftovers last changed,
   * this many milliseconds before `now`. Keep it well above the longest copy you run: an upload
   * a live process is still using (without a session the collector can see) is taken too, and
   * that copy then fails with `NoSuchUpload`.
   */
  olderThanMs: number;
  /** List what would be removed; remove nothing. */
  dryRun?: boolean | undefined;
  /**
   * Sessions of resumable copies: every upload a session in this store names (or, for a session
   * killed while creating its upload, may own) is kept, however old.
   */
  sessions?: SessionStore | undefined;
  /** The time ages are measured from (default: now). Ages compare it with the store's clock. */
  now?: Date | undefined;
  /** Stops the collection between requests (`RequestAborted`); what was removed stays removed. */
  signal?: AbortSignal | undefined;
  /** Called once per item decided (removed, kept or failed). */
  onProgress?: ((progress: GarbageProgress) => void) | undefined;
}

/** What happened to one item. */
export type GarbageAction = 'removed' | 'would-remove' | 'kept' | 'failed';

/** One thing the collector looked at. */
export interface GarbageItem {
  /** The bucket it is in. */
  bucket: string;
  /** `upload` for a multipart upload; otherwise the provider's kind (`staging-object`, `temporary-file`, ...). */
  kind: string;
  /** The upload's key, or the store's name for the leftover. */
  name: string;
  /** The upload's id (uploads only). */
  uploadId?: string;
  /** When the upload was initiated, or the leftover last changed. */
  since: Date;
  /** Milliseconds between `since` and the collection's `now`. */
  ageMs: number;
  /** Bytes it holds, where the store tells (an upload's listed parts). */
  bytes?: number;
  /** Removed, would be removed (dry run), kept, or failed to remove. */
  action: GarbageAction;
  /** Why it was kept, or why removing it failed. */
  reason?: string;
  /** The failure, for `failed`. */
  error?: PartCopyError;
}

/** Progress of a collection: counts so far and the item just decided. */
export interface GarbageProgress {
  /** The bucket being cleaned. */
  bucket: string;
  /** The item just decided. */
  item: GarbageItem;
  /** Items removed (or, in a dry run, to remove) so far, over every bucket. */
  removed: number;
  /** Items kept so far. */
  kept: number;
  /** Removals failed so far. */
  failed: number;
}

/** What {@link collectGarbage} did. */
export interface GarbageCollectionReport {
  /** True when nothing was removed on purpose. */
  dryRun: boolean;
  /** Uploads initiated and leftovers changed before this time were garbage. */
  olderThan: Date;
  /** Everything decided, in order: each bucket's uploads, then its store leftovers. */
  items: GarbageItem[];
  /** Items removed (or, in a dry run, that would be). */
  removed: number;
  /** Uploads kept (younger than the age, or a session's). */
  kept: number;
  /** Removals that failed (each item has its error). */
  failed: number;
  /** Known bytes of the removed items. */
  bytesRemoved: number;
}

/**
 * Removes abandoned multipart uploads and store-specific leftovers older than `olderThanMs` from
 * each bucket, keeping every upload a session in `sessions` names. A removal that fails is
 * reported (`failed`) and the collection goes on; a bucket that cannot be listed fails it.
 *
 * @example
 * ```ts
 * const report = await collectGarbage({
 *   client, buckets: ['media'], olderThanMs: 7 * 24 * 3600_000,
 *   sessions: new FileSessionStore(`${homedir()}/.partcopy/sessions`), dryRun: true,
 * });
 * for (const item of report.items) console.log(item.action, item.kind, item.name, item.reason ?? '');
 * ```
 */
export async function collectGarbage(request: CollectGarbageRequest): Promise<GarbageCollectionReport> {
  const { client, signal } = request;
  checkRequest(request);
  const now = request.now ?? new Date();
  const olderThan = new Date(now.getTime() - request.olderThanMs);
  const run = new Collection(request, now, olderThan);
  throwIfAborted(signal);
  const live = request.sessions ? await liveSessionUploads(request.sessions) : undefined;
  for (const bucket of new Set(request.buckets)) {
    await run.uploads(bucket, live);
    if (client.capabilitiesFor(bucket).storeGarbageCollection) await run.storeLeftovers(bucket);
  }
  return run.report();
}

class Collection {
  readonly #request: CollectGarbageRequest;
  readonly #now: Date;
  readonly #olderThan: Date;
  readonly #dryRun: boolean;
  readonly #items: GarbageItem[] = [];
  readonly #counts = { removed: 0, kept: 0, failed: 0 };

  constructor(request: CollectGarbageRequest, now: Date, olderThan: Date) {
    this.#request = request;
    this.#now = now;
    this.#olderThan = olderThan;
    this.#dryRun = request.dryRun === true;
  }

  /** Every upload of the bucket: kept when young or a session's, aborted otherwise. */
  async uploads(bucket: string, live: LiveUploads | undefined): Promise<void> {
    for (const upload of await this.#listUploads(bucket)) {
      throwIfAborted(this.#request.signal);
      const base = {
        bucket,
        kind: 'upload',
        name: upload.key,
        uploadId: upload.uploadId,
        since: upload.initiated,
        ageMs: this.#now.getTime() - upload.initiated.getTime(),
      };
      const session = live?.owner(bucket, upload);
      if (session !== undefined) this.#decide({ ...base, action: 'kept', reason: `session ${session}` });
      else if (upload.initiated >= this.#olderThan)
        this.#decide({ ...base, action: 'kept', reason: 'younger than the age' });
      else await this.#abortUpload(base);
    }
  }

  /** The provider's own leftovers (staging objects of no upload, temporary files). */
  async storeLeftovers(bucket: string): Promise<void> {
    const { client, signal } = this.#request;
    const hook = client.provider.collectStoreGarbage?.bind(client.provider);
    if (hook === undefined) return;
    let items: StoreGarbageItem[];
    try {
      const ctx = { signal: signal ?? new AbortController().signal };
      items = (await hook({ bucket, olderThan: this.#olderThan, dryRun: this.#dryRun }, ctx)).items;
    } catch (raw) {
      const error = toPartCopyError(raw, signal, client.provider.name).withContext({ bucket });
      if (error.code === 'RequestAborted') throw error;
      const since = this.#olderThan;
      this.#decide({
        bucket,
        kind: 'store-leftovers',
        name: '',
        since,
        ageMs: 0,
        action: 'failed',
        reason: error.message,
        error,
      });
      return;
    }
    for (const item of items) {
      this.#decide({
        bucket,
        kind: item.kind,
        name: item.name,
        since: item.lastModified,
        ageMs: this.#now.getTime() - item.lastModified.getTime(),
        ...(item.bytes === undefined ? {} : { bytes: item.bytes }),
        action: this.#dryRun ? 'would-remove' : 'removed',
      });
    }
  }

  report(): GarbageCollectionReport {
    const removed = this.#items.filter((i) => i.action === 'removed' || i.action === 'would-remove');
    return {
      dryRun: this.#dryRun,
      olderThan: this.#olderThan,
      items: this.#items,
      ...this.#counts,
      bytesRemoved: removed.reduce((sum, item) => sum + (item.bytes ?? 0), 0),
    };
  }

  async #abortUpload(base: Omit<GarbageItem, 'action'>): Promise<void> {
    const { client, signal } = this.#request;
    const upload = { bucket: base.bucket, key: base.name, uploadId: base.uploadId as string };
    try {
      const bytes = await this.#uploadBytes(upload);
      if (bytes === 'gone') return;
      const item = { ...base, ...(bytes === undefined ? {} : { bytes }) };
      if (!this.#dryRun) await client.abortMultipartUpload({ ...upload, abortSignal: signal });
      this.#decide({ ...item, action: this.#dryRun ? 'would-remove' : 'removed' });
    } catch (error) {
      // Ended meanwhile (completed or aborted by its owner): not garbage any more.
      if (PartCopyError.hasCode(error, 'NoSuchUpload')) return;
      if (!PartCopyError.isInstance(error) || error.code === 'RequestAborted') throw error;
      this.#decide({ ...base, action: 'failed', reason: error.message, error });
    }
  }

  // The bytes the upload's parts hold, where the store lists parts; `gone` when it ended meanwhile.
  async #uploadBytes(upload: { bucket: string; key: string; uploadId: string }) {
    const { client, signal } = this.#request;
    if (!client.capabilitiesFor(upload.bucket).listParts) return undefined;
    let bytes = 0;
    let partNumberMarker: number | undefined;
    try {
      for (;;) {
        const page = await client.listParts({
          ...upload,
          ...(partNumberMarker === undefined ? {} : { partNumberMarker }),
          abortSignal: signal,
        });
        bytes += page.parts.reduce((sum, part) => sum + part.size, 0);
        if (!page.isTruncated || page.nextPartNumberMarker === undefined) return bytes;
        partNumberMarker = page.nextPartNumberMarker;
      }
    } catch (error) {
      if (PartCopyError.hasCode(error, 'NoSuchUpload')) return 'gone' as const;
      throw error;
    }
  }

  async #listUploads(bucket: string): Promise<MultipartUploadInfo[]> {
    const { client, signal } = this.#request;
    const uploads: MultipartUploadInfo[] = [];
    let markers: { keyMarker?: string; uploadIdMarker?: string } = {};
    for (;;) {
      const page = await client.listMultipartUploads({ bucket, ...markers, abortSignal: signal });
      uploads.push(...page.uploads);
      if (!page.isTruncated) return uploads;
      markers = {
        ...(page.nextKeyMarker === undefined ? {} : { keyMarker: page.nextKeyMarker }),
        ...(page.nextUploadIdMarker === undefined ? {} : { uploadIdMarker: page.nextUploadIdMarker }),
      };
    }
  }

  #decide(item: GarbageItem): void {
    this.#items.push(item);
    const counts = this.#counts;
    if (item.action === 'kept' || item.action === 'failed') counts[item.action]++;
    else counts.removed++;
    this.#request.onProgress?.({ bucket: item.bucket, item, ...counts });
  }
}

function checkRequest(request: CollectGarbageRequest): void {
  const { olderThanMs, buckets, now } = request;
  if (typeof olderThanMs !== 'number' || !Number.isFinite(olderThanMs) || olderThanMs < 0)
    throw new PartCopyError('InvalidArgument', 'olderThanMs must be a number of milliseconds, 0 or more');
  if (!Array.isArray(buckets) || buckets.length === 0 || buckets.some((b) => typeof b !== 'string'))
    throw new PartCopyError('InvalidArgument', 'buckets must name at least one bucket');
  if (now !== undefined && (!(now instanceof Date) || Number.isNaN(now.getTime())))
    throw new PartCopyError('InvalidArgument', 'now must be a valid Date');
}
