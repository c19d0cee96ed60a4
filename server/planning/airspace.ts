/**
 * Airspace: an optional operating area (inclusion polygon), no-fly zones (polygons, or circles such
 * as an airport), and an altitude band (default floor 0 m, ceiling 120 m above take-off).
 */
import { buffer, circle, difference, featureCollection, polygon as turfPolygon, union } from '@turf/turf';
import type { Feature, MultiPolygon, Polygon, Position } from 'geojson';
import type { LatLon } from './types.ts';

export const DEFAULT_CEILING_M = 120;
export const DEFAULT_FLOOR_M = 0;

export interface CircleZone {
  center: LatLon;
  radiusM: number;
}

export interface NoFlyZone {
  id: string;
  name?: string;
  /** One of polygon or circle. */
  polygon?: Polygon;
  circle?: CircleZone;
  /** The zone applies only between these altitudes (default: all altitudes). */
  floorM?: number;
  ceilingM?: number;
}

export interface Airspace {
  operatingArea?: Polygon | null;
  /** Reported as `zoneId` for leaves-operating-area (default "operating-area"). */
  operatingAreaId?: string;
  noFly?: NoFlyZone[];
  ceilingM?: number;
  floorM?: number;
}

/** A stored geofence as CONTRACT.md has it. */
export interface Geofence {
  id: string;
  name?: string;
  kind: 'operating-area' | 'no-fly';
  geometry: Polygon;
  floorM?: number;
  ceilingM?: number;
}

/** Stored geofences → Airspace (the tightest band of the operating areas wins). */
export function airspaceFromGeofences(fences: Geofence[], circles: NoFlyZone[] = []): Airspace {
  const area = fences.find((f) => f.kind === 'operating-area');
  const out: Airspace = {
    noFly: [
      ...fences.filter((f) => f.kind === 'no-fly').map((f) => ({ id: f.id, polygon: f.geometry, ...(f.name ? { name: f.name } : {}), ...band(f) })),
      ...circles,
    ],
  };
  if (area) {
    out.operatingArea = area.geometry;
    out.operatingAreaId = area.id;
    if (area.ceilingM !== undefined) out.ceilingM = area.ceilingM;
    if (area.floorM !== undefined) out.floorM = area.floorM;
  }
  return out;
}

function band(f: { floorM?: number; ceilingM?: number }): { floorM?: number; ceilingM?: number } {
  return { ...(f.floorM !== undefined ? { floorM: f.floorM } : {}), ...(f.ceilingM !== undefined ? { ceilingM: f.ceilingM } : {}) };
}

/** Does the zone apply to anything flown between these altitudes? */
export function zoneApplies(zone: NoFlyZone, minAltM: number, maxAltM: number): boolean {
  return maxAltM >= (zone.floorM ?? -Infinity) && minAltM <= (zone.ceilingM ?? Infinity);
}

/** Sides of the polygon that stands in for a circle (circumscribed, so it contains the circle). */
const CIRCLE_SIDES = 32;

/** The zone as a polygon that contains it, grown by marginM (circles circumscribed). */
export function zoneObstacle(zone: NoFlyZone, marginM: number): Feature<Polygon | MultiPolygon> {
  if (zone.circle) {
    const r = (zone.circle.radiusM + marginM) / Math.cos(Math.PI / CIRCLE_SIDES);
    return circle([zone.circle.center.lon, zone.circle.center.lat], r, { steps: CIRCLE_SIDES, units: 'meters' });
  }
  if (!zone.polygon) throw new Error(`no-fly zone ${zone.id} has neither polygon nor circle`);
  const poly = turfPolygon(zone.polygon.coordinates);
  if (marginM <= 0) return poly;
  const grown = buffer(poly, marginM, { units: 'meters', steps: 4 });
  if (!grown) throw new Error(`no-fly zone ${zone.id}: buffer failed`);
  return grown as Feature<Polygon | MultiPolygon>;
}

/** Union of the zones' obstacles (null when there are none). */
export function obstaclesUnion(zones: NoFlyZone[], marginM: number): Feature<Polygon | MultiPolygon> | null {
  if (zones.length === 0) return null;
  const parts = zones.map((z) => zoneObstacle(z, marginM));
  if (parts.length === 1) return parts[0]!;
  return union(featureCollection(parts)) as Feature<Polygon | MultiPolygon> | null;
}

/** `base` minus every obstacle (null when nothing is left). */
export function subtract(base: Feature<Polygon | MultiPolygon>, obstacles: Feature<Polygon | MultiPolygon> | null): Feature<Polygon | MultiPolygon> | null {
  if (!obstacles) return base;
  return difference(featureCollection([base, obstacles])) as Feature<Polygon | MultiPolygon> | null;
}

/** Polygon or MultiPolygon → list of polygons' rings. */
export function polygonsOf(f: Feature<Polygon | MultiPolygon> | null | undefined): Position[][][] {
  if (!f) return [];
  return f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.coordinates;
}

/** Shrink (negative) or grow a polygon by metres; null when nothing is left. */
export function offsetPolygon(p: Polygon | Feature<Polygon | MultiPolygon>, offsetM: number, steps = 4): Feature<Polygon | MultiPolygon> | null {
  const f = 'type' in p && p.type === 'Feature' ? p : turfPolygon((p as Polygon).coordinates);
  if (offsetM === 0) return f as Feature<Polygon | MultiPolygon>;
  const out = buffer(f, offsetM, { units: 'meters', steps });
  if (!out || !out.geometry || (out.geometry.type === 'Polygon' && out.geometry.coordinates.length === 0)) return null;
  if (out.geometry.type === 'MultiPolygon' && out.geometry.coordinates.length === 0) return null;
  return out as Feature<Polygon | MultiPolygon>;
}
