/**
 * The published conformance kit against this third-party-style provider, exactly as a plugin
 * author would run it. Features the SQLite store does not model (versions, SSE-C) are declared
 * false in its capabilities, so the kit reports those checks as skipped with the reason.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runConformance } from '@partcopy/conformance';
import { afterAll, describe, it } from 'vitest';
import { SqliteProvider } from '../src/index.js';

const dir = mkdtempSync(join(tmpdir(), 'partcopy-sqlite-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const path = join(dir, 'store.sqlite');

runConformance({
  name: 'sqlite (example third-party provider)',
  runner: { describe, it },
  env: {},
  createProvider: () => new SqliteProvider({ path, minPartSize: 1024 }),
  // A second connection to the same file: what another process holding the upload id would open.
  reopenProvider: () => new SqliteProvider({ path, minPartSize: 1024 }),
});
