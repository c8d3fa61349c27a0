import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { ServerName } from './env.ts';
import type { InstallTarget } from './install.ts';
import {
  azuriteBlobMain,
  fakeGcsBinary,
  minioBinary,
  motoServerBinary,
  redisLibraryPath,
  redisServerBinary,
  toxiproxyBinary,
} from './install.ts';
import { pingRedis, probe, waitFor, waitForHttp } from './net.ts';
import type { OwnedProcess } from './process.ts';
import {
  isOwnedAlive,
  logTail,
  quoteCommand,
  runInstallStep,
  ServerError,
  spawnServer,
  stopOwned,
} from './process.ts';

/** Azurite's development account and its well-known key, published in Azurite's README. */
export const AZURITE_ACCOUNT = 'devstoreaccount1';
export const AZURITE_KEY =
  'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

/** Loopback-only throwaway credentials; the TLS MinIO shares the plain one's. */
export const DEFAULT_MINIO_CREDENTIALS = {
  accessKey: 'partcopy',
  secretKey: 'partcopy-minio-secret',
} as const;
export const MOTO_CREDENTIALS = { accessKey: 'partcopy', secretKey: 'partcopy-moto-secret' } as const;
export const GCS_PROJECT = 'partcopy-test';

/** A server this package started: everything `stop` needs, and the variables tests read. */
export interface RunningServer {
  name: ServerName;
  process: OwnedProcess;
  ports: Record<string, number>;
  /** Folders the server writes to; all inside the run folder, removed by `stop`. */
  dataDirs: string[];
  logFile: string;
  env: Record<string, string>;
  startedInMs: number;
}

export interface StartContext {
  runDir: string;
  /** Ports reserved for this server, in the order its definition asks for them. */
  ports: number[];
  minioCredentials: { accessKey: string; secretKey: string };
  /** Azurite and fake-gcs-server: objects in RAM or in their folder (`StartOptions.emulatorData`). */
  emulatorData: 'memory' | 'disk';
  log: (line: string) => void;
}

interface Launch {
  argv: string[];
  env: NodeJS.ProcessEnv;
  cwd: string;
  dataDirs: string[];
  ports: Record<string, number>;
  healthUrl: string;
  healthy: (status: number) => boolean;
  /** For a server that does not speak HTTP: replaces the health URL's poll. */
  ready?: () => Promise<boolean>;
  caFile?: string;
  vars: Record<string, string>;
}

export interface ServerDefinition {
  name: ServerName;
  install: InstallTarget;
  portCount: number;
  prepare(ctx: StartContext, dir: string): Promise<Launch>;
}

const anyAnswer = (status: number) => status > 0;

function childEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...extra };
  // A test runner's loader flags must not leak into the servers' own Node or Python.
  delete env.NODE_OPTIONS;
  return env;
}

function minioEnv(ctx: StartContext): Record<string, string> {
  return {
    MINIO_ROOT_USER: ctx.minioCredentials.accessKey,
    MINIO_ROOT_PASSWORD: ctx.minioCredentials.secretKey,
    // Data folders sit on the root disk under the temp dir: allowed only in CI/CD mode.
    MINIO_CI_CD: '1',
    MINIO_UPDATE: 'off',
  };
}

/**
 * How both MinIO processes start: one data folder (single-drive "xl-single" mode supports bucket
 * versioning, checked by test/minio.int.test.ts), the API and console on loopback, and certificates
 * when `certsDir` is given (MinIO then serves https only).
 */
function minioLaunch(ctx: StartContext, dir: string, certsDir?: string) {
  const [port, consolePort] = ctx.ports as [number, number];
  const data = join(dir, 'data');
  mkdirSync(data, { recursive: true });
  const scheme = certsDir ? 'https' : 'http';
  return {
    endpoint: `${scheme}://127.0.0.1:${port}`,
    launch: {
      argv: [
        minioBinary(),
        'server',
        data,
        '--address',
        `127.0.0.1:${port}`,
        '--console-address',
        `127.0.0.1:${consolePort}`,
        ...(certsDir ? ['--certs-dir', certsDir] : []),
        '--config-dir',
        join(dir, 'config'),
      ],
      env: childEnv(minioEnv(ctx)),
      cwd: dir,
      dataDirs: certsDir ? [data, certsDir] : [data],
      ports: { api: port, console: consolePort },
      healthUrl: `${scheme}://127.0.0.1:${port}/minio/health/cluster`,
      healthy: (status: number) => status === 200,
    },
    credentials: {
      PARTCOPY_MINIO_ACCESS_KEY: ctx.minioCredentials.accessKey,
      PARTCOPY_MINIO_SECRET_KEY: ctx.minioCredentials.secretKey,
    },
  };
}

const minio: ServerDefinition = {
  name: 'minio',
  install: 'minio',
  portCount: 2,
  async prepare(ctx, dir) {
    const { endpoint, launch, credentials } = minioLaunch(ctx, dir);
    return { ...launch, vars: { PARTCOPY_MINIO_ENDPOINT: endpoint, ...credentials } };
  },
};

/** A self-signed certificate for 127.0.0.1 and localhost, made fresh for every start. */
async function makeCertificate(server: string, certsDir: string, logFile: string): Promise<string> {
  mkdirSync(certsDir, { recursive: true });
  const crt = join(certsDir, 'public.crt');
  await runInstallStep(
    server,
    [
      'openssl',
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-days',
      '7',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1,DNS:localhost',
      '-keyout',
      join(certsDir, 'private.key'),
      '-out',
      crt,
    ],
    { cwd: certsDir, logFile, missingHint: 'Install OpenSSL to generate the TLS certificate.' },
  );
  return crt;
}

const minioTls: ServerDefinition = {
  name: 'minio-tls',
  install: 'minio',
  portCount: 2,
  async prepare(ctx, dir) {
    // With certificates MinIO serves TLS only, so SSE-C (which MinIO accepts only over TLS)
    // needs this second process beside the plain one.
    const certsDir = join(dir, 'certs');
    const caFile = await makeCertificate('minio-tls', certsDir, join(dir, 'openssl.log'));
    const { endpoint, launch, credentials } = minioLaunch(ctx, dir, certsDir);
    return {
      ...launch,
      caFile,
      vars: { PARTCOPY_MINIO_TLS_ENDPOINT: endpoint, PARTCOPY_MINIO_TLS_CA_FILE: caFile, ...credentials },
    };
  },
};

const moto: ServerDefinition = {
  name: 's3alt',
  install: 'moto',
  portCount: 1,
  async prepare(ctx, dir) {
    const [port] = ctx.ports as [number];
    return {
      argv: [motoServerBinary(), '-H', '127.0.0.1', '-p', String(port)],
      env: childEnv({ PYTHONUNBUFFERED: '1', AWS_DEFAULT_REGION: 'us-east-1' }),
      cwd: dir,
      dataDirs: [],
      ports: { api: port },
      healthUrl: `http://127.0.0.1:${port}/moto-api/`,
      healthy: anyAnswer,
      vars: {
        PARTCOPY_S3ALT_ENDPOINT: `http://127.0.0.1:${port}`,
        PARTCOPY_S3ALT_ACCESS_KEY: MOTO_CREDENTIALS.accessKey,
        PARTCOPY_S3ALT_SECRET_KEY: MOTO_CREDENTIALS.secretKey,
        PARTCOPY_S3ALT_NAME: 'moto',
      },
    };
  },
};

const azurite: ServerDefinition = {
  name: 'azurite',
  install: 'azurite',
  portCount: 1,
  async prepare(ctx, dir) {
    const [port] = ctx.ports as [number];
    const major = Number(process.versions.node.split('.')[0]);
    if (major < 22) {
      throw new ServerError(
        'azurite',
        process.execPath,
        `Azurite needs Node >= 22; this is Node ${process.version}`,
      );
    }
    // --inMemoryPersistence refuses --location; Azurite's working folder is its cwd (this dir).
    const endpoint = `http://127.0.0.1:${port}/${AZURITE_ACCOUNT}`;
    return {
      argv: [
        process.execPath,
        azuriteBlobMain(),
        '--blobHost',
        '127.0.0.1',
        '--blobPort',
        String(port),
        ...(ctx.emulatorData === 'disk' ? ['--location', dir] : ['--inMemoryPersistence']),
        // The SDK sends a newer service version than Azurite knows.
        '--skipApiVersionCheck',
        // The account is always the first path segment, whatever the host name.
        '--disableProductStyleUrl',
        '--disableTelemetry',
      ],
      // Only the default account with its well-known key: a user's own account list must not apply.
      env: Object.fromEntries(Object.entries(childEnv({})).filter(([k]) => k !== 'AZURITE_ACCOUNTS')),
      cwd: dir,
      dataDirs: [dir],
      ports: { blob: port },
      healthUrl: `http://127.0.0.1:${port}/${AZURITE_ACCOUNT}?comp=list`,
      healthy: anyAnswer,
      vars: {
        PARTCOPY_AZURITE_BLOB_ENDPOINT: endpoint,
        PARTCOPY_AZURITE_ACCOUNT: AZURITE_ACCOUNT,
        PARTCOPY_AZURITE_KEY: AZURITE_KEY,
        PARTCOPY_AZURITE_CONNECTION_STRING:
          `DefaultEndpointsProtocol=http;AccountName=${AZURITE_ACCOUNT};AccountKey=${AZURITE_KEY};` +
          `BlobEndpoint=${endpoint};`,
      },
    };
  },
};

const gcs: ServerDefinition = {
  name: 'gcs',
  install: 'fake-gcs-server',
  portCount: 1,
  async prepare(ctx, dir) {
    const [port] = ctx.ports as [number];
    const hostPort = `127.0.0.1:${port}`;
    if (ctx.emulatorData === 'disk') mkdirSync(join(dir, 'objects'), { recursive: true });
    return {
      argv: [
        fakeGcsBinary(),
        ...(ctx.emulatorData === 'disk'
          ? ['-backend', 'filesystem', '-filesystem-root', join(dir, 'objects')]
          : ['-backend', 'memory']),
        '-scheme',
        'http',
        '-host',
        '127.0.0.1',
        '-port',
        String(port),
        // Without these, resumable-upload Location headers and media links name
        // storage.googleapis.com or 0.0.0.0 instead of this server.
        '-public-host',
        hostPort,
        '-external-url',
        `http://${hostPort}`,
        '-log-level',
        'info',
      ],
      env: childEnv({}),
      cwd: dir,
      dataDirs: [],
      ports: { api: port },
      healthUrl: `http://${hostPort}/storage/v1/b?project=${GCS_PROJECT}`,
      healthy: (s) => s === 200,
      vars: {
        PARTCOPY_GCS_ENDPOINT: `http://${hostPort}`,
        PARTCOPY_GCS_PROJECT: GCS_PROJECT,
      },
    };
  },
};

const redis: ServerDefinition = {
  name: 'redis',
  install: 'redis',
  portCount: 1,
  async prepare(ctx, dir) {
    const [port] = ctx.ports as [number];
    return {
      // Nothing persisted (a test queue lives and dies with the run), loopback only, and
      // `noeviction`, as BullMQ requires: an evicted job key would corrupt the queue.
      argv: [
        redisServerBinary(),
        '--bind',
        '127.0.0.1',
        '--port',
        String(port),
        '--save',
        '',
        '--appendonly',
        'no',
        '--dir',
        dir,
        '--maxmemory-policy',
        'noeviction',
        '--daemonize',
        'no',
      ],
      env: childEnv({ LD_LIBRARY_PATH: redisLibraryPath() }),
      cwd: dir,
      dataDirs: [],
      ports: { api: port },
      healthUrl: `redis://127.0.0.1:${port}`,
      healthy: anyAnswer,
      ready: () => pingRedis(port),
      vars: { PARTCOPY_REDIS_URL: `redis://127.0.0.1:${port}` },
    };
  },
};

const toxiproxy: ServerDefinition = {
  name: 'toxiproxy',
  install: 'toxiproxy',
  portCount: 1,
  async prepare(ctx, dir) {
    const [port] = ctx.ports as [number];
    return {
      argv: [toxiproxyBinary(), '-host', '127.0.0.1', '-port', String(port)],
      env: childEnv({}),
      cwd: dir,
      dataDirs: [],
      ports: { api: port },
      healthUrl: `http://127.0.0.1:${port}/version`,
      healthy: (s) => s === 200,
      vars: { PARTCOPY_TOXIPROXY_URL: `http://127.0.0.1:${port}` },
    };
  },
};

export const DEFINITIONS: { readonly [K in ServerName]: ServerDefinition } = {
  minio,
  'minio-tls': minioTls,
  s3alt: moto,
  azurite,
  gcs,
  redis,
  toxiproxy,
};

const START_TIMEOUT_MS = 60_000;

/** Starts one server and waits until it answers; on failure nothing of it is left running. */
export async function startServer(def: ServerDefinition, ctx: StartContext): Promise<RunningServer> {
  const started = Date.now();
  const dir = join(ctx.runDir, def.name);
  mkdirSync(dir, { recursive: true });
  const logFile = join(ctx.runDir, `${def.name}.log`);
  const launch = await def.prepare(ctx, dir);
  const command = quoteCommand(launch.argv);
  const proc = await spawnServer({
    server: def.name,
    argv: launch.argv,
    env: launch.env,
    cwd: launch.cwd,
    logFile,
  });
  const isDead = () => !isOwnedAlive(proc);
  const wait = launch.ready
    ? await waitFor(launch.ready, { totalMs: START_TIMEOUT_MS, isDead })
    : await waitForHttp(launch.healthUrl, launch.healthy, {
        totalMs: START_TIMEOUT_MS,
        caFile: launch.caFile,
        isDead,
      });
  if (!wait.ready) {
    await stopOwned(proc, 2000);
    const why = wait.died
      ? 'exited before it became healthy'
      : `did not become healthy within ${START_TIMEOUT_MS / 1000} s (last answer from ${launch.healthUrl}: ${wait.lastStatus ?? 'none'})`;
    throw new ServerError(def.name, command, `${why}; log ${logFile}, last lines:\n${logTail(logFile)}`);
  }
  const ms = Date.now() - started;
  ctx.log(
    `[${def.name}] ready in ${ms} ms, pid ${proc.pid}, ${launch.vars[Object.keys(launch.vars)[0] as string]}`,
  );
  return {
    name: def.name,
    process: proc,
    ports: launch.ports,
    dataDirs: launch.dataDirs,
    logFile,
    env: launch.vars,
    startedInMs: ms,
  };
}

/** Whether a server described by environment variables answers (used to reuse servers). */
export async function isReachable(name: ServerName, env: NodeJS.ProcessEnv): Promise<boolean> {
  const ok = (s: number | null, want: (s: number) => boolean) => s !== null && want(s);
  switch (name) {
    case 'minio':
      return ok(await probe(`${env.PARTCOPY_MINIO_ENDPOINT}/minio/health/live`), (s) => s === 200);
    case 'minio-tls':
      return ok(
        await probe(`${env.PARTCOPY_MINIO_TLS_ENDPOINT}/minio/health/live`, {
          caFile: env.PARTCOPY_MINIO_TLS_CA_FILE,
        }),
        (s) => s === 200,
      );
    case 's3alt':
      return ok(await probe(`${env.PARTCOPY_S3ALT_ENDPOINT}/`), anyAnswer);
    case 'azurite':
      return ok(await probe(`${env.PARTCOPY_AZURITE_BLOB_ENDPOINT}?comp=list`), anyAnswer);
    case 'gcs':
      return ok(await probe(`${env.PARTCOPY_GCS_ENDPOINT}/storage/v1/b?project=x`), (s) => s === 200);
    case 'toxiproxy':
      return ok(await probe(`${env.PARTCOPY_TOXIPROXY_URL}/version`), (s) => s === 200);
    case 'redis': {
      const port = Number(new URL(env.PARTCOPY_REDIS_URL ?? 'redis://127.0.0.1:0').port);
      return port > 0 && (await pingRedis(port));
    }
  }
}
