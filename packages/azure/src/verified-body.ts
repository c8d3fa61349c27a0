/**
 * A putObject body with S3's Content-MD5 check. In-memory bodies are checked before anything is
 * sent. Streamed bodies are hashed as they go and the last chunk is held back until the digest
 * is known: on a mismatch the request body fails short of its Content-Length, so Azure stores
 * nothing.
 */
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { checkContentMD5, type ErrorContext, type Payload } from '@partcopy/core/provider';

export function verifiedBody(
  body: Payload,
  contentMD5: string | undefined,
  context: ErrorContext,
): Uint8Array | (() => Readable) {
  if (body.bytes) {
    check(createHash('md5').update(body.bytes).digest('base64'), contentMD5, context);
    return body.bytes;
  }
  if (contentMD5 === undefined) return () => Readable.from(body.chunks());
  return () => Readable.from(heldBack(body.chunks(), contentMD5, context));
}

async function* heldBack(
  chunks: AsyncIterable<Uint8Array>,
  contentMD5: string,
  context: ErrorContext,
): AsyncGenerator<Uint8Array> {
  const hash = createHash('md5');
  let previous: Uint8Array | undefined;
  for await (const chunk of chunks) {
    hash.update(chunk);
    if (previous) yield previous;
    previous = chunk;
  }
  check(hash.digest('base64'), contentMD5, context);
  if (previous) yield previous;
}

function check(actual: string, expected: string | undefined, context: ErrorContext): void {
  checkContentMD5(expected, actual, context);
}
