/**
 * AWS Signature Version 4, checked as S3 checks it: in the Authorization header or in a presigned
 * URL's query. The signature is computed by @smithy/signature-v4 (the signer every AWS SDK for
 * JavaScript uses) over the request as received, and compared in constant time. Nothing here
 * logs or echoes a key or a signature.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { SignatureV4 } from '@smithy/signature-v4';
import type { HttpRequest } from '@smithy/types';
import { AccessKeys, sameSignature } from './access-keys.js';
import { DateHeaderSigner } from './date-header-signer.js';
import { GatewayError } from './gateway-error.js';
import { Sha256Hash } from './sha256-hash.js';

/** One access key the gateway accepts. */
export interface GatewayCredential {
  accessKeyId: string;
  secretAccessKey: string;
  /**
   * A session token this key must be used with (`x-amz-security-token`, or
   * `X-Amz-Security-Token` in a presigned URL), compared in constant time. A key without one
   * refuses any request that carries a token: the gateway issues no temporary credentials, so it
   * has no token it could check.
   */
  sessionToken?: string;
  /**
   * The S3 canonical user id this key acts as (owner of what it creates, grantee of ACLs).
   * Default: `partcopy` for the first key, an id derived from the key id for the others.
   */
  userId?: string;
  /** The user's display name in owners and grants. Default: `partcopy`, or derived from the id. */
  displayName?: string;
  /** The user's e-mail address, for ACL grants by e-mail (`emailAddress="..."`). */
  email?: string;
}

/** What a verified signature establishes, and what signed chunks are checked against. */
export interface VerifiedSignature {
  accessKeyId: string;
  /** The request's signature: the seed of an aws-chunked body's chunk signatures. */
  signature: string;
  /** `x-amz-content-sha256` as signed (a hex digest, UNSIGNED-PAYLOAD or a STREAMING-* mode). */
  payloadHash: string;
  /** Signs a string with this request's key and scope (chunk and trailer signatures). */
  signString(stringToSign: string): Promise<string>;
  /** `yyyymmddThhmmssZ` of the request. */
  longDate: string;
  /** `date/region/s3/aws4_request`. */
  scope: string;
}

export interface SignedRequest {
  method: string;
  rawPath: string;
  /** The decoded path (`/bucket/key`), re-encoded the way SigV4's canonical URI is. */
  path: string;
  query: ReadonlyMap<string, string>;
  headers: IncomingHttpHeaders;
  /** The bucket named by the Host header (virtual-host addressing), which SigV2 signs. */
  virtualHostBucket?: string;
}

const ALGORITHM = 'AWS4-HMAC-SHA256';
const PRESIGN_PARAMS = [
  'X-Amz-Algorithm',
  'X-Amz-Credential',
  'X-Amz-Date',
  'X-Amz-Expires',
  'X-Amz-SignedHeaders',
  'X-Amz-Signature',
];
/** S3 refuses presigned URLs valid longer than 7 days. */
const MAX_PRESIGN_SECONDS = 604_800;

export class SigV4Verifier {
  readonly #keys: AccessKeys;

  constructor(credentials: readonly GatewayCredential[], maxSkewMs = 15 * 60 * 1000) {
    this.#keys = new AccessKeys(credentials, maxSkewMs);
  }

  /** Whether the request carries SigV4 (header or query); anything else is anonymous. */
  static isSigned(request: SignedRequest): boolean {
    return request.headers.authorization !== undefined || request.query.has('X-Amz-Signature');
  }

  async verify(request: SignedRequest, now: Date): Promise<VerifiedSignature> {
    return request.query.has('X-Amz-Signature')
      ? this.#verifyPresigned(request, now)
      : this.#verifyHeader(request, now);
  }

  async #verifyHeader(request: SignedRequest, now: Date): Promise<VerifiedSignature> {
    const auth = parseAuthorization(String(request.headers.authorization));
    // x-amz-date, or else the HTTP Date header, dates the request (S3 accepts either).
    const amzDate = headerValue(request.headers, 'x-amz-date');
    const httpDate = amzDate === undefined ? headerValue(request.headers, 'date') : undefined;
    const longDate = amzDate ?? longDateOfHttpDate(httpDate) ?? '';
    const signingDate = parseLongDate(longDate, 'AuthorizationHeaderMalformed');
    const scope = parseScope(auth.credential, signingDate, 'AuthorizationHeaderMalformed');
    const secret = this.#keys.secretOf(scope.accessKeyId);
    this.#keys.checkToken(scope.accessKeyId, headerValue(request.headers, 'x-amz-security-token'));
    this.#keys.checkSkew(signingDate, now, isoTime);
    const payloadHash = headerValue(request.headers, 'x-amz-content-sha256');
    if (payloadHash === undefined) {
      throw new GatewayError(
        'InvalidRequest',
        'Missing required header for this request: x-amz-content-sha256',
      );
    }
    const signer = signerFor(scope.accessKeyId, secret);
    const options = {
      signingDate,
      signingRegion: scope.region,
      signingService: 's3',
      signableHeaders: new Set(auth.signedHeaders),
    };
    const byDateHeader = httpDate !== undefined && auth.signedHeaders.includes('date');
    let matched = false;
    for (const path of canonicalPathCandidates(request)) {
      const computed = byDateHeader
        ? await dateHeaderSignerFor(scope.accessKeyId, secret).signatureOf(
            httpRequest(request, path, auth.signedHeaders, false),
            options.signableHeaders,
            payloadHash,
            signingDate,
            scope.region,
          )
        : signatureOfSigned(
            await signer.sign(httpRequest(request, path, auth.signedHeaders, false), options),
          );
      if (sameSignature(computed, auth.signature)) {
        matched = true;
        break;
      }
    }
    if (!matched) throw signatureMismatch();
    return verified(signer, scope, auth.signature, payloadHash, longDate);
  }

  async #verifyPresigned(request: SignedRequest, now: Date): Promise<VerifiedSignature> {
    const q = request.query;
    for (const name of PRESIGN_PARAMS) {
      if (!q.has(name)) {
        throw new GatewayError(
          'AuthorizationQueryParametersError',
          `Query-string authentication version 4 requires the ${PRESIGN_PARAMS.slice(0, 5).join(', ')} and X-Amz-Signature parameters.`,
        );
      }
    }
    if (q.get('X-Amz-Algorithm') !== ALGORITHM) {
      throw new GatewayError(
        'AuthorizationQueryParametersError',
        `X-Amz-Algorithm only supports "${ALGORITHM}"`,
      );
    }
    const longDate = q.get('X-Amz-Date') ?? '';
    const signingDate = parseLongDate(longDate, 'AuthorizationQueryParametersError');
    const scope = parseScope(
      q.get('X-Amz-Credential') ?? '',
      signingDate,
      'AuthorizationQueryParametersError',
    );
    const secret = this.#keys.secretOf(scope.accessKeyId);
    const token = q.get('X-Amz-Security-Token');
    this.#keys.checkToken(scope.accessKeyId, token);
    const expires = Number(q.get('X-Amz-Expires'));
    if (!Number.isInteger(expires) || expires < 0 || expires > MAX_PRESIGN_SECONDS) {
      throw new GatewayError(
        'AuthorizationQueryParametersError',
        'X-Amz-Expires must be a whole number of seconds from 0 to 604800 (seven days).',
      );
    }
    if (signingDate.getTime() - now.getTime() > this.#keys.maxSkewMs)
      this.#keys.checkSkew(signingDate, now, isoTime);
    if (now.getTime() > signingDate.getTime() + expires * 1000) {
      throw new GatewayError('AccessDenied', 'Request has expired', {
        'X-Amz-Expires': String(expires),
        Expires: new Date(signingDate.getTime() + expires * 1000).toISOString(),
        ServerTime: now.toISOString(),
      });
    }
    const signedHeaders = (q.get('X-Amz-SignedHeaders') ?? '').split(';').filter((h) => h !== '');
    // The signer puts the token back into the query it signs, where the client had it.
    const signer = signerFor(scope.accessKeyId, secret, token);
    const given = q.get('X-Amz-Signature') ?? '';
    for (const path of canonicalPathCandidates(request)) {
      const presigned = await signer.presign(httpRequest(request, path, signedHeaders, true), {
        signingDate,
        expiresIn: expires,
        signingRegion: scope.region,
        signingService: 's3',
        signableHeaders: new Set(signedHeaders),
        unhoistableHeaders: new Set(signedHeaders),
      });
      if (sameSignature(String(presigned.query?.['X-Amz-Signature'] ?? ''), given)) {
        return verified(signer, scope, given, 'UNSIGNED-PAYLOAD', longDate);
      }
    }
    throw signatureMismatch();
  }

  /**
   * A browser POST's signature: the HMAC of its base64 policy with the signing key of its
   * credential and date (fields named in lower case). Returns the access key that signed it.
   */
  async verifyPostSignature(fields: ReadonlyMap<string, string>): Promise<string> {
    if (fields.get('x-amz-algorithm') !== ALGORITHM) {
      throw new GatewayError('InvalidArgument', `x-amz-algorithm only supports "${ALGORITHM}"`, {
        ArgumentName: 'x-amz-algorithm',
      });
    }
    const signingDate = parseLongDate(fields.get('x-amz-date') ?? '', 'AuthorizationQueryParametersError');
    const scope = parseScope(
      fields.get('x-amz-credential') ?? '',
      signingDate,
      'AuthorizationQueryParametersError',
    );
    const secret = this.#keys.secretOf(scope.accessKeyId);
    this.#keys.checkToken(scope.accessKeyId, fields.get('x-amz-security-token'));
    const computed = await signerFor(scope.accessKeyId, secret).sign(fields.get('policy') ?? '', {
      signingDate,
      signingRegion: scope.region,
      signingService: 's3',
    });
    if (!sameSignature(computed, fields.get('x-amz-signature') ?? '')) throw signatureMismatch();
    return scope.accessKeyId;
  }
}

function verified(
  signer: SignatureV4,
  scope: { accessKeyId: string; date: string; region: string },
  signature: string,
  payloadHash: string,
  longDate: string,
): VerifiedSignature {
  const signingDate = parseLongDate(longDate, 'AuthorizationHeaderMalformed');
  return {
    accessKeyId: scope.accessKeyId,
    signature,
    payloadHash,
    longDate,
    scope: `${scope.date}/${scope.region}/s3/aws4_request`,
    signString: (text) =>
      signer.sign(text, { signingDate, signingRegion: scope.region, signingService: 's3' }),
  };
}

function signerFor(accessKeyId: string, secretAccessKey: string, sessionToken?: string): SignatureV4 {
  return new SignatureV4({
    credentials: { accessKeyId, secretAccessKey, ...(sessionToken === undefined ? {} : { sessionToken }) },
    region: 'us-east-1',
    service: 's3',
    sha256: Sha256Hash,
    uriEscapePath: false,
    applyChecksum: false,
  });
}

function dateHeaderSignerFor(accessKeyId: string, secretAccessKey: string): DateHeaderSigner {
  return new DateHeaderSigner({
    credentials: { accessKeyId, secretAccessKey },
    region: 'us-east-1',
    service: 's3',
    sha256: Sha256Hash,
    uriEscapePath: false,
    applyChecksum: false,
  });
}

function signatureOfSigned(signed: HttpRequest): string {
  return /Signature=([0-9a-f]+)/.exec(String(signed.headers.authorization))?.[1] ?? '';
}

// `Date: Sun, 06 Nov 1994 08:49:37 GMT` as SigV4's `yyyymmddThhmmssZ`, or undefined if unreadable.
function longDateOfHttpDate(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  const time = Date.parse(text);
  if (Number.isNaN(time)) return undefined;
  return new Date(time)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

// The request as the client signed it: only its signed headers, the query without the
// signature, and a body that makes the signer use the header's (or presigning's UNSIGNED-PAYLOAD)
// payload hash instead of hashing anything itself.
function httpRequest(
  request: SignedRequest,
  path: string,
  signedHeaders: readonly string[],
  presigned: boolean,
): HttpRequest {
  const headers: Record<string, string> = {};
  for (const name of signedHeaders) {
    if (!presigned && (name === 'authorization' || name === 'x-amz-date')) continue;
    headers[name] = signedHeaderText(headerValue(request.headers, name) ?? '');
  }
  const query: Record<string, string> = {};
  for (const [name, value] of request.query) {
    if (presigned && PRESIGN_PARAMS.includes(name)) continue;
    if (presigned && name === 'X-Amz-Security-Token') continue;
    query[name] = value;
  }
  return {
    method: request.method,
    protocol: 'http:',
    hostname: headerValue(request.headers, 'host') ?? '',
    path,
    query,
    headers,
    body: presigned ? { unsigned: true } : undefined,
  } as HttpRequest;
}

// Clients sign the canonical URI: each segment of the decoded path, URI-encoded. Some encode
// what they send differently from that; the path exactly as sent is the second candidate.
function canonicalPathCandidates(request: SignedRequest): string[] {
  const encoded = request.path.split('/').map(escapeUri).join('/');
  return encoded === request.rawPath ? [encoded] : [encoded, request.rawPath];
}

function escapeUri(segment: string): string {
  return encodeURIComponent(segment).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

function parseAuthorization(header: string): {
  credential: string;
  signedHeaders: string[];
  signature: string;
} {
  if (!header.startsWith(`${ALGORITHM} `)) {
    throw new GatewayError(
      'AuthorizationHeaderMalformed',
      `The authorization header is malformed; only the ${ALGORITHM} algorithm is supported.`,
    );
  }
  const fields = new Map<string, string>();
  for (const part of header.slice(ALGORITHM.length + 1).split(',')) {
    const equals = part.indexOf('=');
    if (equals > 0) fields.set(part.slice(0, equals).trim(), part.slice(equals + 1).trim());
  }
  const credential = fields.get('Credential');
  const signedHeaders = fields.get('SignedHeaders');
  const signature = fields.get('Signature');
  if (!credential || !signedHeaders || !signature) {
    throw new GatewayError(
      'AuthorizationHeaderMalformed',
      'The authorization header is malformed; it needs Credential, SignedHeaders and Signature.',
    );
  }
  return { credential, signedHeaders: signedHeaders.split(';'), signature };
}

function parseScope(
  credential: string,
  signingDate: Date,
  code: 'AuthorizationHeaderMalformed' | 'AuthorizationQueryParametersError',
): { accessKeyId: string; date: string; region: string } {
  const parts = credential.split('/');
  const [accessKeyId, date, region, service, terminator] = parts;
  if (
    parts.length !== 5 ||
    !accessKeyId ||
    !date ||
    !region ||
    service !== 's3' ||
    terminator !== 'aws4_request'
  ) {
    throw new GatewayError(
      code,
      'The credential is malformed; expected "<key>/<yyyymmdd>/<region>/s3/aws4_request".',
    );
  }
  if (date !== signingDate.toISOString().slice(0, 10).replaceAll('-', '')) {
    throw new GatewayError(code, 'The credential date does not match the request date.');
  }
  return { accessKeyId, date, region };
}

function parseLongDate(
  text: string,
  code: 'AuthorizationHeaderMalformed' | 'AuthorizationQueryParametersError',
): Date {
  const match = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(text);
  if (!match) {
    throw new GatewayError(
      code === 'AuthorizationHeaderMalformed' ? 'AccessDenied' : code,
      'AWS authentication requires a valid X-Amz-Date (yyyyMMddTHHmmssZ).',
    );
  }
  const [, y, mo, d, h, mi, s] = match;
  return new Date(`${y}-${mo}-${d}T${h}:${mi}:${s}Z`);
}

/** Constant-time comparison of two hex signatures (a length difference is a mismatch too). */

function signatureMismatch(): GatewayError {
  return new GatewayError(
    'SignatureDoesNotMatch',
    'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
  );
}

/**
 * A header value as the client signed it. Node reads header bytes as Latin-1; clients sign the
 * text and send it as UTF-8 (botocore sends `é` as C3 A9), so bytes that are valid UTF-8 are read
 * as UTF-8. A Latin-1 byte on its own is not valid UTF-8 and stays as it was.
 */
export function signedHeaderText(value: string): string {
  if (!/[^ -~\t]/.test(value)) return value;
  const bytes = Buffer.from(value, 'latin1');
  const text = bytes.toString('utf8');
  return Buffer.from(text, 'utf8').equals(bytes) ? text : value;
}

export function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  if (value === undefined) return undefined;
  return Array.isArray(value) ? value.join(',') : value;
}

const isoTime = (date: Date) => date.toISOString();
