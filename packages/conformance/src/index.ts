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

export { ALL_CHECKS, CHECKS_BY_GROUP, type CheckId } from './catalog.js';
export type { CheckContext, UploadRef } from './check-context.js';
export {
  type CheckDefinition,
  type CheckSummary,
  type ConformanceIt,
  type ConformanceOptions,
  type ConformanceRunner,
  type ConformanceTolerances,
  type GateInput,
  GROUP_NAMES,
  type GroupName,
  type TestBody,
} from './conformance-types.js';
export { listChecks } from './list-checks.js';
export { DEFAULT_BUCKET_PREFIX } from './random-names.js';
export { checkTitle, DEFAULT_TIMEOUT_MS } from './register-checks.js';
export {
  abortGroup,
  abortSignalGroup,
  awkwardKeysGroup,
  bucketVersioningGroup,
  completionGroup,
  composeGroup,
  concurrencyGroup,
  conditionsGroup,
  conformanceGroups,
  deleteConditionsGroup,
  engineGroup,
  type GroupRunner,
  gcGroup,
  largePartsGroup,
  lifecycleGroup,
  listingGroup,
  missingSourceGroup,
  noSuchUploadGroup,
  partNumbersGroup,
  type RunConformanceOptions,
  rangeGroup,
  rangesGroup,
  runConformance,
  serverPullGroup,
  sourceHintGroup,
  sseCustomerKeyGroup,
  sseKmsGroup,
  storeGroup,
  versionedSourcesGroup,
  wholeObjectCopyGroup,
} from './run-conformance.js';
export { CONFORMANCE_SKIP_ENV, parseSkipEnv } from './skip-rules.js';
