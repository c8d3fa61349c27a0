export { AzureProvider, createAzureProvider, type AzureNative } from './azure-provider.js';
export { azureProviderFactory, AZURE_CONNECTION_STRING_ENV } from './azure-factory.js';
export {
  type AzureProviderOptions,
  type ResolvedAzureOptions,
  type SourceAuthMode,
  type TokenCredential,
  STORAGE_SCOPE,
  sourceAuthMode,
} from './azure-config.js';
export { azureCapabilities, MAX_COMMITTED_BLOCKS, MAX_UNCOMMITTED_BLOCKS } from './azure-capabilities.js';
export { AZURE_ERROR_TABLE, type AzureErrorRow, lookupAzureError, mapAzureError } from './azure-error-map.js';
export {
  BLOCK_ID_RAW_LENGTH,
  type PartAttempt,
  type PartBlockId,
  attemptEtag,
  decodePartBlockId,
  encodePartBlockId,
} from './block-ids.js';
export { RESERVED_PREFIX, UPLOADS_PREFIX, stagingBlobName } from './staging-names.js';
export { withSourceConditions, sourceConditionsPolicyFactory, type SourceConditionHeaders } from './source-conditions-policy.js';
