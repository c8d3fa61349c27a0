/**
 * @partcopy/conformance: the suite every partcopy provider runs to prove it answers like S3:
 * same bytes, same error codes, or an honest capability that says it cannot.
 *
 * ```ts
 * import { describe, it } from 'vitest';
 * import { runConformance } from '@partcopy/conformance';
 * runConformance({ name: 'memory', runner: { describe, it }, createProvider: () => createMemoryProvider() });
 * ```
 */
export {
  runConformance,
  conformanceGroups,
  lifecycleGroup,
  rangesGroup,
  conditionsGroup,
  partNumbersGroup,
  noSuchUploadGroup,
  missingSourceGroup,
  completionGroup,
  listingGroup,
  abortGroup,
  awkwardKeysGroup,
  versionedSourcesGroup,
  concurrencyGroup,
  largePartsGroup,
  sseCustomerKeyGroup,
  abortSignalGroup,
  type GroupRunner,
  type RunConformanceOptions,
} from './run-conformance.js';
export { listChecks } from './list-checks.js';
export { ALL_CHECKS, CHECKS_BY_GROUP, type CheckId } from './catalog.js';
export {
  GROUP_NAMES,
  type CheckDefinition,
  type CheckSummary,
  type ConformanceIt,
  type ConformanceOptions,
  type ConformanceRunner,
  type ConformanceTolerances,
  type GateInput,
  type GroupName,
  type TestBody,
} from './conformance-types.js';
export type { CheckContext, UploadRef } from './check-context.js';
export { CONFORMANCE_SKIP_ENV, parseSkipEnv } from './skip-rules.js';
export { DEFAULT_TIMEOUT_MS, checkTitle } from './register-checks.js';
export { DEFAULT_BUCKET_PREFIX } from './random-names.js';
