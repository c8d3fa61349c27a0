/**
 * `@partcopy/azure`: S3's multipart lifecycle and UploadPartCopy on Azure Blob Storage block
 * blobs, with ranged part copies done by the server (Put Block From URL).
 *
 * What an application needs, named on purpose: the provider (its `native` client is the escape
 * hatch), its factory and options, the capabilities, and the types its options and members
 * mention. The error table, block id codec, staging names and request policies are internal.
 *
 * @packageDocumentation
 */

export { azureCapabilities } from './azure-capabilities.js';
export type { AzureProviderOptions, SourceAuthMode, TokenCredential } from './azure-config.js';
export { AZURE_CONNECTION_STRING_ENV, azureProviderFactory } from './azure-factory.js';
export { type AzureNative, AzureProvider, createAzureProvider } from './azure-provider.js';
