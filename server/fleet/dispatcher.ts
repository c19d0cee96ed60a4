/**
 * Picks the drone that arrives first: from the air or from the ground, by flight time (climb,
 * distance at cruise over the ground in the drone's reported wind), among drones with battery enough to get
 * there, stay on scene and come back with the reserve. Pure: drones and a target in, a ranking out.
 * The flight's length comes from `pathLengthM` (the transit round no-fly zones in the server).
 */
import type { Drone } from '../contracts/drone.ts';

export interface DispatchProfile {
  cruiseMps: number;
  climbMps: number;
  /** Arming and spool-up on the ground before the climb starts. */
  groundPrepS: number;
  /** Flight time on a full battery at cruise. */
  enduranceS: number;
  reservePct: number;
}

export const DEFAULT_DISPATCH_PROFILE: DispatchProfile = { cruiseMps: 10, climbMps: 2.5, groundPrepS: 6, enduranceS: 25 * 60, reservePct: 25 };

export interface DispatchTarget {
  lat: number;
  lon: number;
  /** Height to watch from, above take-off. */
  altitudeM: number;
  /** How long the drone stays on scene. */
  watchS: number;
}

export interface Candidate {
  droneId: string;
  etaS: number;
  batteryNeededPct: number;
  distanceM: number;
  airborne: boolean;
}

export type Rejection = { droneId: string; reason: string };

import { distanceM } from './distance.ts';

export { distanceM };

/** Where the wind comes from (degrees clockwise from north, as MAVLink WIND) and how fast. */
export type Wind = NonNullable<Drone['wind']>;

/** Bearing from a to b, degrees clockwise from north. */
export function bearingDeg(a: { lat: number; lon: number }, b: { lat: number; lon: number }): number {
  const north = b.lat - a.lat;
  const east = (b.lon - a.lon) * Math.cos((((a.lat + b.lat) / 2) * Math.PI) / 180);
  return ((Math.atan2(east, north) * 180) / Math.PI + 360) % 360;
}

/**
 * Speed over the ground flying at `airspeedMps` along `trackDeg` in `wind`: the drone crabs into
 * the cross wind and gains or loses the along-track part. Never below a quarter of the airspeed
 * (a drone that cannot make way against the wind is not sent: its battery check fails long before).
 */
export function groundSpeedMps(airspeedMps: number, trackDeg: number, wind: Wind | null | undefined): number {
  if (!wind || wind.speedMps <= 0) return airspeedMps;
  const towardRad = (((wind.fromDeg + 180 - trackDeg) % 360) * Math.PI) / 180;
  const along = wind.speedMps * Math.cos(towardRad);
  const cross = wind.speedMps * Math.sin(towardRad);
  const crabbed = Math.sqrt(Math.max(0, airspeedMps * airspeedMps - cross * cross));
  return Math.max(airspeedMps / 4, crabbed + along);
}

/** How far the drone flies from `from` to the target: straight by default; null when it cannot get there (e.g. no way round a no-fly zone). */
export type PathLength = (from: { lat: number; lon: number }, to: { lat: number; lon: number }) => number | null;

/** Candidates by arrival time (earliest first), and why the others cannot go. */
export function rankForDispatch(drones: Drone[], target: DispatchTarget, unavailable: (drone: Drone) => string | null, profile: DispatchProfile = DEFAULT_DISPATCH_PROFILE, pathLengthM: PathLength = distanceM): { candidates: Candidate[]; rejected: Rejection[] } {
  const candidates: Candidate[] = [];
  const rejected: Rejection[] = [];
  for (const d of drones) {
    if (!d.connected) { rejected.push({ droneId: d.id, reason: 'link lost' }); continue; }
    const why = unavailable(d);
    if (why) { rejected.push({ droneId: d.id, reason: why }); continue; }
    if (!d.position) { rejected.push({ droneId: d.id, reason: 'no position' }); continue; }
    if (d.battery.remainingPct === null) { rejected.push({ droneId: d.id, reason: 'battery unknown' }); continue; }
    const airborne = d.armed && !d.landed;
    const dist = pathLengthM(d.position, target);
    if (dist === null) { rejected.push({ droneId: d.id, reason: 'no way round the no-fly zones' }); continue; }
    const climbM = Math.max(0, target.altitudeM - Math.max(0, d.position.altRelM));
    const climbS = climbM / profile.climbMps;
    const prepS = airborne ? 0 : profile.groundPrepS;
    // wind from the drone's own telemetry (ArduPilot's WIND estimate), along the straight bearing
    const wind = d.wind;
    const outMps = groundSpeedMps(profile.cruiseMps, bearingDeg(d.position, target), wind);
    const etaS = prepS + climbS + dist / outMps;
    // there, on scene, and back to where it started (a conservative stand-in for "home")
    const home = d.home ?? d.position;
    const homeDist = pathLengthM(target, home) ?? dist;
    const backMps = groundSpeedMps(profile.cruiseMps, bearingDeg(target, home), wind);
    const flightS = etaS + target.watchS + homeDist / backMps + target.altitudeM / profile.climbMps;
    const batteryNeededPct = (100 * flightS) / profile.enduranceS + profile.reservePct;
    if (batteryNeededPct > d.battery.remainingPct) {
      rejected.push({ droneId: d.id, reason: `battery ${d.battery.remainingPct}% < ${Math.ceil(batteryNeededPct)}% needed` });
      continue;
    }
    candidates.push({ droneId: d.id, etaS: Math.round(etaS * 10) / 10, batteryNeededPct: Math.round(batteryNeededPct), distanceM: Math.round(dist), airborne });
  }
  candidates.sort((a, b) => a.etaS - b.etaS);
  return { candidates, rejected };
}
