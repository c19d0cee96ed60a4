/**
 * routeAround: the shortest path from one point to another that keeps `marginM` clear of every
 * no-fly zone and stays `marginM` inside the operating area (visibility graph + A*, free-space.ts).
 */
import { bbox, bboxPolygon, booleanPointInPolygon, point } from '@turf/turf';
import type { Feature, MultiPolygon, Polygon, Position } from 'geojson';
import { obstaclesUnion, offsetPolygon, polygonsOf, subtract, zoneApplies, type Airspace, type NoFlyZone } from './airspace.ts';
import { buildFreeSpace, insideOrOn, shortestPath, type FreeSpace } from './free-space.ts';
import { frameAround, type LocalFrame, type XY } from './local-frame.ts';
import type { LatLon } from './types.ts';
import { polylineLengthM } from './vec.ts';

export interface RouteAroundOptions {
  /** Clearance from zones and from the operating area's edge (default 10 m). */
  marginM?: number;
  /** Only zones whose altitude band includes this altitude count (default: every zone). */
  altitudeM?: number;
}

export type RouteAroundFailure = 'start-outside-operating-area' | 'end-outside-operating-area' | 'start-in-no-fly' | 'end-in-no-fly' | 'no-path';

export type RouteAroundResult =
  | { ok: true; path: LatLon[]; lengthM: number; marginM: number }
  | { ok: false; reason: RouteAroundFailure; message: string; zoneId?: string };

export const DEFAULT_MARGIN_M = 10;

export function routeAround(from: LatLon, to: LatLon, airspace: Airspace, options: RouteAroundOptions = {}): RouteAroundResult {
  const wanted = options.marginM ?? DEFAULT_MARGIN_M;
  const zones = (airspace.noFly ?? []).filter((z) => options.altitudeM === undefined || zoneApplies(z, options.altitudeM, options.altitudeM));
  const area = airspace.operatingArea ?? null;
  for (const [p, which] of [[from, 'start'], [to, 'end']] as const) {
    if (area && !booleanPointInPolygon(point([p.lon, p.lat]), area)) {
      return { ok: false, reason: `${which}-outside-operating-area`, message: `the ${which} point is outside the operating area` };
    }
    const zone = zones.find((z) => inZone(p, z));
    if (zone) return { ok: false, reason: `${which}-in-no-fly`, message: `the ${which} point is inside no-fly zone ${zone.id}`, zoneId: zone.id };
  }
  // A point inside the margin but outside the zone: try smaller clearances before giving up.
  for (const marginM of [wanted, wanted / 2, wanted / 4, Math.min(1, wanted / 8), 0.05]) {
    const result = routeWithMargin(airspace, from, to, area, zones, marginM);
    if (result === 'endpoint-in-margin') continue;
    if (result) return { ok: true, path: result.path, lengthM: result.lengthM, marginM };
    return { ok: false, reason: 'no-path', message: `no path from the start to the end keeps ${marginM} m clear of the no-fly zones inside the operating area` };
  }
  return { ok: false, reason: 'no-path', message: 'the start or end point touches a no-fly zone' };
}

/** routeAround, throwing the failure as an Error with `reason`. */
export function routeAroundOrThrow(from: LatLon, to: LatLon, airspace: Airspace, options: RouteAroundOptions = {}): LatLon[] {
  const r = routeAround(from, to, airspace, options);
  if (!r.ok) throw Object.assign(new Error(r.message), { reason: r.reason });
  return r.path;
}

interface Prepared {
  fs: FreeSpace;
  frame: LocalFrame;
  /** The box the free space was built in (no operating area): [w, s, e, n]. */
  box: number[] | null;
}

/**
 * Free space per airspace object, margin and altitude band: building it (Turf buffer, union,
 * difference) costs more than searching it, and a plan asks for several transits in one airspace.
 * Airspaces are treated as immutable values.
 */
const cache = new WeakMap<Airspace, Map<string, Prepared | null>>();

function prepare(airspace: Airspace, area: Polygon | null, zones: NoFlyZone[], marginM: number, ends: Position[]): Prepared | null {
  const key = `${marginM}|${zones.map((z) => z.id).join(',')}`;
  let byKey = cache.get(airspace);
  if (!byKey) cache.set(airspace, (byKey = new Map()));
  const hit = byKey.get(key);
  if (hit !== undefined && (hit === null || !hit.box || ends.every((p) => inBox(p, hit.box!)))) return hit;
  const obstacles = obstaclesUnion(zones, marginM);
  let base: Feature<Polygon | MultiPolygon> | null;
  let box: number[] | null = null;
  if (area) {
    base = offsetPolygon(area, -marginM);
  } else {
    // No operating area: a box well round the zones and the end points (its corners are never
    // path corners, so a big box costs nothing).
    const b = obstacles ? bbox(obstacles) : [ends[0]![0]!, ends[0]![1]!, ends[0]![0]!, ends[0]![1]!];
    const pad = 0.2;
    box = [
      Math.min(b[0]!, ...ends.map((p) => p[0]!)) - pad, Math.min(b[1]!, ...ends.map((p) => p[1]!)) - pad,
      Math.max(b[2]!, ...ends.map((p) => p[0]!)) + pad, Math.max(b[3]!, ...ends.map((p) => p[1]!)) + pad,
    ];
    base = bboxPolygon(box as [number, number, number, number]);
  }
  const free = base ? subtract(base, obstacles) : null;
  const polys = polygonsOf(free);
  let prepared: Prepared | null = null;
  if (polys.length) {
    const frame = frameAround(polys[0]![0]!);
    prepared = { fs: buildFreeSpace(polys.map((rings) => frame.ringsToXY(rings))), frame, box };
  }
  byKey.set(key, prepared);
  return prepared;
}

function inBox(p: Position, b: number[]): boolean {
  return p[0]! > b[0]! && p[1]! > b[1]! && p[0]! < b[2]! && p[1]! < b[3]!;
}

function routeWithMargin(airspace: Airspace, from: LatLon, to: LatLon, area: Polygon | null, zones: NoFlyZone[], marginM: number): { path: LatLon[]; lengthM: number } | 'endpoint-in-margin' | null {
  const prepared = prepare(airspace, area, zones, marginM, [[from.lon, from.lat], [to.lon, to.lat]]);
  if (!prepared) return 'endpoint-in-margin';
  const { fs, frame } = prepared;
  const a = frame.fromLatLon(from);
  const b = frame.fromLatLon(to);
  if (!insideOrOn(fs, a) || !insideOrOn(fs, b)) return 'endpoint-in-margin';
  const path = shortestPath(fs, a, b);
  if (!path) return null;
  return { path: [from, ...path.slice(1, -1).map((p: XY) => frame.toLatLon(p)), to], lengthM: polylineLengthM(path) };
}

function inZone(p: LatLon, zone: NoFlyZone): boolean {
  if (zone.circle) {
    const frame = frameAround([[zone.circle.center.lon, zone.circle.center.lat]]);
    const xy = frame.fromLatLon(p);
    return Math.hypot(xy[0], xy[1]) < zone.circle.radiusM;
  }
  return booleanPointInPolygon(point([p.lon, p.lat]), zone.polygon!, { ignoreBoundary: true });
}
