/**
 * `@partcopy/gcs`: S3's multipart upload and UploadPartCopy on Google Cloud Storage. Parts are
 * staged as objects, whole-object copies run on the server (rewrite), other ranges stream
 * through the client, and completion composes the parts in a shallow tree.
 *
 * What an application needs, named on purpose: the provider, its factory and options, the
 * capabilities, and the types its public members and options mention. The compose tree planner,
 * CRC32C combination, ETag scheme, error table and JSON API transport are internal.
 *
 * @packageDocumentation
 */

export { gcsCapabilities } from './gcs-capabilities.js';
export type { ComposeTreeReport } from './gcs-compose-tree.js';
export type { GcsProviderOptions } from './gcs-config.js';
export { gcsProviderFactory } from './gcs-factory.js';
// Types only: `FetchLike` is the `fetch` option's shape; `GcsJsonApi` is the class of
// `provider.native.api`, the documented escape hatch, with the option types its signatures name
// (the transport itself, and its error class, stay internal).
export type { AuthHeaders, FetchLike, GcsJsonApi, JsonApiOptions, RequestOptions } from './gcs-json-api.js';
export { createGcsProvider, type GcsNative, GcsProvider } from './gcs-provider.js';
// Type only: the class of `provider.names`, which says where staging objects live.
export type { StagingNames } from './gcs-staging-names.js';
export type { MediaResponse, MediaTransport } from './media-download.js';
