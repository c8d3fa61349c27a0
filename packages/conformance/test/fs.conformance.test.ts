/**
 * The whole kit against @partcopy/fs in a temporary folder, with no group skipped: small parts
 * (1 KiB) for speed, a second provider on the same root for the cross-instance checks, and the
 * large-parts group once more at S3's real 5 MiB minimum.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createFsProvider } from '@partcopy/fs';
import { afterAll, describe, it } from 'vitest';
import { largePartsGroup, runConformance, wholeObjectCopyGroup } from '../src/index.js';

const root = mkdtempSync(join(tmpdir(), 'partcopy-conformance-fs-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const SMALL_PART = 1024;

// Every provider shares one root: each check works in its own random buckets, and a reopened
// provider on the same root is what another process would open.
function fsSuite(minPartSize?: number) {
  const options = { root, ...(minPartSize ? { minPartSize } : {}) };
  return {
    createProvider: async () => createFsProvider(options), // async on purpose: vitest accepts async describe bodies
    reopenProvider: () => createFsProvider(options),
  };
}

runConformance({ name: 'fs', runner: { describe, it }, env: {}, ...fsSuite(SMALL_PART) });

largePartsGroup({ name: 'fs (5 MiB parts)', runner: { describe, it }, env: {}, ...fsSuite() });

// The whole-object-copy group once more with the provider's own copy limit lowered to 1 KiB, so
// the over-limit check can write a source past it.
wholeObjectCopyGroup({
  name: 'fs (1 KiB whole-object copy limit)',
  runner: { describe, it },
  env: {},
  createProvider: () => createFsProvider({ root, capabilities: { maxWholeObjectCopySize: 1024 } }),
});
