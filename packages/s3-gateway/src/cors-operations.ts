/**
 * A bucket's CORS configuration (S3 PutBucketCors, GetBucketCors, DeleteBucketCors, `?cors`) and
 * the answers browsers get from it: preflights (OPTIONS, answered before authentication, as S3
 * does) and the `Access-Control-*` headers of actual requests.
 *
 * CORS belongs to the HTTP endpoint, which is this gateway, so it is kept in the bucket's gateway
 * configuration document (bucket-config-document.ts, field `cors`) on every store: a store's own
 * CORS settings (S3, GCS) govern that store's endpoint, not this one. Every gateway instance over
 * the store reads the same rules. The rules are read from the store for each request carrying an
 * `Origin` (requests without one, which is every non-browser client, cost nothing).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { PartCopyError } from '@partcopy/core';
import type { BucketConfigs } from './bucket-config-cache.js';
import {
  actualRequestHeaders,
  type CorsHeaders,
  type CorsRule,
  corsDocument,
  corsRulesOf,
  preflightHeaders,
} from './cors-rules.js';
import { GatewayError } from './gateway-error.js';
import { bucketOf, type GatewayRequest } from './gateway-request.js';
import type { Route } from './operation-routes.js';
import { headerValue } from './sigv4-verifier.js';
import { readSmallBody } from './small-body.js';
import { parseXmlBody } from './xml-codec.js';
import { sendEmpty, sendXml } from './xml-response.js';

/** S3's limit on a CORS configuration document. */
const MAX_DOCUMENT_BYTES = 64 * 1024;

/** The route of a `?cors` request on a bucket, or undefined for any other request. */
export function bucketCorsRoute(
  method: string,
  bucket: string | undefined,
  key: string | undefined,
  query: ReadonlyMap<string, string>,
): Route | undefined {
  if (bucket === undefined || key !== undefined || !query.has('cors')) return undefined;
  if (method === 'PUT') return { operation: 'PutBucketCors', handle: putBucketCors };
  if (method === 'GET') return { operation: 'GetBucketCors', handle: getBucketCors };
  if (method === 'DELETE') return { operation: 'DeleteBucketCors', handle: deleteBucketCors };
  return undefined;
}

async function putBucketCors(request: GatewayRequest): Promise<void> {
  const rules = corsRulesOf(
    parseXmlBody(await readSmallBody(request, MAX_DOCUMENT_BYTES), 'CORSConfiguration'),
  );
  await request.options.bucketConfigs.set(bucketOf(request), 'cors', rules, request.signal);
  sendEmpty(request);
}

async function getBucketCors(request: GatewayRequest): Promise<void> {
  const bucket = bucketOf(request);
  const rules = await corsRulesIn(request.options.bucketConfigs, bucket, request.signal);
  if (rules === undefined) {
    throw new GatewayError('NoSuchCORSConfiguration', 'The CORS configuration does not exist', {
      BucketName: bucket,
    });
  }
  sendXml(request, 'CORSConfiguration', corsDocument(rules));
}

async function deleteBucketCors(request: GatewayRequest): Promise<void> {
  const bucket = bucketOf(request);
  // Reading first answers NoSuchBucket for a missing bucket, and writes nothing when there is
  // nothing to remove.
  await request.options.bucketConfigs.unset(bucket, 'cors', request.signal);
  sendEmpty(request, 204);
}

/**
 * Answers a preflight (OPTIONS) on its own: 400 when it lacks an Origin or a method, 403 when the
 * bucket has no rule allowing it, else 200 with the rule's headers. `inScope` says whether the
 * gateway serves the bucket at all (one it does not serve has no CORS).
 */
export async function answerPreflight(
  req: IncomingMessage,
  res: ServerResponse,
  configs: BucketConfigs,
  bucket: string | undefined,
  inScope: boolean,
  signal: AbortSignal,
): Promise<void> {
  const preflight = {
    origin: headerValue(req.headers, 'origin'),
    method: headerValue(req.headers, 'access-control-request-method'),
    headers: headerValue(req.headers, 'access-control-request-headers'),
  };
  const complete = preflight.origin !== undefined && preflight.method !== undefined;
  const rules =
    complete && bucket !== undefined && inScope
      ? await corsRulesIn(configs, bucket, signal, true)
      : undefined;
  const headers = preflightHeaders(rules, preflight);
  applyHeaders(res, headers);
  res.statusCode = 200;
  res.setHeader('content-length', '0');
  res.end();
}

/**
 * Adds the `Access-Control-*` headers an actual request with an `Origin` gets from the bucket's
 * rules, before the request is authenticated or served, so that errors carry them too (a browser
 * can only read an error it is allowed to see).
 */
export async function applyActualRequestCors(
  req: IncomingMessage,
  res: ServerResponse,
  configs: BucketConfigs,
  bucket: string,
  signal: AbortSignal,
): Promise<void> {
  const origin = headerValue(req.headers, 'origin');
  if (origin === undefined) return;
  const rules = await corsRulesIn(configs, bucket, signal, true);
  const method = headerValue(req.headers, 'access-control-request-method') ?? req.method ?? 'GET';
  applyHeaders(res, actualRequestHeaders(rules, origin, method));
}

function applyHeaders(res: ServerResponse, headers: CorsHeaders): void {
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
}

/**
 * The bucket's rules, or undefined when it has none. With `missingBucketIsNone`, a bucket that
 * does not exist has none (browser-facing answers must not fail on it: the request's own
 * handler answers NoSuchBucket).
 */
async function corsRulesIn(
  configs: BucketConfigs,
  bucket: string,
  signal: AbortSignal,
  missingBucketIsNone = false,
): Promise<CorsRule[] | undefined> {
  let stored: Awaited<ReturnType<BucketConfigs['read']>>;
  try {
    stored = await configs.read(bucket, signal);
  } catch (error) {
    if (missingBucketIsNone && PartCopyError.hasCode(error, 'NoSuchBucket')) return undefined;
    throw error;
  }
  const cors = stored?.config.cors;
  return Array.isArray(cors) && cors.length > 0 ? (cors as CorsRule[]) : undefined;
}
