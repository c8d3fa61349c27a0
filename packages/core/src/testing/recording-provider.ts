import type { Capabilities, OperationContext, Provider } from '../provider.js';
import { GiB, MiB, PartCopyError, SPEC_VERSION } from '../provider.js';

export const fullCapabilities: Capabilities = {
  rangedCopy: 'native',
  clientStreamedRanges: false,
  minPartSize: 5 * MiB,
  maxPartSize: 5 * GiB,
  maxParts: 10_000,
  maxObjectSize: 50 * 1024 * GiB,
  copySourceIfMatch: true,
  copySourceIfNoneMatch: true,
  copySourceIfModifiedSince: true,
  copySourceIfUnmodifiedSince: true,
  versionedSources: true,
  versionedBuckets: true,
  sseCustomerKey: true,
  checksumAlgorithms: ['CRC32'],
  multipartEtag: true,
  listParts: true,
  listMultipartUploads: true,
  completeConditions: true,
  wholeObjectCopy: true,
  maxWholeObjectCopySize: 5 * GiB,
  wholeObjectCopyConditions: true,
  nativeCompose: false,
  requestPayer: true,
  expectedBucketOwner: true,
  accessPoints: true,
  sseKms: true,
  storeGarbageCollection: false,
  createBucket: true,
  deleteBucket: true,
};

export interface RecordedCall {
  method: string;
  request: unknown;
  ctx: OperationContext;
}

/**
 * A provider that records the normalised requests the facade sends it and answers from a
 * script: tests of the facade itself (validation, capability checks, retries, events).
 */
export function recordingProvider(
  capabilities: Partial<Capabilities> = {},
  answer: (method: string, request: unknown, attempt: number) => unknown = () => ({}),
): Provider & { calls: RecordedCall[] } {
  const calls: RecordedCall[] = [];
  const attempts = new Map<string, number>();
  const handler = (method: string) => async (request: unknown, ctx: OperationContext) => {
    calls.push({ method, request, ctx });
    const attempt = (attempts.get(method) ?? 0) + 1;
    attempts.set(method, attempt);
    return answer(method, request, attempt);
  };
  const methods = [
    'createBucket',
    'deleteBucket',
    'createMultipartUpload',
    'uploadPart',
    'uploadPartCopy',
    'copyObject',
    'composeObject',
    'completeMultipartUpload',
    'abortMultipartUpload',
    'listParts',
    'listMultipartUploads',
    'headObject',
    'getObject',
    'putObject',
    'deleteObject',
    'listObjects',
    'presignGetObject',
    'uploadPartFromUrl',
  ];
  const provider = Object.fromEntries(methods.map((m) => [m, handler(m)])) as unknown as Provider;
  return Object.assign(provider, {
    specVersion: SPEC_VERSION,
    name: 'recording',
    capabilities: { ...fullCapabilities, ...capabilities },
    calls,
  });
}

export function failing(code: ConstructorParameters<typeof PartCopyError>[0]): never {
  throw new PartCopyError(code, `scripted ${code}`);
}
