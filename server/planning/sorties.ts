/**
 * Splitting a path that needs more than one battery into sorties: greedily, each sortie flies from
 * the base to where the last one stopped, as far along the path as the usable battery allows
 * (cutting inside a leg where needed, found by bisection), and back.
 */
import { figuresOf, type Figures, type FigureOptions } from './figures.ts';
import type { XY } from './local-frame.ts';
import { PlanningError } from './types.ts';
import { lerp } from './vec.ts';

export interface PathPoint {
  xy: XY;
  holdS?: number;
}

export interface SortieOptions extends FigureOptions {
  /** Where each sortie starts and ends; without it a sortie starts and ends at its piece's ends. */
  base: XY | null;
  /** Battery a sortie may use, percent (100 − reserve). */
  usablePct: number;
}

export function sortieFigures(piece: PathPoint[], o: SortieOptions): Figures {
  const path = o.base ? [o.base, ...piece.map((p) => p.xy), o.base] : piece.map((p) => p.xy);
  const hoverS = piece.reduce((s, p) => s + (p.holdS ?? 0), 0);
  return figuresOf(path, { ...o, hoverS });
}

export function splitIntoSorties(points: PathPoint[], o: SortieOptions): PathPoint[][] {
  const fits = (piece: PathPoint[]) => sortieFigures(piece, o).batteryPct <= o.usablePct;
  const sorties: PathPoint[][] = [];
  let current: PathPoint[] = [points[0]!];
  if (!fits(current)) throw new PlanningError('PLAN_INFEASIBLE', 'the start of the route is out of reach on one battery', { usablePct: o.usablePct });
  let guard = 0;
  for (let i = 1; i < points.length; ) {
    if (guard++ > points.length * 4 + 1000) throw new PlanningError('PLAN_INFEASIBLE', 'a single stop (its hover) does not fit on one battery', { usablePct: o.usablePct });
    const next = points[i]!;
    if (fits([...current, next])) {
      current.push(next);
      i++;
      continue;
    }
    const last = current[current.length - 1]!;
    // farthest point along last → next that still fits (hold time stays with the waypoint)
    let lo = 0;
    let hi = 1;
    for (let k = 0; k < 30; k++) {
      const mid = (lo + hi) / 2;
      if (fits([...current, { xy: lerp(last.xy, next.xy, mid) }])) lo = mid;
      else hi = mid;
    }
    if (lo < 1e-6 && current.length === 1) {
      throw new PlanningError('PLAN_INFEASIBLE', 'a sortie cannot get past its start on one battery: the route is out of reach from the base', { usablePct: o.usablePct });
    }
    const cut: PathPoint = { xy: lerp(last.xy, next.xy, lo) };
    if (lo > 1e-6) current.push(cut);
    sorties.push(current);
    current = [cut];
  }
  sorties.push(current);
  return sorties;
}
