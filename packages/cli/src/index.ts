/**
 * @partcopy/cli: the `partcopy` command line, and its pieces for programs and tests:
 * {@link runCli} runs a command line in-process; {@link copyObject} is the engine behind `cp`.
 */

export type { CliIo, CliOutput } from './cli-io.js';
export { processIo } from './cli-io.js';
export {
  type CopyObjectRequest,
  type CopyObjectResult,
  type CopyStart,
  copyObject,
  DEFAULT_COPY_CONCURRENCY,
} from './copy-object.js';
export {
  createDefaultRegistry,
  LAZY_PROVIDERS,
  type LazyProvider,
  lazyProviderFactory,
} from './default-registry.js';
export { EXIT_CODES, exitCodeFor } from './exit-codes.js';
export { runCli } from './run-cli.js';
export { formatBytes, parseSize } from './sizes.js';
export { DEFAULT_DATA_DIR, FS_ROOT_ENV } from './stores.js';
export { UsageError } from './usage-error.js';
export { CLI_VERSION } from './version.js';
