/**
 * The whole conformance kit against Azurite. Switched off (each with its reason, also listed in
 * the package README):
 * - versionedSources: Azurite keeps no blob versions (getProperties returns no x-ms-version-id),
 *   so a versioned source cannot be written or read there. The provider supports it on accounts
 *   with blob versioning (capability true outside Azurite).
 * - awkward-keys.dot-dot, awkward-keys.dot-slash: keys with "." or ".." path segments cannot be
 *   addressed on Azure (WHATWG URL parsing in the SDK and the HTTP stack folds the segments,
 *   even percent-encoded), so the provider refuses them with `Unsupported` instead of writing
 *   another key; asserted in keys.int.test.ts.
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
  skip: {
    'awkward-keys.dot-dot':
      'Azure cannot address keys with ".." segments (URLs fold them); refused with Unsupported',
    'awkward-keys.dot-slash':
      'Azure cannot address keys with "." segments (URLs fold them); refused with Unsupported',
  },
});
