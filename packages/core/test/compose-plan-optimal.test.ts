/**
 * The compose planner reads the fewest client bytes possible, checked against a brute force on
 * small inputs: a search over every way to cut the result into parts (every part boundary at every
 * byte, every part copied or uploaded), which knows nothing of anchors, heads or tails.
 */
import { clientBytesLowerBound, type PinnedPiece, planComposeParts } from '@partcopy/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

function pieces(sizes: readonly number[]): PinnedPiece[] {
  return sizes.map((size, index) => ({
    index,
    bucket: 'b',
    key: `k${index}`,
    etag: '"e"',
    sourceSize: size + 3,
    // A range inside a larger source, so offsets are not all from zero.
    range: size === 0 ? undefined : { start: 3, end: size + 2 },
    size,
    whole: false,
  }));
}

interface Limits {
  minPartSize: number;
  maxPartSize: number;
  maxParts: number;
}

/**
 * The least client bytes over all legal cuts of the result, or undefined when none fits. `best[k][p]`
 * is the least client bytes covering the first `p` bytes with `k` parts, every one of them at least
 * the minimum (so any of them may be followed by more).
 */
function bruteForce(sizes: readonly number[], limits: Limits): number | undefined {
  const owner: number[] = [];
  sizes.forEach((size, piece) => {
    for (let b = 0; b < size; b++) owner.push(piece);
  });
  const total = owner.length;
  if (total === 0) return 0;
  const min = Math.max(1, limits.minPartSize);
  const oneRange = (from: number, to: number) => owner[from] === owner[to - 1];
  let best: number[] = Array.from({ length: total + 1 }, (_, p) => (p === 0 ? 0 : Infinity));
  let answer = Infinity;
  for (let k = 1; k <= limits.maxParts; k++) {
    const next: number[] = Array.from({ length: total + 1 }, () => Infinity);
    for (let from = 0; from < total; from++) {
      const before = best[from] as number;
      if (before === Infinity) continue;
      for (let to = from + 1; to <= Math.min(total, from + limits.maxPartSize); to++) {
        const cost = before + (oneRange(from, to) ? 0 : to - from);
        if (to === total) answer = Math.min(answer, cost);
        if (to - from >= min && cost < (next[to] as number)) next[to] = cost;
      }
    }
    best = next;
  }
  return answer === Infinity ? undefined : answer;
}

/** Legality and byte-for-byte replay of the pieces, as the planner's own test checks. */
function checkLegal(input: PinnedPiece[], limits: Limits, plan: ReturnType<typeof planComposeParts>) {
  expect(plan.parts.length).toBeLessThanOrEqual(limits.maxParts);
  plan.parts.forEach((part, i) => {
    if (i < plan.parts.length - 1) expect(part.size).toBeGreaterThanOrEqual(limits.minPartSize);
    expect(part.size).toBeLessThanOrEqual(limits.maxPartSize);
    if (part.kind === 'copy') expect(part.slices).toHaveLength(1);
  });
  const bytes = plan.parts.flatMap((p) =>
    p.slices.flatMap((s) =>
      Array.from({ length: s.end - s.start + 1 }, (_, b) => `${s.piece}:${s.start + b}`),
    ),
  );
  const wanted = input.flatMap((p) => Array.from({ length: p.size }, (_, b) => `${p.index}:${3 + b}`));
  expect(bytes).toEqual(wanted);
  const uploaded = plan.parts.filter((p) => p.kind === 'upload').reduce((sum, p) => sum + p.size, 0);
  expect(plan.plannedClientBytes).toBe(uploaded);
}

const sizesAround = (min: number) =>
  fc.array(
    fc.oneof(
      fc.integer({ min: 0, max: 3 * min + 2 }),
      fc.constantFrom(0, 1, min - 1, min, min + 1, 2 * min - 1, 2 * min, 3 * min - 2),
    ),
    { maxLength: 9 },
  );

const limitsArb = fc.integer({ min: 1, max: 6 }).chain((min) =>
  fc.record({
    minPartSize: fc.constant(min),
    maxPartSize: fc.integer({ min: Math.max(1, 2 * min - 1), max: 4 * min + 3 }),
    maxParts: fc.constant(1_000),
  }),
);

describe('the compose planner against a brute force', () => {
  it('reaches the least client bytes of any legal plan, and reports that minimum as the bound', () => {
    fc.assert(
      fc.property(
        limitsArb.chain((limits) => fc.tuple(fc.constant(limits), sizesAround(limits.minPartSize))),
        ([limits, sizes]) => {
          const input = pieces(sizes);
          const plan = planComposeParts(input, limits);
          checkLegal(input, limits, plan);
          const optimum = bruteForce(sizes, limits);
          expect(plan.clientBytesLowerBound).toBe(optimum);
          expect(plan.plannedClientBytes).toBe(optimum);
          expect(clientBytesLowerBound(input, limits.minPartSize)).toBe(optimum);
        },
      ),
      { numRuns: 400, seed: 11 },
    );
  });

  it('under a part-count limit, plans legally whenever some legal plan exists', () => {
    const binding = { exact: 0, over: 0 };
    fc.assert(
      fc.property(
        limitsArb.chain((limits) =>
          fc.tuple(
            fc.constant({ ...limits, maxParts: 0 }),
            fc.integer({ min: 1, max: 6 }),
            sizesAround(limits.minPartSize),
          ),
        ),
        ([base, maxParts, sizes]) => {
          const limits = { ...base, maxParts };
          const input = pieces(sizes);
          const optimum = bruteForce(sizes, limits);
          if (optimum === undefined) {
            expect(() => planComposeParts(input, limits)).toThrow(/needs \d+ parts/);
            return;
          }
          // A legal plan exists: the planner finds one, never below it, and the bound is the
          // least without the part limit (exact when the limit does not bind).
          const plan = planComposeParts(input, limits);
          checkLegal(input, limits, plan);
          expect(plan.clientBytesLowerBound).toBe(bruteForce(sizes, { ...limits, maxParts: 1_000 }));
          expect(plan.clientBytesLowerBound).toBeLessThanOrEqual(optimum);
          expect(plan.plannedClientBytes).toBeGreaterThanOrEqual(optimum);
          if (optimum === plan.clientBytesLowerBound) binding.exact++;
          else binding.over++;
        },
      ),
      { numRuns: 300, seed: 12 },
    );
    // The runs include inputs where the part limit forces more client bytes than the bound.
    expect(binding.over).toBeGreaterThan(0);
  });
});
