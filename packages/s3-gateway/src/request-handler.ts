/**
 * Serves one request: target, authentication, bucket scope, route, handler; any failure becomes
 * S3's error document. Each request gets an AbortSignal that fires when the client disconnects
 * or the gateway stops, and every store call takes it.
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { authorize, principalOf } from './access-control.js';
import { checkAclHeaders } from './acl-operations.js';
import { refuseReservedKey } from './bucket-config-document.js';
import { newBucketOwnership } from './bucket-operations.js';
import { answerPreflight, applyActualRequestCors } from './cors-operations.js';
import { GatewayError } from './gateway-error.js';
import type { RequestLogEntry, ResolvedGatewayOptions } from './gateway-options.js';
import type { GatewayRequest } from './gateway-request.js';
import { type Route, routeRequest } from './operation-routes.js';
import { parseRequestTarget } from './request-target.js';
import { s3ErrorAnswer, sendS3Error } from './s3-error-response.js';
import { SigV2Verifier } from './sigv2-verifier.js';
import { headerValue, SigV4Verifier, type VerifiedSignature } from './sigv4-verifier.js';

export interface HandlerDeps {
  options: ResolvedGatewayOptions;
  verifier: SigV4Verifier;
  /** Checks AWS Signature Version 2 (header and presigned query). */
  verifierV2: SigV2Verifier;
  /** Fires when the gateway is told to stop at once (after graceful shutdown timed out). */
  stopSignal: AbortSignal;
  onFinished(entry: RequestLogEntry): void;
}

export async function handleRequest(
  req: IncomingMessage,
  res: ServerResponse,
  deps: HandlerDeps,
): Promise<void> {
  const started = performance.now();
  const id = randomBytes(8).toString('hex').toUpperCase();
  const controller = new AbortController();
  const onStop = () => controller.abort(deps.stopSignal.reason);
  deps.stopSignal.addEventListener('abort', onStop, { once: true });
  // The client went away before the whole answer was written: stop the store call.
  res.on('close', () => {
    if (!res.writableFinished) controller.abort(new Error('client disconnected'));
  });
  res.setHeader('x-amz-request-id', id);
  res.setHeader('x-amz-id-2', id);
  res.setHeader('server', 'partcopy-s3-gateway');
  let route: Route | undefined;
  let errorCode: string | undefined;
  let request: GatewayRequest | undefined;
  let resource = req.url ?? '/';
  let signature: VerifiedSignature | undefined;
  try {
    const target = parseRequestTarget(
      req.url ?? '/',
      headerValue(req.headers, 'host'),
      deps.options.virtualHostSuffixes,
    );
    resource = target.resource;
    const method = req.method ?? 'GET';
    if (method === 'OPTIONS') {
      const bucket = target.bucket;
      await answerPreflight(
        req,
        res,
        deps.options.bucketConfigs,
        bucket,
        servesBucket(deps, bucket),
        controller.signal,
      );
      return;
    }
    if (target.bucket !== undefined && servesBucket(deps, target.bucket))
      await applyActualRequestCors(req, res, deps.options.bucketConfigs, target.bucket, controller.signal);
    signature = await authenticate(req, target, deps);
    route = routeRequest(
      method,
      target.bucket,
      target.key,
      target.query,
      req.headers['x-amz-copy-source'] !== undefined,
    );
    refuseReservedKey(target.key);
    if (target.bucket !== undefined && route.operation !== 'CreateBucket')
      deps.options.checkBucket(target.bucket);
    if (target.bucket !== undefined && route.operation === 'CreateBucket')
      deps.options.checkBucketCreate(target.bucket);
    request = {
      id,
      req,
      res,
      target,
      client: deps.options.client,
      signal: controller.signal,
      signature,
      principal: principalOf(deps.options.users, signature?.accessKeyId),
      options: deps.options,
      verifier: deps.verifier,
      verifierV2: deps.verifierV2,
      bytes: { in: 0, out: 0 },
    };
    await authorize(request, route.operation);
    checkAclHeaders(route.operation, req.headers, aclsEnabledFor(request, route.operation));
    // A client that waits for 100 Continue sends its body only once the request is known to be
    // signed, routed and allowed: a refused upload never crosses the network.
    if (headerValue(req.headers, 'expect')?.toLowerCase() === '100-continue') res.writeContinue();
    await route.handle(request);
  } catch (error) {
    const answer = s3ErrorAnswer(
      controller.signal.aborted && !res.headersSent ? abortedAnswer(error) : error,
    );
    errorCode = answer.code;
    if (!res.destroyed) sendS3Error(res, answer, { id, resource, method: req.method ?? 'GET' });
    // An unread request body would otherwise keep the connection busy; S3 closes it.
    if (!req.complete) req.resume();
  } finally {
    deps.stopSignal.removeEventListener('abort', onStop);
  }
  await finished(res);
  const target = request?.target;
  deps.onFinished({
    time: new Date().toISOString(),
    requestId: id,
    method: req.method ?? '',
    operation: route?.operation ?? 'Unknown',
    ...(target?.bucket === undefined ? {} : { bucket: target.bucket }),
    ...(target?.key === undefined ? {} : { key: target.key }),
    status: res.statusCode,
    ...(errorCode === undefined ? {} : { errorCode }),
    bytesIn: request?.bytes.in ?? 0,
    bytesOut: request?.bytes.out ?? 0,
    durationMs: Math.round((performance.now() - started) * 10) / 10,
    authenticated: signature !== undefined,
    clientAborted: !res.writableFinished,
  });
}

async function authenticate(
  req: IncomingMessage,
  target: ReturnType<typeof parseRequestTarget>,
  deps: HandlerDeps,
): Promise<VerifiedSignature | undefined> {
  const signed = {
    method: req.method ?? 'GET',
    rawPath: target.rawPath,
    path: target.resource,
    query: target.query,
    headers: req.headers,
    ...(target.virtualHost && target.bucket !== undefined ? { virtualHostBucket: target.bucket } : {}),
  };
  if (SigV2Verifier.isSigned(signed)) return deps.verifierV2.verify(signed, deps.options.now());
  if (SigV4Verifier.isSigned(signed)) return deps.verifier.verify(signed, deps.options.now());
  // A browser POST carries its signature in the form: post-object.ts checks it.
  // Unsigned: anonymous. What it may do is decided once the operation is known (access-control.ts).
  return undefined;
}

// Whether the written object's (or created bucket's) ACL headers are read as ACLs: the bucket's
// ownership, or for CreateBucket the ownership the new bucket gets.
function aclsEnabledFor(request: GatewayRequest, operation: string): boolean {
  if (operation === 'CreateBucket') return newBucketOwnership(request) !== 'BucketOwnerEnforced';
  return request.access?.aclsEnabled ?? false;
}

/** Whether the gateway serves this bucket at all (its bucket scope): CORS is read only for those. */
function servesBucket(deps: HandlerDeps, bucket: string | undefined): boolean {
  if (bucket === undefined) return false;
  try {
    deps.options.checkBucket(bucket);
    return true;
  } catch {
    return false;
  }
}

// A request cut short by the client or by shutdown: the store call's abort error says so.
function abortedAnswer(error: unknown): unknown {
  return error instanceof GatewayError
    ? error
    : new GatewayError('InternalError', 'The request was aborted.');
}

function finished(res: ServerResponse): Promise<void> {
  if (res.writableFinished || res.destroyed) return Promise.resolve();
  return new Promise((resolve) => {
    res.once('close', resolve);
    res.once('finish', resolve);
  });
}
