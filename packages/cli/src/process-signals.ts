/**
 * How the `partcopy` process meets the outside world: SIGINT (Ctrl-C), SIGTERM and SIGHUP (the
 * terminal closed) abort the running command, which aborts any upload it started (or, for
 * `cp --resume`, keeps its session) and exits with 130; a second signal exits at once, for when
 * the clean-up itself hangs. `partcopy get URL - | head` closing the pipe stops quietly (141).
 *
 * A closed terminal also makes every later write to it fail (EIO). Those failures must not end
 * the process: it is in the middle of its clean-up (aborting the upload), so the output is
 * dropped and the command runs on, interrupted, to its end.
 */
import { type CliIo, processIo } from './cli-io.js';
import { runCli } from './run-cli.js';

const SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
/** Write failures that mean nobody can read the output any more. */
const OUTPUT_GONE: ReadonlySet<string> = new Set(['EIO', 'EPIPE', 'ENXIO', 'ERR_STREAM_DESTROYED']);

/** Runs one command line as the process's main job and sets its exit code. */
export function runAsProcess(argv: readonly string[], io: Partial<CliIo> = {}): Promise<void> {
  const interrupt = new AbortController();
  const onSignal = (signal: NodeJS.Signals): void => {
    if (interrupt.signal.aborted) process.exit(130);
    interrupt.abort(new Error(`interrupted by ${signal}`));
  };
  for (const signal of SIGNALS) process.on(signal, onSignal);
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') return outputGone(error, interrupt);
    interrupt.abort(new Error('stdout closed'));
    process.exit(141);
  });
  process.stderr.on('error', (error: NodeJS.ErrnoException) => outputGone(error, interrupt));
  return runCli(argv, { ...processIo(), ...io, signal: interrupt.signal }).then((code) => {
    for (const signal of SIGNALS) process.off(signal, onSignal);
    // exitCode, not exit(): pending output to a pipe is flushed before the process ends.
    process.exitCode = code;
  });
}

// The terminal (or the reader of stderr) is gone: interrupt the command, drop what it writes.
function outputGone(error: NodeJS.ErrnoException, interrupt: AbortController): void {
  if (!OUTPUT_GONE.has(error.code ?? '')) throw error;
  if (!interrupt.signal.aborted) interrupt.abort(new Error('the terminal closed'));
}
