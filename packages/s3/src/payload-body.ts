/** Request bodies for PutObject and UploadPart. */
import { Readable } from 'node:stream';
import type { Payload } from '@partcopy/core/provider';

type Body = Uint8Array | Readable;

/**
 * Runs one SDK call with the payload as its body. In-memory bodies go as bytes (the SDK can
 * checksum and retry them); streams go as a Readable that lives only for this call.
 *
 * A stream body must never emit 'error': the SDK wraps it (aws-chunked encoding, checksums) and
 * pipes the wrapper into the request without listening for the wrapper's errors. A body that
 * failed while the request was in flight hung the request, and one that failed after the request
 * had already failed (a transfer's source read cut short after the store answered 503) was an
 * uncaught exception, fatal in a user's process. So a failing payload aborts the call instead,
 * the call throws the payload's error, and the body ends quietly once the call has settled.
 */
export async function sendWithBody<T>(
  payload: Payload,
  signal: AbortSignal,
  send: (body: Body, abortSignal: AbortSignal) => Promise<T>,
): Promise<T> {
  if (payload.bytes !== undefined) return send(payload.bytes, signal);
  const bodyFailed = new AbortController();
  let callSettled!: () => void;
  const settled = new Promise<void>((resolve) => {
    callSettled = resolve;
  });
  async function* chunksOrAbort() {
    try {
      yield* payload.chunks();
    } catch (error) {
      bodyFailed.abort(error);
      await settled;
    }
  }
  const body = Readable.from(chunksOrAbort(), { objectMode: false });
  try {
    return await send(body, AbortSignal.any([signal, bodyFailed.signal]));
  } catch (error) {
    throw bodyFailed.signal.aborted ? bodyFailed.signal.reason : error;
  } finally {
    callSettled();
    body.destroy();
  }
}
