/** Shapes for the planning tests, in local metres around Wuhan Optics Valley (30.50 N, 114.40 E). */
import type { Polygon, Position } from 'geojson';
import { LocalFrame, type XY } from '../../server/planning/index.ts';
import { pointSegmentDistanceM } from '../../server/planning/vec.ts';

export const VALLEY = new LocalFrame({ lat: 30.5, lon: 114.4 });

export function ring(points: readonly (readonly [number, number])[]): Position[] {
  const r = points.map((p) => VALLEY.toPosition(p));
  return [...r, r[0]!];
}

export function polygon(outer: readonly (readonly [number, number])[], ...holes: (readonly (readonly [number, number])[])[]): Polygon {
  return { type: 'Polygon', coordinates: [ring(outer), ...holes.map((h) => ring(h))] };
}

export function square(cx: number, cy: number, half: number): [number, number][] {
  return [[cx - half, cy - half], [cx + half, cy - half], [cx + half, cy + half], [cx - half, cy + half]];
}

export const at = (x: number, y: number) => VALLEY.toLatLon([x, y]);

/** Distance from p to the nearest segment of the path. */
export function distanceToPathM(p: XY, path: readonly XY[]): number {
  let best = Infinity;
  for (let i = 1; i < path.length; i++) best = Math.min(best, pointSegmentDistanceM(p, path[i - 1]!, path[i]!));
  return best;
}
