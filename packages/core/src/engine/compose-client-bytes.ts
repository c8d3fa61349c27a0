/**
 * The fewest bytes a compose under S3's part rules must read through this process, and which bytes
 * those are: an exact optimiser over the pieces.
 *
 * The model. The result is cut into parts; a part is either copied on the server (one contiguous
 * range inside one piece) or read through the client; every part but the last holds at least
 * `min` bytes. Call a piece an anchor when some of it is copied on the server. With
 * `maxPartSize >= 2 * min - 1` every run of at least `min` bytes can be cut into legal parts, so
 * one server range per anchor is enough (two ranges with client bytes between can always be joined,
 * reading less), and an anchor reads only a head and a tail through the client. An anchor keeps at
 * least `min` bytes on the server (the last piece: one byte, being the last part); so it can lend
 * `capacity = size - min` bytes (`size - 1`) to the client runs around it. A client run between two
 * anchors (or before the first) made of the pieces between them, `gap` bytes, must reach `min` when
 * it is not empty: the anchors lend `max(0, min - gap)` bytes, the tail of the one before first (an
 * exchange argument: lending from the left never leaves less for what follows). The run after the
 * last anchor is the last part and needs nothing. Client bytes = the pieces that are not anchors +
 * what anchors lend; the lending is fixed by the gaps, the capacities only decide what is feasible.
 *
 * The dynamic programme walks the pieces that can anchor (size >= min, or the last piece). Its state
 * at an anchor is what the anchor can still lend to its tail, capped at `min - 1` (no gap needs more),
 * paired with the least cost to reach it; only Pareto-optimal states are kept (more to lend, or
 * cheaper). An anchor is reached from the anchor just before it (through the pieces between, all
 * smaller than `min`), from any earlier anchor (the anchors skipped are read whole, so the gap is at
 * least `min` and nothing is lent), or from the start.
 *
 * Cost: O(n + sum of state-list sizes). An anchor that can lend `2 * (min - 1)` or more (size of at
 * least `3 * min - 2`) collapses its list to one state (whatever its head lent, it can still lend
 * `min - 1`), and each anchor adds at most two states to the list of the one before; so lists grow
 * only along chains of anchors between `min` and `3 * min` bytes with small gaps between, and the
 * worst case, O(n^2) for n pieces that are all such a chain, is 5e7 steps for 10,000 pieces (well
 * under a second); mixed real inputs stay near O(n).
 */

/** What the optimiser chose for one non-empty piece. */
export interface PieceDecision {
  /** Some of the piece is copied on the server (bytes `head .. size - tail - 1` of it). */
  server: boolean;
  /** Bytes at the start and the end of a server piece read through the client. */
  head: number;
  tail: number;
}

export interface ClientBytesOptimum {
  /** The least client bytes of any legal plan (part-count limit aside). */
  clientBytes: number;
  /** One decision per size given, in order. */
  decisions: PieceDecision[];
}

interface State {
  piece: number;
  /** Client bytes from the start to this anchor's server range, its head included. */
  cost: number;
  /** What the anchor can still lend to its tail, capped at `min - 1`. */
  rem: number;
  head: number;
  /** The anchor before this one on the chosen path, and the tail it lends to the gap between. */
  prev: State | undefined;
  prevTail: number;
}

/**
 * Minimises the client bytes for pieces of `sizes` (every size > 0) under a minimum part size
 * `min` (at least 1), assuming `maxPartSize >= 2 * min - 1`. `mayKeep(i)` false makes piece `i`
 * read whole (the planner's way to trade bytes for fewer parts).
 */
export function optimiseClientBytes(
  sizes: readonly number[],
  min: number,
  mayKeep: (piece: number) => boolean = () => true,
): ClientBytesOptimum {
  const n = sizes.length;
  const prefix = prefixSums(sizes);
  const total = prefix[n] as number;
  let previous: { piece: number; front: State[] } | undefined;
  // The best (cost - prefix after the anchor) over anchors before `previous`, and over all.
  let farBest: State | undefined;
  let allBest: State | undefined;
  const score = (s: State) => s.cost - (prefix[s.piece + 1] as number);
  const better = (a: State | undefined, b: State) => (a === undefined || score(b) < score(a) ? b : a);
  for (let i = 0; i < n; i++) {
    const size = sizes[i] as number;
    const capacity = i === n - 1 ? size - 1 : size - min;
    if (capacity < 0 || !mayKeep(i)) continue;
    const candidates: State[] = [];
    const add = (cost: number, head: number, prev: State | undefined, prevTail: number) => {
      if (head > capacity) return;
      const rem = Math.min(capacity - head, min - 1);
      candidates.push({ piece: i, cost, rem, head, prev, prevTail });
    };
    const before = prefix[i] as number;
    if (before === 0) add(0, 0, undefined, 0);
    else add(before + Math.max(0, min - before), Math.max(0, min - before), undefined, 0);
    if (previous !== undefined) {
      const gap = before - (prefix[previous.piece + 1] as number);
      const need = gap === 0 ? 0 : Math.max(0, min - gap);
      for (const state of previous.front) {
        const tail = Math.min(state.rem, need);
        add(state.cost + gap + need, need - tail, state, tail);
      }
      if (farBest !== undefined) add(score(farBest) + before, 0, farBest, 0);
      farBest = better(farBest, cheapest(previous.front));
    }
    const front = paretoFront(candidates);
    if (front.length === 0) continue;
    previous = { piece: i, front };
    allBest = better(allBest, cheapest(front));
  }
  const last = allBest !== undefined && score(allBest) + total < total ? allBest : undefined;
  return {
    clientBytes: last === undefined ? total : score(last) + total,
    decisions: decisionsOf(n, last),
  };
}

function prefixSums(sizes: readonly number[]): number[] {
  const prefix = [0];
  for (const size of sizes) prefix.push((prefix[prefix.length - 1] as number) + size);
  return prefix;
}

function cheapest(front: readonly State[]): State {
  return front.reduce((best, s) => (s.cost < best.cost ? s : best));
}

/** States not beaten by one that can lend as much or more for no more cost. */
function paretoFront(candidates: State[]): State[] {
  candidates.sort((a, b) => b.rem - a.rem || a.cost - b.cost);
  const front: State[] = [];
  for (const state of candidates) {
    const last = front[front.length - 1];
    if (last === undefined || state.cost < last.cost) front.push(state);
  }
  return front;
}

function decisionsOf(n: number, last: State | undefined): PieceDecision[] {
  const decisions: PieceDecision[] = Array.from({ length: n }, () => ({ server: false, head: 0, tail: 0 }));
  for (let state = last; state !== undefined; state = state.prev) {
    const decision = decisions[state.piece] as PieceDecision;
    decision.server = true;
    decision.head = state.head;
    if (state.prev !== undefined) (decisions[state.prev.piece] as PieceDecision).tail = state.prevTail;
  }
  return decisions;
}
