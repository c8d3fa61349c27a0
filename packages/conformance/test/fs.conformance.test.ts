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
import { largePartsGroup, runConformance } from '../src/index.js';

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
