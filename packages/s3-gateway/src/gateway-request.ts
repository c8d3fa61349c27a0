/** One request as every operation handler sees it. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { PartCopyClient } from '@partcopy/core';
import type { BucketAccess } from './access-control.js';
import type { ResolvedGatewayOptions } from './gateway-options.js';
import type { Principal } from './gateway-users.js';
import type { RequestTarget } from './request-target.js';
import type { SigV2Verifier } from './sigv2-verifier.js';
import type { SigV4Verifier, VerifiedSignature } from './sigv4-verifier.js';

export interface GatewayRequest {
  /** The request id every answer carries (`x-amz-request-id`). */
  id: string;
  req: IncomingMessage;
  res: ServerResponse;
  target: RequestTarget;
  client: PartCopyClient;
  /** Aborted when the client disconnects or the gateway stops: passed to every store call. */
  signal: AbortSignal;
  /** The verified signature, or undefined for an anonymous request. */
  signature: VerifiedSignature | undefined;
  /** Who the request acts as: the signing key's user, or anonymous. */
  principal: Principal;
  /** The bucket's owner, ownership and ACL, once authorization read them (access-control.ts). */
  access?: BucketAccess;
  options: ResolvedGatewayOptions;
  /** Checks signatures a handler finds in the body (browser POST forms). */
  verifier: SigV4Verifier;
  /** Checks SigV2 signatures a handler finds in the body (browser POST forms). */
  verifierV2: SigV2Verifier;
  /** Bytes of payload received and sent, for the log and metrics. */
  bytes: { in: number; out: number };
}

/** The bucket of a request that must name one (the router only calls such handlers with one). */
export function bucketOf(request: GatewayRequest): string {
  return request.target.bucket as string;
}

export function keyOf(request: GatewayRequest): string {
  return request.target.key as string;
}
