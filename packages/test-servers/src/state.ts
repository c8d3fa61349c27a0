import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { RunningServer } from './servers.ts';

/** What one `start` left running: written by `start`, read by `stop`, `env` and `status`. */
export interface ServerState {
  format: 1;
  /** Temp folder holding every server's data, certificates and logs; removed by `stop`. */
  runDir: string;
  startedAt: string;
  /** The pid of the process that started the servers (the CLI or the vitest run). */
  startedBy: number;
  servers: RunningServer[];
}

export function collectEnv(servers: readonly RunningServer[]): Record<string, string> {
  const env: Record<string, string> = {};
  for (const s of servers) Object.assign(env, s.env);
  return env;
}

export function writeState(file: string, state: ServerState): void {
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
  renameSync(tmp, file);
}

export function readState(file: string): ServerState | null {
  if (!existsSync(file)) return null;
  const state = JSON.parse(readFileSync(file, 'utf8')) as ServerState;
  if (state.format !== 1 || !Array.isArray(state.servers)) {
    throw new Error(`${file} is not a state file written by @partcopy/test-servers`);
  }
  return state;
}

export function removeState(file: string): void {
  rmSync(file, { force: true });
}

/** `export NAME='value'` lines, safe to `eval` in a POSIX shell. */
export function formatExports(env: Record<string, string>): string {
  return Object.entries(env)
    .map(([k, v]) => `export ${k}='${v.replaceAll("'", "'\\''")}'`)
    .join('\n');
}
