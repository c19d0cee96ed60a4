/**
 * Splitting a path that needs more than one battery into sorties: greedily, each sortie flies from
 * the base to where the last one stopped, as far along the path as the usable battery allows
 * (cutting inside a leg where needed, found by bisection), and back.
 */
import { figuresOf, turnPenaltyS, type Figures, type FigureOptions } from './figures.ts';
import type { XY } from './local-frame.ts';
import { PlanningError } from './types.ts';
import { dist, lerp, turnDeg } from './vec.ts';

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

/**
 * Running figures of a sortie being built: appending a point and asking "would this candidate
 * still fit?" are O(1), so a long path splits in linear time (recomputing the whole sortie for
 * each point made splitting quadratic).
 */
class Piece {
  readonly points: PathPoint[];
  private innerM = 0;
  private interiorTurnsS = 0;
  private holdS: number;

  constructor(first: PathPoint, private readonly o: SortieOptions) {
    this.points = [first];
    this.holdS = first.holdS ?? 0;
  }

  private turn(a: XY, b: XY, c: XY): number {
    return turnPenaltyS(turnDeg(a, b, c), this.o.speedMps, this.o.airframe.accelMps2);
  }

  /** Battery percent of this piece with `c` appended (base → piece → c → base). */
  pctWith(c: PathPoint): number {
    const P = this.points;
    const n = P.length;
    const base = this.o.base;
    const first = P[0]!.xy;
    const last = P[n - 1]!.xy;
    let lengthM = this.innerM + dist(last, c.xy);
    let turnsS = this.interiorTurnsS;
    if (n >= 2) turnsS += this.turn(P[n - 2]!.xy, last, c.xy);
    if (base) {
      lengthM += dist(base, first) + dist(c.xy, base);
      turnsS += this.turn(base, first, n >= 2 ? P[1]!.xy : c.xy);
      turnsS += this.turn(last, c.xy, base);
    }
    const altitudeM = this.o.altitudeM ?? 0;
    const verticalS = altitudeM / this.o.airframe.climbMps + altitudeM / this.o.airframe.descentMps;
    const durationS = lengthM / this.o.speedMps + turnsS + this.holdS + (c.holdS ?? 0) + verticalS;
    return (100 * durationS) / this.o.airframe.enduranceS;
  }

  append(c: PathPoint): void {
    const P = this.points;
    const n = P.length;
    if (n >= 2) this.interiorTurnsS += this.turn(P[n - 2]!.xy, P[n - 1]!.xy, c.xy);
    this.innerM += dist(P[n - 1]!.xy, c.xy);
    this.holdS += c.holdS ?? 0;
    P.push(c);
  }
}

export function splitIntoSorties(points: PathPoint[], o: SortieOptions): PathPoint[][] {
  // a hair under the limit, so the figures rounded to 0.1% stay within it
  const limit = o.usablePct - 0.05;
  const sorties: PathPoint[][] = [];
  let current = new Piece(points[0]!, o);
  if (current.pctWith(points[0]!) > limit && sortieFigures([points[0]!], o).batteryPct > o.usablePct) {
    throw new PlanningError('PLAN_INFEASIBLE', 'the start of the route is out of reach on one battery', { usablePct: o.usablePct });
  }
  let guard = 0;
  for (let i = 1; i < points.length; ) {
    if (guard++ > points.length * 4 + 1000) throw new PlanningError('PLAN_INFEASIBLE', 'a single stop (its hover) does not fit on one battery', { usablePct: o.usablePct });
    const next = points[i]!;
    if (current.pctWith(next) <= limit) {
      current.append(next);
      i++;
      continue;
    }
    const last = current.points[current.points.length - 1]!;
    // farthest point along last → next that still fits (hold time stays with the waypoint)
    let lo = 0;
    let hi = 1;
    for (let k = 0; k < 30; k++) {
      const mid = (lo + hi) / 2;
      if (current.pctWith({ xy: lerp(last.xy, next.xy, mid) }) <= limit) lo = mid;
      else hi = mid;
    }
    if (lo < 1e-6 && current.points.length === 1) {
      throw new PlanningError('PLAN_INFEASIBLE', 'a sortie cannot get past its start on one battery: the route is out of reach from the base', { usablePct: o.usablePct });
    }
    const cut: PathPoint = { xy: lerp(last.xy, next.xy, lo) };
    if (lo > 1e-6) current.append(cut);
    sorties.push(current.points);
    current = new Piece(cut, o);
  }
  sorties.push(current.points);
  return sorties;
}
