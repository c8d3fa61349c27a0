/**
 * The SSE-C key class for tests. `@partcopy/core`'s index re-exports `SseCustomerKey` both as the
 * class and (from types.ts) as a type only, which makes `tsc` treat the name as type-only; until
 * core drops the type-only re-export, tests take the class from its own module (the same module
 * instance the core index loads).
 */
export { SseCustomerKey } from '../../../core/src/sse-customer-key.js';
