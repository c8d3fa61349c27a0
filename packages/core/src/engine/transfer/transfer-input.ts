/** Checks a transfer request once, before any request is sent: typed errors naming the field. */
import { PartCopyClient } from '../../client/part-copy-client.js';
import { describeValue, PartCopyError } from '../../errors/part-copy-error.js';
import { parseByteRange } from '../../semantics/byte-range.js';
import type { TransferObjectRequest } from './transfer-types.js';

const STRATEGIES = ['auto', 'server-pull', 'stream'];
const VERIFY_MODES = ['auto', 'read-back', 'size-only'];

export function checkTransferRequest(request: TransferObjectRequest): void {
  if (typeof request !== 'object' || request === null) throw invalid('transferObject needs a request object');
  for (const side of ['source', 'destination'] as const) {
    const endpoint = request[side];
    if (typeof endpoint !== 'object' || endpoint === null) throw invalid(`${side} is missing`);
    if (!(endpoint.client instanceof PartCopyClient))
      throw invalid(`${side}.client must be a PartCopyClient, got ${describeValue(endpoint.client)}`);
    for (const field of ['bucket', 'key'] as const)
      if (typeof endpoint[field] !== 'string' || endpoint[field] === '')
        throw invalid(`${side}.${field} must be a non-empty string, got ${describeValue(endpoint[field])}`);
  }
  if (request.source.range !== undefined) parseByteRange(request.source.range, 'source.range');
  if (request.strategy !== undefined && !STRATEGIES.includes(request.strategy))
    throw invalid(`strategy must be one of ${STRATEGIES.join(', ')}, got ${describeValue(request.strategy)}`);
  if (request.verify !== undefined && !VERIFY_MODES.includes(request.verify))
    throw invalid(`verify must be one of ${VERIFY_MODES.join(', ')}, got ${describeValue(request.verify)}`);
  for (const field of ['partSize', 'concurrency', 'presignExpiresInSeconds'] as const) {
    const value = request[field];
    if (value !== undefined && (!Number.isSafeInteger(value) || value < 1))
      throw invalid(`${field} must be a positive whole number, got ${describeValue(value)}`);
  }
  const { source, destination } = request;
  if (
    source.client === destination.client &&
    source.bucket === destination.bucket &&
    source.key === destination.key
  )
    throw invalid('the source and the destination are the same object');
}

function invalid(message: string): PartCopyError {
  return new PartCopyError('InvalidArgument', message, { operation: 'uploadPartCopy' });
}
