// Runs one command as a child process under GNU time: wall time measured here, peak RSS from
// time's report, output captured (stdout is small: a JSON result at most).
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GNU_TIME } from './tools.ts';

export interface CommandResult {
  ms: number;
  /** Peak resident set size of the command, in bytes. */
  maxRss: number;
  stdout: string;
  stderr: string;
}

/** A command that exited non-zero: its output is kept (partcopy --json prints its error on stdout). */
export class CommandError extends Error {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;

  constructor(message: string, code: number | null, stdout: string, stderr: string) {
    super(message);
    this.name = 'CommandError';
    this.code = code;
    this.stdout = stdout;
    this.stderr = stderr;
  }
}

export async function runCommand(
  argv: readonly string[],
  options: { env?: NodeJS.ProcessEnv; cwd?: string } = {},
): Promise<CommandResult> {
  const dir = mkdtempSync(join(tmpdir(), 'partcopy-bench-time-'));
  const report = join(dir, 'time.txt');
  try {
    const started = performance.now();
    const { code, stdout, stderr } = await spawnCollect(
      [GNU_TIME, '-f', '%M', '-o', report, ...argv],
      options,
    );
    const ms = performance.now() - started;
    if (code !== 0) {
      throw new CommandError(
        `\`${argv.join(' ')}\` exited with ${code}:\n${stderr.slice(-2000)}`,
        code,
        stdout,
        stderr,
      );
    }
    // GNU time writes "Command exited..." lines first when the command fails; the last line is %M.
    const kib = Number(readFileSync(report, 'utf8').trim().split('\n').at(-1));
    return { ms, maxRss: kib * 1024, stdout, stderr };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function spawnCollect(
  argv: readonly string[],
  options: { env?: NodeJS.ProcessEnv; cwd?: string },
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const [cmd, ...args] = argv as [string, ...string[]];
    const child = spawn(cmd, args, { env: options.env ?? process.env, cwd: options.cwd });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      // Keep the tail only: a progress bar can write a lot.
      stderr = (stderr + d).slice(-20_000);
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
