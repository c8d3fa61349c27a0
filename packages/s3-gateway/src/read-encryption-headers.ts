/**
 * Reads name no store-managed encryption: an object encrypted with SSE-S3 or SSE-KMS is read
 * without saying so, and S3 refuses a GET or HEAD that sends `x-amz-server-side-encryption` (or a
 * KMS key id) with 400 InvalidArgument. Only SSE-C keys belong on a read.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { GatewayError } from './gateway-error.js';

const WRITE_ONLY = ['x-amz-server-side-encryption', 'x-amz-server-side-encryption-aws-kms-key-id'];

export function refuseWriteEncryptionHeaders(headers: IncomingHttpHeaders): void {
  const sent = WRITE_ONLY.find((name) => headers[name] !== undefined);
  if (sent === undefined) return;
  throw new GatewayError('InvalidArgument', `${sent} header is not supported for this operation.`, {
    ArgumentName: sent,
  });
}
