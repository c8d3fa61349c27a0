/**
 * Refuses, before any request, what directory buckets cannot do. The facade checks
 * `provider.capabilities`, which describe general purpose buckets; directory buckets are named
 * per request, so this provider checks them itself with `capabilitiesFor(bucket)`.
 */
import {
  type Capabilities,
  type ErrorContext,
  type SseCustomerKey,
  unsupported,
} from '@partcopy/core/provider';
import { isDirectoryBucket } from './directory-bucket.js';

/** The request fields a directory bucket may refuse. */
export interface DirectoryBucketFields {
  bucket: string;
  sseCustomer?: SseCustomerKey | undefined;
  versionId?: string | undefined;
  requestPayer?: 'requester' | undefined;
  versioning?: boolean | undefined;
}

/** Throws `Unsupported` for SSE-C, versions, versioning or requester pays on a directory bucket. */
export function checkDirectoryBucketRequest(
  provider: { capabilitiesFor(bucket: string): Readonly<Capabilities> },
  context: ErrorContext,
  request: DirectoryBucketFields,
): void {
  if (!isDirectoryBucket(request.bucket)) return;
  const caps = provider.capabilitiesFor(request.bucket);
  const where = { ...context, bucket: context.bucket ?? request.bucket };
  const what = `in the directory bucket ${request.bucket}`;
  if (request.sseCustomer && !caps.sseCustomerKey)
    throw unsupported(`SSE-C (customer-provided keys) ${what}`, where);
  if (request.versionId !== undefined && !caps.versionedSources)
    throw unsupported(`object versions ${what}`, where);
  if (request.versioning && !caps.versionedBuckets) throw unsupported(`versioning ${what}`, where);
  if (request.requestPayer && !caps.requestPayer) throw unsupported(`requester pays ${what}`, where);
}
