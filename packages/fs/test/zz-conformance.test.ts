import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, it } from 'vitest';
import { runConformance } from '@partcopy/conformance';
import { FsProvider } from '../src/index.js';

const root = mkdtempSync(join(tmpdir(), 'partcopy-fs-conf-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

runConformance({
  name: 'fs',
  runner: { describe, it },
  createProvider: () => new FsProvider({ root, minPartSize: 5 * 1024 * 1024 }),
  reopenProvider: () => new FsProvider({ root, minPartSize: 5 * 1024 * 1024 }),
});
