/**
 * Every failure as S3 answers it: `<Error>` with Code, Message, Resource and RequestId, the
 * status S3 uses, and the `x-amz-request-id` header. Store errors (PartCopyError) keep their S3
 * code; the few codes S3 has no name for are mapped here, in one table.
 */
import type { ServerResponse } from 'node:http';
import { PartCopyError } from '@partcopy/core';
import { GatewayError } from './gateway-error.js';
import { plainXmlDocument } from './xml-codec.js';

/** An error ready to send. */
export interface S3ErrorAnswer {
  code: string;
  status: number;
  message: string;
  details: Record<string, string>;
}

// PartCopyError codes that are not S3 wire codes, as S3 would answer the same situation.
const WIRE_CODES: Record<string, { code: string; status: number }> = {
  Unsupported: { code: 'NotImplemented', status: 501 },
  RequestAborted: { code: 'RequestTimeout', status: 400 },
  ConditionalRequestConflict: { code: 'ConditionalRequestConflict', status: 409 },
};

/** The S3 answer for anything thrown while serving a request. */
export function s3ErrorAnswer(thrown: unknown): S3ErrorAnswer {
  // A body that failed its checks (signature, digest, length) fails the store's read of it; the
  // store wraps that failure, and the gateway's own answer is found in the cause chain.
  const error = gatewayCause(thrown) ?? thrown;
  if (error instanceof GatewayError) {
    return { code: error.code, status: error.status, message: error.message, details: { ...error.details } };
  }
  if (PartCopyError.isInstance(error)) {
    const wire = WIRE_CODES[error.code] ?? methodNotAllowed(error);
    return {
      code: wire?.code ?? error.code,
      status: wire?.status ?? error.status,
      message: error.message,
      details: {},
    };
  }
  // Anything else is our bug: no internals (stack, paths, keys) go to the client.
  return {
    code: 'InternalError',
    status: 500,
    message: 'We encountered an internal error. Please try again.',
    details: {},
  };
}

// A read of a delete marker by its version id: partcopy's closed code set carries S3's 405
// MethodNotAllowed as InvalidRequest with status 405 and the S3 name as the provider's code.
function methodNotAllowed(error: PartCopyError): { code: string; status: number } | undefined {
  return error.status === 405 && error.providerCode === 'MethodNotAllowed'
    ? { code: 'MethodNotAllowed', status: 405 }
    : undefined;
}

function gatewayCause(error: unknown): GatewayError | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 8 && current instanceof Error; depth++) {
    if (current instanceof GatewayError) return current;
    current = current.cause;
  }
  return undefined;
}

/** Writes the error document (no body for HEAD, as S3). */
export function sendS3Error(
  res: ServerResponse,
  answer: S3ErrorAnswer,
  request: { id: string; resource: string; method: string },
): void {
  if (res.headersSent) {
    // Too late for a status: cut the connection so the client sees a truncated body, not success.
    res.destroy();
    return;
  }
  const body = plainXmlDocument('Error', {
    Code: answer.code,
    Message: answer.message,
    ...answer.details,
    Resource: request.resource,
    RequestId: request.id,
  });
  res.statusCode = answer.status;
  res.setHeader('x-amz-request-id', request.id);
  res.setHeader('content-type', 'application/xml');
  if (request.method === 'HEAD') {
    res.end();
    return;
  }
  res.setHeader('content-length', Buffer.byteLength(body));
  res.end(body);
}
