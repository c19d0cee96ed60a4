/**
 * GeoJSON for the workflow layers: incidents (and the lines from their responders while on the
 * way), roads coloured by traffic level, their junctions, pre-positioning suggestions. Each is built only when its
 * own data changes (or, for the responder lines, at most twice a second while a drone is on the way),
 * never per telemetry update of the whole fleet.
 */
import type { Feature, FeatureCollection } from 'geojson';
import type { Drone, Incident, Junction, Prepositioning } from '../api/types.ts';
import { URGENT_PRIORITY, type RoadMark } from '../state/store.ts';

const collection = (features: Feature[]): FeatureCollection => ({ type: 'FeatureCollection', features });

/** States in which a responder is still on its way to the scene. */
const EN_ROUTE = new Set(['dispatched', 'airborne']);

export function incidentFeatures(incidents: Iterable<Incident>, selectedId: string | null): FeatureCollection {
  return collection([...incidents].map((i) => ({
    type: 'Feature', id: i.id,
    properties: { id: i.id, state: i.state, kind: i.kind, priority: i.priority, urgent: i.state !== 'released' && i.priority <= URGENT_PRIORITY, selected: i.id === selectedId },
    geometry: { type: 'Point', coordinates: [i.lon, i.lat] },
  })));
}

/** The incidents with a drone on its way (their lines follow the drone). */
export function enRoute(incidents: Iterable<Incident>): Incident[] {
  return [...incidents].filter((i) => i.state !== 'released' && (EN_ROUTE.has(i.state) || i.responders.some((r) => EN_ROUTE.has(r.state))));
}

export function incidentLineFeatures(incidents: Incident[], drones: Map<string, Drone>): FeatureCollection {
  const features: Feature[] = [];
  for (const i of incidents) {
    const ids = i.responders.length ? i.responders.filter((r) => EN_ROUTE.has(r.state)).map((r) => r.droneId) : i.droneId ? [i.droneId] : [];
    for (const id of ids) {
      const p = drones.get(id)?.position;
      if (p) features.push({ type: 'Feature', properties: { incidentId: i.id, droneId: id }, geometry: { type: 'LineString', coordinates: [[p.lon, p.lat], [i.lon, i.lat]] } });
    }
  }
  return collection(features);
}

export function trafficFeatures(roads: Iterable<RoadMark>): FeatureCollection {
  return collection([...roads].map(({ road, segment }) => ({
    type: 'Feature', id: road.id,
    properties: { id: road.id, level: segment?.level ?? 'free', observed: segment?.observed ?? false },
    geometry: road.geometry,
  })));
}

/** Junctions as numbered markers (1…n, as the Traffic tab lists them). */
export function junctionFeatures(junctions: readonly Junction[]): FeatureCollection {
  return collection(junctions.map((j, i) => ({
    type: 'Feature', properties: { junction: i + 1, roads: j.roadIds.join(' '), icon: `num-jct-${i + 1}` },
    geometry: { type: 'Point', coordinates: [j.lon, j.lat] },
  })));
}

/** Suggested wait points, each with a line from the drone's current position. */
export function prepositionFeatures(p: Prepositioning | null, drones: Map<string, Drone>): FeatureCollection {
  if (!p) return collection([]);
  const features: Feature[] = [];
  for (const s of p.suggestions) {
    features.push({ type: 'Feature', properties: { role: 'point', droneId: s.droneId }, geometry: { type: 'Point', coordinates: [s.lon, s.lat] } });
    const at = drones.get(s.droneId)?.position;
    if (at) features.push({ type: 'Feature', properties: { role: 'move', droneId: s.droneId }, geometry: { type: 'LineString', coordinates: [[at.lon, at.lat], [s.lon, s.lat]] } });
  }
  return collection(features);
}

export function pointFeature(p: { lat: number; lon: number } | null): FeatureCollection {
  return collection(p ? [{ type: 'Feature', properties: {}, geometry: { type: 'Point', coordinates: [p.lon, p.lat] } }] : []);
}
