/**
 * The gateway's access keys, as both signature versions check them: the key's secret, the
 * session token it must come with, and the request's clock skew. One place, so SigV2 and SigV4
 * answer a wrong key, token or clock with the same S3 error.
 */
import { timingSafeEqual } from 'node:crypto';
import { GatewayError } from './gateway-error.js';
import type { GatewayCredential } from './sigv4-verifier.js';

export class AccessKeys {
  readonly #secrets: Map<string, string>;
  readonly #tokens: Map<string, string | undefined>;
  readonly maxSkewMs: number;

  constructor(credentials: readonly GatewayCredential[], maxSkewMs = 15 * 60 * 1000) {
    this.#secrets = new Map(credentials.map((c) => [c.accessKeyId, c.secretAccessKey]));
    this.#tokens = new Map(credentials.map((c) => [c.accessKeyId, c.sessionToken]));
    this.maxSkewMs = maxSkewMs;
  }

  /** The key's secret; `InvalidAccessKeyId` for a key the gateway does not know. */
  secretOf(accessKeyId: string): string {
    const secret = this.#secrets.get(accessKeyId);
    if (secret === undefined) {
      throw new GatewayError(
        'InvalidAccessKeyId',
        'The AWS Access Key Id you provided does not exist in our records.',
      );
    }
    return secret;
  }

  /** The key's session token, compared in constant time; a key without one refuses any token. */
  checkToken(accessKeyId: string, given: string | undefined): void {
    const expected = this.#tokens.get(accessKeyId);
    if (expected === undefined && given === undefined) return;
    if (expected !== undefined && given !== undefined && sameSignature(expected, given)) return;
    throw new GatewayError('InvalidToken', 'The provided token is malformed or otherwise invalid.');
  }

  /** `RequestTimeTooSkewed` past the allowed skew; the times in the format the request used. */
  checkSkew(requestTime: Date, now: Date, format: (date: Date) => string): void {
    if (Math.abs(requestTime.getTime() - now.getTime()) > this.maxSkewMs) {
      throw new GatewayError(
        'RequestTimeTooSkewed',
        'The difference between the request time and the current time is too large.',
        {
          RequestTime: format(requestTime),
          ServerTime: format(now),
          MaxAllowedSkewMilliseconds: String(this.maxSkewMs),
        },
      );
    }
  }
}

/** Constant-time comparison of a computed signature (or token) with the one given. */
export function sameSignature(computed: string, given: string): boolean {
  const a = Buffer.from(computed, 'utf8');
  const b = Buffer.from(given, 'utf8');
  if (a.length !== b.length || a.length === 0) return false;
  return timingSafeEqual(a, b);
}
