#!/usr/bin/env node
// node packages/bench/src/compose-bench.ts [--pieces N] [--max-piece MiB] [--whole N] [--only mixed,whole]
// (build the CLI first: pnpm --filter @partcopy/cli build). Starts MinIO, Azurite and
// fake-gcs-server and prints two tables:
//  1. `partcopy compose` of N pieces (default 1,000) of mixed sizes (1 KiB up to --max-piece,
//     default 64 MiB, log-uniform) cut from 50 objects, on each store, through a counting proxy:
//     client bytes (the engine's count and the wire's) against the plan's lower bound, requests,
//     wall time;
//  2. --whole N (default 10,000) whole objects composed on fake-gcs-server: compose calls against
//     ceil((N-1)/31).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import {
  type AzuriteEnv,
  type GcsEnv,
  type MinioEnv,
  requireServerEnv,
  startServers,
  stopServers,
} from '@partcopy/test-servers';
import { type CountingProxy, startCountingProxy } from './counting-proxy.ts';
import { loadAverage } from './load.ts';
import { runCommand } from './run-command.ts';
import { minioTarget, partcopyArgv, partcopyAzureEnv, partcopyGcsEnv, partcopyS3Env } from './stores.ts';
import { printTable } from './table.ts';

const KiB = 1024;
const MiB = 1024 * KiB;
const SOURCES = 50;
const log = (line: string) => console.error(`[compose-bench] ${line}`);

interface Store {
  name: string;
  scheme: string;
  endpoint: URL;
  env: (proxy?: string) => NodeJS.ProcessEnv;
}

interface ComposeJson {
  strategy: string;
  size: number;
  pieces: number;
  bytesServerSide: number;
  bytesClientStreamed: number;
  clientBytesLowerBound: number;
  requests: number;
  requestsByOperation: Record<string, number>;
  durationMs: number;
}

/** A small seeded generator, so every run cuts the same pieces. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

/** 50 source sizes: five of `maxPiece` (the large pieces come from them), the rest 2 MiB. */
function sourceSizes(maxPiece: number): number[] {
  return Array.from({ length: SOURCES }, (_, i) => (i < 5 ? maxPiece : 2 * MiB));
}

/** `count` pieces, sizes log-uniform in [1 KiB, the source's size], at random offsets. */
function pieces(count: number, sizes: readonly number[]) {
  const next = random(11);
  return Array.from({ length: count }, (_, i) => {
    const source = i % SOURCES;
    const max = sizes[source] as number;
    const size = Math.max(KiB, Math.min(max, Math.round(KiB * (max / KiB) ** next())));
    const start = Math.floor(next() * (max - size + 1));
    return { source, start, end: start + size - 1 };
  });
}

function stores(minio: MinioEnv, azurite: AzuriteEnv, gcs: GcsEnv): Store[] {
  const az = new URL(azurite.PARTCOPY_AZURITE_BLOB_ENDPOINT);
  return [
    {
      name: 's3 (MinIO)',
      scheme: 's3',
      endpoint: new URL(minio.PARTCOPY_MINIO_ENDPOINT),
      env: (proxy) => partcopyS3Env(minioTarget(minio, proxy)),
    },
    {
      name: 'azure (Azurite)',
      scheme: 'az',
      endpoint: az,
      env: (proxy) => partcopyAzureEnv(azurite, proxy ? `${proxy}${az.pathname}` : undefined),
    },
    {
      name: 'gcs (fake-gcs-server)',
      scheme: 'gs',
      endpoint: new URL(gcs.PARTCOPY_GCS_ENDPOINT),
      env: (proxy) => partcopyGcsEnv(gcs, proxy, true),
    },
  ];
}

async function mixedRow(store: Store, workDir: string, count: number, maxPiece: number) {
  const run = (args: string[], proxy?: string) => runCommand(partcopyArgv(args), { env: store.env(proxy) });
  const bucket = `${store.scheme}://bench-compose`;
  await run(['mb', bucket]).catch(() => undefined);
  const sizes = sourceSizes(maxPiece);
  log(`${store.name}: uploading ${SOURCES} sources`);
  for (const [i, size] of sizes.entries()) {
    const file = join(workDir, `src-${i}.bin`);
    await runCommand(['dd', 'if=/dev/urandom', `of=${file}`, 'bs=1K', `count=${size / KiB}`, 'status=none']);
    await run(['put', file, `${bucket}/src-${i}.bin`]);
  }
  const list = pieces(count, sizes);
  const manifest = join(workDir, `${store.scheme}-pieces.txt`);
  writeFileSync(
    manifest,
    `${list.map((p) => `${bucket}/src-${p.source}.bin[${p.start}-${p.end}]`).join('\n')}\n`,
  );
  const proxy = await startCountingProxy(store.endpoint);
  try {
    log(`${store.name}: composing ${count} pieces`);
    const started = performance.now();
    const result = await run(['compose', `${bucket}/out.bin`, '--manifest', manifest, '--json'], proxy.url());
    const wallMs = performance.now() - started;
    const json = JSON.parse(result.stdout) as ComposeJson;
    const wire = wireBytes(proxy);
    await run(['rm', `${bucket}/out.bin`]).catch(() => undefined);
    return { store: store.name, json, wire, wireRequests: proxy.counts().requests, wallMs };
  } finally {
    await proxy.close();
  }
}

// Payload through the client shows as received (GETs) plus sent (uploads); heads and answers are
// a few hundred bytes per request.
function wireBytes(proxy: CountingProxy): number {
  const c = proxy.counts();
  return c.sent + c.received;
}

/** `count` tiny objects written straight to fake-gcs-server's JSON API (a process per put would take minutes). */
async function seedGcs(gcs: GcsEnv, bucket: string, count: number): Promise<void> {
  const base = gcs.PARTCOPY_GCS_ENDPOINT.replace(/\/$/, '');
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      const url = `${base}/upload/storage/v1/b/${bucket}/o?uploadType=media&name=w-${String(i).padStart(5, '0')}`;
      const response = await fetch(url, { method: 'POST', body: `piece ${i}\n` });
      if (!response.ok) throw new Error(`seeding object ${i}: HTTP ${response.status}`);
      await response.arrayBuffer();
    }
  };
  await Promise.all(Array.from({ length: 16 }, worker));
}

async function wholeRow(gcs: GcsEnv, workDir: string, count: number) {
  const run = (args: string[]) => runCommand(partcopyArgv(args), { env: partcopyGcsEnv(gcs) });
  await run(['mb', 'gs://bench-whole']).catch(() => undefined);
  log(`gcs: seeding ${count} objects`);
  await seedGcs(gcs, 'bench-whole', count);
  const manifest = join(workDir, 'whole.txt');
  writeFileSync(
    manifest,
    `${Array.from({ length: count }, (_, i) => `gs://bench-whole/w-${String(i).padStart(5, '0')}`).join('\n')}\n`,
  );
  log(`gcs: composing ${count} whole objects`);
  const started = performance.now();
  const result = await run([
    'compose',
    'gs://bench-whole/joined',
    '--manifest',
    manifest,
    '--json',
    '--concurrency',
    '16',
  ]);
  const wallMs = performance.now() - started;
  const json = JSON.parse(result.stdout) as ComposeJson & { providerRequests?: Record<string, number> };
  const composeCalls = json.providerRequests?.compose ?? Number.NaN;
  return { count, json, composeCalls, bound: Math.ceil((count - 1) / 31), wallMs };
}

const mib = (bytes: number) => `${(bytes / MiB).toFixed(2)} MiB`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      pieces: { type: 'string', default: '1000' },
      'max-piece': { type: 'string', default: '64' },
      whole: { type: 'string', default: '10000' },
      only: { type: 'string', default: 'mixed,whole' },
    },
  });
  const count = Number(values.pieces);
  const maxPiece = Number(values['max-piece']) * MiB;
  const only = values.only.split(',');
  const stateFile = join(tmpdir(), `partcopy-compose-bench-${process.pid}.json`);
  const set = await startServers({ servers: ['minio', 'azurite', 'gcs'], stateFile, log });
  const workDir = mkdtempSync(join(tmpdir(), 'partcopy-compose-bench-'));
  const loadStart = loadAverage();
  try {
    const minio = requireServerEnv('minio', set.env);
    const azurite = requireServerEnv('azurite', set.env);
    const gcs = requireServerEnv('gcs', set.env);
    if (only.includes('mixed')) {
      const rows = [];
      for (const store of stores(minio, azurite, gcs))
        rows.push(await mixedRow(store, workDir, count, maxPiece));
      printTable(
        `compose: ${count} pieces (1 KiB to ${mib(maxPiece)}, log-uniform) from ${SOURCES} objects, through a counting proxy`,
        [
          'store',
          'strategy',
          'result',
          'client bytes (engine)',
          'lower bound',
          'wire bytes',
          'requests',
          'wall',
        ],
        rows.map((r) => [
          r.store,
          r.json.strategy,
          mib(r.json.size),
          mib(r.json.bytesClientStreamed),
          mib(r.json.clientBytesLowerBound),
          mib(r.wire),
          `${r.json.requests} (wire ${r.wireRequests})`,
          `${(r.wallMs / 1000).toFixed(1)} s`,
        ]),
      );
    }
    if (only.includes('whole')) {
      const w = await wholeRow(gcs, workDir, Number(values.whole));
      printTable(
        `compose: ${w.count} whole objects on fake-gcs-server`,
        [
          'objects',
          'compose calls',
          'ceil((N-1)/31)',
          'requests in all',
          'provider requests by kind',
          'wall',
        ],
        [
          [
            String(w.count),
            String(w.composeCalls),
            String(w.bound),
            String(w.json.requests),
            JSON.stringify(w.json.providerRequests ?? {}),
            `${(w.wallMs / 1000).toFixed(1)} s`,
          ],
        ],
      );
    }
    console.log(`\nload average: ${loadStart} at the start, ${loadAverage()} at the end`);
  } finally {
    rmSync(workDir, { recursive: true, force: true });
    await stopServers(set).catch((e: unknown) => log(`stopping the servers failed: ${String(e)}`));
  }
}

main().catch((error: unknown) => {
  console.error(
    `[compose-bench] failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
  );
  process.exit(1);
});
