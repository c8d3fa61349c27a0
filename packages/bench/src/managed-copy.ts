// Managed copy of one object on MinIO, server-side: partcopy's `cp` with default settings,
// `rclone copyto`, `aws s3 cp`, and the disk's physical limit, alternated within each run
// (partcopy, rclone, aws, physical, partcopy, ...) so a change of load hits all of them alike.
import { rmSync, statfsSync } from 'node:fs';
import { join } from 'node:path';
import { DeleteObjectCommand, HeadObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { startCountingProxy } from './counting-proxy.ts';
import { loadAverage } from './load.ts';
import { physicalCopy } from './physical.ts';
import { runCommand } from './run-command.ts';
import { cpuSeconds } from './server-cpu.ts';
import { sizeLabel } from './stats.ts';
import { awsEnv, copyCommands, partcopyArgv, type S3Target } from './stores.ts';
import { AWS } from './tools.ts';

export const PEERS = ['partcopy', 'rclone', 'aws'] as const;
export type Peer = (typeof PEERS)[number];

export interface WireFigures {
  sent: number;
  received: number;
  requests: number;
}

export interface ManagedCopyResult {
  size: number;
  label: string;
  skipped?: string;
  loadBefore: string;
  loadAfter?: string;
  /** `startup`: `partcopy --version`, the Node start and CLI load every partcopy run includes. */
  ms: Record<Peer | 'physical' | 'ddDirect' | 'cpSync' | 'startup', number[]>;
  rss: Record<Peer, number[]>;
  /** MinIO's CPU seconds spent on each tool's copy, per run (empty where /proc cannot say). */
  serverCpu: Record<Peer, number[]>;
  /** Per run: partcopy / physical, partcopy / the faster of rclone and aws. */
  partcopyToPhysical: number[];
  partcopyToBestPeer: number[];
  partcopyPlan?: { transfer: string; partsCount: number; partSize: number };
  /** One extra run of each tool through the counting proxy (only at the size chosen for it). */
  wire?: Record<Peer, WireFigures>;
}

export interface ManagedCopyContext {
  s3: S3Client;
  minio: S3Target;
  bucket: string;
  workDir: string;
  emptyConfig: string;
  /** MinIO's pid, to read its CPU time around each copy. */
  minioPid?: number;
  log: (line: string) => void;
}

/** Free bytes on the file system holding `dir`. */
export function freeBytes(dir: string): number {
  const s = statfsSync(dir);
  return s.bavail * s.bsize;
}

export async function managedCopy(
  ctx: ManagedCopyContext,
  size: number,
  runs: number,
  countWire: boolean,
): Promise<ManagedCopyResult> {
  const label = sizeLabel(size);
  const result: ManagedCopyResult = {
    size,
    label,
    loadBefore: loadAverage(),
    ms: { partcopy: [], rclone: [], aws: [], physical: [], ddDirect: [], cpSync: [], startup: [] },
    rss: { partcopy: [], rclone: [], aws: [] },
    serverCpu: { partcopy: [], rclone: [], aws: [] },
    partcopyToPhysical: [],
    partcopyToBestPeer: [],
  };
  // Source file + source object + one destination at a time (+1 GiB for MinIO's metadata and the rest).
  const need = 3 * size + 2 ** 30;
  const free = freeBytes(ctx.workDir);
  if (free < need) {
    result.skipped = `needs ${sizeLabel(need)} free on ${ctx.workDir}'s disk, ${(free / 2 ** 30).toFixed(1)} GiB free`;
    ctx.log(`[managed copy ${label}] skipped: ${result.skipped}`);
    return result;
  }
  const srcFile = join(ctx.workDir, `source-${label}.bin`);
  const srcKey = `source-${label}.bin`;
  const dstKey = `copy-${label}.bin`;
  try {
    ctx.log(`[managed copy ${label}] writing a random source and uploading it with aws s3 cp`);
    await runCommand([
      'dd',
      'if=/dev/urandom',
      `of=${srcFile}`,
      'bs=1M',
      `count=${size / 2 ** 20}`,
      'status=none',
    ]);
    await runCommand(
      [
        AWS,
        's3',
        'cp',
        '--only-show-errors',
        '--endpoint-url',
        ctx.minio.endpoint,
        srcFile,
        `s3://${ctx.bucket}/${srcKey}`,
      ],
      { env: awsEnv(ctx.minio, ctx.emptyConfig) },
    );
    const commands = copyCommands(ctx.bucket, srcKey, dstKey, ctx.emptyConfig);
    for (let run = 1; run <= runs; run++) {
      const ms: Partial<Record<Peer, number>> = {};
      for (const peer of PEERS) {
        await deleteObject(ctx, dstKey);
        const { argv, env } = commands[peer](ctx.minio);
        const cpuBefore = cpuSeconds(ctx.minioPid);
        const r = await runCommand(argv, { env });
        const cpuAfter = cpuSeconds(ctx.minioPid);
        if (cpuBefore !== undefined && cpuAfter !== undefined)
          result.serverCpu[peer].push(cpuAfter - cpuBefore);
        await expectSize(ctx, dstKey, size, peer);
        ms[peer] = r.ms;
        result.ms[peer].push(r.ms);
        result.rss[peer].push(r.maxRss);
        if (peer === 'partcopy') result.partcopyPlan = planOf(r.stdout);
      }
      await deleteObject(ctx, dstKey);
      result.ms.startup.push((await runCommand(partcopyArgv(['--version']))).ms);
      const physical = await physicalCopy(srcFile, join(ctx.workDir, `physical-${label}.bin`));
      result.ms.physical.push(physical.ms);
      result.ms.ddDirect.push(physical.ddDirectMs);
      result.ms.cpSync.push(physical.cpSyncMs);
      const p = ms.partcopy as number;
      result.partcopyToPhysical.push(p / physical.ms);
      result.partcopyToBestPeer.push(p / Math.min(ms.rclone as number, ms.aws as number));
      ctx.log(
        `[managed copy ${label}] run ${run}/${runs}: partcopy ${p.toFixed(0)} ms, rclone ${ms.rclone?.toFixed(0)} ms, ` +
          `aws ${ms.aws?.toFixed(0)} ms, physical ${physical.ms.toFixed(0)} ms (load ${loadAverage()})`,
      );
    }
    if (countWire) result.wire = await wireRuns(ctx, commands, dstKey, size);
  } finally {
    rmSync(srcFile, { force: true });
    await deleteObject(ctx, srcKey).catch(() => undefined);
    await deleteObject(ctx, dstKey).catch(() => undefined);
  }
  result.loadAfter = loadAverage();
  return result;
}

/** One run of each tool through the counting proxy: client bytes and requests of the same copy. */
async function wireRuns(
  ctx: ManagedCopyContext,
  commands: ReturnType<typeof copyCommands>,
  dstKey: string,
  size: number,
): Promise<Record<Peer, WireFigures>> {
  const proxy = await startCountingProxy(new URL(ctx.minio.endpoint));
  const out = {} as Record<Peer, WireFigures>;
  try {
    for (const peer of PEERS) {
      await deleteObject(ctx, dstKey);
      proxy.reset();
      const { argv, env } = commands[peer]({ ...ctx.minio, endpoint: proxy.url() });
      await runCommand(argv, { env });
      out[peer] = proxy.counts();
      await expectSize(ctx, dstKey, size, `${peer} (proxied)`);
    }
  } finally {
    await proxy.close();
  }
  return out;
}

function planOf(stdout: string): ManagedCopyResult['partcopyPlan'] {
  const json = JSON.parse(stdout) as { transfer: string; partsCount: number; partSize: number };
  return { transfer: json.transfer, partsCount: json.partsCount, partSize: json.partSize };
}

async function deleteObject(ctx: ManagedCopyContext, key: string): Promise<void> {
  await ctx.s3.send(new DeleteObjectCommand({ Bucket: ctx.bucket, Key: key }));
}

async function expectSize(ctx: ManagedCopyContext, key: string, size: number, who: string): Promise<void> {
  const head = await ctx.s3.send(new HeadObjectCommand({ Bucket: ctx.bucket, Key: key }));
  if (head.ContentLength !== size) {
    throw new Error(`${who} left ${ctx.bucket}/${key} with ${head.ContentLength} bytes, expected ${size}`);
  }
}
