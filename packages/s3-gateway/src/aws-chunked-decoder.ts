/**
 * The aws-chunked body encoding (`Content-Encoding: aws-chunked`), decoded as it streams in:
 * `<hex size>[;chunk-signature=<sig>]\r\n<data>\r\n` ... a zero-size chunk, then optional
 * trailing headers (`x-amz-checksum-crc32:...`, `x-amz-trailer-signature:...`). Signed chunks are
 * checked one by one against the request's seed signature before their bytes go on; a bad
 * signature ends the body with an error, so the store never publishes the object.
 */

import { sameSignature } from './access-keys.js';
import { GatewayError } from './gateway-error.js';
import { sha256Hex } from './sha256-hash.js';

/** How the chunks are signed: each chunk and the trailer (`signed`), or not at all. */
export interface ChunkSigning {
  signString(stringToSign: string): Promise<string>;
  seedSignature: string;
  longDate: string;
  scope: string;
}

export interface ChunkedOptions {
  /** Present for STREAMING-AWS4-HMAC-SHA256-PAYLOAD[-TRAILER]. */
  signing?: ChunkSigning | undefined;
  /** Whether trailing headers follow the last chunk. */
  trailer: boolean;
  /** Called with the trailing headers once they are read and (when signed) verified. */
  onTrailers(trailers: ReadonlyMap<string, string>): void;
}

const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
/** A signed chunk is held until its signature is checked; S3 clients send 64 KiB to 8 MiB. */
const MAX_SIGNED_CHUNK = 16 * 1024 * 1024;
const MAX_LINE = 4096;

/** Decodes an aws-chunked body into its payload bytes. */
export async function* decodeAwsChunked(
  source: AsyncIterable<Uint8Array>,
  options: ChunkedOptions,
): AsyncGenerator<Uint8Array> {
  const reader = new ByteReader(source);
  let previous = options.signing?.seedSignature ?? '';
  let finalSignature = '';
  for (;;) {
    const header = await reader.line();
    const { size, signature } = parseChunkHeader(header, options.signing !== undefined);
    if (size === 0) {
      finalSignature = signature;
      break;
    }
    if (options.signing) {
      if (size > MAX_SIGNED_CHUNK) throw malformedChunk('a signed chunk is larger than 16 MiB');
      const data = await reader.exactly(size);
      previous = await checkChunk(options.signing, previous, signature, sha256Hex(data));
      yield data;
    } else {
      yield* reader.stream(size);
    }
    if ((await reader.line()) !== '') throw malformedChunk('chunk data is not followed by CRLF');
  }
  // The final zero-size chunk is signed like any other; a trailer's signature follows from it.
  if (options.signing) previous = await checkChunk(options.signing, previous, finalSignature, EMPTY_SHA256);
  // After the zero-size chunk: trailing headers (if any), then an empty line.
  const trailers = await readTrailers(reader);
  if (options.signing && options.trailer) await checkTrailer(options.signing, previous, trailers);
  options.onTrailers(trailers);
  await reader.expectEnd();
}

function parseChunkHeader(line: string, signed: boolean): { size: number; signature: string } {
  const [sizeText = '', ...extensions] = line.split(';');
  if (!/^[0-9a-fA-F]{1,16}$/.test(sizeText)) throw malformedChunk('a chunk size is not hexadecimal');
  const size = Number.parseInt(sizeText, 16);
  const signature =
    extensions.find((e) => e.startsWith('chunk-signature='))?.slice('chunk-signature='.length) ?? '';
  if (signed && signature === '') throw malformedChunk('a signed chunk has no chunk-signature');
  return { size, signature };
}

async function checkChunk(
  signing: ChunkSigning,
  previous: string,
  given: string,
  dataHash: string,
): Promise<string> {
  const expected = await signing.signString(
    ['AWS4-HMAC-SHA256-PAYLOAD', signing.longDate, signing.scope, previous, EMPTY_SHA256, dataHash].join(
      '\n',
    ),
  );
  if (!sameSignature(expected, given)) throw chunkSignatureMismatch();
  return given;
}

async function checkTrailer(
  signing: ChunkSigning,
  afterLast: string,
  trailers: Map<string, string>,
): Promise<void> {
  const given = trailers.get('x-amz-trailer-signature') ?? '';
  trailers.delete('x-amz-trailer-signature');
  const canonical = [...trailers].map(([name, value]) => `${name}:${value}\n`).join('');
  const expected = await signing.signString(
    ['AWS4-HMAC-SHA256-TRAILER', signing.longDate, signing.scope, afterLast, sha256Hex(canonical)].join('\n'),
  );
  if (!sameSignature(expected, given)) throw chunkSignatureMismatch();
}

async function readTrailers(reader: ByteReader): Promise<Map<string, string>> {
  const trailers = new Map<string, string>();
  for (;;) {
    const line = await reader.line(true);
    if (line === '' || line === undefined) return trailers;
    const colon = line.indexOf(':');
    if (colon <= 0) throw malformedChunk('a trailing header has no name');
    trailers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
}

function malformedChunk(why: string): GatewayError {
  return new GatewayError('IncompleteBody', `The aws-chunked request body is malformed: ${why}.`);
}

function chunkSignatureMismatch(): GatewayError {
  return new GatewayError(
    'SignatureDoesNotMatch',
    'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
  );
}

/** Reads lines and byte runs from a stream of buffers, holding only what it has not handed out. */
class ByteReader {
  readonly #iterator: AsyncIterator<Uint8Array>;
  #buffer: Buffer = Buffer.alloc(0);
  #done = false;

  constructor(source: AsyncIterable<Uint8Array>) {
    this.#iterator = source[Symbol.asyncIterator]();
  }

  async #fill(): Promise<boolean> {
    if (this.#done) return false;
    const next = await this.#iterator.next();
    if (next.done) {
      this.#done = true;
      return false;
    }
    this.#buffer =
      this.#buffer.length === 0 ? Buffer.from(next.value) : Buffer.concat([this.#buffer, next.value]);
    return true;
  }

  /** The next CRLF-terminated line without its CRLF; `undefined` at a clean end when `endOk`. */
  async line(endOk = false): Promise<string> {
    for (;;) {
      const end = this.#buffer.indexOf('\r\n');
      if (end !== -1) {
        const text = this.#buffer.subarray(0, end).toString('latin1');
        this.#buffer = this.#buffer.subarray(end + 2);
        return text;
      }
      if (this.#buffer.length > MAX_LINE) throw malformedChunk('a chunk header line is too long');
      if (!(await this.#fill())) {
        if (endOk && this.#buffer.length === 0) return '';
        throw new GatewayError(
          'IncompleteBody',
          'You did not provide the number of bytes specified by the Content-Length HTTP header.',
        );
      }
    }
  }

  async exactly(size: number): Promise<Buffer> {
    while (this.#buffer.length < size) {
      if (!(await this.#fill())) throw incomplete();
    }
    const data = this.#buffer.subarray(0, size);
    this.#buffer = this.#buffer.subarray(size);
    return data;
  }

  async *stream(size: number): AsyncGenerator<Uint8Array> {
    let left = size;
    while (left > 0) {
      if (this.#buffer.length === 0 && !(await this.#fill())) throw incomplete();
      const take = Math.min(left, this.#buffer.length);
      const data = this.#buffer.subarray(0, take);
      this.#buffer = this.#buffer.subarray(take);
      left -= take;
      yield data;
    }
  }

  async expectEnd(): Promise<void> {
    while (this.#buffer.length === 0 && (await this.#fill())) {
      // keep reading until data or the end
    }
    if (this.#buffer.length > 0) throw malformedChunk('data follows the last chunk');
  }
}

function incomplete(): GatewayError {
  return new GatewayError(
    'IncompleteBody',
    'You did not provide the number of bytes specified by the Content-Length HTTP header.',
  );
}
