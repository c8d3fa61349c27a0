/**
 * `@partcopy/gcs`: S3's multipart upload and UploadPartCopy on Google Cloud Storage. Parts are
 * staged as objects, whole-object copies run on the server (rewrite), other ranges stream
 * through the client, and completion composes the parts in a shallow tree.
 *
 * @packageDocumentation
 */

export { combinedCrc32c, crc32cCombine } from './crc32c-combine.js';
export { DEFAULT_MIN_PART_SIZE, gcsCapabilities } from './gcs-capabilities.js';
export {
  COMPOSE_MAX_SOURCES,
  type ComposeCall,
  type ComposeGroup,
  type ComposeLevel,
  type ComposePlan,
  type ComposeTreeReport,
  planComposeTree,
  runComposeTree,
} from './gcs-compose-tree.js';
export type { GcsProviderOptions } from './gcs-config.js';
export { GCS_PROVIDER_NAME, gcsErrorCode, type NotFoundMeaning, toPartCopyError } from './gcs-error-map.js';
export {
  composedEtag,
  ETAG_CRC32C_KEY,
  ETAG_KEY,
  type EtagSource,
  gcsEtag,
  RESERVED_METADATA_PREFIX,
} from './gcs-etag.js';
export { gcsProviderFactory } from './gcs-factory.js';
export {
  type AuthHeaders,
  type FetchLike,
  GcsHttpError,
  GcsJsonApi,
  type JsonApiOptions,
  type RequestOptions,
} from './gcs-json-api.js';
export { createGcsProvider, type GcsNative, GcsProvider } from './gcs-provider.js';
export { DEFAULT_STAGING_PREFIX, StagingNames } from './gcs-staging-names.js';
