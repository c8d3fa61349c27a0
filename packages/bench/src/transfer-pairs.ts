// Cross-store transfers: `partcopy cp` between two stores (streamed through the client, or pulled
// on the server where the pair can) next to `rclone copyto` between the same servers, alternated
// per run. Throughput is the object's bytes over the command's wall time (Node start included),
// peak RSS from GNU time. rclone reaches MinIO (s3), Azurite (azureblob, by a container SAS URL:
// rclone 1.60 takes no emulator endpoint) and fake-gcs-server (gcs, anonymous); it cannot read
// partcopy's fs store, so file:// pairs have no rclone figure.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  ContainerSASPermissions,
  generateBlobSASQueryParameters,
  StorageSharedKeyCredential,
} from '@azure/storage-blob';
import type { AzuriteEnv, GcsEnv, MinioEnv } from '@partcopy/test-servers';
import { loadAverage } from './load.ts';
import { runCommand } from './run-command.ts';
import { sizeLabel, summarize } from './stats.ts';
import { partcopyArgv } from './stores.ts';
import { RCLONE, rcloneEnv } from './tools.ts';

type Scheme = 's3' | 'az' | 'gs' | 'file';

export interface TransferPairResult {
  from: Scheme;
  to: Scheme;
  size: number;
  strategy?: string;
  loadBefore: string;
  partcopy: { ms: number[]; rss: number[] };
  rclone?: { ms: number[]; rss: number[] };
  rcloneSkipped?: string;
}

export interface TransferBenchContext {
  servers: { minio: MinioEnv; azurite: AzuriteEnv; gcs: GcsEnv };
  workDir: string;
  emptyConfig: string;
  log: (line: string) => void;
}

type Pair = readonly [Scheme, Scheme];

const PAIRS: ReadonlyArray<Pair> = [
  ['s3', 'az'],
  ['az', 's3'],
  ['s3', 'gs'],
  ['gs', 's3'],
  ['s3', 'file'],
  ['file', 's3'],
];
const REMOTE: Record<Scheme, string> = { s3: 'minio', az: 'az', gs: 'gs', file: '' };

/** `--transfer-pairs s3-az,az-s3`: some of the pairs the section knows, in the order given. */
export function chosenPairs(list: string): Pair[] {
  return list.split(',').map((text) => {
    const pair = PAIRS.find(([from, to]) => `${from}-${to}` === text.trim());
    if (!pair)
      throw new Error(
        `--transfer-pairs: "${text}" is not one of ${PAIRS.map(([from, to]) => `${from}-${to}`).join(', ')}`,
      );
    return pair;
  });
}

export async function transferPairs(
  ctx: TransferBenchContext,
  size: number,
  runs: number,
  pairs: readonly Pair[] = PAIRS,
): Promise<TransferPairResult[]> {
  const bucket = `bench-tr-${Date.now().toString(36)}`;
  const env = partcopyEnv(ctx);
  const pc = (args: string[]) => runCommand(partcopyArgv(args), { env, cwd: ctx.workDir });
  for (const scheme of ['s3', 'az', 'gs', 'file'] as const) await pc(['mb', `${scheme}://${bucket}`]);
  const file = join(ctx.workDir, 'transfer-source.bin');
  writeRandom(file, size);
  await pc(['put', file, `s3://${bucket}/src`]);
  // The source goes only where a chosen pair reads it (a 5 GiB copy into an emulator is costly).
  for (const scheme of ['az', 'gs', 'file'] as const)
    if (pairs.some(([from]) => from === scheme))
      await pc(['cp', `s3://${bucket}/src`, `${scheme}://${bucket}/src`]);
  const rclone = rcloneRemotes(ctx, bucket);
  const results: TransferPairResult[] = [];
  for (const [from, to] of pairs) {
    ctx.log(`transfer ${sizeLabel(size)} ${from}:// -> ${to}://, ${runs} runs`);
    const result: TransferPairResult = {
      from,
      to,
      size,
      loadBefore: loadAverage(),
      partcopy: { ms: [], rss: [] },
    };
    if (from !== 'file' && to !== 'file') result.rclone = { ms: [], rss: [] };
    else result.rcloneSkipped = "rclone cannot read or write partcopy's fs store";
    for (let run = 0; run < runs; run++) {
      const done = await pc([
        'cp',
        `${from}://${bucket}/src`,
        `${to}://${bucket}/pc-${from}-${run}`,
        '--json',
      ]);
      result.partcopy.ms.push(done.ms);
      result.partcopy.rss.push(done.maxRss);
      result.strategy = (JSON.parse(done.stdout) as { strategy: string }).strategy;
      // Each copy is removed once measured: the emulators keep objects in RAM, and at 5 GiB a
      // pair's runs would otherwise hold tens of GiB there.
      await pc(['rm', `${to}://${bucket}/pc-${from}-${run}`]);
      if (!result.rclone) continue;
      const argv = [
        RCLONE,
        '--config',
        ctx.emptyConfig,
        'copyto',
        `${REMOTE[from]}:${bucket}/src`,
        `${REMOTE[to]}:${bucket}/rc-${from}-${run}`,
      ];
      const copied = await runCommand(argv, { env: rclone });
      result.rclone.ms.push(copied.ms);
      result.rclone.rss.push(copied.maxRss);
      await pc(['rm', `${to}://${bucket}/rc-${from}-${run}`]);
    }
    results.push(result);
  }
  return results;
}

/** The table: median MB/s and peak RSS per pair, partcopy next to rclone. */
export function printTransferPairs(results: readonly TransferPairResult[]): void {
  if (results.length === 0) return;
  console.log(
    '\nCross-store transfer (partcopy cp vs rclone copyto between the same servers; MB/s = 10^6 bytes/s over the wall time, median of runs):',
  );
  console.log(
    'pair        size      strategy     partcopy MB/s  partcopy RSS  rclone MB/s  rclone RSS  load before',
  );
  for (const r of results) {
    const mbps = (ms: number[]) => (r.size / 1e6 / (summarize(ms).median / 1000)).toFixed(1);
    const mib = (rss: number[]) => `${Math.round(Math.max(...rss) / 2 ** 20)} MiB`;
    const rc = r.rclone
      ? `${mbps(r.rclone.ms).padStart(11)}  ${mib(r.rclone.rss).padStart(10)}`
      : `${'n/a'.padStart(11)}  ${'n/a'.padStart(10)}`;
    console.log(
      `${`${r.from}->${r.to}`.padEnd(10)}  ${sizeLabel(r.size).padEnd(8)}  ${(r.strategy ?? '').padEnd(11)}  ${mbps(r.partcopy.ms).padStart(13)}  ${mib(r.partcopy.rss).padStart(12)}  ${rc}  ${r.loadBefore}`,
    );
  }
  console.log("(RSS: the largest of the runs. rclone cannot reach partcopy's fs store: n/a.)");
}

function partcopyEnv(ctx: TransferBenchContext): NodeJS.ProcessEnv {
  const { minio, azurite, gcs } = ctx.servers;
  return {
    ...withoutStoreSettings(),
    PARTCOPY_S3_ENDPOINT: minio.PARTCOPY_MINIO_ENDPOINT,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: minio.PARTCOPY_MINIO_ACCESS_KEY,
    AWS_SECRET_ACCESS_KEY: minio.PARTCOPY_MINIO_SECRET_KEY,
    AZURE_STORAGE_CONNECTION_STRING:
      `DefaultEndpointsProtocol=http;AccountName=${azurite.PARTCOPY_AZURITE_ACCOUNT};` +
      `AccountKey=${azurite.PARTCOPY_AZURITE_KEY};BlobEndpoint=${azurite.PARTCOPY_AZURITE_BLOB_ENDPOINT};`,
    PARTCOPY_GCS_ENDPOINT: gcs.PARTCOPY_GCS_ENDPOINT,
    PARTCOPY_GCS_PROJECT: gcs.PARTCOPY_GCS_PROJECT,
    // Azurite reads only from itself: no server-side pull from MinIO or fake-gcs-server.
    PARTCOPY_CAPABILITIES_OFF: 'uploadPartFromForeignUrl',
    PARTCOPY_FS_ROOT: join(ctx.workDir, 'transfer-fs'),
  };
}

function rcloneRemotes(ctx: TransferBenchContext, bucket: string): NodeJS.ProcessEnv {
  const { minio, azurite, gcs } = ctx.servers;
  const sas = generateBlobSASQueryParameters(
    {
      containerName: bucket,
      permissions: ContainerSASPermissions.parse('racwdl'),
      expiresOn: new Date(Date.now() + 6 * 3600_000),
    },
    new StorageSharedKeyCredential(azurite.PARTCOPY_AZURITE_ACCOUNT, azurite.PARTCOPY_AZURITE_KEY),
  ).toString();
  return rcloneEnv({
    ...withoutStoreSettings(),
    RCLONE_CONFIG_MINIO_TYPE: 's3',
    RCLONE_CONFIG_MINIO_PROVIDER: 'Minio',
    RCLONE_CONFIG_MINIO_ENV_AUTH: 'false',
    RCLONE_CONFIG_MINIO_ACCESS_KEY_ID: minio.PARTCOPY_MINIO_ACCESS_KEY,
    RCLONE_CONFIG_MINIO_SECRET_ACCESS_KEY: minio.PARTCOPY_MINIO_SECRET_KEY,
    RCLONE_CONFIG_MINIO_ENDPOINT: minio.PARTCOPY_MINIO_ENDPOINT,
    RCLONE_CONFIG_MINIO_REGION: 'us-east-1',
    RCLONE_CONFIG_AZ_TYPE: 'azureblob',
    RCLONE_CONFIG_AZ_SAS_URL: `${azurite.PARTCOPY_AZURITE_BLOB_ENDPOINT}/${bucket}?${sas}`,
    RCLONE_CONFIG_GS_TYPE: 'gcs',
    RCLONE_CONFIG_GS_ANONYMOUS: 'true',
    RCLONE_CONFIG_GS_ENDPOINT: `${gcs.PARTCOPY_GCS_ENDPOINT}/storage/v1/`,
  });
}

/** The parent's environment without anything that would point a tool at another store or config. */
function withoutStoreSettings(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const name of Object.keys(env))
    if (/^(AWS_|RCLONE_|AZURE_|GOOGLE_|STORAGE_EMULATOR_HOST$|PARTCOPY_)/.test(name)) delete env[name];
  delete env.NODE_OPTIONS;
  return env;
}

// Random bytes (incompressible), written in 16 MiB pieces so the bench itself stays small.
function writeRandom(path: string, size: number): void {
  const piece = 16 * 2 ** 20;
  writeFileSync(path, new Uint8Array(0));
  for (let done = 0; done < size; done += piece) {
    const bytes = new Uint8Array(Math.min(piece, size - done));
    for (let offset = 0; offset < bytes.length; offset += 65_536)
      globalThis.crypto.getRandomValues(bytes.subarray(offset, Math.min(offset + 65_536, bytes.length)));
    writeFileSync(path, bytes, { flag: 'a' });
  }
}
