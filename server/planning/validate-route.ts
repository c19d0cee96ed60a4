/**
 * validateRoute: every leg (segment i → i+1) of a route against the airspace. A violation names
 * the leg, the zone, the kind, how far in metres (inside the zone, outside the area, above the
 * ceiling, below the floor) and the worst point.
 */
import { booleanPointInPolygon, lineIntersect, lineString, point, polygon as turfPolygon } from '@turf/turf';
import type { Polygon } from 'geojson';
import { DEFAULT_CEILING_M, DEFAULT_FLOOR_M, zoneApplies, type Airspace, type NoFlyZone } from './airspace.ts';
import { frameAround, type LocalFrame, type XY } from './local-frame.ts';
import type { LatLon } from './types.ts';
import { dist, distanceToRingsM, lerp, pointSegmentDistanceM } from './vec.ts';

export interface RoutePoint extends LatLon {
  altitudeM: number;
}

export type ViolationKind = 'enters-no-fly' | 'leaves-operating-area' | 'above-ceiling' | 'below-floor';

export interface Violation {
  /** Index of the segment (route[leg] → route[leg + 1]); 0 for a one-point route. */
  leg: number;
  zoneId: string;
  kind: ViolationKind;
  /** How far inside the zone / outside the area / above / below, metres. */
  byM: number;
  /** Where it is worst. */
  point: RoutePoint;
}

/** Depths under this are touching, not entering (routes may hug a fence). */
const TOUCH_M = 0.01;
/** Depth along a leg is sampled this often (and at every boundary crossing). */
const SAMPLE_M = 1;
const MAX_SAMPLES = 2000;

export function validateRoute(route: RoutePoint[], airspace: Airspace): Violation[] {
  if (route.length === 0) return [];
  const frame = frameAround(route.map((p) => [p.lon, p.lat]));
  const ceilingM = airspace.ceilingM ?? DEFAULT_CEILING_M;
  const floorM = airspace.floorM ?? DEFAULT_FLOOR_M;
  const zones = (airspace.noFly ?? []).map((z) => prepareZone(z, frame));
  const area = airspace.operatingArea ? prepareArea(airspace.operatingArea, frame) : null;
  const areaId = airspace.operatingAreaId ?? 'operating-area';
  const legs = route.length === 1 ? [[route[0]!, route[0]!]] : route.slice(1).map((p, i) => [route[i]!, p]);
  const out: Violation[] = [];
  legs.forEach(([a, b], leg) => {
    const minAlt = Math.min(a!.altitudeM, b!.altitudeM);
    const maxAlt = Math.max(a!.altitudeM, b!.altitudeM);
    if (maxAlt > ceilingM + 1e-9) {
      const worst = a!.altitudeM >= b!.altitudeM ? a! : b!;
      out.push({ leg, zoneId: 'ceiling', kind: 'above-ceiling', byM: round(maxAlt - ceilingM), point: pick(worst) });
    }
    if (minAlt < floorM - 1e-9) {
      const worst = a!.altitudeM <= b!.altitudeM ? a! : b!;
      out.push({ leg, zoneId: 'floor', kind: 'below-floor', byM: round(floorM - minAlt), point: pick(worst) });
    }
    const pa = frame.fromLatLon(a!);
    const pb = frame.fromLatLon(b!);
    for (const zone of zones) {
      if (!zoneApplies(zone.zone, minAlt, maxAlt)) continue;
      const worst = zone.deepest(pa, pb);
      if (worst && worst.depthM > TOUCH_M) out.push({ leg, zoneId: zone.zone.id, kind: 'enters-no-fly', byM: round(worst.depthM), point: at(frame, worst.p, a!, b!, pa, pb) });
    }
    if (area) {
      const worst = area.farthestOutside(pa, pb);
      if (worst && worst.depthM > TOUCH_M) out.push({ leg, zoneId: areaId, kind: 'leaves-operating-area', byM: round(worst.depthM), point: at(frame, worst.p, a!, b!, pa, pb) });
    }
  });
  return out;
}

interface Deepest {
  p: XY;
  depthM: number;
}

interface PreparedZone {
  zone: NoFlyZone;
  deepest(a: XY, b: XY): Deepest | null;
}

function prepareZone(zone: NoFlyZone, frame: LocalFrame): PreparedZone {
  if (zone.circle) {
    const c = frame.fromLatLon(zone.circle.center);
    const r = zone.circle.radiusM;
    return {
      zone,
      deepest(a, b) {
        const d = pointSegmentDistanceM(c, a, b);
        if (d >= r) return null;
        // the closest point of the segment to the centre is the deepest
        const dx = b[0] - a[0];
        const dy = b[1] - a[1];
        const len2 = dx * dx + dy * dy;
        const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, ((c[0] - a[0]) * dx + (c[1] - a[1]) * dy) / len2));
        return { p: lerp(a, b, t), depthM: r - d };
      },
    };
  }
  const rings = frame.ringsToXY(zone.polygon!.coordinates);
  const shape = turfPolygon(rings);
  return { zone, deepest: (a, b) => sampleDepth(a, b, rings, (p) => booleanPointInPolygon(point(p), shape, { ignoreBoundary: true }), shape) };
}

function prepareArea(area: Polygon, frame: LocalFrame) {
  const rings = frame.ringsToXY(area.coordinates);
  const shape = turfPolygon(rings);
  return { farthestOutside: (a: XY, b: XY) => sampleDepth(a, b, rings, (p) => !booleanPointInPolygon(point(p), shape), shape) };
}

/**
 * The point of a–b where `isIn(p)` holds and the distance to the rings is largest. A leg that
 * neither crosses the rings nor starts in is skipped without sampling.
 */
function sampleDepth(a: XY, b: XY, rings: XY[][], isIn: (p: XY) => boolean, shape: ReturnType<typeof turfPolygon>): Deepest | null {
  const crossings = dist(a, b) > 0 ? lineIntersect(lineString([a, b]), shape).features.map((f) => f.geometry.coordinates as XY) : [];
  if (crossings.length === 0 && !isIn(a)) return null;
  const len = dist(a, b);
  const n = Math.min(MAX_SAMPLES, Math.max(1, Math.ceil(len / SAMPLE_M)));
  const ts: number[] = [];
  for (let i = 0; i <= n; i++) ts.push(i / n);
  for (const c of crossings) ts.push(len === 0 ? 0 : dist(a, c) / len);
  let best: Deepest | null = null;
  for (const t of ts) {
    const p = lerp(a, b, t);
    if (!isIn(p)) continue;
    const d = distanceToRingsM(p, rings);
    if (!best || d > best.depthM) best = { p, depthM: d };
  }
  return best;
}

function at(frame: LocalFrame, p: XY, a: RoutePoint, b: RoutePoint, pa: XY, pb: XY): RoutePoint {
  const len = dist(pa, pb);
  const t = len === 0 ? 0 : dist(pa, p) / len;
  const ll = frame.toLatLon(p);
  return { lat: ll.lat, lon: ll.lon, altitudeM: round(a.altitudeM + (b.altitudeM - a.altitudeM) * t) };
}

function pick(p: RoutePoint): RoutePoint {
  return { lat: p.lat, lon: p.lon, altitudeM: p.altitudeM };
}

function round(m: number): number {
  return Math.round(m * 100) / 100;
}
