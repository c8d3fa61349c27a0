/**
 * One call pipeline for every facade method, as layers around the provider call (outermost
 * first):
 *
 * 1. error context: any failure becomes one `PartCopyError` with the call's context, added once
 *    ({@link errorContext});
 * 2. preparation: validation and normalisation of the input and the capability checks
 *    ({@link CapabilityGate}) run inside the pipeline, so their refusals get the same context;
 * 3. retry: the one retry owner. A retryable failure of an idempotent call is tried again with
 *    backoff, at most `maxAttempts` times in all. Providers switch their SDKs' own retries off,
 *    so attempts never multiply;
 * 4. events and metrics: every attempt emits `request` and `response`/`error` events (the
 *    metrics are computed from the same events).
 */
import type { OperationContext } from '../contract/provider-contract.js';
import type { TransferMode } from '../contract/types.js';
import { abortedError, type OperationName, type PartCopyError } from '../errors/part-copy-error.js';
import { type CallTarget, errorContext, toPartCopyError } from './error-context.js';
import type { EventContext, EventHub } from './events.js';
import { backoffDelay, isThrottling, type RetryOptions, sleep } from './retry-policy.js';

/** What a prepared call sends, once its input is valid. */
export interface PreparedCall<T> {
  target: CallTarget;
  /** False for calls that must not be repeated (creating an upload, streamed bodies). */
  idempotent: boolean;
  send: (ctx: OperationContext) => Promise<T>;
  /** Payload bytes a result moved, and how (for events and metrics). */
  bytesOf?: (result: T) => { bytes?: number; transfer?: TransferMode };
}

export interface RunOptions {
  signal?: AbortSignal | undefined;
  onProgress?: ((progress: { bytesDone: number; bytesTotal?: number }) => void) | undefined;
}

let nextCallId = 1;

export class CallPipeline {
  readonly #provider: string;
  readonly #events: EventHub;
  readonly #retry: Required<RetryOptions>;

  constructor(provider: string, events: EventHub, retry: Required<RetryOptions>) {
    this.#provider = provider;
    this.#events = events;
    this.#retry = retry;
  }

  /** Runs one facade call: `prepare` validates and normalises, the pipeline does the rest. */
  async run<T>(
    operation: OperationName,
    input: object,
    options: RunOptions,
    prepare: () => PreparedCall<T>,
  ): Promise<T> {
    let target: CallTarget | undefined;
    try {
      const call = prepare();
      target = call.target;
      return await this.#withRetries(operation, call, options);
    } catch (raw) {
      const error = toPartCopyError(raw, options.signal, this.#provider);
      throw error.withContext(errorContext(this.#provider, operation, target, input));
    }
  }

  async #withRetries<T>(operation: OperationName, call: PreparedCall<T>, options: RunOptions): Promise<T> {
    const signal = options.signal ?? new AbortController().signal;
    const base: EventContext = {
      callId: nextCallId++,
      provider: this.#provider,
      operation,
      ...defined(call.target),
    };
    const maxAttempts = call.idempotent ? this.#retry.maxAttempts : 1;
    const ctx: OperationContext = { signal, onProgress: this.#progress(base, options) };
    for (let attempt = 1; ; attempt++) {
      if (signal.aborted) throw abortedError(signal);
      const started = performance.now();
      this.#events.emit({ ...base, type: 'request', attempt });
      try {
        const result = await call.send(ctx);
        const durationMs = performance.now() - started;
        this.#events.emit({ ...base, type: 'response', attempt, durationMs, ...call.bytesOf?.(result) });
        return result;
      } catch (raw) {
        const error = toPartCopyError(raw, signal, this.#provider);
        const willRetry = error.retryable && attempt < maxAttempts && !signal.aborted;
        const retryDelayMs = willRetry
          ? backoffDelay(attempt, this.#retry, Math.random, isThrottling(error))
          : undefined;
        this.#emitError(base, attempt, started, error, willRetry, retryDelayMs);
        if (!willRetry) throw error;
        await sleep(retryDelayMs ?? 0, signal);
      }
    }
  }

  #progress(base: EventContext, options: RunOptions): OperationContext['onProgress'] {
    return (bytesDone, bytesTotal) => {
      const totals = bytesTotal === undefined ? {} : { bytesTotal };
      this.#events.emit({ ...base, type: 'progress', bytesDone, ...totals });
      options.onProgress?.({ bytesDone, ...totals });
    };
  }

  #emitError(
    base: EventContext,
    attempt: number,
    started: number,
    error: PartCopyError,
    willRetry: boolean,
    retryDelayMs: number | undefined,
  ): void {
    this.#events.emit({
      ...base,
      type: 'error',
      attempt,
      durationMs: performance.now() - started,
      code: error.code,
      status: error.status,
      retryable: error.retryable,
      willRetry,
      ...(retryDelayMs === undefined ? {} : { retryDelayMs }),
      message: error.message,
    });
  }
}

function defined(target: CallTarget): Omit<EventContext, 'callId' | 'provider' | 'operation'> {
  return Object.fromEntries(Object.entries(target).filter(([, v]) => v !== undefined));
}
