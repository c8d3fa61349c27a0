import { mkdir } from 'node:fs/promises';
import type { ProviderFactory } from '@partcopy/core/provider';
import type { FsProviderOptions } from './fs-options.js';
import { FsProvider } from './fs-provider.js';

/** The environment variable naming the root folder when `options.root` is not given. */
export const FS_ROOT_ENV = 'PARTCOPY_FS_ROOT';

/** The root folder used when neither `options.root` nor `PARTCOPY_FS_ROOT` is set. */
export const DEFAULT_FS_ROOT = './.partcopy-data';

/**
 * Registers `file://bucket/key` URLs. `create(options, env)` takes `options.root`, else
 * `PARTCOPY_FS_ROOT`, else `./.partcopy-data` (relative to the working directory), and creates
 * the folder. Other options are those of {@link FsProvider} (limits, capability overrides).
 */
export const fsProviderFactory: ProviderFactory = {
  name: 'fs',
  schemes: ['file'],
  async create(options: Record<string, unknown> = {}, env: Record<string, string | undefined> = process.env) {
    const given = options.root;
    if (given !== undefined && (typeof given !== 'string' || given === '')) {
      throw new TypeError('fs provider: options.root must be a non-empty string');
    }
    const root = (given as string | undefined) ?? (env[FS_ROOT_ENV] || DEFAULT_FS_ROOT);
    await mkdir(root, { recursive: true });
    return new FsProvider({ ...(options as Partial<FsProviderOptions>), root });
  },
};
