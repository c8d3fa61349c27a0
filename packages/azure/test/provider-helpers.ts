// Re-exports for unit tests, plus test-only helpers.
export { BLOCK_ID_RAW_LENGTH, decodePartBlockId } from '../src/block-ids.js';
export { createAzureProvider } from '../src/index.js';

import { newUploadId } from '../src/staging-names.js';

export function newUploadIdForTests(): string {
  return newUploadId();
}
