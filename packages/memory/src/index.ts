/**
 * `@partcopy/memory`: an in-memory store with S3's UploadPartCopy and multipart semantics, the
 * reference implementation of the partcopy provider contract.
 *
 * @packageDocumentation
 */

export { type MemoryProviderOptions, memoryCapabilities, S3_LIMITS } from './memory-capabilities.js';
export { MEMORY_PROVIDER_NAME } from './memory-errors.js';
export { memoryProviderFactory, processMemoryStore } from './memory-factory.js';
export { createMemoryProvider, MemoryProvider } from './memory-provider.js';
export {
  type DeleteMarker,
  type MemoryBucket,
  MemoryStore,
  type MemoryStoreOptions,
  type MemoryUpload,
  type ObjectVersion,
  type StoredObject,
  type StoredPart,
} from './memory-store.js';
