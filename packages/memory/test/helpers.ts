/** Shared test fixtures: a provider with a small part minimum, contexts with real signals, byte helpers. */
import { randomBytes } from 'node:crypto';
import * as core from '@partcopy/core';
import { collectBytes, PartCopyError } from '@partcopy/core';
import { type OperationContext, type Payload, toPayload } from '@partcopy/core/provider';
import { expect } from 'vitest';
import { createMemoryProvider, type MemoryProvider, MemoryStore } from '../src/index.js';

/** Non-last parts must be at least this big in these tests. */
export const MIN_PART = 16;

/** A context with a live signal, as the facade passes one. */
export function ctx(onProgress?: OperationContext['onProgress']): OperationContext {
  const context: OperationContext = { signal: new AbortController().signal };
  if (onProgress) context.onProgress = onProgress;
  return context;
}

/** A context whose signal has already fired. */
export function abortedCtx(): OperationContext {
  const controller = new AbortController();
  controller.abort(new Error('test abort'));
  return { signal: controller.signal };
}

export function newProvider(store = new MemoryStore()): MemoryProvider {
  return createMemoryProvider({ store, minPartSize: MIN_PART });
}

/** A unique bucket name per call, so tests never share state. */
export function bucketName(): string {
  return `b-${randomBytes(6).toString('hex')}`;
}

/** Creates a fresh bucket and returns its name. */
export async function newBucket(provider: MemoryProvider, versioning = false): Promise<string> {
  const bucket = bucketName();
  await provider.createBucket({ bucket, versioning }, ctx());
  return bucket;
}

/** `n` deterministic, position-dependent bytes (so a wrong offset shows). */
export function pattern(n: number, seed = 0): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = (i * 31 + seed * 7 + (i >> 8)) & 0xff;
  return out;
}

export function payload(bytes: Uint8Array | string): Payload {
  return toPayload(bytes);
}

export function text(bytes: Uint8Array): string {
  return new TextDecoder().decode(bytes);
}

export async function readBody(body: AsyncIterable<Uint8Array>): Promise<Uint8Array> {
  return collectBytes(body);
}

/** Puts an object and returns the put result. */
export async function put(
  provider: MemoryProvider,
  bucket: string,
  key: string,
  body: Uint8Array | string,
  sseCustomer?: core.SseCustomerKey,
) {
  return provider.putObject(
    { bucket, key, body: payload(body), ...(sseCustomer ? { sseCustomer } : {}) },
    ctx(),
  );
}

/** Awaits a promise expected to fail with a PartCopyError of `code`; returns the error. */
export async function expectCode(promise: Promise<unknown>, code: string): Promise<PartCopyError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error, `expected ${code}`).toBeDefined();
  expect(PartCopyError.isInstance(error)).toBe(true);
  expect((error as PartCopyError).code).toBe(code);
  return error as PartCopyError;
}

// core's index re-exports SseCustomerKey twice (as a type from types.ts and as the class), and
// TypeScript then sees only the type. Reach the class through the namespace until that is fixed.
const { SseCustomerKey } = core as unknown as {
  SseCustomerKey: { from(algorithm: string, key: Uint8Array): core.SseCustomerKey };
};

/** A random SSE-C key. */
export function sseKey(): core.SseCustomerKey {
  return SseCustomerKey.from('AES256', randomBytes(32));
}

export const noConditions = {};

/** src/a of `from` to dst/b of `to`, in parts of 5 MiB, one at a time: a few parts, in order. */
export function fivePartRoute(from: core.PartCopyClient, to: core.PartCopyClient) {
  return {
    source: { client: from, bucket: 'src', key: 'a' },
    destination: { client: to, bucket: 'dst', key: 'b' },
    partSize: 5 * 1024 * 1024,
    concurrency: 1,
  };
}

/**
 * Runs `request` (which keeps a session) until `parts` parts are done, then aborts it as a crash
 * would leave it: the session and its upload stay. Returns the transfer's error.
 */
export function transferInterrupted(request: core.TransferObjectRequest, parts: number): Promise<unknown> {
  const stop = new AbortController();
  return core
    .transferObject({
      ...request,
      signal: stop.signal,
      onProgress: (p) => {
        if (p.partsDone === parts) stop.abort();
      },
    })
    .catch((e: unknown) => e);
}
