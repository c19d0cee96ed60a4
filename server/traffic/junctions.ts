/**
 * Junctions of the stored roads: where two centre lines cross, or where one road ends within
 * `snapM` (default 15 m) of another (a T-junction drawn a little short). Points closer than
 * `mergeM` (default 25 m) are one junction. Pure. A traffic team stations drones over these with a
 * `tour` plan whose `hoverS` is the time on station (docs/traffic.md).
 */
import { lineIntersect, lineString } from '@turf/turf';
import { LocalFrame } from '../planning/local-frame.ts';
import { RoadMatcher, type MatchableRoad } from './road-matcher.ts';

export interface Junction {
  lat: number;
  lon: number;
  roadIds: string[];
}

export function findJunctions(roads: readonly MatchableRoad[], opts: { snapM?: number; mergeM?: number } = {}): Junction[] {
  const snapM = opts.snapM ?? 15;
  const mergeM = opts.mergeM ?? 25;
  const points: Junction[] = [];
  for (let i = 0; i < roads.length; i++) {
    for (let j = i + 1; j < roads.length; j++) {
      const a = roads[i]!;
      const b = roads[j]!;
      const crossings = lineIntersect(lineString(a.coordinates.map((p) => [p[0]!, p[1]!])), lineString(b.coordinates.map((p) => [p[0]!, p[1]!])));
      for (const f of crossings.features) points.push({ lon: f.geometry.coordinates[0]!, lat: f.geometry.coordinates[1]!, roadIds: [a.id, b.id] });
      for (const [road, other] of [[a, b], [b, a]] as const) {
        const matcher = new RoadMatcher([other], { maxDistanceM: snapM });
        for (const end of [road.coordinates[0]!, road.coordinates.at(-1)!]) {
          const m = matcher.match({ lon: end[0]!, lat: end[1]! });
          if (m) {
            const p = matcher.pointAlong(other.id, m.alongM)!;
            points.push({ ...p, roadIds: [road.id, other.id] });
          }
        }
      }
    }
  }
  const merged: Junction[] = [];
  for (const p of points) {
    const frame = new LocalFrame(p);
    const same = merged.find((m) => Math.hypot(...frame.fromLatLon(m)) <= mergeM);
    if (same) same.roadIds = [...new Set([...same.roadIds, ...p.roadIds])];
    else merged.push({ lat: p.lat, lon: p.lon, roadIds: [...p.roadIds] });
  }
  return merged.map((m) => ({ lat: round7(m.lat), lon: round7(m.lon), roadIds: m.roadIds.sort() }));
}

const round7 = (x: number) => Math.round(x * 1e7) / 1e7;
