/**
 * AWS Signature Version 2, checked as S3 checks it: `Authorization: AWS key:signature` in the
 * header, or `AWSAccessKeyId`, `Expires` and `Signature` in a presigned URL's query. The
 * signature is the base64 HMAC-SHA1 of S3's string to sign (method, Content-MD5, Content-Type,
 * date or expiry, the x-amz-* headers, the canonical resource), compared in constant time.
 *
 * Written here because no well-kept library verifies SigV2 on the server side: the AWS SDKs
 * only sign (botocore's HmacV1Auth, the v2 Java SDK's legacy signer), and @smithy/signature-v4
 * knows only version 4. The HMAC itself is node:crypto's. Nothing here logs or echoes a key or a
 * signature.
 */
import { createHmac } from 'node:crypto';
import { AccessKeys, sameSignature } from './access-keys.js';
import { GatewayError } from './gateway-error.js';
import {
  type GatewayCredential,
  headerValue,
  type SignedRequest,
  signedHeaderText,
  type VerifiedSignature,
} from './sigv4-verifier.js';

/**
 * Sub-resources S3's documentation puts into the canonical resource, with their values
 * (`?acl`, `?uploadId=...`, the `response-*` overrides).
 */
const DOCUMENTED_SUBRESOURCES = new Set([
  'acl',
  'cors',
  'delete',
  'lifecycle',
  'location',
  'logging',
  'notification',
  'partNumber',
  'policy',
  'requestPayment',
  'response-cache-control',
  'response-content-disposition',
  'response-content-encoding',
  'response-content-language',
  'response-content-type',
  'response-expires',
  'restore',
  'tagging',
  'torrent',
  'uploadId',
  'uploads',
  'versionId',
  'versioning',
  'versions',
  'website',
]);

/**
 * Sub-resources newer than SigV2 that some signers include and others leave out (botocore signs
 * `object-lock` and `select`, MinIO's signer `encryption` and `retention`): both readings are
 * tried, so either signer's requests verify.
 */
const LATER_SUBRESOURCES = new Set([
  'accelerate',
  'analytics',
  'encryption',
  'inventory',
  'legal-hold',
  'metrics',
  'object-lock',
  'replication',
  'retention',
  'select',
  'select-type',
  'storageClass',
]);

const PRESIGN_PARAMS = ['AWSAccessKeyId', 'Expires', 'Signature'];
const AUTHORIZATION = /^AWS ([^:\s]+):(\S+)$/;

export class SigV2Verifier {
  readonly #keys: AccessKeys;

  constructor(credentials: readonly GatewayCredential[], maxSkewMs = 15 * 60 * 1000) {
    this.#keys = new AccessKeys(credentials, maxSkewMs);
  }

  /** Whether the request carries SigV2: an `AWS ` authorization header or a v2 presigned query. */
  static isSigned(request: SignedRequest): boolean {
    const auth = headerValue(request.headers, 'authorization');
    if (auth !== undefined) return auth.startsWith('AWS ');
    return (
      request.query.has('AWSAccessKeyId') || (request.query.has('Signature') && request.query.has('Expires'))
    );
  }

  async verify(request: SignedRequest, now: Date): Promise<VerifiedSignature> {
    return headerValue(request.headers, 'authorization') === undefined
      ? this.#verifyPresigned(request, now)
      : this.#verifyHeader(request, now);
  }

  #verifyHeader(request: SignedRequest, now: Date): VerifiedSignature {
    const match = AUTHORIZATION.exec(headerValue(request.headers, 'authorization') ?? '');
    if (!match) {
      throw new GatewayError(
        'InvalidArgument',
        'AWS authorization header is invalid.  Expected AwsAccessKeyId:signature',
        { ArgumentName: 'Authorization' },
      );
    }
    const [, accessKeyId = '', given = ''] = match;
    const date = requestDate(request);
    this.#keys.checkSkew(date, now, httpTime);
    const secret = this.#keys.secretOf(accessKeyId);
    this.#keys.checkToken(accessKeyId, headerValue(request.headers, 'x-amz-security-token'));
    // With x-amz-date, S3's documentation leaves the Date line empty; signers that copy the Date
    // header there anyway (botocore) are accepted too, since x-amz-date is signed either way.
    const httpDate = headerValue(request.headers, 'date') ?? '';
    const dateLines = headerValue(request.headers, 'x-amz-date') === undefined ? [httpDate] : ['', httpDate];
    this.#match(request, secret, given, dateLines, amzHeaders(request, false));
    return verifiedV2(accessKeyId, given, date);
  }

  #verifyPresigned(request: SignedRequest, now: Date): VerifiedSignature {
    const q = request.query;
    for (const name of PRESIGN_PARAMS) {
      if (!q.has(name)) {
        throw new GatewayError(
          'AccessDenied',
          'Query-string authentication requires the Signature, Expires and AWSAccessKeyId parameters',
        );
      }
    }
    const expiresText = q.get('Expires') ?? '';
    const expires = Number(expiresText);
    if (!/^\d+$/.test(expiresText) || !Number.isSafeInteger(expires)) {
      throw new GatewayError('AccessDenied', 'Invalid date (should be seconds since epoch)');
    }
    if (now.getTime() > expires * 1000) {
      throw new GatewayError('AccessDenied', 'Request has expired', {
        Expires: new Date(expires * 1000).toISOString(),
        ServerTime: now.toISOString(),
      });
    }
    const accessKeyId = q.get('AWSAccessKeyId') ?? '';
    const secret = this.#keys.secretOf(accessKeyId);
    this.#keys.checkToken(
      accessKeyId,
      q.get('x-amz-security-token') ?? headerValue(request.headers, 'x-amz-security-token'),
    );
    const given = q.get('Signature') ?? '';
    this.#match(request, secret, given, [expiresText], amzHeaders(request, true));
    return verifiedV2(accessKeyId, given, now);
  }

  /**
   * A browser POST signed with SigV2: `signature` is the base64 HMAC-SHA1 of the base64 `policy`
   * with the secret of `AWSAccessKeyId` (fields named in lower case). Returns the access key.
   */
  async verifyPostSignature(fields: ReadonlyMap<string, string>): Promise<string> {
    for (const name of ['signature', 'policy']) {
      if (!fields.has(name)) {
        throw new GatewayError('InvalidArgument', `Bucket POST must contain a field named '${name}'.`, {
          ArgumentName: name,
        });
      }
    }
    const accessKeyId = fields.get('awsaccesskeyid') ?? '';
    const secret = this.#keys.secretOf(accessKeyId);
    this.#keys.checkToken(accessKeyId, fields.get('x-amz-security-token'));
    const computed = createHmac('sha1', secret)
      .update(fields.get('policy') ?? '', 'utf8')
      .digest('base64');
    if (!sameSignature(computed, fields.get('signature') ?? '')) {
      throw new GatewayError(
        'SignatureDoesNotMatch',
        'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
      );
    }
    return accessKeyId;
  }

  #match(
    request: SignedRequest,
    secret: string,
    given: string,
    dateLines: readonly string[],
    amz: string,
  ): void {
    // Content-MD5 and Content-Type travel in the query of a presigned URL (botocore puts them
    // there); a header of the request that uses the URL counts as well.
    const md5 = headerValue(request.headers, 'content-md5') ?? request.query.get('content-md5') ?? '';
    const type = headerValue(request.headers, 'content-type') ?? request.query.get('content-type') ?? '';
    for (const resource of canonicalResources(request)) {
      for (const dateLine of dateLines) {
        const stringToSign = `${request.method}\n${md5}\n${type}\n${dateLine}\n${amz}${resource}`;
        const computed = createHmac('sha1', secret).update(stringToSign, 'utf8').digest('base64');
        if (sameSignature(computed, given)) return;
      }
    }
    throw new GatewayError(
      'SignatureDoesNotMatch',
      'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
    );
  }
}

/**
 * The request's date: x-amz-date when present (even empty), else Date. A missing, unreadable or
 * pre-1970 date is AccessDenied, as S3 answers it.
 */
function requestDate(request: SignedRequest): Date {
  const text = headerValue(request.headers, 'x-amz-date') ?? headerValue(request.headers, 'date');
  const time = text === undefined || text.trim() === '' ? Number.NaN : Date.parse(text);
  if (Number.isNaN(time) || time < 0) {
    throw new GatewayError('AccessDenied', 'AWS authentication requires a valid Date or x-amz-date header');
  }
  return new Date(time);
}

/**
 * The x-amz-* headers, lower-cased, sorted, values trimmed and repeated ones joined with commas,
 * each line ending in a newline. A presigned URL carries them in its query.
 */
function amzHeaders(request: SignedRequest, presigned: boolean): string {
  const values = new Map<string, string>();
  for (const [name, value] of Object.entries(request.headers)) {
    const lower = name.toLowerCase();
    if (!lower.startsWith('x-amz-') || value === undefined) continue;
    const list = Array.isArray(value) ? value : [value];
    values.set(lower, list.map((v) => signedHeaderText(v.replace(/\s*\r?\n\s*/g, ' ').trim())).join(','));
  }
  if (presigned) {
    for (const [name, value] of request.query) {
      const lower = name.toLowerCase();
      if (lower.startsWith('x-amz-') && !values.has(lower)) values.set(lower, value.trim());
    }
  }
  return [...values.keys()]
    .sort()
    .map((name) => `${name}:${values.get(name)}\n`)
    .join('');
}

/**
 * `/bucket/key` as sent (still encoded; virtual-host requests put the bucket in front) followed
 * by the signed sub-resources, sorted, values decoded. Two readings when a newer sub-resource is
 * in the query (see LATER_SUBRESOURCES).
 */
function canonicalResources(request: SignedRequest): string[] {
  return canonicalPaths(request).flatMap((path) => withSubresources(request, path));
}

function withSubresources(request: SignedRequest, path: string): string[] {
  const documented = [...request.query.keys()].filter((name) => DOCUMENTED_SUBRESOURCES.has(name));
  const later = [...request.query.keys()].filter((name) => LATER_SUBRESOURCES.has(name));
  const readings = later.length === 0 ? [documented] : [[...documented, ...later], documented];
  return readings.map((names) => {
    const parts = names.sort().map((name) => {
      const value = request.query.get(name) ?? '';
      return value === '' ? name : `${name}=${value}`;
    });
    return parts.length === 0 ? path : `${path}?${parts.join('&')}`;
  });
}

// Virtual-host addressing: the bucket was in the Host header, and the signature covers it. A
// bucket alone is `/bucket/` in S3's documentation (botocore signs that even path-style), `/bucket`
// in other signers.
function canonicalPaths(request: SignedRequest): string[] {
  const bucket = request.virtualHostBucket;
  const path = bucket === undefined ? request.rawPath : `/${bucket}${request.rawPath}`;
  if (/^\/[^/]+$/.test(path)) return [path, `${path}/`];
  if (/^\/[^/]+\/$/.test(path)) return [path, path.slice(0, -1)];
  return [path];
}

function verifiedV2(accessKeyId: string, signature: string, date: Date): VerifiedSignature {
  return {
    accessKeyId,
    signature,
    // SigV2 signs no payload: the body is checked only by Content-MD5 or a stated checksum.
    payloadHash: 'UNSIGNED-PAYLOAD',
    longDate: date
      .toISOString()
      .replace(/[-:]/g, '')
      .replace(/\.\d{3}/, ''),
    scope: '',
    signString: () =>
      Promise.reject(
        new GatewayError('InvalidRequest', 'Signed aws-chunked uploads need AWS Signature Version 4.'),
      ),
  };
}

const httpTime = (date: Date) => date.toUTCString();
