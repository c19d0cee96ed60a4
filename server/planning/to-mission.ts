/**
 * The one converter from a plan's waypoints to mission items (CONTRACT.md MissionItem): take-off,
 * an optional speed change, waypoints (param1 = hold time where hovering), loiters, DO_JUMP for
 * repeated loops, and RTL.
 *
 * DO_JUMP's param1 is the 0-based index of its target in THIS list and param2 the repeat count;
 * the autopilot adapter shifts the target for the vehicle's home item (server/fleet/mission-items.ts,
 * server/autopilots/ardupilot-copter.ts).
 */
import type { MissionItem } from '../contracts/mission.ts';
import type { Waypoint } from './types.ts';

export interface MissionWaypoint extends Waypoint {
  /** Loiter here this long (NAV_LOITER_TIME) instead of a waypoint; -1 for until told (NAV_LOITER_UNLIM). */
  loiterS?: number;
  /** Loiter radius (0: hover on the spot). */
  loiterRadiusM?: number;
}

export interface MissionSpec {
  waypoints: MissionWaypoint[];
  takeoffAltitudeM: number;
  /** Adds DO_CHANGE_SPEED (ground speed) after take-off. */
  speedMps?: number;
  /**
   * Fly waypoints[startIndex..endIndex] `repeat` more times: a DO_JUMP after waypoints[endIndex]
   * back to waypoints[startIndex].
   */
  loop?: { startIndex: number; endIndex: number; repeat: number };
  /** End with RTL (default true). */
  rtl?: boolean;
}

export function toMissionItems(spec: MissionSpec): MissionItem[] {
  const items: MissionItem[] = [{ command: 'NAV_TAKEOFF', altitudeM: spec.takeoffAltitudeM, params: [0, 0, 0, 0], frame: 'GLOBAL_RELATIVE_ALT' }];
  if (spec.speedMps !== undefined) items.push({ command: 'DO_CHANGE_SPEED', params: [1, spec.speedMps, -1, 0] });
  const loop = spec.loop && spec.loop.repeat > 0 ? spec.loop : null;
  let jumpTarget = -1;
  spec.waypoints.forEach((w, i) => {
    if (loop && i === loop.startIndex) jumpTarget = items.length;
    items.push(waypointItem(w));
    if (loop && i === loop.endIndex) items.push({ command: 'DO_JUMP', params: [jumpTarget, loop.repeat, 0, 0] });
  });
  if (spec.rtl !== false) items.push({ command: 'NAV_RETURN_TO_LAUNCH', params: [0, 0, 0, 0] });
  return items;
}

function waypointItem(w: MissionWaypoint): MissionItem {
  const at = { lat: round7(w.lat), lon: round7(w.lon), altitudeM: w.altitudeM };
  if (w.loiterS !== undefined && w.loiterS < 0) return { command: 'NAV_LOITER_UNLIM', ...at, params: [0, 0, w.loiterRadiusM ?? 0, 0] };
  if (w.loiterS !== undefined) return { command: 'NAV_LOITER_TIME', ...at, params: [w.loiterS, 0, w.loiterRadiusM ?? 0, 0] };
  return { command: 'NAV_WAYPOINT', ...at, params: [w.holdS ?? 0, 0, 0, 0] };
}

/** Degrees as the wire carries them (1e-7). */
function round7(deg: number): number {
  return Math.round(deg * 1e7) / 1e7;
}
