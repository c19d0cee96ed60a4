/**
 * Perimeter patrol: along a polygon's boundary at an offset (negative inside, positive outside;
 * Turf buffer), starting at the vertex nearest `start`, flown `loops` times.
 */
import { area as turfArea, feature } from '@turf/turf';
import type { Polygon } from 'geojson';
import { offsetPolygon } from './airspace.ts';
import { frameAround, type LocalFrame, type XY } from './local-frame.ts';
import { PlanningError, type LatLon } from './types.ts';
import { dist, openRing } from './vec.ts';

export interface PerimeterOptions {
  area: Polygon;
  /** Negative: inside the boundary; positive: outside. */
  offsetM: number;
  loops?: number;
  start?: LatLon;
}

export interface PerimeterResult {
  /** One loop, closed (first point repeated at the end). */
  loopXY: XY[];
  frame: LocalFrame;
  loops: number;
  warnings: string[];
}

export function planPerimeter(o: PerimeterOptions): PerimeterResult {
  const loops = o.loops ?? 1;
  if (!Number.isInteger(loops) || loops < 1) throw new PlanningError('BAD_PLAN_INPUT', 'loops must be a whole number ≥ 1', { loops });
  const warnings: string[] = [];
  const shape = offsetPolygon(feature(o.area), o.offsetM, 8);
  if (!shape) throw new PlanningError('PLAN_INFEASIBLE', `an offset of ${o.offsetM} m leaves nothing of the area`, { offsetM: o.offsetM });
  let rings = shape.geometry.type === 'Polygon' ? [shape.geometry.coordinates] : shape.geometry.coordinates;
  if (rings.length > 1) {
    // The inset split the area: patrol the largest piece, and say so.
    rings = [...rings].sort((a, b) => turfArea({ type: 'Polygon', coordinates: b }) - turfArea({ type: 'Polygon', coordinates: a }));
    warnings.push(`the ${o.offsetM} m offset splits the area into ${rings.length} pieces; only the largest is patrolled`);
  }
  const outer = rings[0]![0]!;
  const frame = frameAround(outer);
  let ring = openRing(frame.ringToXY(outer));
  if (o.start) {
    const s = frame.fromLatLon(o.start);
    let best = 0;
    ring.forEach((p, i) => {
      if (dist(p, s) < dist(ring[best]!, s)) best = i;
    });
    ring = [...ring.slice(best), ...ring.slice(0, best)];
  }
  return { loopXY: [...ring, ring[0]!], frame, loops, warnings };
}
