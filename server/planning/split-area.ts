/**
 * splitArea: one area into n parts of equal area for n drones. Cuts run across the area's longer
 * side (east–west or north–south); each cut's position is found by bisection on the area to one
 * side of it (Turf bboxClip + area). Parts of a concave area may be MultiPolygons.
 */
import { area as turfArea, bbox, bboxClip, feature } from '@turf/turf';
import type { Feature, MultiPolygon, Polygon } from 'geojson';
import { frameAround } from './local-frame.ts';
import { PlanningError } from './types.ts';

export function splitArea(polygon: Polygon | MultiPolygon, n: number): Feature<Polygon | MultiPolygon>[] {
  if (!Number.isInteger(n) || n < 1) throw new PlanningError('BAD_PLAN_INPUT', 'n must be a whole number ≥ 1', { n });
  const f = feature(polygon);
  if (n === 1) return [f];
  const [w, s, e, nn] = bbox(f) as [number, number, number, number];
  const frame = frameAround([[w, s], [e, nn]]);
  const [x0, y0] = frame.toXY([w, s]);
  const [x1, y1] = frame.toXY([e, nn]);
  const alongLon = x1 - x0 >= y1 - y0;
  const total = turfArea(f);
  const pad = 1e-6;
  const clip = (lo: number, hi: number) => bboxClip(f, alongLon ? [lo, s - pad, hi, nn + pad] : [w - pad, lo, e + pad, hi]);
  const min = alongLon ? w - pad : s - pad;
  const max = alongLon ? e + pad : nn + pad;
  const cuts: number[] = [min];
  for (let k = 1; k < n; k++) {
    const target = (total * k) / n;
    let lo = cuts[k - 1]!;
    let hi = max;
    for (let i = 0; i < 40; i++) {
      const mid = (lo + hi) / 2;
      if (turfArea(clip(min, mid)) < target) lo = mid;
      else hi = mid;
    }
    cuts.push((lo + hi) / 2);
  }
  cuts.push(max);
  return cuts.slice(1).map((hi, k) => clip(cuts[k]!, hi) as Feature<Polygon | MultiPolygon>);
}
