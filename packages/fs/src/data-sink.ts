import { createHash, type Hash } from 'node:crypto';
import { type FileHandle, open } from 'node:fs/promises';
import { join } from 'node:path';
import {
  type ChecksumAlgorithm,
  type Checksummer,
  createChecksummer,
  PartCopyError,
  type Payload,
  sseCustomerEtagHash,
  throwIfAborted,
} from '@partcopy/core/provider';
import { removeQuietly } from './atomic-write.js';
import { randomToken } from './ids.js';

/** Bytes moved per read and write: large enough to be fast, small enough never to buffer a part. */
export const CHUNK_SIZE = 1024 * 1024;

/** What a finished temporary file holds. */
export interface SinkResult {
  path: string;
  size: number;
  /** Hex MD5 of the bytes (for Content-MD5 checks). */
  md5: string;
  /** The ETag S3 would give these bytes: quoted MD5, or an opaque digest under SSE-C. */
  etag: string;
  /** Base64 checksum in the requested algorithm. */
  checksum?: string;
}

/** Options for writing one temporary file. */
export interface SinkOptions {
  signal: AbortSignal;
  checksumAlgorithm?: ChecksumAlgorithm | undefined;
  /** Called with cumulative bytes after every chunk. */
  onProgress?: ((bytesDone: number, bytesTotal?: number) => void) | undefined;
  /** Total bytes expected, passed to `onProgress`. */
  total?: number;
  /**
   * MD5 (base64) of the SSE-C key the bytes are written with: the ETag is then core's opaque
   * SSE-C one ({@link sseCustomerEtagHash}), not the MD5 of the bytes, as on S3.
   */
  sseKeyMD5?: string | undefined;
}

/**
 * A temporary file being written: hashes (MD5 and the optional checksum) as the bytes pass,
 * checks the abort signal between chunks, and on {@link finish} fsyncs so a later rename
 * publishes bytes that are already on disk.
 */
export class TempSink {
  readonly path: string;
  readonly #handle: FileHandle;
  readonly #md5: Hash = createHash('md5');
  readonly #sseEtag: Hash | undefined;
  readonly #checksum: Checksummer | undefined;
  readonly #options: SinkOptions;
  #size = 0;

  private constructor(path: string, handle: FileHandle, options: SinkOptions) {
    this.path = path;
    this.#handle = handle;
    this.#options = options;
    this.#checksum = options.checksumAlgorithm ? createChecksummer(options.checksumAlgorithm) : undefined;
    this.#sseEtag = options.sseKeyMD5 ? sseCustomerEtagHash(options.sseKeyMD5) : undefined;
  }

  /** Creates a new, exclusive temporary file in `tmpDir`. */
  static async create(tmpDir: string, options: SinkOptions): Promise<TempSink> {
    throwIfAborted(options.signal);
    const path = join(tmpDir, `${randomToken()}.tmp`);
    return new TempSink(path, await open(path, 'wx'), options);
  }

  get size(): number {
    return this.#size;
  }

  async write(chunk: Uint8Array): Promise<void> {
    throwIfAborted(this.#options.signal);
    let offset = 0;
    while (offset < chunk.length) {
      const { bytesWritten } = await this.#handle.write(chunk, offset, chunk.length - offset);
      offset += bytesWritten;
    }
    this.#md5.update(chunk);
    this.#sseEtag?.update(chunk);
    this.#checksum?.update(chunk);
    this.#size += chunk.length;
    this.#options.onProgress?.(this.#size, this.#options.total);
  }

  /** Flushes to disk and closes; the file is ready to be renamed into place. */
  async finish(): Promise<SinkResult> {
    throwIfAborted(this.#options.signal);
    await this.#handle.sync();
    await this.#handle.close();
    const md5 = this.#md5.digest('hex');
    const etag = `"${this.#sseEtag ? this.#sseEtag.digest('hex') : md5}"`;
    const result: SinkResult = { path: this.path, size: this.#size, md5, etag };
    if (this.#checksum) result.checksum = this.#checksum.digestBase64();
    return result;
  }

  /** Closes and deletes the file (after a failure). */
  async discard(): Promise<void> {
    await this.#handle.close().catch(() => undefined);
    await removeQuietly(this.path);
  }
}

/** Writes a request body to a new temporary file. */
export async function sinkPayload(
  tmpDir: string,
  payload: Payload,
  options: SinkOptions,
): Promise<SinkResult> {
  return withSink(tmpDir, { ...options, total: payload.length }, async (sink) => {
    for await (const chunk of payload.chunks()) await sink.write(chunk);
    if (sink.size !== payload.length) {
      throw new PartCopyError(
        'IncompleteBody',
        `the body ended after ${sink.size} of ${payload.length} bytes`,
      );
    }
  });
}

/** Copies `length` bytes at `start` of an open file to a new temporary file, chunk by chunk. */
export async function sinkRange(
  tmpDir: string,
  source: FileHandle,
  start: number,
  length: number,
  options: SinkOptions,
): Promise<SinkResult> {
  return withSink(tmpDir, { ...options, total: length }, (sink) => copyRange(source, start, length, sink));
}

/** Appends `length` bytes at `start` of `source` to `sink`, never holding more than one chunk. */
export async function copyRange(
  source: FileHandle,
  start: number,
  length: number,
  sink: TempSink,
): Promise<void> {
  // Two buffers: the next chunk is read while the current one is hashed and written, so disk
  // reads and writes overlap; never more than two chunks are held.
  const size = Math.min(CHUNK_SIZE, Math.max(length, 1));
  let [current, spare] = [Buffer.allocUnsafe(size), Buffer.allocUnsafe(size)];
  let pending = length > 0 ? readChunk(source, current, start, length) : Promise.resolve(0);
  let done = 0;
  while (done < length) {
    const bytesRead = await pending;
    const next = done + bytesRead;
    pending = next < length ? readChunk(source, spare, start + next, length - next) : Promise.resolve(0);
    try {
      await sink.write(current.subarray(0, bytesRead));
    } catch (error) {
      await pending.catch(() => undefined); // never leave a read running into a buffer we drop
      throw error;
    }
    done = next;
    [current, spare] = [spare, current];
  }
}

// A read started ahead is awaited only after the current write: mark it handled at once so a
// failure meanwhile is not reported as an unhandled rejection (the await still sees it).
function readChunk(source: FileHandle, buffer: Buffer, position: number, remaining: number): Promise<number> {
  const read = source.read(buffer, 0, Math.min(buffer.length, remaining), position).then(({ bytesRead }) => {
    if (bytesRead === 0)
      throw new PartCopyError('InternalError', 'a stored file is shorter than its record says');
    return bytesRead;
  });
  read.catch(() => undefined);
  return read;
}

/** Runs `fill` on a new sink; finishes it on success, discards it on any failure. */
export async function withSink(
  tmpDir: string,
  options: SinkOptions,
  fill: (sink: TempSink) => Promise<void>,
): Promise<SinkResult> {
  const sink = await TempSink.create(tmpDir, options);
  try {
    await fill(sink);
    return await sink.finish();
  } catch (error) {
    await sink.discard();
    throw error;
  }
}
