/**
 * Point tour: a short visiting order (nearest neighbour, then 2-opt), never longer than the order
 * given. Open path from the first visited point to the last, or a closed round from `start`.
 */
import { frameAround, type XY } from './local-frame.ts';
import { PlanningError, type LatLon } from './types.ts';
import { dist } from './vec.ts';

export interface TourOptions {
  points: LatLon[];
  /** Closed round from (and back to) here, e.g. the base; otherwise an open path. */
  start?: LatLon;
}

export interface TourResult {
  /** Visiting order: indexes into `points`. */
  order: number[];
  lengthM: number;
  inputLengthM: number;
}

export function planTour(o: TourOptions): TourResult {
  if (o.points.length === 0) throw new PlanningError('BAD_PLAN_INPUT', 'a tour needs at least one point');
  const frame = frameAround(o.points.map((p) => [p.lon, p.lat]));
  const xy = o.points.map((p) => frame.fromLatLon(p));
  const start = o.start ? frame.fromLatLon(o.start) : null;
  const len = (order: number[]) => tourLengthM(order, xy, start);
  const input = o.points.map((_, i) => i);
  const candidates = [twoOpt(nearestNeighbour(xy, start), xy, start), twoOpt(input, xy, start)];
  candidates.sort((a, b) => len(a) - len(b));
  const order = candidates[0]!;
  return { order, lengthM: len(order), inputLengthM: len(input) };
}

/** Path length of the order (closed through `start` when given). */
export function tourLengthM(order: readonly number[], xy: readonly XY[], start: XY | null): number {
  let total = 0;
  for (let i = 1; i < order.length; i++) total += dist(xy[order[i - 1]!]!, xy[order[i]!]!);
  if (start && order.length) total += dist(start, xy[order[0]!]!) + dist(xy[order[order.length - 1]!]!, start);
  return total;
}

function nearestNeighbour(xy: readonly XY[], start: XY | null): number[] {
  const left = new Set(xy.map((_, i) => i));
  const order: number[] = [];
  let here = start ?? xy[0]!;
  if (!start) {
    order.push(0);
    left.delete(0);
  }
  while (left.size) {
    let best = -1;
    for (const i of left) if (best < 0 || dist(here, xy[i]!) < dist(here, xy[best]!)) best = i;
    order.push(best);
    left.delete(best);
    here = xy[best]!;
  }
  return order;
}

/**
 * 2-opt: reverse order[i..j] whenever that shortens the path, until no reversal helps. Ends are
 * free for an open path (a reversal touching an end just moves that end); fixed at `start` for a
 * closed round. Only improving moves are taken, so the result is never longer than the input.
 */
function twoOpt(initial: number[], xy: readonly XY[], start: XY | null): number[] {
  const order = [...initial];
  const n = order.length;
  const at = (k: number): XY | null => (k < 0 || k >= n ? start : xy[order[k]!]!);
  const d = (p: XY | null, q: XY | null) => (p && q ? dist(p, q) : 0);
  let improved = true;
  let passes = 0;
  while (improved && passes++ < 100) {
    improved = false;
    for (let i = 0; i < n - 1; i++) {
      for (let j = i + 1; j < n; j++) {
        const before = d(at(i - 1), at(i)) + d(at(j), at(j + 1));
        const after = d(at(i - 1), at(j)) + d(at(i), at(j + 1));
        if (after < before - 1e-9) {
          for (let a = i, b = j; a < b; a++, b--) [order[a], order[b]] = [order[b]!, order[a]!];
          improved = true;
        }
      }
    }
  }
  return order;
}
