export { assertBucketName } from './bucket-name.js';
export { fsCapabilities } from './fs-capabilities.js';
export { DEFAULT_FS_ROOT, FS_ROOT_ENV, fsProviderFactory } from './fs-factory.js';
export type { CollectGarbageOptions, GarbageEntry, GarbageKind, GarbageReport } from './fs-garbage.js';
export { DEFAULT_FS_LIMITS, type FsHooks, type FsLimits, type FsProviderOptions } from './fs-options.js';
export { createFsProvider, FsProvider } from './fs-provider.js';
export { decodeKeyName, encodeKey, MAX_ENCODED_LENGTH } from './key-encoding.js';
