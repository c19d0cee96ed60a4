/**
 * The fleet on the map, once per animation frame at most: drones, trails (decimated when zoomed
 * out), the selection ring, the go-to target, and the DOM labels when zoomed in. This is the
 * console's per-update cost (window.__eagle.stats); keep it small for 1,000 drones.
 *
 * The trails are handed over at most every TRAIL_INTERVAL_MS (and at once when their thinning
 * changes): the map library copies every GeoJSON it is given for its worker on the page's thread
 * (mapbox-gl at once, maplibre-gl when its worker is ready for it), and 1,000 trails of 60 points
 * copied at the stream rate cost that thread far more than everything else here. Between two pushes
 * a trail's newest point lags its drone by at most that interval (≈ 5 m at 10 m/s: under the drone's
 * icon from zoom 17 down); when the stream goes quiet, a held-back trail goes at the next frame due.
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

/** Trails are handed to the map at most this often (ms), unless their thinning changed. */
export const TRAIL_INTERVAL_MS = 500;

/** A drone's point on the map: one object per drone, updated in place at every push. */
interface DronePoint { type: 'Feature'; properties: { id: string; state: string; heading: number; sort: number }; geometry: { type: 'Point'; coordinates: [number, number] } }

export class FleetLayer {
  /** The trail step of the last trail push: a zoom that changes it needs a new push. */
  private step = -1;
  private trailsAtMs = -Infinity;
  /** Trail points handed to the map by the last trail push. */
  trailPoints = 0;
  /** Trail pushes so far (the trails are not pushed with every update). */
  trailPushes = 0;
  /** A push held the trails back: they are behind their drones until the next trail push. */
  private trailsBehind = false;
  /**
   * Drone points kept between pushes and rewritten in place (no garbage per drone per update). The
   * library keeps a reference until it copies the data for its worker, and may copy a later state
   * of these objects than the one of the push; every push is followed by setData, so the copy is
   * always of one whole, newest state. (A library call that reads the data back, such as getData or
   * a diff with updateData, would need fresh objects instead: none is used.)
   */
  private readonly points = new Map<string, DronePoint>();
  /** The selection and go-to target as last pushed ("" = none), to push them only when they change. */
  private selectedKey = '';
  private targetKey = '';

  constructor(private readonly map: MapAdapter, private readonly labels: DroneLabels) {}

  push(store: ConsoleStore, target: { lat: number; lon: number } | null, nowMs: number): void {
    const features: DronePoint[] = [];
    for (const d of store.drones.values()) {
      if (!d.position) continue;
      let f = this.points.get(d.id);
      if (!f) this.points.set(d.id, (f = { type: 'Feature', properties: { id: d.id, state: '', heading: 0, sort: 0 }, geometry: { type: 'Point', coordinates: [0, 0] } }));
      f.geometry.coordinates[0] = d.position.lon;
      f.geometry.coordinates[1] = d.position.lat;
      f.properties.state = droneState(d);
      f.properties.heading = d.headingDeg ?? 0;
      f.properties.sort = d.id === store.selectedId ? 1 : 0;
      features.push(f);
    }
    if (this.points.size > features.length) for (const id of this.points.keys()) if (!store.drones.get(id)?.position) this.points.delete(id);
    this.map.setData('drones', { type: 'FeatureCollection', features } as FeatureCollection);
    const step = trailStep(this.map.zoom());
    if (step !== this.step || nowMs - this.trailsAtMs >= TRAIL_INTERVAL_MS) this.pushTrails(store, step, nowMs);
    else this.trailsBehind = true;
    const sel = store.selected()?.position ?? null;
    this.selectedKey = this.pushPoint('selected', sel, this.selectedKey);
    this.targetKey = this.pushPoint('target', target, this.targetKey);
    this.placeLabels(store);
  }

  /** A one-point source, pushed only when the point moved, appeared or went. */
  private pushPoint(source: 'selected' | 'target', p: { lat: number; lon: number } | null, lastKey: string): string {
    const key = p ? `${p.lon},${p.lat}` : '';
    if (key !== lastKey) this.map.setData(source, { type: 'FeatureCollection', features: p ? [point(p.lon, p.lat)] : [] });
    return key;
  }

  /** No new data this frame: trails held back by the last push go once they are due. */
  catchUpTrails(store: ConsoleStore, nowMs: number): boolean {
    if (!this.trailsBehind || nowMs - this.trailsAtMs < TRAIL_INTERVAL_MS) return false;
    this.pushTrails(store, this.step, nowMs);
    return true;
  }

  private pushTrails(store: ConsoleStore, step: number, nowMs: number): void {
    const trails: FeatureCollection = { type: 'FeatureCollection', features: [] };
    let points = 0;
    if (step) {
      for (const d of store.drones.values()) {
        const trail = d.position ? store.trails.get(d.id) : undefined;
        const line = trail ? decimate(trail, step) : null;
        if (!line) continue;
        points += line.length;
        trails.features.push({ type: 'Feature', properties: { id: d.id, state: droneState(d) }, geometry: { type: 'LineString', coordinates: line } });
      }
    }
    this.map.setData('trails', trails);
    this.step = step;
    this.trailsAtMs = nowMs;
    this.trailPoints = points;
    this.trailPushes++;
    this.trailsBehind = false;
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
