/**
 * The demo scene: an expo at Wuhan's Optics Valley, east of the drone base. Shapes are approximate
 * (drawn for the demo, not surveyed). Two temporary stopping lanes at the venue's exits, a camera
 * over each, and a stream of cars: most stop briefly, a few overstay, and one of those ignores
 * the loudspeaker. Three roads with moving traffic (the same lines as the console's offline demo
 * map, console/src/map/demo-scene.ts): two avenues and the venue's one-way ring road; a jam builds
 * and clears on the east–west avenue just south of the base every 20 minutes.
 */
import { LocalFrame, type LatLon } from '../geo.ts';
import type { GroundCamera } from './analytics.ts';
import { DEMO_BASE } from './demo-base.ts';
import type { ParkedVehicleSpec } from './parking-world.ts';
import type { ScheduledJam } from './traffic-world.ts';

const frame = new LocalFrame(DEMO_BASE);
const at = (northM: number, eastM: number): LatLon => frame.toLatLon({ northM, eastM });

/** A lane as a closed GeoJSON ring ([lon, lat]), `lengthM` east–west by `widthM`. */
function laneRing(center: LatLon, lengthM: number, widthM: number): Array<[number, number]> {
  const f = new LocalFrame(center);
  const corners = [[-widthM / 2, -lengthM / 2], [-widthM / 2, lengthM / 2], [widthM / 2, lengthM / 2], [widthM / 2, -lengthM / 2], [-widthM / 2, -lengthM / 2]];
  return corners.map(([n, e]): [number, number] => { const p = f.toLatLon({ northM: n!, eastM: e! }); return [p.lon, p.lat]; });
}

export interface DemoLane {
  name: string;
  kind: 'temporary-stop';
  center: LatLon;
  geometry: { type: 'Polygon'; coordinates: Array<Array<[number, number]>> };
  maxDwellS: number;
}

const NORTH_LANE_CENTER = at(180, 260);
const EAST_LANE_CENTER = at(60, 420);

export const EXPO_LANES: DemoLane[] = [
  { name: '北出口临时停车道 North exit temporary stopping lane', kind: 'temporary-stop', center: NORTH_LANE_CENTER, geometry: { type: 'Polygon', coordinates: [laneRing(NORTH_LANE_CENTER, 60, 6)] }, maxDwellS: 180 },
  { name: '东出口临时停车道 East exit temporary stopping lane', kind: 'temporary-stop', center: EAST_LANE_CENTER, geometry: { type: 'Polygon', coordinates: [laneRing(EAST_LANE_CENTER, 6, 60)] }, maxDwellS: 180 },
];

export const EXPO_CAMERAS: GroundCamera[] = EXPO_LANES.map((l, i) => ({ id: `cam-exit-${i + 1}`, ...l.center, radiusM: 60 }));

/** Cars over the first simulated half hour; plates are made up. */
export function expoVehicles(): ParkedVehicleSpec[] {
  const north = NORTH_LANE_CENTER;
  const east = EAST_LANE_CENTER;
  const along = (c: LatLon, eastM: number, northM = 0) => new LocalFrame(c).toLatLon({ northM, eastM });
  return [
    { trackId: 'car-01', plate: '鄂A·D1234', ...along(north, -20), arriveAtS: 20, stayS: 60, leaveAfterAdvisoryS: 30 },
    { trackId: 'car-02', plate: '鄂A·F5678', ...along(north, 5), arriveAtS: 40, stayS: 1500, leaveAfterAdvisoryS: 40 },
    { trackId: 'car-03', plate: '鄂A·K2468', ...along(east, 0, -15), arriveAtS: 90, stayS: 1500, leaveAfterAdvisoryS: null },
    { trackId: 'car-04', plate: '鄂A·M1357', ...along(north, 20), arriveAtS: 400, stayS: 90, leaveAfterAdvisoryS: 30 },
    { trackId: 'car-05', plate: '鄂A·Q8642', ...along(east, 0, 10), arriveAtS: 600, stayS: 1200, leaveAfterAdvisoryS: 25 },
  ];
}

export interface DemoRoad {
  /** Stable name of the road in the demo (the server gives it an id). */
  key: 'ew-avenue' | 'ns-avenue' | 'venue-ring';
  name: string;
  geometry: { type: 'LineString'; coordinates: Array<[number, number]> };
  direction: 'both' | 'forward' | 'backward';
  freeFlowMps: number;
  lanes: number;
}

const line = (...points: Array<[number, number]>): DemoRoad['geometry'] => ({
  type: 'LineString',
  coordinates: points.map(([n, e]): [number, number] => { const p = at(n, e); return [+p.lon.toFixed(7), +p.lat.toFixed(7)]; }),
});

/** Approximate demo roads (not real road geometry), drawn on the console's demo lines. */
export const EXPO_ROADS: DemoRoad[] = [
  { key: 'ew-avenue', name: '东西向主干道 East–west avenue', geometry: line([-60, -900], [-62, -300], [-60, 300], [-58, 900]), direction: 'both', freeFlowMps: 16.7, lanes: 4 },
  { key: 'ns-avenue', name: '南北向主干道 North–south avenue', geometry: line([-800, 80], [-300, 82], [100, 80], [800, 84]), direction: 'both', freeFlowMps: 16.7, lanes: 4 },
  { key: 'venue-ring', name: '场馆环路 Venue ring road', geometry: line([100, 140], [100, 560], [460, 560], [460, 140], [100, 140]), direction: 'forward', freeFlowMps: 8.3, lanes: 1 },
];

/** Where the demo jam sits on the east–west avenue: 700–1100 m from its west end, i.e. south of the base. */
export const EXPO_JAM_STRETCH = { fromM: 700, toM: 1100 };

/** A camera over the avenue where the jam builds. */
export const EXPO_ROAD_CAMERAS: GroundCamera[] = [{ id: 'cam-avenue-1', ...at(-60, 0), radiusM: 80 }];

/** The demo jam on the east–west avenue (its server id given): builds over a minute, holds four, clears over one; every 20 minutes from minute 4. */
export function expoJams(ewAvenueId: string): ScheduledJam[] {
  return [{ roadId: ewAvenueId, ...EXPO_JAM_STRETCH, startS: 240, buildS: 60, holdS: 240, clearS: 60, repeatEveryS: 1200 }];
}
