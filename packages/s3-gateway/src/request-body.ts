/**
 * A request's payload as the store receives it: streamed, never held whole. Decodes aws-chunked
 * bodies, and checks at the end what can only be checked at the end (the signed SHA-256, the
 * length, a trailing checksum) by failing the last read, so the store never publishes a body
 * that did not verify.
 */

import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { ChecksumAlgorithm } from '@partcopy/core';
import { createChecksummer } from '@partcopy/core/provider';
import { decodeAwsChunked } from './aws-chunked-decoder.js';
import { GatewayError } from './gateway-error.js';
import { checksumAlgorithm } from './object-headers.js';
import { headerValue, type VerifiedSignature } from './sigv4-verifier.js';

export interface IncomingPayload {
  body: AsyncIterable<Uint8Array>;
  /** The payload's length (decoded, for aws-chunked). */
  length: number;
  /** The algorithm of a trailing checksum the client announced, for the store to record. */
  trailerChecksum?: ChecksumAlgorithm;
}

const STREAMING_SIGNED = 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD';
const STREAMING_SIGNED_TRAILER = 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER';
const STREAMING_UNSIGNED_TRAILER = 'STREAMING-UNSIGNED-PAYLOAD-TRAILER';
const STATED_ALGORITHMS: readonly ChecksumAlgorithm[] = ['CRC32', 'CRC32C', 'CRC64NVME', 'SHA1', 'SHA256'];

/** The payload of a PUT or UploadPart. */
export function incomingPayload(
  req: IncomingMessage,
  signature: VerifiedSignature | undefined,
): IncomingPayload {
  const contentSha = headerValue(req.headers, 'x-amz-content-sha256');
  const encoding = headerValue(req.headers, 'content-encoding') ?? '';
  // aws-chunked framing is announced by a streaming x-amz-content-sha256, or by the encoding with
  // the decoded length it needs; `Content-Encoding: aws-chunked` alone on a plain body (a client
  // setting the header) is only a header, as S3 reads it.
  const chunked =
    contentSha?.startsWith('STREAMING-') === true ||
    (/(^|,)\s*aws-chunked\s*(,|$)/.test(encoding) &&
      headerValue(req.headers, 'x-amz-decoded-content-length') !== undefined);
  const payload = chunked ? chunkedPayload(req, contentSha, signature) : plainPayload(req, contentSha);
  // A checksum stated in a header is checked here as a trailing one is: the store records what
  // the client stated (S3 answers it back), so a stated value must be the body's.
  const stated = statedChecksum(req);
  if (stated === undefined) return payload;
  return { ...payload, body: checksumChecked(payload.body, stated.algorithm, () => stated.value) };
}

function statedChecksum(req: IncomingMessage): { algorithm: ChecksumAlgorithm; value: string } | undefined {
  for (const algorithm of STATED_ALGORITHMS) {
    const value = headerValue(req.headers, `x-amz-checksum-${algorithm.toLowerCase()}`);
    if (value !== undefined) return { algorithm, value };
  }
  return undefined;
}

function plainPayload(req: IncomingMessage, contentSha: string | undefined): IncomingPayload {
  const length = contentLength(headerValue(req.headers, 'content-length'));
  const expectedSha = contentSha !== undefined && /^[0-9a-f]{64}$/.test(contentSha) ? contentSha : undefined;
  return { body: checkedBody(req, length, expectedSha), length };
}

function chunkedPayload(
  req: IncomingMessage,
  contentSha: string | undefined,
  signature: VerifiedSignature | undefined,
): IncomingPayload {
  const length = contentLength(headerValue(req.headers, 'x-amz-decoded-content-length'));
  const signed = contentSha === STREAMING_SIGNED || contentSha === STREAMING_SIGNED_TRAILER;
  if (signed && signature === undefined) {
    throw new GatewayError('AccessDenied', 'A signed streaming upload needs a signed request.');
  }
  if (contentSha?.startsWith('STREAMING-') && !signed && contentSha !== STREAMING_UNSIGNED_TRAILER) {
    throw new GatewayError(
      'InvalidArgument',
      `x-amz-content-sha256 "${contentSha}" is not a streaming mode S3 knows.`,
    );
  }
  const trailerName = headerValue(req.headers, 'x-amz-trailer');
  const trailer = trailerName !== undefined || contentSha?.endsWith('-TRAILER') === true;
  const algorithm = trailerName === undefined ? undefined : checksumAlgorithm(trailerName);
  let trailers: ReadonlyMap<string, string> = new Map();
  const decoded = decodeAwsChunked(req, {
    signing:
      signed && signature
        ? {
            signString: signature.signString,
            seedSignature: signature.signature,
            longDate: signature.longDate,
            scope: signature.scope,
          }
        : undefined,
    trailer,
    onTrailers: (read) => {
      trailers = read;
    },
  });
  const body = checksumChecked(checkedBody(decoded, length, undefined), algorithm, () =>
    trailers.get(`x-amz-checksum-${algorithm?.toLowerCase()}`),
  );
  return { body, length, ...(algorithm === undefined ? {} : { trailerChecksum: algorithm }) };
}

function contentLength(text: string | undefined): number {
  if (text === undefined) {
    throw new GatewayError('MissingContentLength', 'You must provide the Content-Length HTTP header.');
  }
  const length = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(length)) {
    throw new GatewayError('InvalidArgument', 'The Content-Length is not a non-negative integer.');
  }
  return length;
}

// Counts (and hashes, when a SHA-256 was signed) the bytes as they pass.
async function* checkedBody(
  source: AsyncIterable<Uint8Array>,
  length: number,
  expectedSha: string | undefined,
): AsyncGenerator<Uint8Array> {
  const hash = expectedSha === undefined ? undefined : createHash('sha256');
  let seen = 0;
  for await (const chunk of source) {
    seen += chunk.byteLength;
    if (seen > length)
      throw new GatewayError('IncompleteBody', 'The request body is longer than its stated length.');
    hash?.update(chunk);
    // The last chunk waits until the digest is checked, so the store sees the end only if it matches.
    if (seen === length && hash && hash.digest('hex') !== expectedSha) throw shaMismatch();
    yield chunk;
  }
  if (seen < length) {
    throw new GatewayError(
      'IncompleteBody',
      'You did not provide the number of bytes specified by the Content-Length HTTP header.',
    );
  }
  if (length === 0 && hash && hash.digest('hex') !== expectedSha) throw shaMismatch();
}

/** Checks the body against a checksum stated in a header or (read when the body ended) a trailer. */
async function* checksumChecked(
  source: AsyncIterable<Uint8Array>,
  algorithm: ChecksumAlgorithm | undefined,
  statedValue: () => string | undefined,
): AsyncGenerator<Uint8Array> {
  const checksummer = algorithm === undefined ? undefined : createChecksummer(algorithm);
  for await (const chunk of source) {
    checksummer?.update(chunk);
    yield chunk;
  }
  if (algorithm === undefined || checksummer === undefined) return;
  const stated = statedValue();
  if (stated === undefined) {
    throw new GatewayError(
      'InvalidRequest',
      `The trailing x-amz-checksum-${algorithm.toLowerCase()} header is missing.`,
    );
  }
  if (stated !== checksummer.digestBase64()) {
    throw new GatewayError(
      'BadDigest',
      `The ${algorithm} you specified did not match the calculated checksum.`,
    );
  }
}

function shaMismatch(): GatewayError {
  return new GatewayError(
    'XAmzContentSHA256Mismatch',
    "The provided 'x-amz-content-sha256' header does not match what was computed.",
  );
}
