/**
 * Golden fixtures: fixtures/in/NAME.geojson is a FeatureCollection of the inputs (features tagged
 * by `properties.role`) with the non-geometric options as a foreign member `request`;
 * fixtures/out/NAME.geojson is the inputs plus what the planner made (route, stations, figures),
 * so any GeoJSON viewer shows a reviewer the route. `REGEN=1 npx vitest run test/planning` rewrites
 * the outputs.
 */
import type { Feature, FeatureCollection, Point, Polygon, LineString, Position } from 'geojson';
import { circle } from '@turf/turf';
import { plan, routeAround, type Airspace, type NoFlyZone, type PlanRequest, type LatLon } from '../../server/planning/index.ts';

export interface FixtureInput extends FeatureCollection {
  request: Record<string, unknown> & { kind: string };
}

const role = (f: Feature, r: string) => (f.properties as { role?: string } | null)?.role === r;
const latLon = (f: Feature): LatLon => {
  const [lon, lat] = (f.geometry as Point).coordinates as [number, number];
  return { lat, lon };
};

export function airspaceOf(input: FixtureInput): Airspace | undefined {
  const noFly: NoFlyZone[] = input.features.filter((f) => role(f, 'no-fly')).map((f) => {
    const p = f.properties as { id: string; radiusM?: number };
    return f.geometry.type === 'Point' ? { id: p.id, circle: { center: latLon(f), radiusM: p.radiusM! } } : { id: p.id, polygon: f.geometry as Polygon };
  });
  const ops = input.features.find((f) => role(f, 'operating-area'));
  if (!noFly.length && !ops) return undefined;
  return { noFly, ...(ops ? { operatingArea: ops.geometry as Polygon, operatingAreaId: (ops.properties as { id: string }).id } : {}) };
}

export function requestOf(input: FixtureInput): PlanRequest {
  const r = { ...input.request } as Record<string, unknown>;
  const one = (name: string) => input.features.find((f) => role(f, name));
  const base = one('base');
  if (base) r[r.kind === 'overwatch' ? 'bases' : 'base'] = r.kind === 'overwatch' ? [latLon(base)] : latLon(base);
  if (one('area')) r.area = one('area')!.geometry;
  if (one('path')) r.path = one('path')!.geometry;
  if (one('venue')) r.venue = one('venue')!.geometry;
  const points = input.features.filter((f) => role(f, 'point'));
  if (points.length) r.points = points.map(latLon);
  const pois = input.features.filter((f) => role(f, 'poi'));
  if (pois.length) r.pois = pois.map((f) => ({ ...latLon(f), priority: (f.properties as { priority?: number }).priority }));
  return r as unknown as PlanRequest;
}

/** Run the fixture's planner; the output collection (coordinates rounded to 1e-7°). */
export function runFixture(input: FixtureInput): FeatureCollection {
  const airspace = airspaceOf(input);
  const features: Feature[] = input.features.map((f) => {
    if (f.geometry.type === 'Point' && (f.properties as { radiusM?: number }).radiusM) {
      // draw circles as circles
      const c = circle(f.geometry.coordinates, (f.properties as { radiusM: number }).radiusM, { units: 'meters', steps: 64 });
      return { ...f, geometry: c.geometry };
    }
    return f;
  });
  if (input.request.kind === 'route-around') {
    const from = latLon(input.features.find((f) => role(f, 'from'))!);
    const to = latLon(input.features.find((f) => role(f, 'to'))!);
    const r = routeAround(from, to, airspace!, { altitudeM: input.request.altitudeM as number });
    if (!r.ok) throw new Error(r.message);
    features.push(line(r.path.map((p) => [p.lon, p.lat]), { role: 'route', lengthM: round(r.lengthM, 1), marginM: r.marginM, stroke: '#d00' }));
    return { type: 'FeatureCollection', features: roundAll(features) };
  }
  const p = plan(requestOf(input), airspace ? { airspace } : {});
  if (p.kind === 'overwatch') {
    for (const s of p.stations) {
      const c = circle([s.lon, s.lat], s.radiusM, { units: 'meters', steps: 48 });
      features.push({ type: 'Feature', properties: { role: 'station-footprint', id: s.id, covers: s.covers, fill: '#08f', 'fill-opacity': 0.15 }, geometry: c.geometry });
      features.push({ type: 'Feature', properties: { role: 'station', id: s.id, altitudeM: s.altitudeM, activeS: s.activeS, transitM: s.transitM }, geometry: { type: 'Point', coordinates: [s.lon, s.lat] } });
    }
    features.push({
      type: 'Feature', properties: {
        role: 'summary', fleetSize: p.fleetSize, fleetBound: p.fleetBound, recoveryRatio: p.recoveryRatio, sorties: p.schedule.length,
        lengthM: p.lengthM, durationS: p.durationS, batteryPct: p.batteryPct, warnings: p.warnings,
        schedule: p.schedule.slice(0, 40).map((e) => `${e.stationId} drone ${e.drone} ${e.from.slice(11, 19)}–${e.to.slice(11, 19)}`),
      }, geometry: null as unknown as Point,
    });
  } else {
    const props: Record<string, unknown> = { role: 'route', kind: p.kind, lengthM: p.lengthM, durationS: p.durationS, batteryPct: p.batteryPct, warnings: p.warnings, missionItems: p.missionItems.length, stroke: '#d00' };
    for (const k of ['spacingM', 'angleDeg', 'sweepCount', 'loops', 'order'] as const) if (p[k] !== undefined) props[k] = p[k];
    features.push(line(p.route!.coordinates, props));
    (p.sorties ?? []).forEach((s, i) => features.push(line(s.route.coordinates, { role: 'sortie', index: i + 1, lengthM: s.lengthM, durationS: s.durationS, batteryPct: s.batteryPct })));
  }
  return { type: 'FeatureCollection', features: roundAll(features) };
}

function line(coordinates: Position[], properties: Record<string, unknown>): Feature<LineString> {
  return { type: 'Feature', properties, geometry: { type: 'LineString', coordinates } };
}

function round(x: number, digits: number): number {
  const k = 10 ** digits;
  return Math.round(x * k) / k;
}

function roundAll<T>(value: T): T {
  return JSON.parse(JSON.stringify(value, (key, v) => (typeof v === 'number' && key !== 'priority' ? round(v, Number.isInteger(v) ? 0 : 7) : v))) as T;
}
