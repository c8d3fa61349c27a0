// The S3 gateway's cost: a multi-GiB PUT and GET and a multipart copy (UploadPartCopy, 64 MiB
// parts, 4 in flight) through `partcopy serve s3` (a child process) vs the same store opened
// directly, with the same client code both ways (a PartCopyClient; through the gateway its
// provider is @partcopy/s3 pointed at it). The gateway's peak RSS (VmHWM) shows that bodies
// stream through it instead of being held. One run per backend: a folder, memory (the gateway's
// memory store is its own, so its RSS includes the objects it holds), Azurite, fake-gcs-server.
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { PartCopyClient, type Provider } from '@partcopy/core';
import { S3Provider } from '@partcopy/s3';
import { formatBytes, formatSummary, mibPerSecond, ratio, seconds, summarize } from './stats.ts';
import { PARTCOPY_BIN } from './stores.ts';
import { printTable } from './table.ts';

const MiB = 2 ** 20;
const PART = 64 * MiB;
const CONCURRENCY = 4;
const KEY = 'BENCHGATEWAYKEY';
const SECRET = 'bench-gateway-secret';

export interface GatewayBenchResult {
  backend: string;
  size: number;
  ms: Record<
    'putDirect' | 'putGateway' | 'getDirect' | 'getGateway' | 'copyDirect' | 'copyGateway',
    number[]
  >;
  /** The gateway process's peak resident set size (VmHWM), in bytes. */
  gatewayPeakRss: number;
}

/** A store the gateway serves and the same store opened directly. */
export interface GatewayBackend {
  /** Shown in the table: fs, memory, azurite, fake-gcs. */
  name: string;
  /** `partcopy serve s3 --backend` of the gateway. */
  url: string;
  /** The bucket (or container) both sides use. */
  bucket: string;
  /** What the gateway process needs to reach the store (keys, endpoints). */
  env?: NodeJS.ProcessEnv;
  /** The same store, opened in this process. */
  open(): Provider | Promise<Provider>;
  /** The gateway's store is its own (memory:): the bucket is made on both sides. */
  separateStore?: boolean;
}

export interface GatewayBenchOptions {
  workDir: string;
  size: number;
  runs: number;
  log: (line: string) => void;
  backend: GatewayBackend;
}

export async function gatewayThroughput(options: GatewayBenchOptions): Promise<GatewayBenchResult> {
  const { backend } = options;
  const bucket = backend.bucket;
  const gateway = await startGateway(backend.url, backend.env);
  const direct = new PartCopyClient(await backend.open());
  const through = new PartCopyClient(
    new S3Provider({
      credentials: { accessKeyId: KEY, secretAccessKey: SECRET },
      clientConfig: { endpoint: gateway.url, region: 'us-east-1', forcePathStyle: true },
    }),
  );
  const result: GatewayBenchResult = {
    backend: backend.name,
    size: options.size,
    ms: { putDirect: [], putGateway: [], getDirect: [], getGateway: [], copyDirect: [], copyGateway: [] },
    gatewayPeakRss: 0,
  };
  try {
    await direct.createBucket({ bucket });
    if (backend.separateStore) await through.createBucket({ bucket });
    for (let run = 0; run < options.runs; run++) {
      // Alternate which side goes first, so neither always meets a warm page cache.
      const order: Array<['Direct' | 'Gateway', PartCopyClient]> =
        run % 2 === 0
          ? [
              ['Direct', direct],
              ['Gateway', through],
            ]
          : [
              ['Gateway', through],
              ['Direct', direct],
            ];
      for (const [side, client] of order) {
        const key = `obj-${side}`;
        options.log(
          `gateway bench (${backend.name}) run ${run + 1}/${options.runs}: ${side} PUT/GET/copy of ${formatBytes(options.size)}`,
        );
        result.ms[`put${side}`].push(await timed(() => put(client, bucket, key, options.size)));
        result.ms[`get${side}`].push(await timed(() => drain(client, bucket, key, options.size)));
        result.ms[`copy${side}`].push(
          await timed(() => multipartCopy(client, bucket, key, `${key}-copy`, options.size)),
        );
        await client.deleteObject({ bucket, key });
        await client.deleteObject({ bucket, key: `${key}-copy` });
      }
    }
    result.gatewayPeakRss = peakRss(gateway.process.pid as number);
  } finally {
    await through.close();
    await direct.close();
    await stopGateway(gateway.process);
  }
  return result;
}

export function printGatewayThroughput(results: readonly GatewayBenchResult[]): void {
  const rows: string[][] = [];
  for (const r of results) {
    for (const op of ['put', 'get', 'copy'] as const) {
      const direct = r.ms[`${op}Direct`];
      const gateway = r.ms[`${op}Gateway`];
      const ratios = gateway.map((g, i) => g / (direct[i] as number));
      rows.push([
        `${op.toUpperCase()} ${formatBytes(r.size)} (${r.backend})`,
        formatSummary(summarize(direct), seconds),
        mibPerSecond(r.size / summarize(direct).median),
        formatSummary(summarize(gateway), seconds),
        mibPerSecond(r.size / summarize(gateway).median),
        formatSummary(summarize(ratios), ratio),
      ]);
    }
    rows.push([`gateway peak RSS (${r.backend})`, '', '', formatBytes(r.gatewayPeakRss), '', '']);
  }
  printTable(
    'S3 gateway (partcopy serve s3) vs the store directly; copy = UploadPartCopy, 64 MiB parts, 4 in flight',
    ['operation', 'direct', 'direct rate', 'through gateway', 'gateway rate', 'gateway / direct'],
    rows,
  );
}

async function timed(fn: () => Promise<void>): Promise<number> {
  const started = performance.now();
  await fn();
  return performance.now() - started;
}

// The same 8 MiB block again and again: the source costs no disk reads on either side.
async function* pattern(size: number): AsyncGenerator<Uint8Array> {
  const block = new Uint8Array(8 * MiB).map((_, i) => (i * 31) & 0xff);
  for (let left = size; left > 0; left -= block.length)
    yield left >= block.length ? block : block.subarray(0, left);
}

async function put(client: PartCopyClient, bucket: string, key: string, size: number): Promise<void> {
  await client.putObject({ bucket, key, body: pattern(size), contentLength: size });
}

async function drain(client: PartCopyClient, bucket: string, key: string, size: number): Promise<void> {
  const object = await client.getObject({ bucket, key });
  let seen = 0;
  for await (const chunk of object.body) seen += chunk.byteLength;
  if (seen !== size) throw new Error(`read ${seen} bytes of ${size}`);
}

async function multipartCopy(
  client: PartCopyClient,
  bucket: string,
  source: string,
  destination: string,
  size: number,
): Promise<void> {
  const upload = await client.createMultipartUpload({ bucket, key: destination });
  const ranges = Array.from({ length: Math.ceil(size / PART) }, (_, i) => ({
    partNumber: i + 1,
    start: i * PART,
    end: Math.min(size, (i + 1) * PART) - 1,
  }));
  const parts: Array<{ partNumber: number; etag: string }> = [];
  let next = 0;
  const worker = async () => {
    while (next < ranges.length) {
      const range = ranges[next++] as (typeof ranges)[number];
      const copied = await client.uploadPartCopy({
        bucket,
        key: destination,
        uploadId: upload.uploadId,
        partNumber: range.partNumber,
        copySource: { bucket, key: source },
        copySourceRange: { start: range.start, end: range.end },
      });
      parts.push({ partNumber: range.partNumber, etag: copied.copyPartResult.etag });
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  parts.sort((a, b) => a.partNumber - b.partNumber);
  await client.completeMultipartUpload({
    bucket,
    key: destination,
    uploadId: upload.uploadId,
    parts,
  });
}

async function startGateway(
  backend: string,
  env: NodeJS.ProcessEnv = {},
): Promise<{ process: ChildProcess; url: string }> {
  const child = spawn(
    process.execPath,
    [PARTCOPY_BIN, 'serve', 's3', '--backend', backend, '--port', '0', '--quiet'],
    {
      env: {
        ...env,
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        PARTCOPY_GATEWAY_ACCESS_KEY: KEY,
        PARTCOPY_GATEWAY_SECRET_KEY: SECRET,
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const url = await new Promise<string>((resolve, reject) => {
    let text = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      const found = /(https?:\/\/[^\s]+:\d+)/.exec(text)?.[1];
      if (found) resolve(found);
    });
    child.once('exit', (code) =>
      reject(new Error(`partcopy serve s3 exited (${code}) before listening: ${text}`)),
    );
  });
  return { process: child, url };
}

async function stopGateway(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

// VmHWM: the highest resident set size the process has had (Linux).
function peakRss(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? Number.NaN);
  return kib * 1024;
}
