/**
 * Progress and metrics of one managed copy, counted from what the copy did (parts, bytes) and
 * from the client's own events (every attempt of every request), so requests are counted the
 * same way whichever layer sent them, retries included.
 */
import type { PartCopyClient } from '../client/part-copy-client.js';
import type { PartCopyEvent } from '../pipeline/events.js';

/** Where a copy stands; `bytesPerSecond` is measured over the bytes this run copied. */
export interface CopyProgress {
  bytesDone: number;
  bytesTotal: number;
  partsDone: number;
  partsTotal: number;
  /** Parts found already copied (a resumed session), included in the counts above. */
  partsReused: number;
  bytesPerSecond: number;
}

/** What a copy cost. */
export interface CopyMetrics {
  /** Requests sent, by operation, every attempt counted (from the client's events). */
  requests: Record<string, number>;
  /** Attempts that failed and were retried by the client's pipeline. */
  retries: number;
  /** Payload bytes copied by the store itself. */
  bytesServerSide: number;
  /** Payload bytes that passed through this process to be written (streamed copies). */
  bytesClientStreamed: number;
  /** Bytes read back to verify (opt-in read-back only). */
  bytesReadForVerification: number;
  /** Parts copied by this run, and parts found already copied by an earlier run. */
  partsCopied: number;
  partsReused: number;
  durationMs: number;
}

/** Counts one copy's requests from the client's events and tracks its progress. */
export class CopyMeter {
  readonly metrics: CopyMetrics = {
    requests: {},
    retries: 0,
    bytesServerSide: 0,
    bytesClientStreamed: 0,
    bytesReadForVerification: 0,
    partsCopied: 0,
    partsReused: 0,
    durationMs: 0,
  };
  readonly #started = performance.now();
  readonly #off: () => void;
  readonly #objects = new Set<string>();
  #total = { bytes: 0, parts: 0 };
  #reusedBytes = 0;
  #stopped = false;
  readonly #onProgress: ((progress: CopyProgress) => void) | undefined;

  constructor(
    client: PartCopyClient,
    objects: ReadonlyArray<{ bucket: string; key: string }>,
    onProgress?: (progress: CopyProgress) => void,
  ) {
    this.watch(objects);
    this.#onProgress = onProgress;
    this.#off = client.on((event) => this.#count(event));
  }

  /** Counts the requests about these objects too. */
  watch(objects: ReadonlyArray<{ bucket: string; key: string }>): void {
    for (const o of objects) this.#objects.add(`${o.bucket}/${o.key}`);
  }

  /** The plan's size; parts already there count as done from the start. */
  start(bytesTotal: number, partsTotal: number, reused: ReadonlyArray<{ size: number }> = []): void {
    this.#total = { bytes: bytesTotal, parts: partsTotal };
    this.metrics.partsReused = reused.length;
    this.#reusedBytes = reused.reduce((sum, part) => sum + part.size, 0);
    this.#report();
  }

  /** One part (or a whole-object copy) done by this run. */
  copied(bytes: number, transfer: 'server-side' | 'client-streamed', isPart = true): void {
    if (transfer === 'client-streamed') this.metrics.bytesClientStreamed += bytes;
    else this.metrics.bytesServerSide += bytes;
    if (isPart) this.metrics.partsCopied++;
    this.#report();
  }

  readBack(bytes: number): void {
    this.metrics.bytesReadForVerification += bytes;
  }

  /** Stops counting; returns the final metrics. */
  stop(): CopyMetrics {
    if (this.#stopped) return this.metrics;
    this.#stopped = true;
    this.#off();
    this.metrics.durationMs = Math.round(performance.now() - this.#started);
    return this.metrics;
  }

  #count(event: PartCopyEvent): void {
    if (event.bucket === undefined || !this.#objects.has(`${event.bucket}/${event.key ?? ''}`)) {
      // Bucket-level calls of this copy (none today) and other calls on the client are not ours.
      return;
    }
    if (event.type === 'request') {
      this.metrics.requests[event.operation] = (this.metrics.requests[event.operation] ?? 0) + 1;
    } else if (event.type === 'error' && event.willRetry) {
      this.metrics.retries++;
    }
  }

  #report(): void {
    if (this.#onProgress === undefined) return;
    const copied = this.metrics.bytesServerSide + this.metrics.bytesClientStreamed;
    const seconds = (performance.now() - this.#started) / 1000;
    this.#onProgress({
      bytesDone: this.#reusedBytes + copied,
      bytesTotal: this.#total.bytes,
      partsDone: this.metrics.partsReused + this.metrics.partsCopied,
      partsTotal: this.#total.parts,
      partsReused: this.metrics.partsReused,
      bytesPerSecond: seconds > 0 ? Math.round(copied / seconds) : 0,
    });
  }
}
