import { PartCopyError } from '../errors/part-copy-error.js';
import type { Payload } from './types.js';

/** Bodies users may pass: bytes, text, or a stream with a declared length. */
export type BodyInput =
  | Uint8Array
  | ArrayBuffer
  | string
  | ReadableStream<Uint8Array>
  | AsyncIterable<Uint8Array | string>;

/**
 * Normalises a body. In-memory bodies know their length; streams need `contentLength` (S3
 * requires it: `MissingContentLength`), and reading checks the stream delivers exactly that many
 * bytes (`IncompleteBody` otherwise).
 */
export function toPayload(body: BodyInput, contentLength?: number): Payload {
  if (typeof body === 'string') return bytesPayload(new TextEncoder().encode(body), contentLength);
  if (body instanceof Uint8Array) return bytesPayload(body, contentLength);
  if (body instanceof ArrayBuffer) return bytesPayload(new Uint8Array(body), contentLength);
  if (!isStream(body)) {
    throw new PartCopyError(
      'InvalidArgument',
      'body must be bytes (Uint8Array, ArrayBuffer), a string, a ReadableStream or an async iterable of chunks',
    );
  }
  if (contentLength === undefined) {
    throw new PartCopyError('MissingContentLength', 'contentLength is required when the body is a stream');
  }
  if (!Number.isSafeInteger(contentLength) || contentLength < 0) {
    throw new PartCopyError(
      'InvalidArgument',
      `contentLength must be a non-negative integer, got ${contentLength}`,
    );
  }
  return streamPayload(body, contentLength);
}

function bytesPayload(bytes: Uint8Array, contentLength: number | undefined): Payload {
  if (contentLength !== undefined && contentLength !== bytes.length) {
    throw new PartCopyError(
      'IncompleteBody',
      `contentLength is ${contentLength} but the body has ${bytes.length} bytes`,
    );
  }
  return {
    length: bytes.length,
    bytes,
    async *chunks() {
      yield bytes;
    },
  };
}

function isStream(body: unknown): body is ReadableStream<Uint8Array> | AsyncIterable<Uint8Array | string> {
  return typeof body === 'object' && body !== null && Symbol.asyncIterator in body;
}

function streamPayload(
  source: ReadableStream<Uint8Array> | AsyncIterable<Uint8Array | string>,
  length: number,
): Payload {
  let used = false;
  return {
    length,
    async *chunks() {
      if (used) throw new PartCopyError('InvalidRequest', 'a streamed body can be read only once');
      used = true;
      let seen = 0;
      for await (const chunk of source as AsyncIterable<Uint8Array | string>) {
        const bytes = typeof chunk === 'string' ? new TextEncoder().encode(chunk) : chunk;
        if (!(bytes instanceof Uint8Array)) {
          throw new PartCopyError(
            'InvalidArgument',
            'a streamed body must yield Uint8Array or string chunks',
          );
        }
        seen += bytes.length;
        if (seen > length) {
          throw new PartCopyError('IncompleteBody', `the body is longer than its contentLength (${length})`);
        }
        yield bytes;
      }
      if (seen !== length) {
        throw new PartCopyError('IncompleteBody', `the body ended after ${seen} of ${length} bytes`);
      }
    },
  };
}

/** Reads a payload or stream fully into memory. For tests and small objects. */
export async function collectBytes(source: Payload | AsyncIterable<Uint8Array>): Promise<Uint8Array> {
  const iterable = 'chunks' in source ? source.chunks() : source;
  const parts: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of iterable) {
    parts.push(chunk);
    total += chunk.length;
  }
  const out = new Uint8Array(total);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/**
 * A downloaded object's body: iterate it, or read it whole with `bytes()` / `text()`, or get a
 * web `ReadableStream`. Readable once.
 */
export class ObjectBody implements AsyncIterable<Uint8Array> {
  readonly #source: AsyncIterable<Uint8Array>;
  #used = false;

  constructor(source: AsyncIterable<Uint8Array>) {
    this.#source = source;
  }

  [Symbol.asyncIterator](): AsyncIterator<Uint8Array> {
    if (this.#used) throw new PartCopyError('InvalidRequest', 'an object body can be read only once');
    this.#used = true;
    return this.#source[Symbol.asyncIterator]();
  }

  bytes(): Promise<Uint8Array> {
    return collectBytes(this);
  }

  async text(): Promise<string> {
    return new TextDecoder().decode(await this.bytes());
  }

  stream(): ReadableStream<Uint8Array> {
    return ReadableStream.from(this);
  }
}
