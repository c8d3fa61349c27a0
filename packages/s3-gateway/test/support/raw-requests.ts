/**
 * Requests an SDK would not send: hand-signed aws-chunked bodies (signed chunks, a trailer),
 * requests with a chosen Host header, partial bodies. Signatures are computed with the same
 * @smithy/signature-v4 signer the AWS SDK uses, so the gateway is checked against the reference.
 */
import { createHash } from 'node:crypto';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { SignatureV4 } from '@smithy/signature-v4';
import { Sha256Hash } from '../../src/sha256-hash.js';
import { ACCESS_KEY, SECRET_KEY } from './gateway-harness.js';

export interface RawAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/** Sends one request and reads the whole answer. */
export function send(
  url: string,
  options: { method: string; path: string; headers?: Record<string, string>; body?: Uint8Array | string },
): Promise<RawAnswer> {
  const target = new URL(url);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: target.hostname,
        port: target.port,
        method: options.method,
        path: options.path,
        headers: options.headers ?? {},
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

/** The `<Code>` of an S3 error document. */
export function errorCode(body: string): string | undefined {
  return /<Code>([^<]+)<\/Code>/.exec(body)?.[1];
}

const signer = (secret = SECRET_KEY) =>
  new SignatureV4({
    credentials: { accessKeyId: ACCESS_KEY, secretAccessKey: secret },
    region: 'us-east-1',
    service: 's3',
    sha256: Sha256Hash,
    uriEscapePath: false,
  });

const EMPTY = createHash('sha256').update('').digest('hex');
const sha = (data: Uint8Array | string) => createHash('sha256').update(data).digest('hex');

/**
 * A PUT with an aws-chunked body whose chunks are signed (STREAMING-AWS4-HMAC-SHA256-PAYLOAD),
 * optionally with a signed trailing checksum. `tamper` changes one byte of the second chunk
 * after signing.
 */
export async function signedChunkedPut(
  url: string,
  path: string,
  chunks: readonly Uint8Array[],
  options: { trailer?: { name: string; value: string }; tamper?: boolean; secret?: string } = {},
): Promise<RawAnswer> {
  const target = new URL(url);
  const date = new Date();
  const s = signer(options.secret);
  const decodedLength = chunks.reduce((n, c) => n + c.length, 0);
  const mode = options.trailer
    ? 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER'
    : 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD';
  const headers: Record<string, string> = {
    host: target.host,
    'x-amz-content-sha256': mode,
    'x-amz-decoded-content-length': String(decodedLength),
    'content-encoding': 'aws-chunked',
    ...(options.trailer ? { 'x-amz-trailer': options.trailer.name } : {}),
  };
  const signed = await s.sign(
    {
      method: 'PUT',
      protocol: 'http:',
      hostname: target.hostname,
      port: Number(target.port),
      path,
      query: {},
      headers,
    },
    { signingDate: date },
  );
  const authorization = String(signed.headers.authorization);
  const longDate = String(signed.headers['x-amz-date']);
  const seed = /Signature=([0-9a-f]+)/.exec(authorization)?.[1] as string;
  const scope = `${longDate.slice(0, 8)}/us-east-1/s3/aws4_request`;
  const parts: Buffer[] = [];
  let previous = seed;
  for (const chunk of [...chunks, new Uint8Array()]) {
    const signature = await s.sign(
      ['AWS4-HMAC-SHA256-PAYLOAD', longDate, scope, previous, EMPTY, sha(chunk)].join('\n'),
      { signingDate: date },
    );
    previous = signature;
    const data = Buffer.from(chunk);
    if (options.tamper && parts.length === 3) data[0] = (data[0] ?? 0) ^ 1;
    parts.push(
      Buffer.from(`${chunk.length.toString(16)};chunk-signature=${signature}\r\n`),
      data,
      Buffer.from('\r\n'),
    );
  }
  // The zero-size chunk ended with its CRLF above; a trailer replaces that CRLF.
  if (options.trailer) {
    parts.pop();
    const canonical = `${options.trailer.name}:${options.trailer.value}\n`;
    const trailerSignature = await s.sign(
      ['AWS4-HMAC-SHA256-TRAILER', longDate, scope, previous, sha(canonical)].join('\n'),
      {
        signingDate: date,
      },
    );
    parts.push(
      Buffer.from(
        `${options.trailer.name}:${options.trailer.value}\r\nx-amz-trailer-signature:${trailerSignature}\r\n\r\n`,
      ),
    );
  }
  const body = Buffer.concat(parts);
  return send(url, {
    method: 'PUT',
    path,
    headers: { ...headers, 'x-amz-date': longDate, authorization, 'content-length': String(body.length) },
    body,
  });
}

/** A bodiless request signed with SigV4 (UNSIGNED-PAYLOAD), carrying headers an SDK would not send. */
export async function signedRequest(
  url: string,
  method: string,
  path: string,
  headers: Record<string, string> = {},
): Promise<RawAnswer> {
  const target = new URL(url);
  const all = { host: target.host, 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD', ...headers };
  const signed = await signer().sign({
    method,
    protocol: 'http:',
    hostname: target.hostname,
    port: Number(target.port),
    path,
    query: {},
    headers: all,
  });
  return send(url, { method, path, headers: signed.headers as Record<string, string> });
}
