/**
 * Flying a drone somewhere under the server's guidance (an incident, a parking case): take off if it
 * is on the ground, then go to each point of a path (a transit round no-fly zones) at one height,
 * waiting at each corner until the drone is there. Resolves once the last point is commanded;
 * whoever called watches for the arrival (on-scene) itself.
 */
import type { LatLon } from '../planning/index.ts';
import type { DroneSession } from './drone-session.ts';
import { executeCommand } from './drone-commands.ts';
import { distanceM } from './distance.ts';

export interface GuidedFlightOptions {
  /** A corner counts as reached within this horizontal distance (default 8 m). */
  cornerRadiusM?: number;
  /** The slowest credible ground speed, for the per-leg timeout (default 2 m/s, plus 60 s). */
  slowestMps?: number;
}

export async function flyPath(session: DroneSession, path: LatLon[], altitudeM: number, opts: GuidedFlightOptions = {}): Promise<void> {
  const cornerRadiusM = opts.cornerRadiusM ?? 8;
  const slowestMps = opts.slowestMps ?? 2;
  if (!session.state.armed || session.state.landed) await executeCommand(session, { type: 'takeoff', altitudeM });
  for (const [i, p] of path.entries()) {
    await executeCommand(session, { type: 'goto', lat: p.lat, lon: p.lon, altitudeM });
    if (i === path.length - 1) return;
    const from = session.state.position;
    const legM = from ? distanceM(from, p) : 1000;
    await session.until((d) => d.position !== null && distanceM(d.position, p) <= cornerRadiusM, 60_000 + (1000 * legM) / slowestMps, `the drone did not reach corner ${i + 1} of its route`);
  }
}
