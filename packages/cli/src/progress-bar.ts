import type { PartCopyEvent } from '@partcopy/core';
import type { CliOutput } from './cli-io.js';
import { formatBytes, formatDuration } from './sizes.js';

/** Something that shows how many bytes are done. */
export interface ProgressSink {
  /** Bytes done so far (cumulative); `total` when it became known. */
  update(done: number, total?: number): void;
  /** Removes the bar so the command's summary line starts clean. */
  finish(): void;
}

/** A sink that shows nothing: for `--quiet`, `--json` and output that is not a terminal. */
export const NO_PROGRESS: ProgressSink = { update() {}, finish() {} };

export interface ProgressBarOptions {
  label: string;
  total?: number | undefined;
  /** Milliseconds between redraws. */
  intervalMs?: number | undefined;
  /** Clock, for tests. */
  now?: () => number;
}

/**
 * A one-line progress bar redrawn in place on a terminal:
 * `cp [########------------]  40%  8.00 MiB / 20.0 MiB  12.3 MiB/s  ETA 1s`.
 * Redraws at most every `intervalMs`; the rate is the average since the start.
 */
export class ProgressBar implements ProgressSink {
  readonly #out: CliOutput;
  readonly #label: string;
  readonly #intervalMs: number;
  readonly #now: () => number;
  readonly #started: number;
  #total: number | undefined;
  #done = 0;
  #lastDraw = Number.NEGATIVE_INFINITY;
  #drawn = false;

  constructor(out: CliOutput, options: ProgressBarOptions) {
    this.#out = out;
    this.#label = options.label;
    this.#total = options.total;
    this.#intervalMs = options.intervalMs ?? 100;
    this.#now = options.now ?? (() => performance.now());
    this.#started = this.#now();
  }

  update(done: number, total?: number): void {
    this.#done = done;
    if (total !== undefined) this.#total = total;
    const now = this.#now();
    if (now - this.#lastDraw < this.#intervalMs) return;
    this.#lastDraw = now;
    this.#out.write(`\r${this.render(now)}\x1b[K`);
    this.#drawn = true;
  }

  finish(): void {
    if (this.#drawn) this.#out.write('\r\x1b[K');
    this.#drawn = false;
  }

  /** The bar's text at time `now` (without control characters). */
  render(now = this.#now()): string {
    const elapsed = Math.max((now - this.#started) / 1000, 1e-3);
    const rate = this.#done / elapsed;
    const total = this.#total;
    const amounts =
      total === undefined ? formatBytes(this.#done) : `${formatBytes(this.#done)} / ${formatBytes(total)}`;
    const speed = `${formatBytes(Math.round(rate))}/s`;
    if (total === undefined || total === 0) return `${this.#label}  ${amounts}  ${speed}`;
    const fraction = Math.min(1, this.#done / total);
    const eta = rate > 0 ? `ETA ${formatDuration((total - this.#done) / rate)}` : 'ETA --';
    const tail = `${String(Math.floor(fraction * 100)).padStart(3)}%  ${amounts}  ${speed}  ${eta}`;
    const columns = this.#out.columns ?? 80;
    const width = Math.max(10, Math.min(40, columns - tail.length - this.#label.length - 6));
    const filled = Math.round(fraction * width);
    return `${this.#label} [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${tail}`;
  }
}

/**
 * Turns the facade's events into bytes done for a sink: `progress` events count the bytes of
 * calls still running, `response` events the bytes of finished calls, and a failed attempt's
 * bytes are dropped (a retry starts again). `accept` picks the calls that belong to this bar.
 */
export class EventProgress {
  readonly #sink: ProgressSink;
  readonly #accept: (event: PartCopyEvent) => boolean;
  readonly #inFlight = new Map<number, number>();
  #completed = 0;

  constructor(sink: ProgressSink, accept: (event: PartCopyEvent) => boolean) {
    this.#sink = sink;
    this.#accept = accept;
  }

  /** Bytes done so far. */
  get done(): number {
    let sum = this.#completed;
    for (const bytes of this.#inFlight.values()) sum += bytes;
    return sum;
  }

  readonly listener = (event: PartCopyEvent): void => {
    if (!this.#accept(event)) return;
    if (event.type === 'progress') this.#inFlight.set(event.callId, event.bytesDone);
    else if (event.type === 'response') {
      this.#inFlight.delete(event.callId);
      this.#completed += event.bytes ?? 0;
    } else if (event.type === 'error') this.#inFlight.delete(event.callId);
    else return;
    this.#sink.update(this.done);
  };
}
