/**
 * The conformance kit through @partcopy/s3 and the gateway, over memory and a folder: the same
 * checks as packages/conformance/test/{memory,fs}.conformance.test.ts run on the stores directly,
 * with the same skips (none).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { largePartsGroup } from '@partcopy/conformance';
import { createFsProvider } from '@partcopy/fs';
import { createMemoryProvider, MemoryStore } from '@partcopy/memory';
import { afterAll, describe, it } from 'vitest';
import { runThroughGateway, throughGateway } from './support/gateway-conformance.js';

const SMALL_PART = 1024;
const store = new MemoryStore();
runThroughGateway(
  's3 → gateway → memory',
  { open: () => createMemoryProvider({ store, minPartSize: SMALL_PART }) },
  { env: {} },
);

const root = mkdtempSync(join(tmpdir(), 'pc-gateway-conformance-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
runThroughGateway(
  's3 → gateway → fs',
  { open: () => createFsProvider({ root, minPartSize: SMALL_PART }) },
  { env: {} },
);

const { createBucket: _made, ...largeParts } = throughGateway({
  open: () => createMemoryProvider({ store: new MemoryStore() }),
});

// The large-parts group at S3's real 5 MiB minimum, through the gateway over memory.
largePartsGroup({
  name: 's3 → gateway → memory (5 MiB parts)',
  runner: { describe, it },
  env: {},
  ...largeParts,
});
