/**
 * GeoJSON for the planning layers (see layers.ts, features told apart by `role`): a plan's drawn
 * input and route, an airspace violation, an overwatch's venue / points of interest / stations with
 * their footprints, a drone's mission with numbered waypoints, stored plans as lines.
 */
import type { Feature, FeatureCollection, Geometry, LineString, Position } from 'geojson';
import type { MissionItem, Plan, Station } from '../api/types.ts';
import type { DrawMode } from './draw.ts';
import { circleRing } from './geo.ts';

const feature = (role: string, geometry: Geometry, props: Record<string, unknown> = {}): Feature => ({ type: 'Feature', properties: { role, ...props }, geometry });
const collection = (features: Feature[]): FeatureCollection => ({ type: 'FeatureCollection', features });

/** The routes a plan flies: its route, or one per sortie. */
export function planRoutes(plan: Pick<Plan, 'route' | 'sorties'>): LineString[] {
  if (plan.route) return [plan.route as LineString];
  return (plan.sorties ?? []).map((s) => s.route as LineString);
}

/** The shape drawn for a plan (polygon, path or points). */
export function inputFeatures(mode: DrawMode, vertices: Position[]): Feature[] {
  if (mode === 'polygon') return [feature('area', { type: 'Polygon', coordinates: [[...vertices, vertices[0]!]] })];
  if (mode === 'line') return [feature('path', { type: 'LineString', coordinates: vertices })];
  return vertices.map((v, i) => feature('stop', { type: 'Point', coordinates: v }, { icon: `num-poi-${i + 1}` }));
}

export function planFeatures(input: Feature[], plan: Plan | null, violation: { route?: LineString; point?: { lat: number; lon: number } } | null): FeatureCollection {
  const out = [...input];
  if (plan) for (const route of planRoutes(plan)) out.push(feature('route', route, { planId: plan.id }));
  if (violation?.route) out.push(feature('route', violation.route, { violation: true }));
  if (violation?.point) out.push(feature('violation', { type: 'Point', coordinates: [violation.point.lon, violation.point.lat] }));
  return collection(out);
}

export function overwatchFeatures(venue: Position[] | null, pois: Position[], stations: Station[]): FeatureCollection {
  const out: Feature[] = [];
  if (venue && venue.length >= 3) out.push(feature('venue', { type: 'LineString', coordinates: [...venue, venue[0]!] }));
  stations.forEach((s, i) => {
    out.push(feature('footprint', { type: 'Polygon', coordinates: [circleRing(s, s.radiusM)] }, { station: s.id }));
    out.push(feature('station', { type: 'Point', coordinates: [s.lon, s.lat] }, { station: s.id, icon: `num-stn-${i + 1}` }));
  });
  pois.forEach((p, i) => out.push(feature('poi', { type: 'Point', coordinates: p }, { n: i + 1 })));
  return collection(out);
}

/** Items with a position (a take-off or speed change has none: lat/lon 0). */
export function positional(item: MissionItem): boolean {
  return item.lat !== undefined && item.lon !== undefined && !(item.lat === 0 && item.lon === 0);
}

/**
 * The mission as a line through its positions, and a numbered marker per positional item (numbers
 * are 1-based item numbers); the item the drone flies to (`current`, the vehicle's sequence number
 * counted from `firstSeq`) is highlighted.
 */
export function missionFeatures(items: MissionItem[], firstSeq: number, current: number | null): FeatureCollection {
  const line: Position[] = [];
  const out: Feature[] = [];
  items.forEach((item, i) => {
    if (!positional(item)) return;
    line.push([item.lon!, item.lat!]);
    const isCurrent = current !== null && firstSeq + i === current;
    out.push(feature('wp', { type: 'Point', coordinates: [item.lon!, item.lat!] }, { icon: `num-${isCurrent ? 'cur' : 'wp'}-${i + 1}`, current: isCurrent, sort: isCurrent ? 1 : 0, n: i + 1 }));
  });
  if (line.length >= 2) out.unshift(feature('line', { type: 'LineString', coordinates: line }));
  return collection(out);
}

/** Stored plans as lines: their routes, or an overwatch's footprints. */
export function storedPlanFeatures(plans: Plan[]): FeatureCollection {
  const out: Feature[] = [];
  for (const p of plans) {
    for (const route of planRoutes(p)) out.push(feature('plan', route, { planId: p.id, kind: p.kind }));
    for (const s of p.stations ?? []) out.push(feature('plan', { type: 'LineString', coordinates: circleRing(s, s.radiusM) }, { planId: p.id, kind: p.kind }));
  }
  return collection(out);
}
