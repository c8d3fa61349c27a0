/**
 * `@partcopy/gcs`: S3's multipart upload and UploadPartCopy on Google Cloud Storage. Parts are
 * staged as objects, whole-object copies run on the server (rewrite), other ranges stream
 * through the client, and completion composes the parts in a shallow tree.
 *
 * @packageDocumentation
 */
export { GcsProvider, createGcsProvider, type GcsNative } from './gcs-provider.js';
export { gcsProviderFactory } from './gcs-factory.js';
export type { GcsProviderOptions } from './gcs-config.js';
export { gcsCapabilities, DEFAULT_MIN_PART_SIZE } from './gcs-capabilities.js';
export { gcsErrorCode, toPartCopyError, GCS_PROVIDER_NAME } from './gcs-error-map.js';
export { gcsEtag, composedEtag, ETAG_KEY, ETAG_CRC32C_KEY, RESERVED_METADATA_PREFIX } from './gcs-etag.js';
export {
  planComposeTree,
  runComposeTree,
  COMPOSE_MAX_SOURCES,
  type ComposePlan,
  type ComposeLevel,
  type ComposeGroup,
  type ComposeTreeReport,
} from './gcs-compose-tree.js';
export { StagingNames, DEFAULT_STAGING_PREFIX } from './gcs-staging-names.js';
export { GcsJsonApi, GcsHttpError, type FetchLike } from './gcs-json-api.js';
export { crc32cCombine, combinedCrc32c } from './crc32c-combine.js';
