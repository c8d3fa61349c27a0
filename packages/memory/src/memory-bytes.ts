/**
 * Moving bytes in and out of the store in bounded steps, so a large part or object never blocks
 * the event loop for long, the caller's AbortSignal is honoured between steps and progress is
 * reported as the copy goes.
 */
import type { ByteRange, ErrorContext, OperationContext, Payload } from '@partcopy/core/provider';
import { rangeLength } from '@partcopy/core/provider';
import { checkAborted, memoryError } from './memory-errors.js';

/** Bytes copied (or yielded) between two checks of the signal. */
export const STEP_BYTES = 8 * 1024 * 1024;
/** Size of each chunk a download body yields. */
export const BODY_CHUNK_BYTES = 1024 * 1024;

/**
 * Reads a request body into one array the store owns (a copy, so the caller may reuse theirs),
 * checking the signal and reporting cumulative progress as chunks arrive.
 */
export async function readPayload(
  payload: Payload,
  ctx: OperationContext,
  context: ErrorContext,
): Promise<Uint8Array> {
  checkAborted(ctx.signal, context);
  if (payload.bytes) {
    const copy = payload.bytes.slice();
    ctx.onProgress?.(copy.length, copy.length);
    return copy;
  }
  const out = new Uint8Array(payload.length);
  let offset = 0;
  for await (const chunk of payload.chunks()) {
    checkAborted(ctx.signal, context);
    if (offset + chunk.length > out.length) {
      throw memoryError(
        'IncompleteBody',
        `the body is longer than its declared length (${payload.length})`,
        context,
      );
    }
    out.set(chunk, offset);
    offset += chunk.length;
    ctx.onProgress?.(offset, payload.length);
  }
  if (offset !== out.length) {
    throw memoryError('IncompleteBody', `the body ended after ${offset} of ${payload.length} bytes`, context);
  }
  return out;
}

/**
 * Copies an inclusive range of `source` into a new array: one allocation, filled from subarray
 * views in {@link STEP_BYTES} steps, yielding to the event loop and checking the signal between
 * steps and reporting cumulative progress. An absent range (empty source) gives an empty array.
 */
export async function copyRange(
  source: Uint8Array,
  range: ByteRange | undefined,
  signal: AbortSignal,
  onProgress: ((done: number, total?: number) => void) | undefined,
  context: ErrorContext,
): Promise<Uint8Array> {
  const total = range === undefined ? 0 : rangeLength(range);
  const out = new Uint8Array(total);
  for (let done = 0; done < total; ) {
    checkAborted(signal, context);
    const step = Math.min(STEP_BYTES, total - done);
    const from = (range as ByteRange).start + done;
    out.set(source.subarray(from, from + step), done);
    done += step;
    onProgress?.(done, total);
    if (done < total) await yieldToEventLoop();
  }
  if (total === 0) onProgress?.(0, 0);
  return out;
}

/** Concatenates byte arrays into one, in steps (used to assemble a completed upload). */
export async function concatenate(
  pieces: readonly Uint8Array[],
  signal: AbortSignal,
  context: ErrorContext,
): Promise<Uint8Array> {
  const out = new Uint8Array(pieces.reduce((sum, piece) => sum + piece.length, 0));
  let offset = 0;
  let sinceYield = 0;
  for (const piece of pieces) {
    checkAborted(signal, context);
    out.set(piece, offset);
    offset += piece.length;
    sinceYield += piece.length;
    if (sinceYield >= STEP_BYTES) {
      sinceYield = 0;
      await yieldToEventLoop();
    }
  }
  return out;
}

/**
 * Streams `data[start..end]` as chunks of at most {@link BODY_CHUNK_BYTES}, each a copy (the
 * stored array is never exposed to callers, who could otherwise change stored bytes). Checks
 * the signal before every chunk.
 */
export async function* streamRange(
  data: Uint8Array,
  start: number,
  endExclusive: number,
  signal: AbortSignal,
  context: ErrorContext,
): AsyncGenerator<Uint8Array> {
  for (let offset = start; offset < endExclusive; offset += BODY_CHUNK_BYTES) {
    checkAborted(signal, context);
    yield data.slice(offset, Math.min(offset + BODY_CHUNK_BYTES, endExclusive));
  }
}

function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
