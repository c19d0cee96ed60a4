/**
 * Weighted discrete k-median: choose at most k of the candidate points so that the weighted sum,
 * over the clients, of the distance to the nearest chosen point is smallest. The problem is NP-hard;
 * this is the usual heuristic pair, plus a clean-up:
 *
 * 1. Greedy placement: the first point is the best single point (the 1-median); each next point is
 *    the one that cuts the total most (evaluated lazily, see below). Placement stops early when no
 *    candidate cuts it at all (every client already has a chosen point at distance 0).
 * 2. Local search by swaps (PAM's "swap" phase as FasterPAM runs it, Schubert & Rousseeuw 2021):
 *    one pass over the clients prices swapping a candidate in against every chosen point at once
 *    (O(clients + k)); an improving swap is made at once, and the search stops after a full round
 *    of the candidates finds none, or after `maxSwaps` swaps. The result is then swap-optimal, which
 *    for k-median is within a factor 5 of the optimum (Arya et al. 2004), and in practice close.
 * 3. Points no client needs (their removal costs nothing) are dropped, so fewer than k can come
 *    back; the caller leaves the spare drones where they are.
 *
 * Deterministic: candidates and clients are visited in index order and ties go to the lower index.
 */

export interface KMedianInput {
  /** Row-major candidates × clients distances (finite; use a large number for "unreachable"). */
  distances: Float64Array;
  candidates: number;
  /** One weight per client (> 0). */
  weights: Float64Array;
  k: number;
  /** Bound on local-search swaps (default 200). */
  maxSwaps?: number;
}

export interface KMedianResult {
  /** Chosen candidate indexes, in the order they were placed (swaps replace in place). */
  chosen: number[];
  /** Weighted sum of distances to the nearest chosen point. */
  totalCost: number;
  swaps: number;
}

const DEFAULT_MAX_SWAPS = 200;
/** A change smaller than this fraction of the total is rounding, not an improvement. */
const RELATIVE_TOLERANCE = 1e-12;

export function kMedian(input: KMedianInput): KMedianResult {
  const { distances: d, candidates: m, weights: w, k } = input;
  const n = w.length;
  if (d.length !== m * n) throw new RangeError(`distances has ${d.length} entries, expected ${m} × ${n}`);
  if (m === 0 || n === 0 || k <= 0) return { chosen: [], totalCost: 0, swaps: 0 };

  // 1. Greedy placement.
  const chosen: number[] = [];
  const isChosen = new Uint8Array(m);
  const nearestM = new Float64Array(n);
  let first = 0;
  let firstCost = Infinity;
  for (let c = 0; c < m; c++) {
    const cost = costOfRow(d, c * n, n, w);
    if (cost < firstCost) {
      firstCost = cost;
      first = c;
    }
  }
  chosen.push(first);
  isChosen[first] = 1;
  for (let i = 0; i < n; i++) nearestM[i] = d[first * n + i]!;
  let total = firstCost;
  // Later points lazily (Minoux's accelerated greedy): a candidate's gain can only shrink as points
  // are added (the cut in cost is submodular), so a gain computed in an earlier round bounds it
  // now; only candidates whose bound could still win are recomputed. Same picks as plain greedy,
  // ties to the lower index.
  const gainOf = (c: number) => gainOfRow(d, c * n, n, nearestM, w);
  const bound = new Float64Array(m);
  const freshIn = new Int32Array(m).fill(-1);
  const heap: number[] = [];
  const above = (a: number, b: number) => bound[a]! > bound[b]! || (bound[a] === bound[b] && a < b);
  for (let c = 0; c < m; c++) {
    if (isChosen[c]) continue;
    bound[c] = gainOf(c);
    freshIn[c] = 1;
    heapPush(heap, c, above);
  }
  for (let round = 1; chosen.length < Math.min(k, m) && heap.length > 0; ) {
    const top = heap[0]!;
    if (freshIn[top] !== round) {
      bound[top] = gainOf(top);
      freshIn[top] = round;
      heapReplaceTop(heap, top, above);
      continue;
    }
    if (bound[top]! <= RELATIVE_TOLERANCE * total) break;
    heapPop(heap, above);
    chosen.push(top);
    isChosen[top] = 1;
    for (let i = 0, row = top * n; i < n; i++) nearestM[i] = Math.min(nearestM[i]!, d[row + i]!);
    total -= bound[top]!;
    round++;
  }

  // 2. Local search by swaps.
  const nearest = new Int32Array(n);
  const d1 = new Float64Array(n);
  const d2 = new Float64Array(n);
  const acc = new Float64Array(chosen.length);
  const maxSwaps = input.maxSwaps ?? DEFAULT_MAX_SWAPS;
  let swaps = 0;
  total = assignClients(d, n, w, chosen, nearest, d1, d2);
  // Eager (FasterPAM): candidates are visited round and round in index order, and a candidate's
  // best swap is made as soon as it is found; the search ends after a full round of the candidates
  // without one (or at maxSwaps).
  let sinceLastSwap = 0;
  for (let c = 0; sinceLastSwap < m && swaps < maxSwaps && chosen.length < m; c = (c + 1) % m, sinceLastSwap++) {
    if (isChosen[c]) continue;
    const shared = swapDeltas(d, c * n, n, w, nearest, d1, d2, acc);
    let bestR = -1;
    let bestDelta = -RELATIVE_TOLERANCE * total;
    for (let r = 0; r < chosen.length; r++) {
      const delta = shared + acc[r]!;
      if (delta < bestDelta) {
        bestDelta = delta;
        bestR = r;
      }
    }
    if (bestR < 0) continue;
    isChosen[chosen[bestR]!] = 0;
    chosen[bestR] = c;
    isChosen[c] = 1;
    swaps++;
    sinceLastSwap = 0;
    total = assignClients(d, n, w, chosen, nearest, d1, d2);
  }
  // 3. Drop points no client needs (removing one costs nothing: a tie left over from the greedy
  // start, or more points than distinct client locations), one at a time, lowest candidate index first.
  for (;;) {
    const loss = new Float64Array(chosen.length);
    for (let i = 0; i < n; i++) loss[nearest[i]!] = loss[nearest[i]!]! + w[i]! * (d2[i]! - d1[i]!);
    let drop = -1;
    for (let r = 0; r < chosen.length; r++) if (loss[r]! <= RELATIVE_TOLERANCE * total && (drop < 0 || chosen[r]! < chosen[drop]!)) drop = r;
    if (drop < 0 || chosen.length === 1) break;
    chosen.splice(drop, 1);
    total = assignClients(d, n, w, chosen, nearest, d1, d2);
  }
  return { chosen, totalCost: total, swaps };
}

/** Weighted total with only the candidate whose distances start at d[row]. */
function costOfRow(d: Float64Array, row: number, n: number, w: Float64Array): number {
  let cost = 0;
  for (let i = 0; i < n; i++) cost += w[i]! * d[row + i]!;
  return cost;
}

/**
 * Prices swapping in the candidate whose distances start at d[row]: Δ(remove r, add it) =
 * Σ_i w_i · (new_i − d1_i), where new_i = min(d1_i, d_i) when client i's nearest is not r, and
 * min(d2_i, d_i) when it is. Split as shared + acc[r]: fills acc, returns shared.
 */
function swapDeltas(d: Float64Array, row: number, n: number, w: Float64Array, nearest: Int32Array, d1: Float64Array, d2: Float64Array, acc: Float64Array): number {
  acc.fill(0);
  let shared = 0;
  for (let i = 0; i < n; i++) {
    const dc = d[row + i]!;
    const a = d1[i]!;
    const gainIfKept = dc < a ? dc - a : 0;
    shared += w[i]! * gainIfKept;
    const r = nearest[i]!;
    acc[r] = acc[r]! + w[i]! * (Math.min(d2[i]!, dc) - a - gainIfKept);
  }
  return shared;
}

/** How much adding the candidate whose distances start at d[row] cuts the weighted total. */
function gainOfRow(d: Float64Array, row: number, n: number, nearestM: Float64Array, w: Float64Array): number {
  let gain = 0;
  for (let i = 0; i < n; i++) {
    const cut = nearestM[i]! - d[row + i]!;
    if (cut > 0) gain += w[i]! * cut;
  }
  return gain;
}

/** Nearest and second-nearest chosen point of every client; returns the weighted total. */
function assignClients(d: Float64Array, n: number, w: Float64Array, chosen: number[], nearest: Int32Array, d1: Float64Array, d2: Float64Array): number {
  let total = 0;
  for (let i = 0; i < n; i++) {
    let best = Infinity;
    let second = Infinity;
    let which = 0;
    for (let r = 0; r < chosen.length; r++) {
      const v = d[chosen[r]! * n + i]!;
      if (v < best) {
        second = best;
        best = v;
        which = r;
      } else if (v < second) {
        second = v;
      }
    }
    nearest[i] = which;
    d1[i] = best;
    d2[i] = second;
    total += w[i]! * best;
  }
  return total;
}

/** A binary heap of indexes, `above(a, b)` when a belongs nearer the top. */
function heapPush(heap: number[], v: number, above: (a: number, b: number) => boolean): void {
  heap.push(v);
  let i = heap.length - 1;
  while (i > 0) {
    const parent = (i - 1) >> 1;
    if (!above(heap[i]!, heap[parent]!)) break;
    [heap[i], heap[parent]] = [heap[parent]!, heap[i]!];
    i = parent;
  }
}

function heapReplaceTop(heap: number[], v: number, above: (a: number, b: number) => boolean): void {
  heap[0] = v;
  let i = 0;
  for (;;) {
    const l = 2 * i + 1;
    const r = l + 1;
    let best = i;
    if (l < heap.length && above(heap[l]!, heap[best]!)) best = l;
    if (r < heap.length && above(heap[r]!, heap[best]!)) best = r;
    if (best === i) return;
    [heap[i], heap[best]] = [heap[best]!, heap[i]!];
    i = best;
  }
}

function heapPop(heap: number[], above: (a: number, b: number) => boolean): void {
  const last = heap.pop()!;
  if (heap.length > 0) heapReplaceTop(heap, last, above);
}
