/**
 * Picks the drone that arrives first: from the air or from the ground, by flight time (climb,
 * distance at cruise, wind from telemetry when known), among drones with battery enough to get
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

/** How far the drone flies from `from` to the target: straight by default; null when it cannot get there (e.g. no way round a no-fly zone). */
export type PathLength = (from: { lat: number; lon: number }, to: { lat: number; lon: number }) => number | null;

/** Candidates by arrival time (earliest first), and why the others cannot go. */
export function rankForDispatch(drones: Drone[], target: DispatchTarget, busy: (droneId: string) => boolean, profile: DispatchProfile = DEFAULT_DISPATCH_PROFILE, pathLengthM: PathLength = distanceM): { candidates: Candidate[]; rejected: Rejection[] } {
  const candidates: Candidate[] = [];
  const rejected: Rejection[] = [];
  for (const d of drones) {
    if (!d.connected) { rejected.push({ droneId: d.id, reason: 'link lost' }); continue; }
    if (busy(d.id)) { rejected.push({ droneId: d.id, reason: 'on another task' }); continue; }
    if (!d.position) { rejected.push({ droneId: d.id, reason: 'no position' }); continue; }
    if (d.battery.remainingPct === null) { rejected.push({ droneId: d.id, reason: 'battery unknown' }); continue; }
    const airborne = d.armed && !d.landed;
    const dist = pathLengthM(d.position, target);
    if (dist === null) { rejected.push({ droneId: d.id, reason: 'no way round the no-fly zones' }); continue; }
    const climbM = Math.max(0, target.altitudeM - Math.max(0, d.position.altRelM));
    const climbS = climbM / profile.climbMps;
    const prepS = airborne ? 0 : profile.groundPrepS;
    const etaS = prepS + climbS + dist / profile.cruiseMps;
    // there, on scene, and back to where it started (a conservative stand-in for "home")
    const homeDist = d.home ? (pathLengthM(target, d.home) ?? dist) : dist;
    const flightS = etaS + target.watchS + homeDist / profile.cruiseMps + target.altitudeM / profile.climbMps;
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
