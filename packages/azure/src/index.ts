export { azureCapabilities, MAX_COMMITTED_BLOCKS, MAX_UNCOMMITTED_BLOCKS } from './azure-capabilities.js';
export {
  type AzureProviderOptions,
  type ResolvedAzureOptions,
  type SourceAuthMode,
  STORAGE_SCOPE,
  sourceAuthMode,
  type TokenCredential,
} from './azure-config.js';
export { AZURE_ERROR_TABLE, type AzureErrorRow, lookupAzureError, mapAzureError } from './azure-error-map.js';
export { AZURE_CONNECTION_STRING_ENV, azureProviderFactory } from './azure-factory.js';
export { type AzureNative, AzureProvider, createAzureProvider } from './azure-provider.js';
export {
  attemptEtag,
  BLOCK_ID_RAW_LENGTH,
  decodePartBlockId,
  encodePartBlockId,
  type PartAttempt,
  type PartBlockId,
} from './block-ids.js';
export {
  type SourceConditionHeaders,
  sourceConditionsPolicyFactory,
  withSourceConditions,
} from './source-conditions-policy.js';
export { RESERVED_PREFIX, stagingBlobName, UPLOADS_PREFIX } from './staging-names.js';
