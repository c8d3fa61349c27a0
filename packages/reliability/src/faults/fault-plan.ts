/**
 * Which request gets which fault, decided by the seed alone: a hash of (seed, request identity,
 * occurrence of that identity) gives a number in [0, 1) for "fault or not" and another for the
 * kind. The decision never depends on timing or on the order in which concurrent requests
 * arrive, so a run replays with the same seed (printed by every runner).
 */
import { createHash } from 'node:crypto';
import { FAULT_KINDS, type FaultKind } from './fault-kinds.ts';

export interface FaultPlanOptions {
  seed: number;
  /** Share of requests that get a fault, 0..1. */
  rate: number;
  /** The kinds to choose from (default all). */
  kinds?: readonly FaultKind[];
}

export interface FaultDecision {
  identity: string;
  occurrence: number;
  fault: FaultKind | undefined;
}

export class FaultPlan {
  readonly seed: number;
  readonly rate: number;
  readonly kinds: readonly FaultKind[];
  readonly #occurrences = new Map<string, number>();
  readonly #injected = new Map<FaultKind, number>();
  #requests = 0;

  constructor(options: FaultPlanOptions) {
    if (!(options.rate >= 0 && options.rate <= 1))
      throw new RangeError(`rate must be within 0..1, got ${options.rate}`);
    this.seed = options.seed;
    this.rate = options.rate;
    this.kinds = options.kinds ?? FAULT_KINDS;
    if (this.kinds.length === 0) throw new RangeError('a fault plan needs at least one kind');
  }

  decide(identity: string): FaultDecision {
    const occurrence = (this.#occurrences.get(identity) ?? 0) + 1;
    this.#occurrences.set(identity, occurrence);
    this.#requests++;
    const fault = planFault(this.seed, this.rate, this.kinds, identity, occurrence);
    if (fault) this.#injected.set(fault, (this.#injected.get(fault) ?? 0) + 1);
    return { identity, occurrence, fault };
  }

  /** Requests seen and faults injected, by kind. */
  stats(): { requests: number; injected: Partial<Record<FaultKind, number>>; faults: number } {
    const injected = Object.fromEntries(this.#injected) as Partial<Record<FaultKind, number>>;
    const faults = [...this.#injected.values()].reduce((a, b) => a + b, 0);
    return { requests: this.#requests, injected, faults };
  }
}

/** The pure decision: the same inputs always give the same fault. */
export function planFault(
  seed: number,
  rate: number,
  kinds: readonly FaultKind[],
  identity: string,
  occurrence: number,
): FaultKind | undefined {
  const digest = createHash('sha256').update(`${seed}\n${identity}\n${occurrence}`).digest();
  const roll = digest.readUInt32BE(0) / 2 ** 32;
  if (roll >= rate) return undefined;
  return kinds[digest.readUInt32BE(4) % kinds.length];
}
