#!/usr/bin/env node
// node packages/bench/src/cli.ts [--quick] [--compare FILE] [--out DIR]  (scripts/bench.sh builds
// the CLI first and runs this). Starts MinIO, Azurite and fake-gcs-server, measures, prints the
// tables on stdout (progress on stderr) and writes bench-results/<timestamp>.json.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, hostname, release, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { requireServerEnv, startServers, stopServers } from '@partcopy/test-servers';
import { facadeOverhead } from './facade-overhead.ts';
import { fleetBench, printFleet } from './fleet-bench.ts';
import { gatewayBackends } from './gateway-backends.ts';
import { gatewayThroughput, printGatewayThroughput } from './gateway-throughput.ts';
import { loadAverage } from './load.ts';
import { type ManagedCopyContext, managedCopy } from './managed-copy.ts';
import { providerBytes, providerSourceName } from './provider-bytes.ts';
import { printComparison, printReport } from './report.ts';
import type { BenchResults } from './results.ts';
import { runCommand } from './run-command.ts';
import { sizeLabel } from './stats.ts';
import { minioTarget, PARTCOPY_BIN, REPO_ROOT } from './stores.ts';
import { ensureTools } from './tools.ts';
import { chosenPairs, printTransferPairs, transferPairs } from './transfer-pairs.ts';

const MiB = 2 ** 20;
const GiB = 2 ** 30;

const USAGE = `usage: scripts/bench.sh [--quick] [--compare FILE] [--out DIR]

  --quick         64 MiB and 1 GiB only, fewer runs (a few minutes)
  --compare FILE  also print each figure's median next to the one in FILE (an earlier run's JSON)
  --out DIR       where the JSON goes (default bench-results/ in the repository)
  --only LIST     run only these sections: managed, bytes, facade, fleet, transfer, gateway (default all)
  --sizes LIST    managed-copy sizes instead of the mode's, e.g. 6GiB or 64MiB,1GiB (runs as in
                  the full plan: 7, 5, 3; 3 for other sizes)
  --transfer-size SIZE   cross-store transfer size instead of the mode's, e.g. 5GiB (peak RSS at
                  scale; the bench starts Azurite and fake-gcs-server with their objects on disk)
  --transfer-pairs LIST  only these cross-store pairs, e.g. s3-az,az-s3 (default all six)
`;

const SECTIONS = ['managed', 'bytes', 'facade', 'fleet', 'transfer', 'gateway'] as const;

const PLANS = {
  quick: {
    sizes: [[64 * MiB, 5] as const, [GiB, 3] as const],
    providerRuns: 2,
    facadeCalls: 30,
    fleet: { objectSize: 512 * MiB, partSize: 32 * MiB, bulkObjects: 300, runs: 2, overheadJobs: 500 },
    transfer: [256 * MiB, 2] as const,
    gateway: { size: 2 * GiB, runs: 2, emulatorSize: 256 * MiB },
  },
  full: {
    sizes: [[64 * MiB, 7] as const, [GiB, 5] as const, [6 * GiB, 3] as const],
    providerRuns: 3,
    facadeCalls: 100,
    fleet: { objectSize: GiB, partSize: 64 * MiB, bulkObjects: 1000, runs: 3, overheadJobs: 2000 },
    transfer: [GiB, 3] as const,
    gateway: { size: 4 * GiB, runs: 3, emulatorSize: GiB },
  },
};

/** Figures of the issue that need code not merged yet; printed as such, never invented. */
const NOT_YET: string[] = []; // compose: packages/bench/src/compose-bench.ts

const log = (line: string) => console.error(`[bench] ${line}`);

/** `--sizes 64MiB,6GiB`: each size with the full plan's run count for it (3 for others). */
function chosenSizes(list: string): Array<readonly [number, number]> {
  const runsFor = new Map<number, number>(PLANS.full.sizes.map(([size, runs]) => [size, runs]));
  return list.split(',').map((text) => {
    const size = parseSize(text, '--sizes');
    return [size, runsFor.get(size) ?? 3] as const;
  });
}

function parseSize(text: string, option: string): number {
  const match = /^(\d+)(MiB|GiB)$/.exec(text.trim());
  if (!match) throw new Error(`${option}: "${text}" is not a size like 64MiB or 6GiB`);
  return Number(match[1]) * (match[2] === 'GiB' ? GiB : MiB);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      quick: { type: 'boolean', default: false },
      compare: { type: 'string' },
      out: { type: 'string' },
      only: { type: 'string' },
      sizes: { type: 'string' },
      'transfer-size': { type: 'string' },
      'transfer-pairs': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const previous = values.compare
    ? (JSON.parse(readFileSync(values.compare, 'utf8')) as BenchResults)
    : undefined;
  const only = values.only ? values.only.split(',').map((x) => x.trim()) : [...SECTIONS];
  const unknown = only.filter((x) => !(SECTIONS as readonly string[]).includes(x));
  if (unknown.length > 0)
    throw new Error(`unknown section(s) ${unknown.join(', ')}; known: ${SECTIONS.join(', ')}`);
  const mode = values.quick ? 'quick' : 'full';
  const plan = { ...PLANS[mode], ...(values.sizes ? { sizes: chosenSizes(values.sizes) } : {}) };
  const tools = ensureTools(log);
  const partcopyVersion = (await runCommand([process.execPath, PARTCOPY_BIN, '--version'])).stdout.trim();
  const results: BenchResults = {
    format: 1,
    mode,
    startedAt: new Date().toISOString(),
    machine: {
      hostname: hostname(),
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
      memoryGiB: Math.round(totalmem() / GiB),
      kernel: release(),
      node: process.version,
    },
    tools: {
      partcopy: partcopyVersion,
      rclone: tools.rcloneVersion,
      aws: tools.awsVersion,
      ...(tools.awsWarning ? { awsWarning: tools.awsWarning } : {}),
    },
    load: { start: loadAverage() },
    managedCopy: [],
    providerBytes: [],
    notYet: NOT_YET,
  };
  if (tools.awsWarning) log(`WARNING: ${tools.awsWarning}`);

  const stateFile = join(tmpdir(), `partcopy-bench-servers-${process.pid}.json`);
  const servers = [
    'minio',
    'azurite',
    'gcs',
    ...(only.includes('fleet') ? (['redis'] as const) : []),
  ] as const;
  // Azurite and fake-gcs-server keep their objects on disk here: in RAM, a run of 1 GiB transfers
  // filled this 24 GiB machine (neither gives a deleted object's memory back at once), squeezing
  // MinIO's page cache until it answered SlowDownRead. Both tools meet the same servers.
  const set = await startServers({ servers: [...servers], stateFile, log, emulatorData: 'disk' });
  const stop = () => stopServers(set).catch((e: unknown) => log(`stopping the servers failed: ${String(e)}`));
  const onSignal = () => {
    void stop().then(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const workDir = mkdtempSync(join(tmpdir(), 'partcopy-bench-'));
  try {
    const minio = requireServerEnv('minio', set.env);
    const target = minioTarget(minio);
    const s3 = new S3Client({
      endpoint: target.endpoint,
      region: 'us-east-1',
      forcePathStyle: true,
      credentials: { accessKeyId: target.accessKey, secretAccessKey: target.secretKey },
    });
    const bucket = 'bench';
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    const emptyConfig = join(workDir, 'empty.conf');
    writeFileSync(emptyConfig, '');
    const minioPid = set.servers.find((server) => server.name === 'minio')?.process.pid;
    const ctx: ManagedCopyContext = { s3, minio: target, bucket, workDir, emptyConfig, minioPid, log };

    for (const [size, runs] of only.includes('managed') ? plan.sizes : []) {
      // The proxied request counts and client bytes are taken once per size, 64 MiB included: the
      // whole-object path must show about 0 payload bytes through the client too.
      results.managedCopy.push(await managedCopy(ctx, size, runs, true));
    }
    if (only.includes('bytes'))
      results.providerBytes = await runProviderBytes(set.env, workDir, plan.providerRuns);
    if (only.includes('facade')) {
      log(`facade overhead: ${plan.facadeCalls} calls of each kind and shape`);
      results.facadeOverhead = await facadeOverhead(target, bucket, plan.facadeCalls);
    }
    if (only.includes('fleet')) {
      results.fleet = await fleetBench(
        target,
        requireServerEnv('redis', set.env).PARTCOPY_REDIS_URL,
        plan.fleet,
        log,
      );
    }
    if (only.includes('transfer')) {
      const servers = {
        minio,
        azurite: requireServerEnv('azurite', set.env),
        gcs: requireServerEnv('gcs', set.env),
      };
      const [planSize, runs] = plan.transfer;
      const size = values['transfer-size'] ? parseSize(values['transfer-size'], '--transfer-size') : planSize;
      const pairs = values['transfer-pairs'] ? chosenPairs(values['transfer-pairs']) : undefined;
      results.transfer = await transferPairs({ servers, workDir, emptyConfig, log }, size, runs, pairs);
    }
    if (only.includes('gateway')) {
      const { size, runs } = plan.gateway;
      results.gateway = [];
      const stores = gatewayBackends(
        workDir,
        requireServerEnv('azurite', set.env),
        requireServerEnv('gcs', set.env),
      );
      for (const backend of stores) {
        // The gateway's memory store holds every byte in memory, and the emulators are slow at scale:
        // a smaller object for them.
        const backendSize = backend.name === 'fs' ? size : Math.min(size, plan.gateway.emulatorSize);
        results.gateway.push(await gatewayThroughput({ workDir, size: backendSize, runs, log, backend }));
      }
    }
    s3.destroy();
  } finally {
    rmSync(workDir, { recursive: true, force: true });
    await stop();
  }
  results.load.end = loadAverage();
  results.finishedAt = new Date().toISOString();

  printReport(results);
  if (results.fleet) printFleet(results.fleet);
  printTransferPairs(results.transfer ?? []);
  if (results.gateway) printGatewayThroughput(results.gateway);
  const outDir = values.out ?? join(REPO_ROOT, 'bench-results');
  mkdirSync(outDir, { recursive: true });
  const file = join(outDir, `${results.startedAt.replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
  console.log(`\nfigures written to ${file}`);
  if (previous && values.compare) printComparison(previous, results, values.compare);
}

/** Client bytes per provider and path, on a 64 MiB source. */
async function runProviderBytes(env: Record<string, string>, workDir: string, runs: number) {
  const size = 64 * MiB;
  const source = providerSourceName(workDir, sizeLabel(size));
  await runCommand(['dd', 'if=/dev/urandom', `of=${source}`, 'bs=1M', `count=${size / MiB}`, 'status=none']);
  const servers = {
    minio: requireServerEnv('minio', env),
    azurite: requireServerEnv('azurite', env),
    gcs: requireServerEnv('gcs', env),
  };
  return providerBytes(servers, source, size, runs, log);
}

main().catch((error: unknown) => {
  console.error(`[bench] failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  process.exit(1);
});
