/** The console's map data without a browser: trail thinning by zoom, a mission's numbered waypoints. */
import { describe, expect, it } from 'vitest';
import { decimate, trailStep } from '../../console/src/map/fleet-layer.ts';
import { missionFeatures } from '../../console/src/map/plan-features.ts';

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
});
