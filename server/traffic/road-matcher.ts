/**
 * Which road segment a vehicle sighting belongs to. Pure: roads in, matches out.
 *
 * A sighting matches the nearest road whose centre line is within `maxDistanceM` (default 15 m)
 * and, when the sighting has a heading and moves (speed ≥ 1 m/s: a standing vehicle's heading is
 * noise), whose direction of travel agrees with it within `headingToleranceDeg` (default 60°):
 * along the LineString for `forward`, against it for `backward`, either way for `both`. So on two
 * one-way carriageways a few metres apart each vehicle lands on its own, and a car crossing a
 * junction is not counted on the road it crosses.
 *
 * Distances are measured in a local flat frame per road (good to well under a metre over a city).
 */
import type { RoadDirection } from '../contracts/road.ts';
import { LocalFrame, type XY } from '../planning/local-frame.ts';

export interface MatchableRoad {
  id: string;
  coordinates: ReadonlyArray<readonly [number, number] | readonly number[]>;
  direction: RoadDirection;
}

export interface MatchOptions {
  maxDistanceM: number;
  headingToleranceDeg: number;
  /** Below this speed the heading is not checked. */
  minSpeedForHeadingMps: number;
}

export const DEFAULT_MATCH: MatchOptions = { maxDistanceM: 15, headingToleranceDeg: 60, minSpeedForHeadingMps: 1 };

export interface Sighting {
  lat: number;
  lon: number;
  headingDeg?: number;
  speedMps?: number;
}

export interface RoadMatch {
  roadId: string;
  /** From the centre line. */
  distanceM: number;
  /** Along the road from its first point. */
  alongM: number;
  /** Bearing of the road's LineString where matched (degrees clockwise from north). */
  roadBearingDeg: number;
}

interface Prepared {
  road: MatchableRoad;
  frame: LocalFrame;
  xy: XY[];
  /** Distance along the road to each point. */
  cum: number[];
  minX: number; minY: number; maxX: number; maxY: number;
}

const DEG = 180 / Math.PI;

/** Angle between two bearings, 0..180. */
export function bearingDiffDeg(a: number, b: number): number {
  const d = Math.abs((((a - b) % 360) + 360) % 360);
  return d > 180 ? 360 - d : d;
}

/** Whether a heading fits a road's direction of travel at a point whose LineString bearing is `roadBearingDeg`. */
export function headingFits(direction: RoadDirection, roadBearingDeg: number, headingDeg: number, toleranceDeg: number): boolean {
  const along = bearingDiffDeg(headingDeg, roadBearingDeg) <= toleranceDeg;
  const against = bearingDiffDeg(headingDeg, roadBearingDeg + 180) <= toleranceDeg;
  return direction === 'forward' ? along : direction === 'backward' ? against : along || against;
}

export class RoadMatcher {
  readonly options: MatchOptions;
  private readonly roads: Prepared[];

  constructor(roads: readonly MatchableRoad[], options: Partial<MatchOptions> = {}) {
    this.options = { ...DEFAULT_MATCH, ...options };
    this.roads = roads.map((road) => prepare(road));
  }

  /** Length of the road's centre line (m), or null for a road the matcher does not know. */
  lengthM(roadId: string): number | null {
    const r = this.roads.find((x) => x.road.id === roadId);
    return r ? r.cum.at(-1)! : null;
  }

  /** The point `alongM` metres along the road (clamped to its ends). */
  pointAlong(roadId: string, alongM: number): { lat: number; lon: number } | null {
    const r = this.roads.find((x) => x.road.id === roadId);
    if (!r) return null;
    const total = r.cum.at(-1)!;
    const s = Math.min(Math.max(alongM, 0), total);
    for (let i = 1; i < r.xy.length; i++) {
      if (r.cum[i]! < s && i < r.xy.length - 1) continue;
      const leg = r.cum[i]! - r.cum[i - 1]!;
      const f = leg > 0 ? (s - r.cum[i - 1]!) / leg : 0;
      const a = r.xy[i - 1]!;
      const b = r.xy[i]!;
      return r.frame.toLatLon([a[0] + (b[0] - a[0]) * f, a[1] + (b[1] - a[1]) * f]);
    }
    return r.frame.toLatLon(r.xy[0]!);
  }

  /** The road the sighting is on, or null. */
  match(s: Sighting): RoadMatch | null {
    const o = this.options;
    const checkHeading = s.headingDeg !== undefined && (s.speedMps ?? 0) >= o.minSpeedForHeadingMps;
    let best: RoadMatch | null = null;
    for (const r of this.roads) {
      const [x, y] = r.frame.fromLatLon(s);
      if (x < r.minX - o.maxDistanceM || x > r.maxX + o.maxDistanceM || y < r.minY - o.maxDistanceM || y > r.maxY + o.maxDistanceM) continue;
      const near = nearestOnLine(r, x, y);
      if (near.distanceM > o.maxDistanceM) continue;
      if (checkHeading && !headingFits(r.road.direction, near.bearingDeg, s.headingDeg!, o.headingToleranceDeg)) continue;
      if (!best || near.distanceM < best.distanceM) best = { roadId: r.road.id, distanceM: near.distanceM, alongM: near.alongM, roadBearingDeg: near.bearingDeg };
    }
    return best;
  }
}

function prepare(road: MatchableRoad): Prepared {
  const first = road.coordinates[0]!;
  const frame = new LocalFrame({ lon: first[0]!, lat: first[1]! });
  const xy = road.coordinates.map((p) => frame.toXY([p[0]!, p[1]!]));
  const cum = [0];
  for (let i = 1; i < xy.length; i++) cum.push(cum[i - 1]! + Math.hypot(xy[i]![0] - xy[i - 1]![0], xy[i]![1] - xy[i - 1]![1]));
  const xs = xy.map((p) => p[0]);
  const ys = xy.map((p) => p[1]);
  return { road, frame, xy, cum, minX: Math.min(...xs), maxX: Math.max(...xs), minY: Math.min(...ys), maxY: Math.max(...ys) };
}

function nearestOnLine(r: Prepared, x: number, y: number): { distanceM: number; alongM: number; bearingDeg: number } {
  let best = { distanceM: Infinity, alongM: 0, bearingDeg: 0 };
  for (let i = 1; i < r.xy.length; i++) {
    const [ax, ay] = r.xy[i - 1]!;
    const [bx, by] = r.xy[i]!;
    const dx = bx - ax;
    const dy = by - ay;
    const len2 = dx * dx + dy * dy;
    if (len2 === 0) continue;
    const t = Math.min(1, Math.max(0, ((x - ax) * dx + (y - ay) * dy) / len2));
    const d = Math.hypot(x - (ax + t * dx), y - (ay + t * dy));
    if (d < best.distanceM) {
      best = { distanceM: d, alongM: r.cum[i - 1]! + t * Math.sqrt(len2), bearingDeg: ((Math.atan2(dx, dy) * DEG) + 360) % 360 };
    }
  }
  return best;
}

/** Length of a GeoJSON LineString's coordinates, metres. */
export function lineLengthM(coordinates: ReadonlyArray<readonly number[]>): number {
  if (coordinates.length < 2) return 0;
  return prepare({ id: '', coordinates, direction: 'both' }).cum.at(-1)!;
}
