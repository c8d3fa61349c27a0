import type { TransferMode } from '../contract/types.js';
import type { ErrorCode, OperationName } from '../errors/part-copy-error.js';

/** Context every event carries. Never a secret: no keys, tokens, bodies or signed URLs. */
export interface EventContext {
  /** Same id for every event of one facade call. */
  callId: number;
  provider: string;
  operation: OperationName;
  bucket?: string;
  key?: string;
  uploadId?: string;
  partNumber?: number;
  sourceBucket?: string;
  sourceKey?: string;
}

/** Events the facade emits around every provider call (for logging, metrics, progress). */
export type PartCopyEvent =
  | (EventContext & { type: 'request'; attempt: number })
  | (EventContext & {
      type: 'response';
      attempt: number;
      durationMs: number;
      bytes?: number;
      transfer?: TransferMode;
    })
  | (EventContext & {
      type: 'error';
      attempt: number;
      durationMs: number;
      code: ErrorCode;
      status: number;
      retryable: boolean;
      /** The facade will try again after `retryDelayMs`. */
      willRetry: boolean;
      retryDelayMs?: number;
      message: string;
    })
  | (EventContext & { type: 'progress'; bytesDone: number; bytesTotal?: number });

export type PartCopyEventListener = (event: PartCopyEvent) => void;

/** A minimal listener set; a listener that throws never breaks the operation. */
export class EventHub {
  readonly #listeners = new Set<PartCopyEventListener>();

  on(listener: PartCopyEventListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  emit(event: PartCopyEvent): void {
    for (const listener of this.#listeners) {
      try {
        listener(event);
      } catch {
        // Observers must not be able to fail a copy; their errors are theirs to log.
      }
    }
  }

  get size(): number {
    return this.#listeners.size;
  }
}
