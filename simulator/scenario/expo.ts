/**
 * The demo scene: an expo at Wuhan's Optics Valley, east of the drone base. Shapes are approximate
 * (drawn for the demo, not surveyed). Two temporary stopping lanes at the venue's exits, a camera
 * over each, and a stream of cars: most stop briefly, a few overstay, and one of those ignores
 * the loudspeaker.
 */
import { LocalFrame, type LatLon } from '../geo.ts';
import type { GroundCamera } from './analytics.ts';
import { DEMO_BASE } from './demo-base.ts';
import type { ParkedVehicleSpec } from './parking-world.ts';

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
