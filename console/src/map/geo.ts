/** Small geometry for the map's own drawings (metres near a point; no projection library needed). */
import type { Position } from 'geojson';

export interface LatLon { lat: number; lon: number }

const M_PER_DEG = 111_320;

/** A closed ring approximating a circle of `radiusM` round `c` ([lon, lat] positions). */
export function circleRing(c: LatLon, radiusM: number, steps = 64): Position[] {
  const out: Position[] = [];
  const mLon = M_PER_DEG * Math.cos((c.lat * Math.PI) / 180);
  for (let i = 0; i <= steps; i++) {
    const a = (i / steps) * 2 * Math.PI;
    out.push([c.lon + (radiusM * Math.sin(a)) / mLon, c.lat + (radiusM * Math.cos(a)) / M_PER_DEG]);
  }
  return out;
}

/** The bounding box [[west, south], [east, north]] of positions (null when there are none). */
export function boundsOf(points: Position[]): [[number, number], [number, number]] | null {
  if (points.length === 0) return null;
  let w = Infinity, s = Infinity, e = -Infinity, n = -Infinity;
  for (const [lon, lat] of points) {
    w = Math.min(w, lon!); e = Math.max(e, lon!); s = Math.min(s, lat!); n = Math.max(n, lat!);
  }
  return [[w, s], [e, n]];
}
