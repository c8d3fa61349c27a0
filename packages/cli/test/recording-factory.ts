import type { ProviderFactory } from '@partcopy/core';
import { recordingProvider } from '@partcopy/core/testing';

export interface Recorded {
  method: string;
  request: unknown;
}

/**
 * A provider that only records the normalised requests the facade sends and answers with fixed
 * results: proves which flags reach a provider, independent of any store.
 */
export function recordingFactory(scheme = 'rec'): ProviderFactory & { calls: Recorded[] } {
  const answers: Record<string, unknown> = {
    uploadPartCopy: {
      copySourceVersionId: 'v1',
      copyPartResult: { etag: '"part-etag"', lastModified: new Date('2026-01-02T03:04:05.000Z') },
      transfer: 'server-side',
      bytesCopied: 10,
      requestCharged: 'requester',
    },
  };
  const provider = recordingProvider({}, (method) => answers[method] ?? {});
  const calls: Recorded[] = provider.calls;
  return { name: 'recording', schemes: [scheme], create: () => provider, calls };
}
