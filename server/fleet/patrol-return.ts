/**
 * The way back to a paused patrol. A drone released from an incident or a parking case would fly a
 * straight line from the scene to the patrol item it left once its mission resumes: that line is
 * checked against the airspace first, like every other route the server has a drone fly.
 *
 *   released, patrol paused at seq
 *     │ the position the vehicle will fly to: the paused item, or the next one with a position
 *     ▼
 *   straight leg (here, at the drone's height → the item, at its height) ──clear──────────────▶ resume at seq (AUTO)
 *     │ enters a no-fly zone
 *     ▼
 *   transit round the zones (GUIDED, corner by corner, ending over the item) ──arrived──▶ resume at seq (AUTO)
 *     │ no way (no path round, leaves the operating area,     │ failsafe took it home, a pilot took it
 *     │ out of the altitude band, item or position unknown,   │ (another mode: flight-guard.ts), link lost
 *     │ the mission unreadable)                               ▼
 *     ▼                                                       stopped: nothing more is sent
 *   home (RTL), with the reason
 *
 * Once resume-patrol has set AUTO nothing more is sent: the patrol book watches the mission from there.
 *
 * While the drone transits back the task board still holds the task being released (the incident or
 * the case) with the patrol paused under it: the drone is still on that task's errand, no dispatcher
 * and no plan assignment may take it, and the release that lets queued work have the drone comes
 * only once the mission is resumed (or the drone sent home). See patrols.ts `returnFromTask`.
 */
import { common } from 'mavlink-mappings';
import type { MissionItem } from '../contracts/mission.ts';
import type { WireMissionItem } from '../mavlink/mission-transfer/types.ts';
import type { Airspace, LatLon, RoutePoint } from '../planning/index.ts';
import type { DroneSession } from './drone-session.ts';
import { FlightGuard } from './flight-guard.ts';
import { flyPath } from './guided-flight.ts';
import { toWireItems } from './mission-items.ts';
import type { DroneAction } from './patrols.ts';
import { wayTo } from './transit.ts';

const Cmd = common.MavCmd;
/** Commands the vehicle flies to their position (a take-off climbs where it is; RTL flies home). */
const FLIES_TO_POSITION = new Set<number>([
  Cmd.NAV_WAYPOINT, Cmd.NAV_SPLINE_WAYPOINT, Cmd.NAV_LOITER_UNLIM, Cmd.NAV_LOITER_TURNS, Cmd.NAV_LOITER_TIME, Cmd.NAV_LOITER_TO_ALT, Cmd.NAV_LAND,
]);

/** The item the vehicle flies to when resumed at some seq, in the vehicle's own numbering. */
export interface ResumeTarget extends RoutePoint {
  seq: number;
}

/**
 * Where a mission resumed at `seq` flies first. `vehicleItems` are as the vehicle stores them (the
 * adapter's toVehicleMission: ArduPilot's home is item 0, so its seq counts from 1). Items without a
 * position (a speed change, a take-off) lead on to the next; a DO_JUMP with passes left to its target.
 * Null when nothing ahead has a position (the mission ends in RTL or a landing where it is).
 * Altitudes are taken as relative to home (the planner's frame).
 */
export function resumeTarget(vehicleItems: readonly WireMissionItem[], seq: number): ResumeTarget | null {
  const seen = new Set<number>();
  for (let i = seq; i >= 0 && i < vehicleItems.length && !seen.has(i);) {
    seen.add(i);
    const item = vehicleItems[i]!;
    if (FLIES_TO_POSITION.has(item.command) && (item.x !== 0 || item.y !== 0)) return { seq: i, lat: item.x / 1e7, lon: item.y / 1e7, altitudeM: item.z };
    i = item.command === Cmd.DO_JUMP && item.param2 !== 0 ? Math.round(item.param1) : i + 1;
  }
  return null;
}

export type LegBack =
  | { kind: 'resume' }
  | { kind: 'transit'; path: LatLon[]; altitudeM: number }
  | { kind: 'home'; reason: string };

/**
 * The decision (pure): straight back when the leg is clear; round the no-fly zones when only they
 * are in the way; home when there is no such way (transit.ts `wayTo`).
 */
export function legBack(from: RoutePoint, to: RoutePoint | null, airspace: Airspace): LegBack {
  const way = to ? wayTo(from, to, airspace) : { kind: 'straight' as const };
  if (way.kind === 'straight') return { kind: 'resume' };
  if (way.kind === 'none') return { kind: 'home', reason: way.reason };
  return { kind: 'transit', path: way.path, altitudeM: way.altitudeM };
}

export type WayBack = { kind: 'resumed' } | { kind: 'home'; reason: string } | { kind: 'stopped'; reason: string };

export interface WayBackContext {
  session: DroneSession;
  planId: string;
  part: string;
  /** The mission item to resume at, as the vehicle numbers it. */
  seq: number;
  /** The plan part's mission (API items, as stored with the plan); null when it cannot be found. */
  missionItems: MissionItem[] | null;
  airspace: Airspace;
  act: DroneAction;
  /** Still the releasing task's drone (the link, a homebound mode and a pilot's takeover are checked besides: flight-guard.ts). */
  held: () => boolean;
}

/** Checks the way back, flies round what is in the way, and resumes; or says why the drone must go home. */
export async function goBackToPatrol(c: WayBackContext): Promise<WayBack> {
  let leg: LegBack;
  try {
    leg = decideLegBack(c);
  } catch (err) {
    return { kind: 'home', reason: `the way back could not be checked: ${(err as Error).message}` };
  }
  if (leg.kind === 'home') return leg;
  const request = { planId: c.planId, part: c.part, seq: c.seq };
  const guard = new FlightGuard(c.session, c.held);
  const stopped = (): WayBack => ({ kind: 'stopped', reason: guard.stopped('the way back') });
  try {
    if (leg.kind === 'transit') {
      const transit = leg;
      await c.act(c.session.id, 'transit-to-patrol', { ...request, altitudeM: transit.altitudeM, path: transit.path },
        (s) => flyPath(s, transit.path, transit.altitudeM, guard, { arriveAtEnd: true }));
    }
    if (!guard.stillOn()) return stopped();
    await c.act(c.session.id, 'resume-patrol', request, (s) => s.adapter.resumeMission(s.control, c.seq));
    return { kind: 'resumed' };
  } catch (err) {
    if (!guard.stillOn()) return stopped();
    return { kind: 'home', reason: `the patrol could not resume: ${(err as Error).message}` };
  }
}

/** The leg back from where the drone is to the item it resumes at (throws when the mission cannot be read). */
function decideLegBack(c: WayBackContext): LegBack {
  const here = c.session.state.position;
  if (!here) return { kind: 'home', reason: 'the drone reports no position: its way back cannot be checked' };
  if (!c.missionItems) return { kind: 'home', reason: `plan ${c.planId} ${c.part} is not stored: the way back cannot be checked` };
  const target = resumeTarget(c.session.adapter.toVehicleMission('mission', toWireItems(c.missionItems)), c.seq);
  const leg = legBack({ lat: here.lat, lon: here.lon, altitudeM: here.altRelM }, target, c.airspace);
  return leg.kind === 'home' ? { kind: 'home', reason: `no safe way back to patrol item ${target?.seq}: ${leg.reason}` } : leg;
}
