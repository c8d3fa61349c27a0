/** Registry entry: `mem://bucket/key` URLs resolve to a memory provider. */
import type { ProviderFactory } from '@partcopy/core/provider';
import type { MemoryProviderOptions } from './memory-capabilities.js';
import { MEMORY_PROVIDER_NAME } from './memory-errors.js';
import { createMemoryProvider } from './memory-provider.js';
import { MemoryStore } from './memory-store.js';

let processStore: MemoryStore | undefined;

/**
 * The store `mem://` URLs use when no `store` option is given: one per process, so every
 * provider the registry opens for `mem://` sees the same buckets (as every `s3://` URL sees the
 * same S3). Created on first use.
 */
export function processMemoryStore(): MemoryStore {
  processStore ??= new MemoryStore();
  return processStore;
}

/**
 * Factory for the registry (`registry.register(memoryProviderFactory)`), scheme `mem`. Options
 * are {@link MemoryProviderOptions}; no environment variables are read.
 */
export const memoryProviderFactory: ProviderFactory = Object.freeze({
  name: MEMORY_PROVIDER_NAME,
  schemes: Object.freeze(['mem']),
  create(options: Record<string, unknown> = {}) {
    const typed = options as MemoryProviderOptions;
    return createMemoryProvider({ ...typed, store: typed.store ?? processMemoryStore() });
  },
});
