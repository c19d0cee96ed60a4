/** Stored geofences (API shape: a polygon or a circle) → the planners' Airspace. */
import { circle } from '@turf/turf';
import type { Polygon } from 'geojson';
import type { Geofence } from '../contracts/geofence.ts';
import type { Airspace, NoFlyZone } from '../planning/index.ts';

function polygonOf(f: Geofence): Polygon {
  if (f.geometry) return f.geometry as Polygon;
  const c = f.circle!;
  return circle([c.center.lon, c.center.lat], c.radiusM / 1000, { steps: 64, units: 'kilometers' }).geometry;
}

export function airspaceOf(fences: Geofence[]): Airspace {
  const area = fences.find((f) => f.kind === 'operating-area');
  const noFly: NoFlyZone[] = fences.filter((f) => f.kind === 'no-fly').map((f) => ({
    id: f.id, name: f.name,
    ...(f.circle ? { circle: { center: f.circle.center, radiusM: f.circle.radiusM } } : { polygon: f.geometry as Polygon }),
    ...(f.floorM !== undefined ? { floorM: f.floorM } : {}),
    ...(f.ceilingM !== undefined ? { ceilingM: f.ceilingM } : {}),
  }));
  const airspace: Airspace = { noFly };
  if (area) {
    airspace.operatingArea = polygonOf(area);
    airspace.operatingAreaId = area.id;
    if (area.ceilingM !== undefined) airspace.ceilingM = area.ceilingM;
    if (area.floorM !== undefined) airspace.floorM = area.floorM;
  }
  return airspace;
}
