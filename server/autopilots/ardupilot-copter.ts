/** ArduPilot Copter: custom_mode numbers, GUIDED take-off, DO_REPOSITION as COMMAND_INT, item 0 = home. */
import { AppError } from '../errors.ts';
import type { WireMissionItem, MissionType } from '../mavlink/mission-transfer/types.ts';
import type { AutopilotAdapter, Capability, VehicleControl } from './autopilot.ts';
import {
  armCommand, isJump, longCommand, MAV_CMD, MAV_FRAME_GLOBAL_RELATIVE_ALT_INT, repositionCommand, setCustomMode, speedCommand,
} from './command-helpers.ts';

const MODES: Record<string, number> = {
  STABILIZE: 0, ACRO: 1, ALT_HOLD: 2, AUTO: 3, GUIDED: 4, LOITER: 5, RTL: 6, CIRCLE: 7, LAND: 9, DRIFT: 11,
  SPORT: 13, FLIP: 14, AUTOTUNE: 15, POSHOLD: 16, BRAKE: 17, THROW: 18, AVOID_ADSB: 19, GUIDED_NOGPS: 20,
  SMART_RTL: 21, FLOWHOLD: 22, FOLLOW: 23, ZIGZAG: 24, SYSTEMID: 25, AUTOROTATE: 26, AUTO_RTL: 27,
};
const NAMES = new Map(Object.entries(MODES).map(([name, n]) => [n, name]));
const CAPABILITIES = new Set<Capability>(['reposition', 'rallyPoints', 'fence', 'setMessageInterval', 'modes']);

const TAKEOFF_CLIMB_TIMEOUT_MS = 10_000;

export const ardupilotCopter: AutopilotAdapter = {
  name: 'ardupilot',
  guidedMode: 'GUIDED',
  // RTL_ALT: centimetres above home (0: return at the current height)
  returnAltitude: { param: 'RTL_ALT', metresPerUnit: 0.01 },

  modeName(_baseMode, customMode) {
    return NAMES.get(customMode) ?? `MODE_${customMode}`;
  },

  modeNames() {
    return Object.keys(MODES);
  },

  supports(capability) {
    return CAPABILITIES.has(capability);
  },

  async setMode(v, mode) {
    const n = MODES[mode];
    if (n === undefined) throw new AppError('UNKNOWN_MODE', `ArduCopter has no mode ${mode}`, { mode, modes: Object.keys(MODES) });
    await setCustomMode(v, `mode ${mode}`, n);
  },

  arm: (v) => v.command('arm', armCommand(true)),
  disarm: (v) => v.command('disarm', armCommand(false)),

  async takeoff(v, altitudeRelM) {
    const s = v.state();
    if (s.armed && !s.landed) throw new AppError('ALREADY_FLYING', 'the drone is already flying: use goto to change altitude');
    if (s.mode !== 'GUIDED') await this.setMode(v, 'GUIDED');
    if (!v.state().armed) await this.arm(v);
    // Copter disarms on the ground a few seconds after arming: send the take-off at once.
    await v.command('takeoff', longCommand(MAV_CMD.NAV_TAKEOFF, { 7: altitudeRelM }));
    // Off the ground means climbing past a couple of metres: the landed state may flicker while the motors spool up.
    const offGroundM = Math.min(2, altitudeRelM / 2);
    await v.waitFor((st) => !st.landed && st.armed && (st.altRelM ?? 0) >= offGroundM, TAKEOFF_CLIMB_TIMEOUT_MS, 'the drone accepted the take-off but did not leave the ground');
  },

  async goto(v, lat, lon, altitudeRelM) {
    const s = v.state();
    if (!s.armed || s.landed) throw new AppError('NOT_FLYING', 'the drone is on the ground: take off first');
    if (s.mode !== 'GUIDED') await this.setMode(v, 'GUIDED');
    await v.command('goto', repositionCommand(MAV_FRAME_GLOBAL_RELATIVE_ALT_INT, lat, lon, altitudeRelM));
  },

  hold(v) {
    return this.setMode(v, 'BRAKE');
  },

  land(v) {
    return this.setMode(v, 'LAND');
  },

  returnToLaunch(v) {
    return this.setMode(v, 'RTL');
  },

  setSpeed(v, speedMps) {
    return v.command('speed', speedCommand(speedMps));
  },

  async startMission(v) {
    const s = v.state();
    if (!s.armed) {
      if (s.mode !== 'GUIDED') await this.setMode(v, 'GUIDED');
      await this.arm(v);
    }
    // MISSION_START switches an armed Copter to AUTO and flies from the first item.
    await v.command('mission start', longCommand(MAV_CMD.MISSION_START, { 1: 0, 2: 0 }));
  },

  async resumeMission(v, seq) {
    // The current item first, then AUTO: Copter resumes at the current item (MIS_RESTART 0).
    await v.command('mission current', longCommand(MAV_CMD.DO_SET_MISSION_CURRENT, { 1: seq }));
    await this.setMode(v, 'AUTO');
  },

  async enableFence(v, ceilingM) {
    // FENCE_TYPE bits: 1 max altitude, 2 circle around home, 4 polygons (and the circles of the FENCE list)
    await v.setParam('FENCE_ALT_MAX', ceilingM);
    await v.setParam('FENCE_TYPE', 1 | 4);
    await v.setParam('FENCE_ACTION', 1); // RTL or land
    await v.setParam('FENCE_ENABLE', 1);
  },

  toVehicleMission(type, items) {
    if (type !== 'mission') return renumber(items);
    const home: WireMissionItem = { seq: 0, frame: 0, command: MAV_CMD.NAV_WAYPOINT, current: 0, autocontinue: 1, param1: 0, param2: 0, param3: 0, param4: 0, x: 0, y: 0, z: 0 };
    return renumber([home, ...items.map((it) => (isJump(it) ? { ...it, param1: it.param1 + 1 } : it))]);
  },

  fromVehicleMission(type: MissionType, items: WireMissionItem[]) {
    if (type !== 'mission') return items;
    return renumber(items.slice(1).map((it) => (isJump(it) ? { ...it, param1: it.param1 - 1 } : it)));
  },
};

function renumber(items: WireMissionItem[]): WireMissionItem[] {
  return items.map((it, seq) => ({ ...it, seq, current: 0 }));
}
