/**
 * The whole kit against @partcopy/memory, with no group skipped: small parts (1 KiB) for speed,
 * a shared store for the cross-instance checks, and the large-parts group once more at S3's real
 * 5 MiB minimum.
 */
import { createMemoryProvider, MemoryStore } from '@partcopy/memory';
import { describe, it } from 'vitest';
import { largePartsGroup, runConformance, wholeObjectCopyGroup } from '../src/index.js';

const SMALL_PART = 1024;

function memorySuite(minPartSize?: number) {
  // One store per provider created by createProvider; reopenProvider shares the store of the
  // provider it is given, as a second process would share S3.
  return {
    createProvider: () =>
      createMemoryProvider({ store: new MemoryStore(), ...(minPartSize ? { minPartSize } : {}) }),
    reopenProvider: (provider: unknown) =>
      createMemoryProvider({
        store: (provider as { store: MemoryStore }).store,
        ...(minPartSize ? { minPartSize } : {}),
      }),
  };
}

runConformance({ name: 'memory', runner: { describe, it }, env: {}, ...memorySuite(SMALL_PART) });

largePartsGroup({ name: 'memory (5 MiB parts)', runner: { describe, it }, env: {}, ...memorySuite() });

// The whole-object-copy group once more with the provider's own copy limit lowered to 1 KiB, so
// the over-limit check can write a source past it.
wholeObjectCopyGroup({
  name: 'memory (1 KiB whole-object copy limit)',
  runner: { describe, it },
  env: {},
  createProvider: () =>
    createMemoryProvider({ store: new MemoryStore(), capabilities: { maxWholeObjectCopySize: 1024 } }),
});
