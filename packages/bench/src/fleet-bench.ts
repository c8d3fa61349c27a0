// The fleet's figures: one object copied in parts by 1, 2 and 4 worker processes (each running 4
// jobs at once) through BullMQ on redis-server, a bulk copy of small objects likewise, and the
// per-job overhead the queue adds (an in-process worker on the memory store, where a part copy
// costs next to nothing, against the same part copies called directly).
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { PartCopyClient } from '@partcopy/core';
import { FleetClient, startFleetWorker } from '@partcopy/fleet';
import { createMemoryProvider } from '@partcopy/memory';
import { createS3Provider } from '@partcopy/s3';
import { summarize } from './stats.ts';
import type { S3Target } from './stores.ts';
import { printTable } from './table.ts';

const MiB = 2 ** 20;

export interface FleetBenchResult {
  object: { size: number; partSize: number; runs: Array<{ workers: number; seconds: number[] }> };
  bulk: { objects: number; objectSize: number; runs: Array<{ workers: number; seconds: number[] }> };
  overhead: { jobs: number; directMsPerPart: number; fleetMsPerJob: number };
}

export interface FleetBenchPlan {
  objectSize: number;
  partSize: number;
  bulkObjects: number;
  runs: number;
  overheadJobs: number;
}

export async function fleetBench(
  target: S3Target,
  redisUrl: string,
  plan: FleetBenchPlan,
  log: (line: string) => void,
): Promise<FleetBenchResult> {
  const client = new PartCopyClient(
    createS3Provider({
      endpoint: target.endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: target.accessKey, secretAccessKey: target.secretKey },
    }),
  );
  const bucket = 'bench-fleet';
  await client.createBucket({ bucket });
  log(`fleet: ${plan.objectSize / MiB} MiB source and ${plan.bulkObjects} small objects on MinIO`);
  await client.putObject({ bucket, key: 'src.bin', body: randomBytes(plan.objectSize) });
  for (let i = 0; i < plan.bulkObjects; i += 16) {
    await Promise.all(
      Array.from({ length: Math.min(16, plan.bulkObjects - i) }, (_, j) =>
        client.putObject({ bucket, key: `small/${i + j}`, body: randomBytes(4096) }),
      ),
    );
  }
  const result: FleetBenchResult = {
    object: { size: plan.objectSize, partSize: plan.partSize, runs: [] },
    bulk: { objects: plan.bulkObjects, objectSize: 4096, runs: [] },
    overhead: { jobs: plan.overheadJobs, directMsPerPart: 0, fleetMsPerJob: 0 },
  };
  for (const workers of [1, 2, 4]) {
    const queue = `bench${workers}${Date.now().toString(36)}`;
    const procs = await startWorkers(workers, queue, target, redisUrl);
    const fleet = new FleetClient({ redisUrl, queue });
    try {
      const objectRuns: number[] = [];
      const bulkRuns: number[] = [];
      for (let run = 0; run < plan.runs; run++) {
        log(`fleet: ${workers} worker(s), run ${run + 1}/${plan.runs}`);
        objectRuns.push(await timeObject(fleet, client, bucket, plan.partSize, `dst/${queue}-${run}`));
        bulkRuns.push(await timeBulk(fleet, client, bucket, `bulk/${queue}-${run}/`));
      }
      result.object.runs.push({ workers, seconds: objectRuns });
      result.bulk.runs.push({ workers, seconds: bulkRuns });
    } finally {
      await fleet.close();
      await Promise.all(procs.map(stopProcess));
    }
  }
  result.overhead = await queueOverhead(redisUrl, plan.overheadJobs, log);
  await client.close();
  return result;
}

async function timeObject(
  fleet: FleetClient,
  client: PartCopyClient,
  bucket: string,
  partSize: number,
  key: string,
) {
  const started = performance.now();
  const id = await fleet.submitCopy({
    client,
    store: 'minio',
    source: { bucket, key: 'src.bin' },
    destination: { bucket, key },
    partSize,
  });
  const done = await fleet.waitForSession(id, { intervalMs: 20 });
  if (done.state !== 'completed') throw new Error(`fleet session ${id} ${done.state}: ${done.error}`);
  return (performance.now() - started) / 1000;
}

async function timeBulk(fleet: FleetClient, client: PartCopyClient, bucket: string, prefix: string) {
  const started = performance.now();
  const id = await fleet.submitBulk({
    client,
    store: 'minio',
    source: { bucket, prefix: 'small/' },
    destination: { bucket, prefix },
  });
  const report = await fleet.waitForBulk(id, { intervalMs: 20 });
  if (report.failed > 0)
    throw new Error(`bulk ${id}: ${report.failed} failed, first ${report.failures[0]?.error}`);
  return (performance.now() - started) / 1000;
}

/** Part copies on the memory store: directly, then as fleet jobs (one worker, one at a time). */
async function queueOverhead(redisUrl: string, jobs: number, log: (line: string) => void) {
  log(`fleet: per-job overhead over ${jobs} part jobs (memory store, one in-process worker)`);
  const client = new PartCopyClient(createMemoryProvider({ minPartSize: 1024 }));
  await client.createBucket({ bucket: 'o' });
  await client.putObject({ bucket: 'o', key: 'src', body: randomBytes(jobs * 1024) });
  const upload = await client.createMultipartUpload({ bucket: 'o', key: 'direct' });
  const started = performance.now();
  for (let n = 1; n <= jobs; n++) {
    await client.uploadPartCopy({
      bucket: 'o',
      key: 'direct',
      uploadId: upload.uploadId,
      partNumber: n,
      copySource: { bucket: 'o', key: 'src' },
      copySourceRange: { start: (n - 1) * 1024, end: n * 1024 - 1 },
    });
  }
  const directMs = performance.now() - started;
  await client.abortMultipartUpload({ bucket: 'o', key: 'direct', uploadId: upload.uploadId });
  const queue = `overhead${Date.now().toString(36)}`;
  const worker = startFleetWorker({ redisUrl, queue, concurrency: 1, resolveClient: () => client });
  await worker.ready();
  const fleet = new FleetClient({ redisUrl, queue });
  try {
    const id = await fleet.submitCopy({
      client,
      store: 'memory',
      source: { bucket: 'o', key: 'src' },
      destination: { bucket: 'o', key: 'fleet' },
      partSize: 1024,
    });
    const done = await fleet.waitForSession(id, { intervalMs: 10 });
    if (done.state !== 'completed') throw new Error(`overhead session ${done.state}: ${done.error}`);
    const fleetMs = (done.finishedAt?.getTime() ?? Date.now()) - done.startedAt.getTime();
    // The completion job is one more job; its own store call is counted as one part copy.
    return { jobs, directMsPerPart: directMs / jobs, fleetMsPerJob: fleetMs / (jobs + 1) };
  } finally {
    await fleet.close();
    await worker.close();
  }
}

async function startWorkers(
  count: number,
  queue: string,
  target: S3Target,
  redisUrl: string,
): Promise<ChildProcess[]> {
  const script = fileURLToPath(new URL('./fleet-worker.ts', import.meta.url));
  const env = { ...process.env };
  delete env.NODE_OPTIONS;
  const procs = Array.from({ length: count }, () =>
    spawn(process.execPath, [script], {
      env: {
        ...env,
        BENCH_S3_ENDPOINT: target.endpoint,
        BENCH_S3_ACCESS_KEY: target.accessKey,
        BENCH_S3_SECRET_KEY: target.secretKey,
        BENCH_REDIS_URL: redisUrl,
        BENCH_QUEUE: queue,
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    }),
  );
  await Promise.all(
    procs.map(
      (p) =>
        new Promise<void>((resolve, reject) => {
          p.stdout?.on('data', (chunk: Buffer) => {
            if (chunk.toString().includes('ready')) resolve();
          });
          p.once('exit', (code) =>
            reject(new Error(`fleet bench worker exited ${code} before it was ready`)),
          );
        }),
    ),
  );
  return procs;
}

async function stopProcess(p: ChildProcess): Promise<void> {
  if (p.exitCode !== null) return;
  const exited = new Promise((resolve) => p.once('exit', resolve));
  p.kill('SIGTERM');
  await exited;
}

const median = (xs: readonly number[]) => summarize(xs).median;

export function printFleet(r: FleetBenchResult): void {
  const one = median(r.object.runs[0]?.seconds ?? []);
  printTable(
    `Fleet: one ${r.object.size / MiB} MiB object on MinIO in ${r.object.partSize / MiB} MiB parts (BullMQ on redis-server, 4 jobs per worker)`,
    ['workers', 'median', 'min / max', 'MiB/s', 'vs 1 worker'],
    r.object.runs.map(({ workers, seconds }) => [
      String(workers),
      `${median(seconds).toFixed(2)} s`,
      `${Math.min(...seconds).toFixed(2)} / ${Math.max(...seconds).toFixed(2)} s`,
      (r.object.size / MiB / median(seconds)).toFixed(0),
      `${(one / median(seconds)).toFixed(2)}x`,
    ]),
  );
  const bulkOne = median(r.bulk.runs[0]?.seconds ?? []);
  printTable(
    `Fleet: bulk copy of ${r.bulk.objects} objects of ${r.bulk.objectSize / 1024} KiB on MinIO (one job per object)`,
    ['workers', 'median', 'objects/s', 'vs 1 worker'],
    r.bulk.runs.map(({ workers, seconds }) => [
      String(workers),
      `${median(seconds).toFixed(2)} s`,
      (r.bulk.objects / median(seconds)).toFixed(0),
      `${(bulkOne / median(seconds)).toFixed(2)}x`,
    ]),
  );
  printTable(
    `Fleet: per-job overhead of the queue (${r.overhead.jobs} part jobs, memory store, one in-process worker)`,
    ['direct uploadPartCopy', 'as a fleet job', 'overhead per job'],
    [
      [
        `${r.overhead.directMsPerPart.toFixed(3)} ms`,
        `${r.overhead.fleetMsPerJob.toFixed(3)} ms`,
        `${(r.overhead.fleetMsPerJob - r.overhead.directMsPerPart).toFixed(3)} ms`,
      ],
    ],
  );
}
