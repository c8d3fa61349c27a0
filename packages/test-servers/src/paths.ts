import { homedir } from 'node:os';
import { join } from 'node:path';

/** `${PARTCOPY_CACHE:-$HOME/.cache/partcopy}`, the same root scripts/toolchain.sh uses. */
export function cacheRoot(env: NodeJS.ProcessEnv = process.env): string {
  if (env.PARTCOPY_CACHE) return env.PARTCOPY_CACHE;
  return join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'partcopy');
}

/** Where installed servers live: one folder per server and pinned version. */
export function serversCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return join(cacheRoot(env), 'servers');
}

/** The state file the CLI's `start` writes and `stop` reads, unless `--state` or the env var says otherwise. */
export function defaultStateFile(env: NodeJS.ProcessEnv = process.env): string {
  return env.PARTCOPY_SERVERS_STATE || join(serversCacheDir(env), 'run', 'state.json');
}
