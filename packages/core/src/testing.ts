/**
 * `@partcopy/core/testing`: helpers for tests of applications, providers and the CLI: a provider
 * that records the normalised requests it receives and answers from a script, a wrapper that
 * intercepts every call of a real provider, and an assertion helper for thrown errors. One copy,
 * used by partcopy's own packages and available to third parties. Needs no test runner.
 *
 * @packageDocumentation
 */
export {
  failing,
  fullCapabilities,
  type RecordedCall,
  recordingProvider,
} from './testing/recording-provider.js';
export { thrownPartCopyError } from './testing/thrown-part-copy-error.js';
export { type Interceptor, wrapProvider, wrappedFactory } from './testing/wrapped-provider.js';
