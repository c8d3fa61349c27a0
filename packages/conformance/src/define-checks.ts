/**
 * Declares a group's checks. Ids are typed literals (`ranges.past-end`), so the `skip` option is
 * checked against the real ids at compile time.
 */
import type { CapabilityFlag } from '@partcopy/core';
import type { CheckContext } from './check-context.js';
import type { CheckDefinition, GateInput, GroupName } from './conformance-types.js';

export interface CheckSpec<Id extends string> {
  id: Id;
  title: string;
  requires?: readonly CapabilityFlag[];
  gate?: (input: GateInput) => string | undefined;
  needs?: string;
  slow?: boolean;
  run: (t: CheckContext) => Promise<void>;
}

/** Builds a group's check list; each id must start with `group.`. */
export function defineChecks<const G extends GroupName, const Id extends `${G}.${string}`>(
  group: G,
  specs: readonly CheckSpec<Id>[],
): readonly CheckDefinition<Id>[] {
  return specs.map((spec) => {
    if (!spec.id.startsWith(`${group}.`)) throw new Error(`check id ${spec.id} must start with ${group}.`);
    const check: CheckDefinition<Id> = {
      id: spec.id,
      group,
      title: spec.title,
      requires: spec.requires ?? [],
      run: spec.run,
      ...(spec.gate ? { gate: spec.gate } : {}),
      ...(spec.needs ? { needs: spec.needs } : {}),
      ...(spec.slow ? { slow: true } : {}),
    };
    return Object.freeze(check);
  });
}

/** Gate for checks that copy a sub-range: the provider must be able to copy one at all. */
export const rangedCopyGate = ({ capabilities }: GateInput): string | undefined =>
  capabilities.rangedCopy === 'native' || capabilities.clientStreamedRanges
    ? undefined
    : `rangedCopy is ${capabilities.rangedCopy} and clientStreamedRanges is false: sub-range copies are Unsupported`;

/** Gate for checks that need a second handle on the store. */
export const reopenGate = ({ options }: GateInput): string | undefined =>
  options.reopenProvider ? undefined : 'no reopenProvider option: cross-instance behaviour not checked';

/** Requirement texts for {@link listChecks}. */
export const RANGED_COPY_NEEDS = "rangedCopy 'native', or clientStreamedRanges";
export const REOPEN_NEEDS = 'reopenProvider option';
