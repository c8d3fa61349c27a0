/**
 * The S3 compatibility suite (ceph/s3-tests, pinned in scripts/s3-tests-install.sh) through the
 * gateway. In the test run: the memory lane, which must pass at least the floor recorded in
 * compat/floor.json and every test listed there as must-pass. scripts/s3-compat.sh runs the
 * same file for every backend it is given (PARTCOPY_S3_COMPAT_BACKENDS) and prints the table;
 * PARTCOPY_S3_COMPAT_UPDATE=1 rewrites the floor from a memory run.
 */

import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { FsProvider } from '@partcopy/fs';
import { createMemoryProvider } from '@partcopy/memory';
import { describe, expect, it } from 'vitest';
import type { BucketListing } from '../src/index.js';
import { openBackend, type RunningGateway, startGateway } from './support/gateway-harness.js';
import {
  type CompatBackend,
  failureReport,
  installSuite,
  resultTable,
  runSuite,
  SUITE_USERS,
  type SuiteRun,
} from './support/s3-tests-suite.js';

const floorFile = resolve(import.meta.dirname, '../compat/floor.json');
const outDir = resolve(process.env.PARTCOPY_S3_COMPAT_OUT ?? join(tmpdir(), 's3-compat-results'));
const requested = process.env.PARTCOPY_S3_COMPAT_BACKENDS?.split(',').filter(Boolean) as
  | CompatBackend[]
  | undefined;
const k = process.env.PARTCOPY_S3_COMPAT_K || undefined;
const RUN_TIMEOUT_MS = 60 * 60_000;

interface Floor {
  suiteCommit: string;
  memory: { passed: number; mustPass: string[] };
  /** Tests taken off the list on purpose, each with the reason (kept across updates). */
  dropped?: Record<string, string>;
}

// The gateway as `partcopy serve s3` sets it up for each backend: memory and a folder list their
// buckets; Azure and GCS (a store URL without a bucket) serve every bucket, listed by the store.
async function gatewayFor(
  backend: CompatBackend,
): Promise<{ gateway: RunningGateway; cleanup(): Promise<void> }> {
  const credentials = Object.values(SUITE_USERS);
  // ACLs enabled, as on the suite's reference (Ceph RGW): `partcopy serve s3 --object-ownership ObjectWriter`.
  const defaultObjectOwnership = 'ObjectWriter' as const;
  if (backend === 'memory') {
    const provider = createMemoryProvider();
    const listBuckets = async (): Promise<BucketListing[]> =>
      [...provider.store.buckets.values()].map((b) => ({ name: b.name, creationDate: b.created }));
    return {
      gateway: await startGateway(provider, { credentials, listBuckets, defaultObjectOwnership }),
      cleanup: async () => {},
    };
  }
  if (backend === 'fs') {
    const root = await mkdtemp(join(tmpdir(), 'pc-s3compat-'));
    const listBuckets = async (): Promise<BucketListing[]> => {
      const entries = await readdir(root, { withFileTypes: true });
      const dirs = entries.filter((e) => e.isDirectory() && !e.name.startsWith('.'));
      return Promise.all(
        dirs.map(async (e) => ({ name: e.name, creationDate: (await stat(join(root, e.name))).birthtime })),
      );
    };
    return {
      gateway: await startGateway(new FsProvider({ root }), {
        credentials,
        listBuckets,
        defaultObjectOwnership,
      }),
      cleanup: () => rm(root, { recursive: true, force: true }),
    };
  }
  const opened = await openBackend(backend);
  return {
    gateway: await startGateway(opened.provider, { credentials, defaultObjectOwnership }),
    cleanup: opened.cleanup,
  };
}

async function runLane(backend: CompatBackend, only?: readonly string[]): Promise<SuiteRun> {
  const install = installSuite();
  const { gateway, cleanup } = await gatewayFor(backend);
  try {
    const run = await runSuite({
      backend,
      url: gateway.url,
      install,
      outDir,
      ...(k ? { k } : {}),
      ...(only ? { only } : {}),
    });
    writeFileSync(join(outDir, `failures-${backend}.md`), failureReport(run));
    return run;
  } finally {
    await gateway.close();
    await cleanup();
  }
}

const suiteCommit = (): string =>
  /S3_TESTS_COMMIT=(\w+)/.exec(
    readFileSync(resolve(import.meta.dirname, '../../../scripts/s3-tests-install.sh'), 'utf8'),
  )?.[1] ?? '';

const passedNames = (run: SuiteRun) =>
  run.results
    .filter((r) => r.outcome === 'passed')
    .map((r) => r.name)
    .sort();

describe('ceph/s3-tests through the gateway', () => {
  if (requested) {
    // scripts/s3-compat.sh: every lane asked for, the table written for the script to print.
    const runs: SuiteRun[] = [];
    for (const backend of requested) {
      it(
        `${backend} lane`,
        async () => {
          mkdirSync(outDir, { recursive: true });
          const run = await runLane(backend);
          runs.push(run);
          writeFileSync(join(outDir, 'table.txt'), `${resultTable(runs)}\n`);
          expect(run.results.length).toBeGreaterThan(0);
        },
        RUN_TIMEOUT_MS,
      );
    }
    return;
  }

  // The test run's slice: the tests recorded as passing on memory (compat/floor.json), run by
  // name, so a regression fails here and the run stays minutes long. PARTCOPY_S3_COMPAT_UPDATE=1
  // runs the whole lane instead and records what passed as the new list.
  it(
    'memory lane: every test recorded as passing still passes',
    async () => {
      const update = process.env.PARTCOPY_S3_COMPAT_UPDATE === '1';
      const recorded = JSON.parse(readFileSync(floorFile, 'utf8')) as Floor;
      const run = await runLane('memory', update ? undefined : recorded.memory.mustPass);
      const passed = passedNames(run);
      if (update) {
        const floor: Floor = {
          suiteCommit: suiteCommit(),
          memory: { passed: passed.length, mustPass: passed },
          ...(recorded.dropped ? { dropped: recorded.dropped } : {}),
        };
        writeFileSync(floorFile, `${JSON.stringify(floor, null, 2)}\n`);
        return;
      }
      expect(recorded.suiteCommit, 'compat/floor.json names another suite commit').toBe(suiteCommit());
      const lost = recorded.memory.mustPass.filter((name) => !passed.includes(name));
      // Which must-pass tests failed, and why, in the assertion's message.
      const why = lost.map(
        (name) => `${name}: ${run.results.find((r) => r.name === name)?.message ?? 'not run'}`,
      );
      expect(why, `failures in ${join(outDir, 'failures-memory.md')}`).toEqual([]);
      expect(passed.length).toBeGreaterThanOrEqual(recorded.memory.passed);
    },
    RUN_TIMEOUT_MS,
  );
});
