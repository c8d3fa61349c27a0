/**
 * The registry entry for `az://container/key` URLs. Options given to the factory are
 * {@link AzureProviderOptions}; without any, the factory reads `AZURE_STORAGE_CONNECTION_STRING`.
 */
import { PartCopyError, type ProviderFactory } from '@partcopy/core/provider';
import type { AzureProviderOptions } from './azure-config.js';
import { createAzureProvider } from './azure-provider.js';

/** The environment variable the factory reads when given no options. */
export const AZURE_CONNECTION_STRING_ENV = 'AZURE_STORAGE_CONNECTION_STRING';

/** Factory for the `az` scheme (`az://container/key`); see the file comment for the options it reads. */
export const azureProviderFactory: ProviderFactory = {
  name: 'azure',
  schemes: ['az'],
  create(options?: Record<string, unknown>, env: Record<string, string | undefined> = process.env) {
    const given = (options ?? {}) as AzureProviderOptions;
    const configured = given.serviceClient || given.connectionString || given.url || given.accountName;
    if (configured) return createAzureProvider(given);
    const connectionString = env[AZURE_CONNECTION_STRING_ENV];
    if (!connectionString) {
      throw new PartCopyError(
        'InvalidArgument',
        `azure: pass options or set ${AZURE_CONNECTION_STRING_ENV}`,
        { operation: 'resolve' },
      );
    }
    return createAzureProvider({ ...given, connectionString });
  },
};
