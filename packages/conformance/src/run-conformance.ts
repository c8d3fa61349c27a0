/**
 * The kit's entry points: {@link runConformance} registers every group; each group is also
 * exported on its own (`rangesGroup(options)`), like Keyv's test-suite.
 */
import { ALL_CHECKS, CHECKS_BY_GROUP, type CheckId } from './catalog.js';
import { type ConformanceOptions, GROUP_NAMES, type GroupName } from './conformance-types.js';
import { registerSuite } from './register-checks.js';

/** Options with the `skip` keys checked against the real check ids. */
export type RunConformanceOptions = ConformanceOptions<CheckId>;

/**
 * Registers the whole conformance suite with the injected runner, inside
 * `describe('partcopy conformance: <name>')`, one nested `describe` per group. Every check
 * creates a fresh provider and random buckets; switched-off checks are registered as skipped
 * tests whose titles carry the reason.
 */
export function runConformance(options: RunConformanceOptions): unknown {
  const groups = GROUP_NAMES.map((group) => [group, CHECKS_BY_GROUP[group]] as const);
  return registerSuite(
    `partcopy conformance: ${options.name}`,
    options as ConformanceOptions,
    groups,
    ALL_CHECKS,
  );
}

/** Registers one group's checks inside `describe('partcopy conformance: <name>')` › `describe(group)`. */
export type GroupRunner = (options: RunConformanceOptions) => unknown;

function groupRunner(group: GroupName): GroupRunner {
  return (options) =>
    registerSuite(
      `partcopy conformance: ${options.name}`,
      options as ConformanceOptions,
      [[group, CHECKS_BY_GROUP[group]]],
      ALL_CHECKS,
    );
}

export const lifecycleGroup: GroupRunner = groupRunner('lifecycle');
export const rangesGroup: GroupRunner = groupRunner('ranges');
/** Alias of {@link rangesGroup}. */
export const rangeGroup: GroupRunner = rangesGroup;
export const conditionsGroup: GroupRunner = groupRunner('conditions');
export const partNumbersGroup: GroupRunner = groupRunner('part-numbers');
export const noSuchUploadGroup: GroupRunner = groupRunner('no-such-upload');
export const missingSourceGroup: GroupRunner = groupRunner('missing-source');
export const completionGroup: GroupRunner = groupRunner('completion');
export const listingGroup: GroupRunner = groupRunner('listing');
export const abortGroup: GroupRunner = groupRunner('abort');
export const awkwardKeysGroup: GroupRunner = groupRunner('awkward-keys');
export const versionedSourcesGroup: GroupRunner = groupRunner('versioned-sources');
/** Bucket versioning states, the null version, delete markers and ListObjectVersions paging. */
export const bucketVersioningGroup: GroupRunner = groupRunner('bucket-versioning');
/** Conditional deletes (ifMatch, ifMatchLastModifiedTime, ifMatchSize) on objects and versions. */
export const deleteConditionsGroup: GroupRunner = groupRunner('delete-conditions');
export const concurrencyGroup: GroupRunner = groupRunner('concurrency');
export const largePartsGroup: GroupRunner = groupRunner('large-parts');
export const sseCustomerKeyGroup: GroupRunner = groupRunner('sse-c');
/** Server-side encryption with store-managed keys (SSE-S3, SSE-KMS): answered on writes and reads. */
export const sseKmsGroup: GroupRunner = groupRunner('sse-kms');
export const abortSignalGroup: GroupRunner = groupRunner('abort-signal');
export const sourceHintGroup: GroupRunner = groupRunner('source-hint');
/** The managed copy engine on this store: copy in parts, resume from a second handle, abort, pin. */
export const engineGroup: GroupRunner = groupRunner('engine');
export const storeGroup: GroupRunner = groupRunner('store');
export const wholeObjectCopyGroup: GroupRunner = groupRunner('whole-object-copy');
/** The engine's garbage collector on this store: old uploads removed, young and sessions' kept, dry run. */
export const gcGroup: GroupRunner = groupRunner('gc');
/** The compose engine on this store: mixed pieces, pins, conditions, bad input, abort, no leftovers. */
export const composeGroup: GroupRunner = groupRunner('compose');
/** presignGetObject and uploadPartFromUrl, the primitives of a cross-store server-side pull. */
export const serverPullGroup: GroupRunner = groupRunner('server-pull');

/** Every group function by group name. */
export const conformanceGroups: Readonly<Record<GroupName, GroupRunner>> = Object.freeze({
  lifecycle: lifecycleGroup,
  ranges: rangesGroup,
  conditions: conditionsGroup,
  'part-numbers': partNumbersGroup,
  'no-such-upload': noSuchUploadGroup,
  'missing-source': missingSourceGroup,
  completion: completionGroup,
  listing: listingGroup,
  abort: abortGroup,
  'awkward-keys': awkwardKeysGroup,
  'versioned-sources': versionedSourcesGroup,
  'bucket-versioning': bucketVersioningGroup,
  'delete-conditions': deleteConditionsGroup,
  concurrency: concurrencyGroup,
  'large-parts': largePartsGroup,
  'sse-c': sseCustomerKeyGroup,
  'sse-kms': sseKmsGroup,
  'abort-signal': abortSignalGroup,
  'source-hint': sourceHintGroup,
  engine: engineGroup,
  store: storeGroup,
  'whole-object-copy': wholeObjectCopyGroup,
  gc: gcGroup,
  compose: composeGroup,
  'server-pull': serverPullGroup,
});
