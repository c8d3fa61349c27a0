/**
 * The `partcopy` process after bin.ts found the Node version supported: Node's warnings, then
 * the command line through {@link runAsProcess} (signals, a closed stdout, the exit code).
 */
import { runAsProcess } from './process-signals.js';

// google-auth-library probes the GCE metadata server and reports a failed probe as a process
// warning (MetadataLookupWarning) that Node prints on the terminal. The failure that matters is
// reported as the command's error; the warning is kept for --debug only.
const emitWarning = process.emitWarning.bind(process);
const showAllWarnings = process.argv.includes('--debug');
process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
  const type = typeof rest[0] === 'string' ? rest[0] : (rest[0] as { type?: string } | undefined)?.type;
  const name = warning instanceof Error ? warning.name : type;
  if (name === 'MetadataLookupWarning' && !showAllWarnings) return;
  (emitWarning as (...args: unknown[]) => void)(warning, ...rest);
}) as typeof process.emitWarning;

// No top-level await: the bin is also built as CommonJS.
void runAsProcess(process.argv.slice(2));
