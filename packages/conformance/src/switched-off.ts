/**
 * Honest capabilities: a feature a provider declares it lacks (or the suite switches off) is
 * refused with `Unsupported` before anything changes, never ignored. These checks run only where
 * a flag is off, which is where the promise matters.
 */
import type { Capabilities, CapabilityFlag } from '@partcopy/core';
import type { GateInput } from './conformance-types.js';

/** Gate: runs when at least one of `flags` is off. */
export function anyOffGate(flags: readonly CapabilityFlag[]) {
  return ({ capabilities }: GateInput): string | undefined =>
    flags.some((flag) => !capabilities[flag]) ? undefined : `nothing to refuse: ${flags.join(', ')} all on`;
}

/** The flags of `flags` that are off. */
export function offFlags<F extends CapabilityFlag>(
  capabilities: Readonly<Capabilities>,
  flags: readonly F[],
): F[] {
  return flags.filter((flag) => !capabilities[flag]);
}
