import type { Capabilities, ErrorContext, OperationName } from '@partcopy/core/provider';
import { MEMORY_PROVIDER_NAME } from './memory-errors.js';
import type { MemoryStore } from './memory-store.js';

/** What each operation needs from its provider: the shared store and the limits in force. */
export interface MemoryEnv {
  readonly store: MemoryStore;
  readonly capabilities: Readonly<Capabilities>;
}

/** The error context of an operation (provider and operation name plus what the request names). */
export function operationContext(operation: OperationName, fields: ErrorContext = {}): ErrorContext {
  return { provider: MEMORY_PROVIDER_NAME, operation, ...fields };
}
