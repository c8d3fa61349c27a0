/**
 * Who the gateway's access keys are: each key acts as one user with S3's canonical user id,
 * display name and (optionally) e-mail address, the identity ACLs grant to and owners name.
 * The first key's user is the gateway's primary user: it owns every bucket that has no owner
 * recorded (buckets made directly in the store). Without configured ids, the first key is
 * `partcopy` (the owner every answer named before users existed) and the others get an id
 * derived from their key id, so existing configurations keep working.
 */
import { createHash } from 'node:crypto';
import type { GatewayCredential } from './sigv4-verifier.js';

export interface GatewayUser {
  /** S3 canonical user id. */
  id: string;
  displayName: string;
  /** For grants by e-mail address (`emailAddress="..."`). */
  email?: string;
}

/** Who made a request: a key's user, or nobody (an unsigned request). */
export type Principal = { kind: 'user'; user: GatewayUser } | { kind: 'anonymous' };

export const ANONYMOUS: Principal = { kind: 'anonymous' };

/** The id and display name of the first key when none is configured. */
export const DEFAULT_PRIMARY_USER: GatewayUser = { id: 'partcopy', displayName: 'partcopy' };

export class GatewayUsers {
  readonly #byKey = new Map<string, GatewayUser>();
  readonly #byId = new Map<string, GatewayUser>();
  /** Owner of buckets without a recorded owner. */
  readonly primary: GatewayUser;

  constructor(credentials: readonly GatewayCredential[]) {
    credentials.forEach((credential, index) => {
      const user = userOf(credential, index === 0);
      this.#byKey.set(credential.accessKeyId, user);
      if (!this.#byId.has(user.id)) this.#byId.set(user.id, user);
    });
    this.primary = credentials[0] === undefined ? DEFAULT_PRIMARY_USER : userOf(credentials[0], true);
  }

  /** The user an access key acts as (the key has been verified, so it is known). */
  ofKey(accessKeyId: string): GatewayUser {
    return this.#byKey.get(accessKeyId) ?? this.primary;
  }

  byId(id: string): GatewayUser | undefined {
    return this.#byId.get(id);
  }

  /** How many distinct users the keys act as. */
  get count(): number {
    return this.#byId.size;
  }

  byEmail(email: string): GatewayUser | undefined {
    const wanted = email.toLowerCase();
    for (const user of this.#byId.values()) if (user.email?.toLowerCase() === wanted) return user;
    return undefined;
  }
}

function userOf(credential: GatewayCredential, primary: boolean): GatewayUser {
  const fallback = primary ? DEFAULT_PRIMARY_USER : derivedUser(credential.accessKeyId);
  return {
    id: credential.userId ?? fallback.id,
    displayName: credential.displayName ?? fallback.displayName,
    ...(credential.email === undefined ? {} : { email: credential.email }),
  };
}

// A stable 64-hex id, as S3's canonical ids look; the key id itself is never shown.
function derivedUser(accessKeyId: string): GatewayUser {
  const id = createHash('sha256').update(`partcopy-gateway-user:${accessKeyId}`).digest('hex');
  return { id, displayName: `user-${id.slice(0, 12)}` };
}
