/**
 * `@partcopy/memory`: an in-memory store with S3's UploadPartCopy and multipart semantics, the
 * reference implementation of the partcopy provider contract.
 *
 * What an application or a test needs, named on purpose: the provider, its factory and options,
 * the capabilities, and the store that providers can share. S3's default limits, the provider
 * name constant and the store's internals are internal.
 *
 * @packageDocumentation
 */

export { type MemoryProviderOptions, memoryCapabilities } from './memory-capabilities.js';
export { MEMORY_DEFAULT_KMS_KEY_ID, type StoredEncryption } from './memory-encryption.js';
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
