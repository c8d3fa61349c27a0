/**
 * @partcopy/cli: the `partcopy` command line, and its pieces for programs and tests:
 * {@link runCli} runs a command line in-process; {@link copyObject} is the engine behind `cp`.
 */
export { runCli } from './run-cli.js';
export type { CliIo, CliOutput } from './cli-io.js';
export { processIo } from './cli-io.js';
export { EXIT_CODES, exitCodeFor } from './exit-codes.js';
export { createDefaultRegistry, lazyProviderFactory, LAZY_PROVIDERS, type LazyProvider } from './default-registry.js';
export {
  copyObject,
  DEFAULT_COPY_CONCURRENCY,
  type CopyObjectRequest,
  type CopyObjectResult,
  type CopyStart,
} from './copy-object.js';
export { parseSize, formatBytes } from './sizes.js';
export { DEFAULT_DATA_DIR, FS_ROOT_ENV } from './stores.js';
export { UsageError } from './usage-error.js';
export { CLI_VERSION } from './version.js';
