/**
 * Flying a drone somewhere under the server's guidance (an incident, a parking case): take off if it
 * is on the ground, then go to each point of a path (a transit round no-fly zones) at one height,
 * waiting at each corner until the drone is there. Resolves once the last point is commanded;
 * whoever called watches for the arrival (on-scene) itself.
 */
import { AppError } from '../errors.ts';
import type { Airspace, LatLon } from '../planning/index.ts';
import { checkAirspace } from './plan-assignment.ts';
import { transit } from './transit.ts';
import type { DroneSession } from './drone-session.ts';
import { executeCommand } from './drone-commands.ts';
import type { FlightGuard } from './flight-guard.ts';
import { distanceM } from './distance.ts';

export interface GuidedFlightOptions {
  /** A corner counts as reached within this horizontal distance (default 8 m). */
  cornerRadiusM?: number;
  /** The slowest credible ground speed, for the per-leg timeout (default 2 m/s, plus 60 s). */
  slowestMps?: number;
  /** Wait until the drone is at the last point too (default: resolve once it is commanded). */
  arriveAtEnd?: boolean;
}

/**
 * The guard (flight-guard.ts) is asked before every command: once the task is over (released, the
 * drone lost, its failsafe took it home, a pilot took it) the flight stops there and nothing more is
 * sent. The flight begins, for the guard, with its first acknowledged goto.
 */
export async function flyPath(session: DroneSession, path: LatLon[], altitudeM: number, guard: FlightGuard, opts: GuidedFlightOptions = {}): Promise<void> {
  const cornerRadiusM = opts.cornerRadiusM ?? 8;
  const slowestMps = opts.slowestMps ?? 2;
  const check = () => {
    if (!guard.stillOn()) throw new AppError('DRONE_BUSY', guard.stopped('the flight'));
  };
  check();
  if (!session.state.armed || session.state.landed) await executeCommand(session, { type: 'takeoff', altitudeM });
  for (const [i, p] of path.entries()) {
    check();
    await executeCommand(session, { type: 'goto', lat: p.lat, lon: p.lon, altitudeM });
    guard.begun();
    if (i === path.length - 1 && !opts.arriveAtEnd) return;
    const from = session.state.position;
    const legM = from ? distanceM(from, p) : 1000;
    // stops waiting as soon as the flight may not go on (e.g. its failsafe turned it for home)
    await session.until((d) => !guard.stillOn() || (d.position !== null && distanceM(d.position, p) <= cornerRadiusM), 60_000 + (1000 * legM) / slowestMps, `the drone did not reach corner ${i + 1} of its route`);
  }
  check();
}

/**
 * To a scene at `altitudeM`: the transit round no-fly zones (refused with AIRSPACE_VIOLATION when
 * there is none, or when the way leaves the operating area or the altitude band), then flyPath.
 */
export async function flyToScene(session: DroneSession, scene: LatLon, altitudeM: number, airspace: Airspace, guard: FlightGuard): Promise<void> {
  const from = session.state.position;
  const way = from ? transit(from, scene, airspace, altitudeM) : { ok: true as const, path: [scene], lengthM: 0 };
  if (!way.ok) throw new AppError('AIRSPACE_VIOLATION', way.reason);
  checkAirspace([...(from ? [{ lat: from.lat, lon: from.lon, altitudeM }] : []), ...way.path.map((p) => ({ lat: p.lat, lon: p.lon, altitudeM }))], airspace);
  await flyPath(session, way.path, altitudeM, guard);
}
