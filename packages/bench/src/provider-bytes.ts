// Payload bytes through the client, per provider and copy path: `partcopy cp` run through a
// counting proxy in front of each server. Server-side paths must read about 0 (request heads
// and small XML/JSON answers); a client-streamed path reads the range and writes it back.
import { join } from 'node:path';
import type { AzuriteEnv, GcsEnv, MinioEnv } from '@partcopy/test-servers';
import { startCountingProxy } from './counting-proxy.ts';
import { CommandError, runCommand } from './run-command.ts';
import { minioTarget, partcopyArgv, partcopyAzureEnv, partcopyGcsEnv, partcopyS3Env } from './stores.ts';

export interface PathResult {
  provider: string;
  path: string;
  size: number;
  /** `transfer` of partcopy's JSON result (server-side | client-streamed | mixed), or the error. */
  transfer: string;
  sent: number[];
  received: number[];
  requests: number[];
  rss: number[];
  ms: number[];
  /** Client bytes the path is expected to move: 0 server-side, twice the bytes copied when streamed. */
  expectedBytes: number;
  verdict: string;
}

interface Store {
  provider: string;
  scheme: string;
  bucket: string;
  endpoint: URL;
  /** The environment for partcopy with `endpoint` replaced by the proxy's. */
  env: (proxyUrl: string | undefined, streaming: boolean) => NodeJS.ProcessEnv;
}

export interface ProviderServers {
  minio: MinioEnv;
  azurite: AzuriteEnv;
  gcs: GcsEnv;
}

function stores(servers: ProviderServers): Store[] {
  const az = new URL(servers.azurite.PARTCOPY_AZURITE_BLOB_ENDPOINT);
  return [
    {
      provider: 's3 (MinIO)',
      scheme: 's3',
      bucket: 'bench-bytes',
      endpoint: new URL(servers.minio.PARTCOPY_MINIO_ENDPOINT),
      env: (url) => partcopyS3Env(minioTarget(servers.minio, url)),
    },
    {
      provider: 'azure (Azurite)',
      scheme: 'az',
      bucket: 'bench-bytes',
      endpoint: az,
      env: (url) => partcopyAzureEnv(servers.azurite, url ? `${url}${az.pathname}` : undefined),
    },
    {
      provider: 'gcs (fake-gcs-server)',
      scheme: 'gs',
      bucket: 'bench-bytes',
      endpoint: new URL(servers.gcs.PARTCOPY_GCS_ENDPOINT),
      env: (url, streaming) => partcopyGcsEnv(servers.gcs, url, streaming),
    },
  ];
}

interface PathSpec {
  path: string;
  args: string[];
  streaming: boolean;
  bytesCopied: number;
}

function paths(scheme: string, size: number): PathSpec[] {
  const half = size / 2;
  const specs: PathSpec[] = [
    { path: 'cp, whole object (defaults)', args: [], streaming: false, bytesCopied: size },
    {
      path: 'cp --range (first half)',
      args: ['--range', `bytes=0-${half - 1}`],
      streaming: false,
      bytesCopied: half,
    },
  ];
  if (scheme === 'gs') {
    specs.push({
      path: 'cp --range, client streaming on',
      args: ['--range', `bytes=0-${half - 1}`],
      streaming: true,
      bytesCopied: half,
    });
  }
  return specs;
}

export async function providerBytes(
  servers: ProviderServers,
  sourceFile: string,
  size: number,
  runs: number,
  log: (line: string) => void,
): Promise<PathResult[]> {
  const results: PathResult[] = [];
  for (const store of stores(servers)) {
    const run = (args: string[], proxyUrl?: string, streaming = false) =>
      runCommand(partcopyArgv(args), { env: store.env(proxyUrl, streaming) });
    const base = `${store.scheme}://${store.bucket}`;
    await run(['mb', base]).catch(() => undefined); // already there from an earlier size
    await run(['put', sourceFile, `${base}/source.bin`]);
    const proxy = await startCountingProxy(store.endpoint);
    try {
      for (const spec of paths(store.scheme, size)) {
        const row: PathResult = {
          provider: store.provider,
          path: spec.path,
          size,
          transfer: '',
          sent: [],
          received: [],
          requests: [],
          rss: [],
          ms: [],
          expectedBytes: 0,
          verdict: '',
        };
        for (let i = 0; i < runs; i++) {
          proxy.reset();
          const dst = `${base}/copy-${i}.bin`;
          try {
            const r = await run(
              ['cp', `${base}/source.bin`, dst, '--json', ...spec.args],
              proxy.url(),
              spec.streaming,
            );
            row.transfer = (JSON.parse(r.stdout) as { transfer: string }).transfer;
            row.rss.push(r.maxRss);
            row.ms.push(r.ms);
          } catch (error) {
            // A refusal (Unsupported before anything is created) is a result too: its bytes count.
            row.transfer = `refused: ${refusal(error)}`;
          }
          const c = proxy.counts();
          row.sent.push(c.sent);
          row.received.push(c.received);
          row.requests.push(c.requests);
          await run(['rm', dst]).catch(() => undefined);
        }
        row.expectedBytes = row.transfer === 'client-streamed' ? 2 * spec.bytesCopied : 0;
        row.verdict = verdict(row);
        log(`[client bytes] ${store.provider} ${spec.path}: ${row.transfer} ${row.verdict}`);
        results.push(row);
      }
    } finally {
      await proxy.close();
    }
  }
  return results;
}

/** `Unsupported (501)` from partcopy's JSON error; anything else is a failure of the bench. */
function refusal(error: unknown): string {
  if (error instanceof CommandError) {
    // With --json, partcopy prints its error as one JSON line on stderr.
    for (const line of `${error.stdout}\n${error.stderr}`.split('\n').reverse()) {
      try {
        const { error: e } = JSON.parse(line) as { error: { code: string; status: number } };
        return `${e.code} (${e.status})`;
      } catch {
        // Not partcopy's JSON error line.
      }
    }
  }
  throw error;
}

/** Server-side: under 1% of the object through the client. Streamed: within 5% of twice the range. */
function verdict(row: PathResult): string {
  const total = Math.max(...row.sent.map((s, i) => s + (row.received[i] as number)));
  const small = total < row.size / 100;
  if (row.transfer.startsWith('refused')) return small ? 'ok (refused before copying)' : 'TOO MANY BYTES';
  if (row.expectedBytes === 0) return small ? 'ok (about 0)' : 'TOO MANY BYTES';
  return Math.abs(total - row.expectedBytes) < row.expectedBytes * 0.05 ? 'ok (2 x range)' : 'UNEXPECTED';
}

export const providerSourceName = (dir: string, label: string) => join(dir, `provider-source-${label}.bin`);
