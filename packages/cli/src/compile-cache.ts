/**
 * Node's on-disk compile cache for the CLI and the SDKs it loads (`module.enableCompileCache`,
 * Node >= 22.1): the second and later runs skip compiling the JavaScript they load again.
 * Measured on `cp` of 64 MiB on MinIO: about 10-15% less CPU per run.
 */
import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * Where the cache lives: the user's own cache folder (`$XDG_CACHE_HOME`, `~/.cache`,
 * `~/Library/Caches`, `%LOCALAPPDATA%`) under `partcopy/node-compile-cache`. Node's default, a
 * folder in the shared temp directory, is created by whichever user runs Node first and is then
 * not writable by the others, which silently turns the cache off for them. Undefined when no
 * folder is known (Node then uses its default).
 */
export function compileCacheDir(
  env: Record<string, string | undefined>,
  platform: NodeJS.Platform,
  home: string | undefined,
): string | undefined {
  let base: string | undefined;
  if (platform === 'win32') base = env.LOCALAPPDATA;
  else if (platform === 'darwin') base = home ? join(home, 'Library', 'Caches') : undefined;
  else base = env.XDG_CACHE_HOME || (home ? join(home, '.cache') : undefined);
  return base ? join(base, 'partcopy', 'node-compile-cache') : undefined;
}

/**
 * Turns the cache on for the rest of this process. `NODE_COMPILE_CACHE` (a folder the user chose)
 * and `NODE_DISABLE_COMPILE_CACHE=1` keep their meaning; a Node without the API, or a cache that
 * cannot be written, only costs the speed-up.
 */
export async function enableCompileCache(): Promise<void> {
  const module = await import('node:module');
  if (typeof module.enableCompileCache !== 'function') return;
  const dir = process.env.NODE_COMPILE_CACHE
    ? undefined
    : compileCacheDir(process.env, process.platform, home());
  try {
    module.enableCompileCache(dir);
  } catch {
    // An unusable folder is not the user's problem: run without the cache.
  }
}

function home(): string | undefined {
  try {
    return homedir() || undefined;
  } catch {
    return undefined;
  }
}
