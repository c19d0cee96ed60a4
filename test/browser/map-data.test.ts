/** The console's map data without a browser: trail thinning by zoom, a mission's numbered waypoints. */
import { describe, expect, it } from 'vitest';
import type { FeatureCollection } from 'geojson';
import type { MapAdapter } from '../../console/src/map/adapter.ts';
import { decimate, FleetLayer, TRAIL_INTERVAL_MS, trailStep } from '../../console/src/map/fleet-layer.ts';
import type { DroneLabels } from '../../console/src/map/labels.ts';
import { missionFeatures } from '../../console/src/map/plan-features.ts';
import { ConsoleStore } from '../../console/src/state/store.ts';

/**
 * A map that records what it is handed, per source, as the library would copy it (a deep copy at
 * setData); only setData and zoom are used by the fleet layer, anything else fails the test.
 */
function recordingMap(zoom: { value: number }): { map: MapAdapter; pushes: Map<string, FeatureCollection[]> } {
  const pushes = new Map<string, FeatureCollection[]>();
  const used = { setData: (source: string, data: FeatureCollection) => { pushes.set(source, [...(pushes.get(source) ?? []), structuredClone(data)]); }, zoom: () => zoom.value };
  const map = new Proxy(used, { get: (t, k) => (k in t ? t[k as keyof typeof t] : () => { throw new Error(`the fleet layer used map.${String(k)}`); }) });
  return { map: map as unknown as MapAdapter, pushes };
}
const noLabels = { update: () => {} } as unknown as DroneLabels;

describe('console map data', () => {
  it('keeps whole trails zoomed in, every 4th point (the newest kept) further out, none zoomed out', () => {
    expect([18, 15, 14.9, 13, 12.9].map(trailStep)).toEqual([1, 1, 4, 4, 0]);
    const trail = Array.from({ length: 10 }, (_, i) => [i, i]);
    expect(decimate(trail, 1)).toBe(trail);
    expect(decimate(trail, 4)).toEqual([[1, 1], [5, 5], [9, 9]]);
    expect(decimate(trail, 0)).toBeNull();
    expect(decimate(trail.slice(0, 2), 4)).toBeNull(); // one point is not a line
  });

  it('numbers a mission\'s positions 1…n, skips items without one, and highlights the item the drone flies to', () => {
    const items = [
      { command: 'NAV_TAKEOFF', lat: 0, lon: 0, altitudeM: 30 },
      { command: 'DO_CHANGE_SPEED', params: [1, 8, -1, 0] },
      { command: 'NAV_WAYPOINT', lat: 30.5, lon: 114.4, altitudeM: 30 },
      { command: 'NAV_WAYPOINT', lat: 30.501, lon: 114.4, altitudeM: 30 },
      { command: 'NAV_RETURN_TO_LAUNCH' },
    ];
    // ArduPilot: home is the vehicle's item 0, so items[i] is its item i + 1; it flies to items[3]
    const fc = missionFeatures(items, 1, 4);
    const line = fc.features.find((f) => f.properties!.role === 'line')!;
    expect(line.geometry).toEqual({ type: 'LineString', coordinates: [[114.4, 30.5], [114.4, 30.501]] });
    expect(fc.features.filter((f) => f.properties!.role === 'wp').map((f) => [f.properties!.icon, f.properties!.current])).toEqual([['num-wp-3', false], ['num-cur-4', true]]);
    expect(missionFeatures(items, 0, 4).features.some((f) => f.properties!.current)).toBe(false); // another firmware's numbering: item 4 has no position
  });

  it('hands the drones over at every push, the trails at most every 500 ms or at once when the zoom changes their thinning', () => {
    const store = new ConsoleStore();
    const at = (i: number) => ({ lat: 30.5 + i * 0.0001, lon: 114.4, altMslM: 60, altRelM: 40 });
    store.apply({ type: 'snapshot', drones: [{ id: 'E01', callsign: 'E01', connected: true, armed: true, landed: false, mode: 'GUIDED', position: at(0), headingDeg: 0, battery: { remainingPct: 90 } } as never] });
    const zoom = { value: 16 };
    const { map, pushes } = recordingMap(zoom);
    const layer = new FleetLayer(map, noLabels);
    const count = (source: string) => pushes.get(source)?.length ?? 0;
    for (let f = 1; f <= 10; f++) { // 10 updates 100 ms apart: 1 s
      store.apply({ type: 'telemetry', t: f, drones: [{ id: 'E01', position: at(f), headingDeg: f }] });
      layer.push(store, null, f * 100);
    }
    expect(count('drones')).toBe(10);
    const drones = pushes.get('drones')!;
    expect(drones[9]!.features[0]!.geometry).toEqual({ type: 'Point', coordinates: [114.4, at(10).lat] }); // the newest position, not a stale object
    expect(drones[4]!.features[0]!.properties!.heading).toBe(5); // earlier pushes kept what they were handed
    expect(count('trails')).toBe(2); // at 100 ms and 600 ms
    expect(layer.trailPushes).toBe(2);
    const trail = pushes.get('trails')![1]!.features[0]!.geometry as { coordinates: number[][] };
    expect(trail.coordinates.at(-1)).toEqual([114.4, at(6).lat]);
    // the stream goes quiet: the held-back trail (up to 1 s) goes once due, and then nothing more
    expect(layer.catchUpTrails(store, 1050)).toBe(false); // not due before 600 + 500 ms
    expect(layer.catchUpTrails(store, 1100)).toBe(true);
    expect((pushes.get('trails')!.at(-1)!.features[0]!.geometry as { coordinates: number[][] }).coordinates.at(-1)).toEqual([114.4, at(10).lat]);
    expect(layer.catchUpTrails(store, 2000)).toBe(false); // nothing held back any more
    expect(count('trails')).toBe(3);
    zoom.value = 14; // every 4th point now: pushed at once
    layer.push(store, null, 1150);
    expect(count('trails')).toBe(4);
    expect(1150 - 1100).toBeLessThan(TRAIL_INTERVAL_MS); // not yet due by time
    // the selection and the go-to target only when they change
    expect(count('selected')).toBe(0); // nothing selected: the map's empty source stays as it is
    expect(count('target')).toBe(0);
    store.select('E01');
    layer.push(store, { lat: 30.51, lon: 114.41 }, 1200);
    layer.push(store, { lat: 30.51, lon: 114.41 }, 1250);
    expect(count('selected')).toBe(1);
    expect(count('target')).toBe(1);
    store.select(null);
    layer.push(store, null, 1300);
    expect(pushes.get('selected')!.at(-1)!.features).toEqual([]);
    expect(pushes.get('target')!.at(-1)!.features).toEqual([]);
    expect(pushes.get('target')![0]!.features[0]!.geometry).toEqual({ type: 'Point', coordinates: [114.41, 30.51] });
  });
});

