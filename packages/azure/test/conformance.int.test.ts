/**
 * The whole conformance kit against Azurite. Switched off (each with its reason, also listed in
 * the package README):
 * - versionedSources: Azurite keeps no blob versions (getProperties returns no x-ms-version-id),
 *   so a versioned source cannot be written or read there. The provider supports it on accounts
 *   with blob versioning (capability true outside Azurite).
 */
import { runConformance } from '@partcopy/conformance';
import { describe, it } from 'vitest';
import { createAzureProvider } from '../src/index.js';
import { azuriteOptions } from './azurite-setup.js';

runConformance({
  name: 'azure (Azurite)',
  runner: { describe, it },
  createProvider: () => createAzureProvider(azuriteOptions()),
  // A second provider on the same account, as another process would have.
  reopenProvider: () => createAzureProvider(azuriteOptions()),
});
