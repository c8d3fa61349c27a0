/**
 * `@partcopy/s3`: Amazon S3 and S3-compatible stores (MinIO, R2, Ceph, Wasabi) for partcopy,
 * with native UploadPartCopy through `@aws-sdk/client-s3`.
 */

export {
  type DirectoryBucketLocation,
  directoryBucketLocation,
  isDirectoryBucket,
} from './directory-bucket.js';
export {
  capabilitiesForBucket,
  DIRECTORY_BUCKET_CAPABILITIES,
  resolveCapabilities,
  S3_CAPABILITIES,
} from './s3-capabilities.js';
export {
  createS3Client,
  type S3Compatibility,
  type S3Credentials,
  type S3ProviderOptions,
} from './s3-config.js';
export {
  type ErrorMapping,
  lookupS3Error,
  mapS3Error,
  S3_ERROR_MAP,
  type S3ErrorContext,
  type StatusRow,
} from './s3-error-map.js';
export { S3Provider } from './s3-provider.js';
export { createS3Provider, s3ProviderFactory } from './s3-provider-factory.js';
export type { EmbeddedErrorRetry } from './s3-send.js';
