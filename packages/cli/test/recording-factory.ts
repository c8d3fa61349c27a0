import { GiB, MiB, type Provider, type ProviderFactory } from '@partcopy/core';
import { type OperationContext, SPEC_VERSION } from '@partcopy/core/provider';

export interface Recorded {
  method: string;
  request: unknown;
}

/**
 * A provider that only records the normalised requests the facade sends and answers with fixed
 * results: proves which flags reach a provider, independent of any store.
 */
export function recordingFactory(scheme = 'rec'): ProviderFactory & { calls: Recorded[] } {
  const calls: Recorded[] = [];
  const answers: Record<string, unknown> = {
    uploadPartCopy: {
      copySourceVersionId: 'v1',
      copyPartResult: { etag: '"part-etag"', lastModified: new Date('2026-01-02T03:04:05.000Z') },
      transfer: 'server-side',
      bytesCopied: 10,
      requestCharged: 'requester',
    },
  };
  const provider = new Proxy(
    {
      specVersion: SPEC_VERSION,
      name: 'recording',
      async close() {},
      capabilities: {
        rangedCopy: 'native',
        clientStreamedRanges: false,
        minPartSize: 5 * MiB,
        maxPartSize: 5 * GiB,
        maxParts: 10_000,
        maxObjectSize: 5 * 1024 * GiB,
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
        requestPayer: true,
        expectedBucketOwner: true,
        accessPoints: true,
        sseKms: true,
        createBucket: true,
        deleteBucket: true,
      },
    } as unknown as Provider,
    {
      get(target, property) {
        // `then` must stay undefined, or awaiting the provider would call it.
        if (property in target || typeof property !== 'string' || property === 'then')
          return Reflect.get(target, property);
        return async (request: unknown, _ctx: OperationContext) => {
          calls.push({ method: property, request });
          return answers[property] ?? {};
        };
      },
    },
  );
  return { name: 'recording', schemes: [scheme], create: () => provider, calls };
}
