/**
 * The `s3://` URL scheme: `new ProviderRegistry().register(s3ProviderFactory)`, then `s3://bucket/key` URLs
 * resolve to an {@link S3Provider}.
 */
import type { ProviderFactory } from '@partcopy/core/provider';
import type { S3ProviderOptions } from './s3-config.js';
import { S3Provider } from './s3-provider.js';

/** Creates an S3 provider from options (see {@link S3ProviderOptions}). */
export function createS3Provider(options: S3ProviderOptions = {}): S3Provider {
  return new S3Provider(options);
}

/**
 * Factory for the `s3` scheme. Options are {@link S3ProviderOptions}; the SDK reads its own
 * environment (`AWS_REGION`, `AWS_ENDPOINT_URL_S3`, credentials) when options leave them out.
 * `PARTCOPY_CAPABILITIES_OFF` is applied by the PartCopyClient.
 */
export const s3ProviderFactory: ProviderFactory = {
  name: 's3',
  schemes: ['s3'],
  create(options) {
    return new S3Provider({ ...(options as S3ProviderOptions) });
  },
};
