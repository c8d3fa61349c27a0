/**
 * `@partcopy/fs`: a local-folder store with S3's multipart and UploadPartCopy semantics,
 * crash-safe (every publication is one atomic rename) and shareable between processes.
 *
 * What an application needs, named on purpose: the provider, its factory and options, the
 * capabilities, the factory's root folder settings and the types of `collectGarbage`. Key
 * encoding, layout, locks and records are internal.
 *
 * @packageDocumentation
 */

export { fsCapabilities } from './fs-capabilities.js';
// DEFAULT_FS_ROOT and FS_ROOT_ENV: the CLI shows and documents where `file://` URLs store data.
export { DEFAULT_FS_ROOT, FS_ROOT_ENV, fsProviderFactory } from './fs-factory.js';
export type { CollectGarbageOptions, GarbageEntry, GarbageKind, GarbageReport } from './fs-garbage.js';
export { DEFAULT_FS_LIMITS, type FsHooks, type FsLimits, type FsProviderOptions } from './fs-options.js';
export { createFsProvider, FsProvider } from './fs-provider.js';
