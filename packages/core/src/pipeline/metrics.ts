/**
 * Metrics of one client, computed from the same events listeners receive (one hook): requests
 * and attempts by operation, retries, failures, and how many payload bytes moved on the server
 * versus through this process.
 */
import type { OperationName } from '../errors/part-copy-error.js';
import type { PartCopyEvent } from './events.js';

/** A snapshot of a client's metrics since it was created. */
export interface PartCopyMetrics {
  /** Logical calls by operation (one per facade call, whatever its attempts). */
  calls: Partial<Record<OperationName, number>>;
  /** Attempts sent to the provider by operation (calls plus retries). */
  attempts: Partial<Record<OperationName, number>>;
  /** Attempts that failed and were tried again. */
  retries: number;
  /** Calls that failed for good. */
  failures: number;
  /** Payload bytes copied on the store's side (part copies reported `server-side`). */
  bytesServerSide: number;
  /** Payload bytes that passed through this process: uploads, downloads, client-streamed copies. */
  bytesThroughClient: number;
}

/** Accumulates {@link PartCopyMetrics} from events. */
export class MetricsRecorder {
  readonly #m: PartCopyMetrics = {
    calls: {},
    attempts: {},
    retries: 0,
    failures: 0,
    bytesServerSide: 0,
    bytesThroughClient: 0,
  };

  record(event: PartCopyEvent): void {
    const { operation } = event;
    if (event.type === 'request') {
      this.#m.attempts[operation] = (this.#m.attempts[operation] ?? 0) + 1;
      if (event.attempt === 1) this.#m.calls[operation] = (this.#m.calls[operation] ?? 0) + 1;
    } else if (event.type === 'error') {
      if (event.willRetry) this.#m.retries++;
      else this.#m.failures++;
    } else if (event.type === 'response' && event.bytes !== undefined) {
      if (event.transfer === 'server-side') this.#m.bytesServerSide += event.bytes;
      else this.#m.bytesThroughClient += event.bytes;
    }
  }

  snapshot(): PartCopyMetrics {
    return structuredClone(this.#m);
  }
}
