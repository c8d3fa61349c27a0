import type { PartCopyEvent } from '@partcopy/core';
import type { CliOutput } from './cli-io.js';
import { formatBytes, formatDuration } from './sizes.js';

/** What a multi-step command is doing: planning, copying parts, completing, checking the result. */
export type ProgressPhase = 'plan' | 'copy' | 'complete' | 'verify';

/** Something that shows how many bytes are done. */
export interface ProgressSink {
  /** Bytes done so far (cumulative); `total` when it became known. */
  update(done: number, total?: number): void;
  /** The step the command is in; shown next to the label. */
  phase?(phase: ProgressPhase): void;
  /** Removes the bar so the command's summary line starts clean. */
  finish(): void;
}

/** A sink that shows nothing: for `--quiet`, `--json` and output that is not a terminal. */
export const NO_PROGRESS: ProgressSink = { update() {}, phase() {}, finish() {} };

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
 * `cp copy [########------------]  40%  8.00 MiB / 20.0 MiB  12.3 MiB/s  ETA 1s`.
 * It never takes more than the terminal's width less one column (a full last column makes some
 * terminals wrap, which leaves a line behind per redraw): on a narrow terminal the rate goes
 * first, then the amounts, then the bar shrinks and goes. The ETA is shown only while bytes are
 * moving; in the phases after the copy (complete, verify) the time spent in that phase is shown
 * instead, so the bar never sits at "99% ETA 0s". The rate is the average since the copy began.
 */
export class ProgressBar implements ProgressSink {
  readonly #out: CliOutput;
  readonly #label: string;
  readonly #intervalMs: number;
  readonly #now: () => number;
  #started: number;
  #phaseStarted: number;
  #phase: ProgressPhase | undefined;
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
    this.#phaseStarted = this.#started;
  }

  update(done: number, total?: number): void {
    this.#done = done;
    if (total !== undefined) this.#total = total;
    this.#draw(false);
  }

  phase(phase: ProgressPhase): void {
    if (phase === this.#phase) return;
    const now = this.#now();
    // The rate counts from the start of the copy, not from the planning before it.
    if (phase === 'copy') this.#started = now;
    this.#phase = phase;
    this.#phaseStarted = now;
    this.#draw(true);
  }

  finish(): void {
    if (this.#drawn) this.#out.write('\r\x1b[K');
    this.#drawn = false;
  }

  #draw(force: boolean): void {
    const now = this.#now();
    if (!force && now - this.#lastDraw < this.#intervalMs) return;
    this.#lastDraw = now;
    this.#out.write(`\r${this.render(now)}\x1b[K`);
    this.#drawn = true;
  }

  /** The bar's text at time `now` (without control characters), at most `columns - 1` long. */
  render(now = this.#now(), columns = this.#out.columns ?? 80): string {
    const width = Math.max(1, columns - 1);
    const head = this.#phase ? `${this.#label} ${this.#phase}` : this.#label;
    const total = this.#total;
    const elapsed = Math.max((now - this.#started) / 1000, 1e-3);
    const rate = this.#done / elapsed;
    const amounts =
      total === undefined ? formatBytes(this.#done) : `${formatBytes(this.#done)} / ${formatBytes(total)}`;
    const speed = `${formatBytes(Math.round(rate))}/s`;
    const moving = this.#phase === undefined || this.#phase === 'copy';
    if (total === undefined || total === 0) return fit([head, amounts, moving ? speed : ''], width);
    const fraction = Math.min(1, this.#done / total);
    const percent = `${String(Math.floor(fraction * 100)).padStart(3)}%`;
    const tail = moving ? this.#eta(total, rate) : formatDuration((now - this.#phaseStarted) / 1000);
    // Drop the least useful parts until the line fits, then shrink the bar.
    const candidates = [[amounts, speed, tail], [amounts, tail], [tail]];
    for (const extras of candidates) {
      const text = [percent, ...extras].join('  ');
      const room = width - head.length - text.length - 4; // ' [' + '] ' around the bar
      if (room >= 10) return `${head} ${bar(fraction, Math.min(40, room))} ${text}`;
    }
    const bare = [head, percent, tail].join('  ');
    const room = width - bare.length - 3;
    if (room >= 5) return `${head} ${bar(fraction, room)} ${percent}  ${tail}`;
    return fit([head, percent, tail], width);
  }

  #eta(total: number, rate: number): string {
    if (this.#done >= total) return 'ETA --';
    return rate > 0 ? `ETA ${formatDuration((total - this.#done) / rate)}` : 'ETA --';
  }
}

function bar(fraction: number, width: number): string {
  const filled = Math.round(fraction * width);
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}]`;
}

// The parts joined by two spaces, dropping from the end until the line fits, cut as a last resort.
function fit(parts: string[], width: number): string {
  const kept = parts.filter(Boolean);
  while (kept.length > 1 && kept.join('  ').length > width) kept.pop();
  return kept.join('  ').slice(0, width);
}

/**
 * The phase of a copy, from the calls the client reports: the source read and the upload's
 * creation are the plan, part copies the copy, completion the complete, and a read of the result
 * after completion the verify. Lets any command that runs a copy show its phase without telling
 * the bar itself.
 */
export function phaseOf(event: PartCopyEvent, current: ProgressPhase | undefined): ProgressPhase | undefined {
  if (event.type !== 'request') return undefined;
  switch (event.operation) {
    case 'headObject':
      return current === 'complete' || current === 'verify'
        ? 'verify'
        : current === undefined
          ? 'plan'
          : undefined;
    case 'createMultipartUpload':
      return 'plan';
    case 'uploadPartCopy':
    case 'uploadPart':
      return 'copy';
    case 'completeMultipartUpload':
      return 'complete';
    default:
      return undefined;
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
