/**
 * GetObject bodies, streamed: chunks as they arrive, errors mapped, and the socket destroyed as
 * soon as the caller's signal fires (the SDK stops watching the signal once headers arrive).
 */
import { abortedError, type ErrorContext } from '@partcopy/core/provider';
import { mapS3Error } from './s3-error-map.js';

interface Destroyable {
  destroy?(error?: Error): void;
}

/** Wraps the SDK's body (a Node Readable, or anything async-iterable) as partcopy's byte stream. */
export async function* streamObjectBody(
  body: unknown,
  signal: AbortSignal,
  context: ErrorContext,
): AsyncGenerator<Uint8Array> {
  if (body === undefined || body === null) return;
  const stream = body as AsyncIterable<Uint8Array | string> & Destroyable;
  const onAbort = () => stream.destroy?.(abortedError(signal, context));
  signal.addEventListener('abort', onAbort, { once: true });
  try {
    for await (const chunk of stream) {
      yield typeof chunk === 'string' ? new TextEncoder().encode(chunk) : chunk;
    }
  } catch (error) {
    throw mapS3Error(error, { ...context, signal });
  } finally {
    signal.removeEventListener('abort', onAbort);
    // A consumer that stops early must not leave the socket open.
    stream.destroy?.();
  }
}
