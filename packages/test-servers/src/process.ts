import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

/** A process this package started, in a process group of its own (it is the group's leader). */
export interface OwnedProcess {
  pid: number;
  /** Field 22 of /proc/PID/stat: tells our process from a later one that reused the pid. */
  startTime: string | null;
  command: string[];
}

/** Thrown for every failure to install or start a server: names the server and the command. */
export class ServerError extends Error {
  readonly server: string;
  readonly command: string;
  constructor(server: string, command: string, detail: string, options?: ErrorOptions) {
    super(`[${server}] ${detail}\n  command: ${command}`, options);
    this.name = 'ServerError';
    this.server = server;
    this.command = command;
  }
}

export function quoteCommand(argv: readonly string[]): string {
  return argv.map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replaceAll("'", "'\\''")}'`)).join(' ');
}

export function procStartTime(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses; fields restart after the last ')'.
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return rest[19] ?? null;
  } catch {
    return null;
  }
}

function signalGroup(pgid: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch {
    return false;
  }
}

/** True while the leader we started is alive (same pid and same start time). */
export function isOwnedAlive(p: OwnedProcess): boolean {
  const now = procStartTime(p.pid);
  if (now === null) return false;
  return p.startTime === null || now === p.startTime;
}

/**
 * Stops exactly the process group we started. The group is signalled only while its leader is
 * still the process we started (pid and start time match), or while the leader is gone but its
 * group lives on: a pid number is not handed out again while a group still carries it.
 */
export async function stopOwned(p: OwnedProcess, graceMs = 5000): Promise<'stopped' | 'gone' | 'skipped'> {
  const now = procStartTime(p.pid);
  if (now !== null && p.startTime !== null && now !== p.startTime) return 'skipped';
  if (!signalGroup(p.pid, 0)) return 'gone';
  signalGroup(p.pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    if (!signalGroup(p.pid, 0)) return 'stopped';
    await sleep(50);
  }
  signalGroup(p.pid, 'SIGKILL');
  for (let i = 0; i < 40 && signalGroup(p.pid, 0); i++) await sleep(50);
  return 'stopped';
}

export function logTail(file: string, lines = 30): string {
  if (!existsSync(file)) return '(no log file)';
  const text = readFileSync(file, 'utf8').trimEnd();
  if (!text) return '(log is empty)';
  return text.split('\n').slice(-lines).join('\n');
}

export interface SpawnServerOptions {
  server: string;
  argv: string[];
  env: NodeJS.ProcessEnv;
  cwd: string;
  logFile: string;
}

/**
 * Starts a long-running server detached in its own process group, with stdout and stderr in its
 * log file, so it outlives the CLI and `stop` can end it and all its children with one signal.
 */
export async function spawnServer(o: SpawnServerOptions): Promise<OwnedProcess> {
  const [cmd, ...args] = o.argv;
  if (!cmd) throw new ServerError(o.server, '', 'empty command');
  const fd = openSync(o.logFile, 'a');
  try {
    const child = spawn(cmd, args, {
      cwd: o.cwd,
      env: o.env,
      detached: true,
      stdio: ['ignore', fd, fd],
    });
    const pid = await new Promise<number>((resolve, reject) => {
      child.once('spawn', () => resolve(child.pid as number));
      child.once('error', reject);
    }).catch((err: NodeJS.ErrnoException) => {
      const hint = err.code === 'ENOENT' ? `${cmd} not found` : err.message;
      throw new ServerError(o.server, quoteCommand(o.argv), `could not start: ${hint}`, { cause: err });
    });
    child.unref();
    return { pid, startTime: procStartTime(pid), command: o.argv };
  } finally {
    closeSync(fd);
  }
}

export interface RunResult {
  code: number | null;
  output: string;
}

/**
 * Runs an install step to completion, its output appended to a log file and kept for the error.
 * A missing program (ENOENT) is reported with the server's name and the command.
 */
export async function runInstallStep(
  server: string,
  argv: string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv; logFile: string; missingHint?: string },
): Promise<void> {
  const [cmd, ...args] = argv;
  if (!cmd) throw new ServerError(server, '', 'empty command');
  const fd = openSync(options.logFile, 'a');
  try {
    const child = spawn(cmd, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ['ignore', fd, fd],
    });
    const code = await new Promise<number | null>((resolve, reject) => {
      child.once('error', reject);
      child.once('close', (c) => resolve(c));
    }).catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') {
        throw new ServerError(
          server,
          quoteCommand(argv),
          `cannot install: \`${cmd}\` is not on PATH.${options.missingHint ? ` ${options.missingHint}` : ''}`,
          { cause: err },
        );
      }
      throw new ServerError(server, quoteCommand(argv), `install step failed: ${err.message}`, {
        cause: err,
      });
    });
    if (code !== 0) {
      throw new ServerError(
        server,
        quoteCommand(argv),
        `install step exited with ${code}; log ${options.logFile}, last lines:\n${logTail(options.logFile)}`,
      );
    }
  } finally {
    closeSync(fd);
  }
}
