// Shared set-up of the integration tests: a provider on the Azurite of the test-servers package
// (environment contract in packages/test-servers/src/env.ts) and a fresh container per test.
import { randomBytes } from 'node:crypto';
import type { OperationContext } from '@partcopy/core/provider';
import { requireServerEnv } from '@partcopy/test-servers';
import { type AzureProvider, type AzureProviderOptions, createAzureProvider } from '../src/index.js';

/** Azurite keeps no blob versions, so versioned sources are switched off there (see README). */
export const AZURITE_OVERRIDES = { versionedSources: false } as const;

/** The Azurite variables, or a loud failure naming the server (never a skip). */
export function requireAzuriteEnv() {
  return requireServerEnv('azurite');
}

export function azuriteOptions(extra: Partial<AzureProviderOptions> = {}): AzureProviderOptions {
  const env = requireAzuriteEnv();
  return {
    url: env.PARTCOPY_AZURITE_BLOB_ENDPOINT,
    accountName: env.PARTCOPY_AZURITE_ACCOUNT,
    accountKey: env.PARTCOPY_AZURITE_KEY,
    capabilities: AZURITE_OVERRIDES,
    stagingTier: 'Hot',
    ...extra,
  };
}

export function azuriteProvider(extra: Partial<AzureProviderOptions> = {}): AzureProvider {
  return createAzureProvider(azuriteOptions(extra));
}

export function ctx(signal: AbortSignal = new AbortController().signal): OperationContext {
  return { signal };
}

export function randomName(prefix: string): string {
  return `${prefix}${randomBytes(6).toString('hex')}`;
}

/** Deterministic, non-repeating-looking bytes. */
export function patternBytes(length: number, seed = 1): Uint8Array {
  const out = new Uint8Array(length);
  let x = seed * 2654435761;
  for (let i = 0; i < length; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}

/** A fresh container, deleted with everything in it afterwards. */
export async function withContainer(
  provider: AzureProvider,
  body: (bucket: string) => Promise<void>,
): Promise<void> {
  const bucket = randomName('pc');
  await provider.createBucket({ bucket }, ctx());
  try {
    await body(bucket);
  } finally {
    await provider.native.serviceClient.getContainerClient(bucket).deleteIfExists();
  }
}
