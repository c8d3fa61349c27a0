// vitest globalSetup: makes sure every server the integration suites need is running before
// any test worker starts, and exports their variables through process.env (workers inherit it).
//
//  - PARTCOPY_SERVERS=off: starts nothing and says loudly that integration suites are excluded
//    (the root vitest config leaves out *.int.test.ts files then).
//  - otherwise a server whose variables are already set and that answers is reused as it is;
//    every other server is started (all in parallel) and stopped again at teardown. Servers this
//    set-up did not start are never stopped.

import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ServerName } from './env.ts';
import { describeServer, SERVER_ENV_VARS, SERVER_NAMES } from './env.ts';
import type { ServerSet } from './index.ts';
import { startServers, stopServers } from './index.ts';
import { procStartTime } from './process.ts';
import { isReachable } from './servers.ts';
import { writeState } from './state.ts';

function banner(lines: string[]): void {
  const rule = '='.repeat(78);
  console.warn(`\n${rule}\n${lines.map((l) => `  ${l}`).join('\n')}\n${rule}\n`);
}

/** A detached process that stops the servers if this test run dies without its teardown. */
function startWatchdog(stateFile: string): void {
  const env = { ...process.env };
  delete env.NODE_OPTIONS;
  const child = spawn(
    process.execPath,
    [
      fileURLToPath(new URL('./watchdog.ts', import.meta.url)),
      stateFile,
      String(process.pid),
      procStartTime(process.pid) ?? '',
    ],
    { detached: true, stdio: 'ignore', env },
  );
  child.on('error', (err) => say(`could not start the watchdog: ${err.message}`));
  child.unref();
}

function say(line: string): void {
  console.error(`[test-servers] ${line}`);
}

export default async function setup(): Promise<() => Promise<void>> {
  if (process.env.PARTCOPY_SERVERS === 'off') {
    banner([
      'PARTCOPY_SERVERS=off: NO storage servers were started.',
      'Integration suites (*.int.test.ts) are EXCLUDED from this run; only server-free tests run.',
      'Unset PARTCOPY_SERVERS to run them against MinIO, moto, Azurite and fake-gcs-server.',
    ]);
    return async () => {};
  }

  const reused: ServerName[] = [];
  const toStart: ServerName[] = [];
  await Promise.all(
    SERVER_NAMES.map(async (name) => {
      const vars = SERVER_ENV_VARS[name] as readonly string[];
      const present = vars.filter((v) => process.env[v]);
      if (present.length === vars.length && (await isReachable(name, process.env))) {
        reused.push(name);
        return;
      }
      const endpointVar = vars[0] as string;
      if (process.env[endpointVar]) {
        say(
          `${describeServer(name)}: ${endpointVar}=${process.env[endpointVar]} is set, but ` +
            `${present.length < vars.length ? `${vars.filter((v) => !process.env[v]).join(', ')} missing` : 'it does not answer'}; ` +
            'starting a fresh one',
        );
      }
      toStart.push(name);
    }),
  );
  reused.sort();
  toStart.sort((a, b) => SERVER_NAMES.indexOf(a) - SERVER_NAMES.indexOf(b));
  if (reused.length > 0) say(`reusing running servers: ${reused.join(', ')}`);
  if (toStart.length === 0) return async () => {};

  // A fresh MinIO instance must accept the credentials tests read for both MinIO instances.
  const access = process.env.PARTCOPY_MINIO_ACCESS_KEY;
  const secret = process.env.PARTCOPY_MINIO_SECRET_KEY;
  const reusesMinio = reused.includes('minio') || reused.includes('minio-tls');
  const minioCredentials =
    reusesMinio && access && secret ? { accessKey: access, secretKey: secret } : undefined;

  const started = Date.now();
  say(`starting ${toStart.join(', ')} (installs on first use; cached after)`);
  let set: ServerSet;
  try {
    set = await startServers({ servers: toStart, minioCredentials, log: say });
  } catch (err) {
    banner([
      'Could not start the storage servers for the integration suites.',
      'Set PARTCOPY_SERVERS=off to run only the server-free tests.',
    ]);
    throw err;
  }
  // Recorded so that servers orphaned by a killed test run can still be stopped by the CLI.
  const stateFile = join(set.runDir, 'state.json');
  writeState(stateFile, set);
  say(
    `servers ready in ${Date.now() - started} ms (logs and state in ${set.runDir}; if this run is killed: ` +
      `node packages/test-servers/src/cli.ts stop --state ${stateFile})`,
  );
  Object.assign(process.env, set.env);
  startWatchdog(stateFile);

  // Last resort if the process exits without teardown: signal our own groups synchronously.
  const onExit = () => {
    for (const s of set.servers) {
      // Same rule as stopOwned: never signal a pid that now belongs to another process.
      const now = procStartTime(s.process.pid);
      if (now !== null && s.process.startTime !== null && now !== s.process.startTime) continue;
      try {
        process.kill(-s.process.pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
    rmSync(set.runDir, { recursive: true, force: true });
  };
  process.once('exit', onExit);

  return async () => {
    process.off('exit', onExit);
    const results = await stopServers(stateFile);
    for (const key of Object.keys(set.env)) {
      if (process.env[key] === set.env[key]) delete process.env[key];
    }
    say(`stopped ${results.map((r) => `${r.name} (${r.result})`).join(', ')}`);
  };
}
