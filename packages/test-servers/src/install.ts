import {
  accessSync,
  constants,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { serversCacheDir } from './paths.ts';
import { procStartTime, runInstallStep, ServerError } from './process.ts';
import { AZURITE, FAKE_GCS_SERVER, MINIO, MOTO, REDIS, TOXIPROXY } from './versions.ts';

/** What `install` can install; both MinIO instances use the one `minio` binary. */
export type InstallTarget = 'minio' | 'moto' | 'azurite' | 'fake-gcs-server' | 'redis' | 'toxiproxy';
export const INSTALL_TARGETS: readonly InstallTarget[] = [
  'minio',
  'moto',
  'azurite',
  'fake-gcs-server',
  'redis',
  'toxiproxy',
];

export interface InstallResult {
  target: InstallTarget;
  /** False when the cache already held it and nothing was built. */
  built: boolean;
  seconds: number;
  location: string;
}

type Log = (line: string) => void;

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function logsDir(): string {
  const dir = join(serversCacheDir(), 'logs');
  mkdirSync(dir, { recursive: true });
  return dir;
}

/**
 * A lock between concurrent installs of the same target (two test runs at once): a directory
 * created atomically, holding the owner's pid; a lock whose owner died is taken over.
 */
async function withLock<T>(lockDir: string, fn: () => Promise<T>): Promise<T> {
  mkdirSync(dirname(lockDir), { recursive: true });
  for (;;) {
    try {
      mkdirSync(lockDir);
      writeFileSync(join(lockDir, 'pid'), String(process.pid));
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      let owner = 0;
      try {
        owner = Number(readFileSync(join(lockDir, 'pid'), 'utf8'));
      } catch {
        // The owner has not written its pid yet.
      }
      if (owner && procStartTime(owner) === null) rmSync(lockDir, { recursive: true, force: true });
      else await sleep(500);
    }
  }
  try {
    return await fn();
  } finally {
    rmSync(lockDir, { recursive: true, force: true });
  }
}

interface GoSpec {
  module: string;
  version: string;
  binary: string;
  /** The name `go install` gives the binary, when not `binary`. */
  built?: string;
}

export function goBinaryPath(spec: GoSpec): string {
  return join(serversCacheDir(), spec.binary, spec.version, spec.binary);
}

export function minioBinary(): string {
  return goBinaryPath(MINIO);
}

export function fakeGcsBinary(): string {
  return goBinaryPath(FAKE_GCS_SERVER);
}

export function toxiproxyBinary(): string {
  return goBinaryPath(TOXIPROXY);
}

async function installGo(target: InstallTarget, spec: GoSpec, log: Log): Promise<InstallResult> {
  const bin = goBinaryPath(spec);
  const started = Date.now();
  if (isExecutable(bin)) return { target, built: false, seconds: 0, location: bin };
  return withLock(`${dirname(bin)}.lock`, async () => {
    if (isExecutable(bin)) return { target, built: false, seconds: 0, location: bin };
    // Build into a private folder and move the binary in place only when go install succeeded,
    // so an interrupted build never leaves a half-written binary that looks installed.
    const tmpBin = `${dirname(bin)}.partial-${process.pid}`;
    rmSync(tmpBin, { recursive: true, force: true });
    mkdirSync(tmpBin, { recursive: true });
    const logFile = join(logsDir(), `install-${target}.log`);
    writeFileSync(logFile, '');
    const argv = ['go', 'install', `${spec.module}@${spec.version}`];
    log(
      `[${target}] building ${spec.module}@${spec.version} with go install (slow on first run; log ${logFile})`,
    );
    try {
      await runInstallStep(target, argv, {
        cwd: serversCacheDir(),
        env: { ...process.env, GOBIN: tmpBin },
        logFile,
        missingHint: 'Install Go (1.24 or newer) and put `go` on PATH, or run with PARTCOPY_SERVERS=off.',
      });
      mkdirSync(dirname(bin), { recursive: true });
      renameSync(join(tmpBin, spec.built ?? spec.binary), bin);
    } finally {
      rmSync(tmpBin, { recursive: true, force: true });
    }
    const seconds = (Date.now() - started) / 1000;
    log(`[${target}] built in ${seconds.toFixed(0)} s: ${bin}`);
    return { target, built: true, seconds, location: bin };
  });
}

function motoDir(): string {
  return join(serversCacheDir(), 'moto', MOTO.version);
}

export function motoServerBinary(): string {
  return join(motoDir(), 'venv', 'bin', 'moto_server');
}

async function installMoto(log: Log): Promise<InstallResult> {
  const dir = motoDir();
  // A venv cannot be moved after creation (absolute paths inside), so it is built in place and a
  // marker written last says it is complete.
  const marker = join(dir, '.complete');
  const started = Date.now();
  const done = () => existsSync(marker) && isExecutable(motoServerBinary());
  if (done()) return { target: 'moto', built: false, seconds: 0, location: motoServerBinary() };
  return withLock(`${dir}.lock`, async () => {
    if (done()) return { target: 'moto', built: false, seconds: 0, location: motoServerBinary() };
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    const logFile = join(logsDir(), 'install-moto.log');
    writeFileSync(logFile, '');
    const python = process.env.PARTCOPY_PYTHON || 'python3';
    const venv = join(dir, 'venv');
    log(
      `[moto] creating a venv with ${python} and installing ${MOTO.requirement}==${MOTO.version} (log ${logFile})`,
    );
    const hint =
      'Install Python 3 (with the venv module) or set PARTCOPY_PYTHON, or run with PARTCOPY_SERVERS=off.';
    await runInstallStep('moto', [python, '-m', 'venv', venv], { cwd: dir, logFile, missingHint: hint });
    await runInstallStep(
      'moto',
      [
        join(venv, 'bin', 'python'),
        '-m',
        'pip',
        'install',
        '--disable-pip-version-check',
        `${MOTO.requirement}==${MOTO.version}`,
      ],
      { cwd: dir, logFile, missingHint: hint },
    );
    if (!isExecutable(motoServerBinary())) {
      throw new ServerError('moto', 'pip install', `pip succeeded but ${motoServerBinary()} is missing`);
    }
    writeFileSync(marker, `${MOTO.version}\n`);
    const seconds = (Date.now() - started) / 1000;
    log(`[moto] installed in ${seconds.toFixed(0)} s: ${motoServerBinary()}`);
    return { target: 'moto', built: true, seconds, location: motoServerBinary() };
  });
}

function azuriteDir(): string {
  return join(serversCacheDir(), 'azurite', AZURITE.version);
}

/** The Azurite blob service entry point, run with the current Node (>= 22). */
export function azuriteBlobMain(): string {
  return join(azuriteDir(), 'node_modules', 'azurite', 'dist', 'src', 'blob', 'main.js');
}

async function installAzurite(log: Log): Promise<InstallResult> {
  const dir = azuriteDir();
  const marker = join(dir, '.complete');
  const started = Date.now();
  const done = () => existsSync(marker) && existsSync(azuriteBlobMain());
  if (done()) return { target: 'azurite', built: false, seconds: 0, location: azuriteBlobMain() };
  return withLock(`${dir}.lock`, async () => {
    if (done()) return { target: 'azurite', built: false, seconds: 0, location: azuriteBlobMain() };
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      join(dir, 'package.json'),
      `${JSON.stringify(
        {
          name: 'partcopy-azurite',
          private: true,
          description: 'Written by @partcopy/test-servers install; do not edit.',
          dependencies: { [AZURITE.package]: AZURITE.version },
          overrides: AZURITE.overrides,
        },
        null,
        2,
      )}\n`,
    );
    const logFile = join(logsDir(), 'install-azurite.log');
    writeFileSync(logFile, '');
    log(`[azurite] installing ${AZURITE.package}@${AZURITE.version} with npm (log ${logFile})`);
    await runInstallStep(
      'azurite',
      ['npm', 'install', '--omit=dev', '--no-audit', '--no-fund', '--ignore-scripts', '--no-save'],
      {
        cwd: dir,
        logFile,
        missingHint:
          'Install Node.js with npm (scripts/toolchain.sh needs it too), or run with PARTCOPY_SERVERS=off.',
      },
    );
    const installed = JSON.parse(
      readFileSync(join(dir, 'node_modules', AZURITE.package, 'package.json'), 'utf8'),
    ) as { version: string };
    if (installed.version !== AZURITE.version || !existsSync(azuriteBlobMain())) {
      throw new ServerError(
        'azurite',
        'npm install',
        `npm installed azurite ${installed.version}, expected ${AZURITE.version}`,
      );
    }
    writeFileSync(marker, `${AZURITE.version}\n`);
    const seconds = (Date.now() - started) / 1000;
    log(`[azurite] installed in ${seconds.toFixed(0)} s: ${azuriteBlobMain()}`);
    return { target: 'azurite', built: true, seconds, location: azuriteBlobMain() };
  });
}

function redisDir(): string {
  return join(serversCacheDir(), 'redis', REDIS.folder);
}

/** Debian's redis-server, unpacked; run it with {@link redisLibraryPath} as LD_LIBRARY_PATH. */
export function redisServerBinary(): string {
  return join(redisDir(), 'root', 'usr', 'bin', 'redis-server');
}

/** The unpacked shared libraries (jemalloc, lzf) the Debian build links against. */
export function redisLibraryPath(): string {
  return join(redisDir(), 'root', 'usr', 'lib', 'x86_64-linux-gnu');
}

async function installRedis(log: Log): Promise<InstallResult> {
  const dir = redisDir();
  const marker = join(dir, '.complete');
  const started = Date.now();
  const done = () => existsSync(marker) && isExecutable(redisServerBinary());
  if (done()) return { target: 'redis', built: false, seconds: 0, location: redisServerBinary() };
  return withLock(`${dir}.lock`, async () => {
    if (done()) return { target: 'redis', built: false, seconds: 0, location: redisServerBinary() };
    rmSync(dir, { recursive: true, force: true });
    const debs = join(dir, 'debs');
    mkdirSync(debs, { recursive: true });
    const logFile = join(logsDir(), 'install-redis.log');
    writeFileSync(logFile, '');
    const hint = 'Install apt (Debian or Ubuntu) or run with PARTCOPY_SERVERS=off.';
    const download = () =>
      runInstallStep('redis', ['apt-get', 'download', ...REDIS.packages], {
        cwd: debs,
        logFile,
        missingHint: hint,
      });
    log(`[redis] apt-get download ${REDIS.packages.join(' ')} and dpkg -x into ${dir} (log ${logFile})`);
    try {
      await download();
    } catch (err) {
      // Empty package lists (a fresh container): refresh them once when allowed to.
      if (process.getuid?.() !== 0) throw err;
      await runInstallStep('redis', ['apt-get', 'update', '-qq'], { cwd: debs, logFile, missingHint: hint });
      await download();
    }
    const files = readdirSync(debs).filter((f) => f.endsWith('.deb'));
    for (const file of files) {
      await runInstallStep('redis', ['dpkg', '-x', join(debs, file), join(dir, 'root')], {
        cwd: debs,
        logFile,
      });
    }
    if (!isExecutable(redisServerBinary())) {
      throw new ServerError(
        'redis',
        'dpkg -x',
        `unpacked ${files.join(', ')} but ${redisServerBinary()} is missing`,
      );
    }
    rmSync(debs, { recursive: true, force: true });
    writeFileSync(marker, `${files.join('\n')}\n`);
    const seconds = (Date.now() - started) / 1000;
    log(`[redis] installed in ${seconds.toFixed(0)} s: ${redisServerBinary()}`);
    return { target: 'redis', built: true, seconds, location: redisServerBinary() };
  });
}

export async function install(target: InstallTarget, log: Log = console.error): Promise<InstallResult> {
  mkdirSync(serversCacheDir(), { recursive: true });
  switch (target) {
    case 'minio':
      return installGo('minio', MINIO, log);
    case 'fake-gcs-server':
      return installGo('fake-gcs-server', FAKE_GCS_SERVER, log);
    case 'toxiproxy':
      return installGo('toxiproxy', TOXIPROXY, log);
    case 'moto':
      return installMoto(log);
    case 'azurite':
      return installAzurite(log);
    case 'redis':
      return installRedis(log);
  }
}

/**
 * Installs every target. The Go builds run one after the other (each already uses both cores);
 * moto's pip install runs beside them since it mostly waits on the network.
 */
export async function installAll(
  targets: readonly InstallTarget[] = INSTALL_TARGETS,
  log: Log = console.error,
): Promise<InstallResult[]> {
  const isGo = (t: InstallTarget) => t === 'minio' || t === 'fake-gcs-server' || t === 'toxiproxy';
  const goTargets = targets.filter(isGo);
  const others = targets.filter((t) => !isGo(t));
  const goChain = (async () => {
    const out: InstallResult[] = [];
    for (const t of goTargets) out.push(await install(t, log));
    return out;
  })();
  const settled = await Promise.allSettled([goChain, ...others.map((t) => install(t, log).then((r) => [r]))]);
  const errors = settled
    .filter((s) => s.status === 'rejected')
    .map((s) => (s as PromiseRejectedResult).reason);
  if (errors.length === 1) throw errors[0];
  if (errors.length > 1) {
    throw new AggregateError(
      errors,
      errors.map((e) => (e instanceof Error ? e.message : String(e))).join('\n\n'),
    );
  }
  return settled.flatMap((s) => (s.status === 'fulfilled' ? s.value : []));
}
