/**
 * Every check of the kit, by group, in the order they run. The source of truth for ids,
 * {@link listChecks}, the group functions and the README's check list.
 */
import type { CheckDefinition, GroupName } from './conformance-types.js';
import { abortChecks } from './groups/abort-checks.js';
import { abortSignalChecks } from './groups/abort-signal-checks.js';
import { awkwardKeysChecks } from './groups/awkward-keys-checks.js';
import { bucketVersioningChecks } from './groups/bucket-versioning-checks.js';
import { completionChecks } from './groups/completion-checks.js';
import { composeChecks } from './groups/compose-checks.js';
import { concurrencyChecks } from './groups/concurrency-checks.js';
import { conditionsChecks } from './groups/conditions-checks.js';
import { deleteConditionsChecks } from './groups/delete-conditions-checks.js';
import { engineChecks } from './groups/engine-checks.js';
import { engineChecksumChecks } from './groups/engine-checksum-checks.js';
import { gcChecks } from './groups/gc-checks.js';
import { largePartsChecks } from './groups/large-parts-checks.js';
import { lifecycleChecks } from './groups/lifecycle-checks.js';
import { listingChecks } from './groups/listing-checks.js';
import { missingSourceChecks } from './groups/missing-source-checks.js';
import { noSuchUploadChecks } from './groups/no-such-upload-checks.js';
import { partNumbersChecks } from './groups/part-numbers-checks.js';
import { rangesChecks } from './groups/ranges-checks.js';
import { serverPullChecks } from './groups/server-pull-checks.js';
import { sourceHintChecks } from './groups/source-hint-checks.js';
import { sseCChecks } from './groups/sse-c-checks.js';
import { sseKmsChecks } from './groups/sse-kms-checks.js';
import { storeChecks } from './groups/store-checks.js';
import { versionedSourcesChecks } from './groups/versioned-sources-checks.js';
import { wholeObjectCopyChecks } from './groups/whole-object-copy-checks.js';

/** The checks of each group. */
export const CHECKS_BY_GROUP = {
  lifecycle: lifecycleChecks,
  ranges: rangesChecks,
  conditions: conditionsChecks,
  'part-numbers': partNumbersChecks,
  'no-such-upload': noSuchUploadChecks,
  'missing-source': missingSourceChecks,
  completion: completionChecks,
  listing: listingChecks,
  abort: abortChecks,
  'awkward-keys': awkwardKeysChecks,
  'versioned-sources': versionedSourcesChecks,
  'bucket-versioning': bucketVersioningChecks,
  'delete-conditions': deleteConditionsChecks,
  concurrency: concurrencyChecks,
  'large-parts': largePartsChecks,
  'sse-c': sseCChecks,
  'sse-kms': sseKmsChecks,
  'abort-signal': abortSignalChecks,
  'source-hint': sourceHintChecks,
  engine: [...engineChecks, ...engineChecksumChecks],
  store: storeChecks,
  'whole-object-copy': wholeObjectCopyChecks,
  gc: gcChecks,
  compose: composeChecks,
  'server-pull': serverPullChecks,
} as const satisfies Record<GroupName, readonly CheckDefinition[]>;

/** Every stable check id, e.g. `ranges.past-end`. */
export type CheckId = (typeof CHECKS_BY_GROUP)[GroupName][number]['id'];

/** Every check, in run order. */
export const ALL_CHECKS: readonly CheckDefinition<CheckId>[] = Object.values(CHECKS_BY_GROUP).flat();
