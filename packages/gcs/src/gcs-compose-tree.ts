import { type ConcurrencyStats, mapWithConcurrency } from '@partcopy/core/provider';

/** GCS compose takes 1 to 32 source objects per call. https://cloud.google.com/storage/docs/composite-objects */
export const COMPOSE_MAX_SOURCES = 32;

/** One compose call of a level: `count` consecutive inputs starting at `start`. */
export interface ComposeGroup {
  start: number;
  count: number;
}

export interface ComposeLevel {
  /** Objects entering the level; those in no group pass through to the next level unchanged. */
  inputs: number;
  groups: ComposeGroup[];
}

export interface ComposePlan {
  sources: number;
  /** Levels of compose calls: ceil(log32 N), and 1 for a single part (it still needs one call). */
  depth: number;
  calls: number;
  levels: ComposeLevel[];
}

/**
 * Plans a shallow compose tree with as few calls as the depth allows. Depth is the least
 * possible, D = ceil(log_32 N). Level l (of D) need only bring the count down to 32^(D-l), so
 * it composes just enough full groups of 32 (plus one partial group) to get there and passes
 * the other objects through; the last level composes what is left (at most 32) into the
 * destination. Every call but at most one per level takes 32 sources, hence at most
 * ceil((N-1)/31) + D calls in all. Groups are runs of consecutive objects, so order is kept.
 */
export function planComposeTree(count: number, fanIn = COMPOSE_MAX_SOURCES): ComposePlan {
  if (!Number.isSafeInteger(count) || count < 1) throw new RangeError(`cannot compose ${count} sources`);
  let depth = 0;
  for (let capacity = 1; capacity < count; capacity *= fanIn) depth++;
  depth = Math.max(1, depth);
  const levels: ComposeLevel[] = [];
  let remaining = count;
  for (let level = 1; level <= depth; level++) {
    if (level === depth) {
      levels.push({ inputs: remaining, groups: [{ start: 0, count: remaining }] });
      break;
    }
    const target = fanIn ** (depth - level);
    const reduction = Math.max(0, remaining - target);
    const calls = Math.ceil(reduction / (fanIn - 1));
    const groups: ComposeGroup[] = [];
    let start = 0;
    for (let call = 0; call < calls; call++) {
      const size = call < calls - 1 ? fanIn : reduction - (fanIn - 1) * (calls - 1) + 1;
      groups.push({ start, count: size });
      start += size;
    }
    levels.push({ inputs: remaining, groups });
    remaining -= reduction;
  }
  return {
    sources: count,
    depth,
    calls: levels.reduce((sum, level) => sum + level.groups.length, 0),
    levels,
  };
}

/** What a completion's compose tree did, for tests, logs and cost estimates. */
export interface ComposeTreeReport {
  parts: number;
  depth: number;
  calls: number;
  callsPerLevel: number[];
  /** Most compose calls in flight at once, per level: proof that a level runs concurrently. */
  maxConcurrentPerLevel: number[];
  durationMs: number;
}

/** Runs one compose call: `sources` into level `level`'s output `index` (the destination when `final`). */
export type ComposeCall<S> = (sources: S[], level: number, index: number, final: boolean) => Promise<S>;

/**
 * Executes a plan level by level: the calls of one level run concurrently (at most
 * `concurrency` at once), each level waits for the one before. Returns the final object.
 */
export async function runComposeTree<S>(
  plan: ComposePlan,
  sources: readonly S[],
  compose: ComposeCall<S>,
  options: { concurrency: number; signal: AbortSignal },
): Promise<{ result: S; report: ComposeTreeReport }> {
  const started = Date.now();
  const report: ComposeTreeReport = {
    parts: plan.sources,
    depth: plan.depth,
    calls: plan.calls,
    callsPerLevel: [],
    maxConcurrentPerLevel: [],
    durationMs: 0,
  };
  let items = [...sources];
  for (const [offset, level] of plan.levels.entries()) {
    const number = offset + 1;
    const final = number === plan.levels.length;
    const stats: ConcurrencyStats = { maxInFlight: 0 };
    const outputs = await mapWithConcurrency(
      level.groups,
      options.concurrency,
      (group, index) => compose(items.slice(group.start, group.start + group.count), number, index, final),
      options.signal,
      stats,
    );
    report.callsPerLevel.push(level.groups.length);
    report.maxConcurrentPerLevel.push(stats.maxInFlight);
    items = replaceGroups(items, level.groups, outputs);
  }
  report.durationMs = Date.now() - started;
  return { result: items[0] as S, report };
}

function replaceGroups<S>(items: S[], groups: ComposeGroup[], outputs: S[]): S[] {
  const next: S[] = [];
  let cursor = 0;
  groups.forEach((group, index) => {
    next.push(...items.slice(cursor, group.start), outputs[index] as S);
    cursor = group.start + group.count;
  });
  next.push(...items.slice(cursor));
  return next;
}
