import type { ProviderRegistry } from '@partcopy/core';

/** Where the CLI writes: a `process.stdout`-like sink. Only `write` is required. */
export interface CliOutput {
  write(chunk: string | Uint8Array): unknown;
  /** True when a person is watching: progress bars are drawn only then. */
  isTTY?: boolean;
  /** Terminal width, for the progress bar. */
  columns?: number;
  /** Used to wait for `drain` when a large download is piped. */
  once?(event: 'drain', listener: () => void): unknown;
}

/**
 * Everything the CLI touches outside itself, so tests can run it in-process: output streams,
 * standard input (for `put - URL`), the environment, the working folder, an interrupt signal and
 * the provider registry.
 */
export interface CliIo {
  stdout: CliOutput;
  stderr: CliOutput;
  stdin: AsyncIterable<Uint8Array | string>;
  env: Record<string, string | undefined>;
  /** Relative local paths and the default data folder are resolved against this. */
  cwd: string;
  /** Fires on Ctrl-C: the running command aborts its work (and any upload it started), exit code 130. */
  signal?: AbortSignal;
  /** Providers by URL scheme. Defaults to {@link createDefaultRegistry}. */
  registry?: ProviderRegistry;
  /** Milliseconds between progress redraws (default 100). */
  progressIntervalMs?: number;
}

/** The real process's streams, environment and folder. */
export function processIo(): CliIo {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    env: process.env,
    cwd: process.cwd(),
  };
}

/** Writes a chunk and waits for `drain` when the sink asks for it (large downloads to a pipe). */
export async function writeChunk(out: CliOutput, chunk: string | Uint8Array): Promise<void> {
  const ok = out.write(chunk);
  if (ok === false && out.once) {
    await new Promise<void>((resolve) => out.once?.('drain', resolve));
  }
}
