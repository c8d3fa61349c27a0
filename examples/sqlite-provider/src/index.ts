import type { ProviderFactory } from '@partcopy/core/provider';
import { SqliteProvider, type SqliteProviderOptions } from './sqlite-provider.js';

export { sqliteCapabilities } from './sqlite-capabilities.js';
export { SqliteProvider, type SqliteProviderOptions } from './sqlite-provider.js';

/** Registers `sqlite://bucket/key` URLs: `registry.register(sqliteProviderFactory)`. */
export const sqliteProviderFactory: ProviderFactory = {
  name: 'sqlite',
  schemes: ['sqlite'],
  create(options, env = process.env) {
    const path = (options?.path as string | undefined) ?? env.PARTCOPY_SQLITE_PATH ?? 'partcopy.sqlite';
    return new SqliteProvider({ ...(options as Partial<SqliteProviderOptions>), path });
  },
};
