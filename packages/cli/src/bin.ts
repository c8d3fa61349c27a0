#!/usr/bin/env node
import { processIo } from './cli-io.js';
import { runCli } from './run-cli.js';

// Ctrl-C, SIGTERM and SIGHUP (the terminal closed) abort the running command, which aborts any
// upload it started (or, for `cp --resume`, keeps its session) and exits with 130. A second
// signal exits at once, for when the clean-up itself hangs.
const interrupt = new AbortController();
const onSignal = (signal: NodeJS.Signals): void => {
  if (interrupt.signal.aborted) process.exit(130);
  interrupt.abort(new Error(`interrupted by ${signal}`));
};
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);
process.on('SIGHUP', onSignal);

// `partcopy get URL - | head` closes the pipe early: stop quietly, as other Unix tools do.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
  interrupt.abort(new Error('stdout closed'));
  process.exit(141);
});

// No top-level await: the bin is also built as CommonJS.
void runCli(process.argv.slice(2), { ...processIo(), signal: interrupt.signal }).then((code) => {
  process.off('SIGINT', onSignal);
  process.off('SIGTERM', onSignal);
  process.off('SIGHUP', onSignal);
  // exitCode, not exit(): pending output to a pipe is flushed before the process ends.
  process.exitCode = code;
});
