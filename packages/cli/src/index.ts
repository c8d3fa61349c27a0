/**
 * @partcopy/cli: the `partcopy` command line, and its pieces for programs and tests:
 * {@link runCli} runs a command line in-process. The copy engine behind `cp` is `copyObject` in
 * `@partcopy/core`.
 */

export type { CliIo, CliOutput } from './cli-io.js';
export { processIo } from './cli-io.js';
export {
  createDefaultRegistry,
  LAZY_PROVIDERS,
  type LazyProvider,
  lazyProviderFactory,
} from './default-registry.js';
export { EXIT_CODES, exitCodeFor } from './exit-codes.js';
export { runAsProcess } from './process-signals.js';
export { runCli } from './run-cli.js';
export { formatBytes, parseSize } from './sizes.js';
export { DEFAULT_DATA_DIR, FS_ROOT_ENV } from './stores.js';
export { UsageError } from './usage-error.js';
export { CLI_VERSION } from './version.js';
