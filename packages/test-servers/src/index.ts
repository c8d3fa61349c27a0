// Real storage servers for partcopy's integration tests: install, start, stop, and the
// environment contract the tests read.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ServerName } from './env.ts';
import { SERVER_NAMES } from './env.ts';
import type { InstallTarget } from './install.ts';
import { installAll } from './install.ts';
import { freePorts } from './net.ts';
import { stopOwned } from './process.ts';
import type { RunningServer } from './servers.ts';
import { DEFAULT_MINIO_CREDENTIALS, DEFINITIONS, startServer } from './servers.ts';
import type { ServerState } from './state.ts';
import { collectEnv, readState, removeState, writeState } from './state.ts';

export type {
  AzuriteEnv,
  GcsEnv,
  MinioEnv,
  MinioTlsEnv,
  RedisEnv,
  S3AltEnv,
  ServerEnvMap,
  ServerName,
} from './env.ts';
export {
  describeServer,
  HOW_TO_START,
  requireServerEnv,
  SERVER_ENV_VARS,
  SERVER_NAMES,
} from './env.ts';
export type { InstallResult, InstallTarget } from './install.ts';
export { INSTALL_TARGETS, install, installAll } from './install.ts';
export { defaultStateFile, serversCacheDir } from './paths.ts';
export { ServerError } from './process.ts';
export type { RunningServer } from './servers.ts';
export { isReachable } from './servers.ts';
export type { ServerState } from './state.ts';
export { formatExports, readState } from './state.ts';

export interface StartOptions {
  /** Which servers to start; all of them by default. */
  servers?: readonly ServerName[];
  /** Credentials for the MinIO instances (to match an already running one); defaults otherwise. */
  minioCredentials?: { accessKey: string; secretKey: string };
  /** Write the state here too (the CLI does; `stopServers(file)` can then stop them). */
  stateFile?: string;
  /** Progress lines; stderr by default. */
  log?: (line: string) => void;
  /**
   * Where Azurite and fake-gcs-server keep objects: in RAM (default, fastest to start and clean)
   * or on disk in their run folder, for runs that move many GiB: in RAM neither gives the memory
   * of a deleted object back at once, and a benchmark of 1 GiB transfers filled 24 GiB.
   */
  emulatorData?: 'memory' | 'disk';
}

/** Servers started by one `startServers` call. */
export interface ServerSet extends ServerState {
  /** Every variable of every started server, ready to merge into process.env. */
  env: Record<string, string>;
  stateFile?: string;
}

/**
 * Installs what is missing (cached after the first run), then starts the requested servers in
 * parallel on free loopback ports, each with its data in one fresh temp folder. If any server
 * fails, the others are stopped again and the error names every server that failed.
 */
export async function startServers(options: StartOptions = {}): Promise<ServerSet> {
  const names = [...new Set(options.servers ?? SERVER_NAMES)];
  const log = options.log ?? ((line: string) => console.error(line));
  const defs = names.map((n) => DEFINITIONS[n]);
  const targets = [...new Set(defs.map((d) => d.install))] as InstallTarget[];
  await installAll(targets, log);

  const runDir = mkdtempSync(join(tmpdir(), 'partcopy-servers-'));
  const ports = await freePorts(defs.reduce((n, d) => n + d.portCount, 0));
  let next = 0;
  const contexts = defs.map((d) => {
    const mine = ports.slice(next, next + d.portCount);
    next += d.portCount;
    return {
      runDir,
      ports: mine,
      minioCredentials: options.minioCredentials ?? DEFAULT_MINIO_CREDENTIALS,
      emulatorData: options.emulatorData ?? 'memory',
      log,
    };
  });
  const settled = await Promise.allSettled(
    defs.map((d, i) => startServer(d, contexts[i] as (typeof contexts)[0])),
  );
  const servers = settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  const errors = settled.flatMap((s) => (s.status === 'rejected' ? [s.reason as unknown] : []));
  if (errors.length > 0) {
    await Promise.all(servers.map((s) => stopOwned(s.process)));
    rmSync(runDir, { recursive: true, force: true });
    const message = errors.map((e) => (e instanceof Error ? e.message : String(e))).join('\n\n');
    throw errors.length === 1 ? errors[0] : new AggregateError(errors, message);
  }
  const state: ServerState = {
    format: 1,
    runDir,
    startedAt: new Date().toISOString(),
    startedBy: process.pid,
    servers,
  };
  if (options.stateFile) writeState(options.stateFile, state);
  return { ...state, env: collectEnv(servers), stateFile: options.stateFile };
}

/**
 * Stops exactly the process groups a `startServers` call started (given the set, or the state
 * file it wrote) and removes its temp folder. Returns what happened to each server.
 */
export async function stopServers(
  from: ServerState | string,
): Promise<{ name: ServerName; result: 'stopped' | 'gone' | 'skipped' }[]> {
  const stateFile = typeof from === 'string' ? from : (from as ServerSet).stateFile;
  const state = typeof from === 'string' ? readState(from) : from;
  if (!state) return [];
  const results = await Promise.all(
    state.servers.map(async (s: RunningServer) => ({ name: s.name, result: await stopOwned(s.process) })),
  );
  // Only the folder `startServers` created (always named partcopy-servers-*) is removed.
  if (/partcopy-servers-[^/]+$/.test(state.runDir)) rmSync(state.runDir, { recursive: true, force: true });
  if (stateFile) removeState(stateFile);
  return results;
}
export {
  type AnswerDroppingProxy,
  type ProxiedRequest,
  startAnswerDroppingProxy,
} from './answer-dropping-proxy.ts';
