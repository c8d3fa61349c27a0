import { createHash, randomBytes } from 'node:crypto';
import { PartCopyError } from '@partcopy/core/provider';
import type { GcsObjectSettings } from './gcs-object-resource.js';

/** A multipart/related upload body, streamed: metadata first, then the bytes. */
export interface UploadBody {
  stream: ReadableStream<Uint8Array>;
  headers: Record<string, string>;
  /** Hex MD5 of the bytes, known once the stream has been read to the end. */
  md5(): string;
}

export interface UploadBodyOptions {
  resource: GcsObjectSettings & { name: string; md5Hash?: string };
  chunks: AsyncIterable<Uint8Array>;
  /** Exact byte count; the stream fails if the source delivers another. */
  length: number;
  onBytes?: (done: number) => void;
  /** Hash the bytes (default); off when the caller checks their MD5 itself (`md5()` then throws). */
  hash?: boolean;
}

/**
 * Builds a single-request multipart upload (JSON API `uploadType=multipart`) that streams the
 * bytes instead of buffering them, hashing them on the way so the part's MD5 can be checked
 * against what GCS stored. https://cloud.google.com/storage/docs/uploading-objects#uploading-an-object
 */
export function multipartUploadBody(options: UploadBodyOptions): UploadBody {
  const boundary = `partcopy-${randomBytes(12).toString('hex')}`;
  const encoder = new TextEncoder();
  // The media part repeats the content type (some servers read it there); line breaks would
  // end the part header early, so they never reach it (the JSON metadata keeps the value).
  const contentType = (options.resource.contentType ?? 'application/octet-stream').replace(/[\r\n]/g, ' ');
  const head = encoder.encode(
    `--${boundary}\r\ncontent-type: application/json; charset=UTF-8\r\n\r\n${JSON.stringify(options.resource)}\r\n` +
      `--${boundary}\r\ncontent-type: ${contentType}\r\n\r\n`,
  );
  const tail = encoder.encode(`\r\n--${boundary}--\r\n`);
  const hash = options.hash === false ? undefined : createHash('md5');
  let digest: string | undefined;

  async function* generate(): AsyncGenerator<Uint8Array> {
    yield head;
    let seen = 0;
    for await (const chunk of options.chunks) {
      seen += chunk.length;
      if (seen > options.length)
        throw new PartCopyError(
          'IncompleteBody',
          `the body is longer than the expected ${options.length} bytes`,
        );
      hash?.update(chunk);
      options.onBytes?.(seen);
      yield chunk;
    }
    if (seen !== options.length)
      throw new PartCopyError('IncompleteBody', `the body ended after ${seen} of ${options.length} bytes`);
    digest = hash?.digest('hex');
    yield tail;
  }

  return {
    stream: ReadableStream.from(generate()),
    headers: {
      'content-type': `multipart/related; boundary=${boundary}`,
      'content-length': String(head.length + options.length + tail.length),
    },
    md5() {
      if (digest === undefined) throw new Error('the upload body was not read to the end, or not hashed');
      return digest;
    },
  };
}

/** Bytes already in memory as the chunk stream an upload reads. */
export async function* singleChunk(bytes: Uint8Array): AsyncGenerator<Uint8Array> {
  if (bytes.length > 0) yield bytes;
}
