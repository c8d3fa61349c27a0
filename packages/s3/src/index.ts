/**
 * `@partcopy/s3`: Amazon S3 and S3-compatible stores (MinIO, R2, Ceph, Wasabi) for partcopy,
 * with native UploadPartCopy through `@aws-sdk/client-s3`.
 *
 * What an application needs, named on purpose: the provider (its `native` S3Client is the
 * escape hatch), its factory and options, and the two capability tables. The error table,
 * directory-bucket parsing and the send/retry helpers are internal.
 *
 * @packageDocumentation
 */

export { DIRECTORY_BUCKET_CAPABILITIES, S3_CAPABILITIES } from './s3-capabilities.js';
export type { S3Compatibility, S3Credentials, S3ProviderOptions } from './s3-config.js';
export { S3Provider } from './s3-provider.js';
export { createS3Provider, s3ProviderFactory } from './s3-provider-factory.js';
