/**
 * The fleet on the map, once per animation frame at most: drones, trails (decimated when zoomed
 * out), the selection ring, the go-to target, and the DOM labels when zoomed in. This is the
 * console's per-update cost (window.__eagle.stats); keep it small for 1,000 drones.
 */
import type { Feature, FeatureCollection, Position } from 'geojson';
import type { ConsoleStore } from '../state/store.ts';
import { droneState } from '../state/store.ts';
import type { MapAdapter } from './adapter.ts';
import type { DroneLabels } from './labels.ts';

/** Trail points kept by zoom: every point when zoomed in, every 4th further out, none zoomed out. */
export function trailStep(zoom: number): number {
  if (zoom >= 15) return 1;
  if (zoom >= 13) return 4;
  return 0;
}

/** A trail with every `step`-th point (the newest always kept); null when none is drawn. */
export function decimate(trail: Position[], step: number): Position[] | null {
  if (step === 0 || trail.length < 2) return null;
  if (step === 1) return trail;
  const out: Position[] = [];
  for (let i = (trail.length - 1) % step; i < trail.length; i += step) out.push(trail[i]!);
  return out.length > 1 ? out : null;
}

const point = (lon: number, lat: number, properties: Record<string, unknown> = {}): Feature => ({ type: 'Feature', properties, geometry: { type: 'Point', coordinates: [lon, lat] } });

export class FleetLayer {
  /** The trail step of the last push: a zoom that changes it needs a new push. */
  private step = -1;
  /** Trail points handed to the map by the last push. */
  trailPoints = 0;

  constructor(private readonly map: MapAdapter, private readonly labels: DroneLabels) {}

  push(store: ConsoleStore, target: { lat: number; lon: number } | null): void {
    const drones: FeatureCollection = { type: 'FeatureCollection', features: [] };
    const trails: FeatureCollection = { type: 'FeatureCollection', features: [] };
    this.step = trailStep(this.map.zoom());
    let points = 0;
    for (const d of store.drones.values()) {
      if (!d.position) continue;
      const state = droneState(d);
      drones.features.push(point(d.position.lon, d.position.lat, { id: d.id, state, heading: d.headingDeg ?? 0, sort: d.id === store.selectedId ? 1 : 0 }));
      const trail = this.step ? store.trails.get(d.id) : undefined;
      const line = trail ? decimate(trail, this.step) : null;
      if (line) points += line.length;
      if (line) trails.features.push({ type: 'Feature', properties: { id: d.id, state }, geometry: { type: 'LineString', coordinates: line } });
    }
    this.map.setData('drones', drones);
    this.map.setData('trails', trails);
    this.trailPoints = points;
    const sel = store.selected();
    this.map.setData('selected', { type: 'FeatureCollection', features: sel?.position ? [point(sel.position.lon, sel.position.lat)] : [] });
    this.map.setData('target', { type: 'FeatureCollection', features: target ? [point(target.lon, target.lat)] : [] });
    this.placeLabels(store);
  }

  /** The view moved: labels follow; true when the trails need a new push (their decimation changed). */
  viewChanged(store: ConsoleStore): boolean {
    this.placeLabels(store);
    return trailStep(this.map.zoom()) !== this.step;
  }

  private placeLabels(store: ConsoleStore): void {
    this.labels.update(this.map, store.drones.values(), store.selectedId);
  }
}
