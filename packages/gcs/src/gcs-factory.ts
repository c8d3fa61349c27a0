import type { ProviderFactory } from '@partcopy/core/provider';
import type { GcsProviderOptions } from './gcs-config.js';
import { createGcsProvider } from './gcs-provider.js';

/**
 * Registers `gs://` (and `gcs://`) URLs. Options are {@link GcsProviderOptions}; when none name
 * an endpoint or project, the factory reads `STORAGE_EMULATOR_HOST` (through the SDK) and
 * `GOOGLE_CLOUD_PROJECT` as the SDK does, plus `PARTCOPY_GCS_ENDPOINT` / `PARTCOPY_GCS_PROJECT`
 * (the test servers' variables).
 */
export const gcsProviderFactory: ProviderFactory = {
  name: 'gcs',
  schemes: ['gs', 'gcs'],
  create(options = {}, env = process.env) {
    const config = { ...options } as GcsProviderOptions;
    if (config.storage === undefined) {
      if (config.apiEndpoint === undefined && env.PARTCOPY_GCS_ENDPOINT)
        config.apiEndpoint = env.PARTCOPY_GCS_ENDPOINT;
      const project = env.PARTCOPY_GCS_PROJECT ?? env.GOOGLE_CLOUD_PROJECT;
      if (config.projectId === undefined && project) config.projectId = project;
    }
    return createGcsProvider(config);
  },
};
