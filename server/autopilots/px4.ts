/** PX4 multicopter: custom_mode = main << 16 | sub << 24, take-off and goto by command, DO_ORBIT. */
import { AppError } from '../errors.ts';
import type { WireMissionItem } from '../mavlink/mission-transfer/types.ts';
import type { AutopilotAdapter, Capability } from './autopilot.ts';
import { armCommand, longCommand, MAV_CMD, MAV_FRAME_GLOBAL, repositionCommand, setCustomMode, speedCommand } from './command-helpers.ts';

const MAIN = { MANUAL: 1, ALTCTL: 2, POSCTL: 3, AUTO: 4, ACRO: 5, OFFBOARD: 6, STABILIZED: 7 } as const;
const AUTO_SUB = { READY: 1, TAKEOFF: 2, LOITER: 3, MISSION: 4, RTL: 5, LAND: 6 } as const;

/** Eagle Eye's mode names for PX4 (the console shows these). */
const MODES: Record<string, [number, number]> = {
  MANUAL: [MAIN.MANUAL, 0], ALTCTL: [MAIN.ALTCTL, 0], POSCTL: [MAIN.POSCTL, 0], ACRO: [MAIN.ACRO, 0],
  OFFBOARD: [MAIN.OFFBOARD, 0], STABILIZED: [MAIN.STABILIZED, 0],
  READY: [MAIN.AUTO, AUTO_SUB.READY], TAKEOFF: [MAIN.AUTO, AUTO_SUB.TAKEOFF], LOITER: [MAIN.AUTO, AUTO_SUB.LOITER],
  MISSION: [MAIN.AUTO, AUTO_SUB.MISSION], RTL: [MAIN.AUTO, AUTO_SUB.RTL], LAND: [MAIN.AUTO, AUTO_SUB.LAND],
};
const NAMES = new Map(Object.entries(MODES).map(([name, [main, sub]]) => [(main << 16) | (sub << 24), name]));
const CAPABILITIES = new Set<Capability>(['orbit', 'reposition', 'fence', 'setMessageInterval', 'modes']);

export const px4: AutopilotAdapter = {
  name: 'px4',
  // DO_REPOSITION with its change-mode flag puts PX4 in Hold (AUTO.LOITER), not OFFBOARD (goto below)
  guidedMode: 'LOITER',
  // RTL_RETURN_ALT: metres above home (a float parameter, so its PARAM_VALUE carries the value itself)
  returnAltitude: { param: 'RTL_RETURN_ALT', metresPerUnit: 1 },

  modeName(_baseMode, customMode) {
    const exact = NAMES.get(customMode >>> 0);
    if (exact) return exact;
    const main = (customMode >>> 16) & 0xff;
    return NAMES.get(main << 16) ?? `MODE_${main}_${(customMode >>> 24) & 0xff}`;
  },

  modeNames() {
    return Object.keys(MODES);
  },

  supports(capability) {
    return CAPABILITIES.has(capability);
  },

  async setMode(v, mode) {
    const m = MODES[mode];
    if (!m) throw new AppError('UNKNOWN_MODE', `PX4 has no mode ${mode}`, { mode, modes: Object.keys(MODES) });
    await setCustomMode(v, `mode ${mode}`, m[0], m[1]);
  },

  arm: (v) => v.command('arm', armCommand(true)),
  disarm: (v) => v.command('disarm', armCommand(false)),

  async takeoff(v, altitudeRelM) {
    const s = v.state();
    if (s.armed && !s.landed) throw new AppError('ALREADY_FLYING', 'the drone is already flying: use goto to change altitude');
    const altMslM = s.homeAltMslM === null ? Number.NaN : s.homeAltMslM + altitudeRelM;
    if (!s.armed) await this.arm(v);
    // PX4 takes the take-off altitude above mean sea level; NaN means its default.
    await v.command('takeoff', longCommand(MAV_CMD.NAV_TAKEOFF, { 4: Number.NaN, 7: altMslM }));
  },

  async goto(v, lat, lon, altitudeRelM) {
    const s = v.state();
    if (!s.armed || s.landed) throw new AppError('NOT_FLYING', 'the drone is on the ground: take off first');
    if (s.homeAltMslM === null) throw new AppError('COMMAND_DENIED', 'no home position yet: cannot convert the altitude', { reason: 'home position unknown' });
    await v.command('goto', repositionCommand(MAV_FRAME_GLOBAL, lat, lon, s.homeAltMslM + altitudeRelM));
  },

  hold(v) {
    return this.setMode(v, 'LOITER');
  },

  land(v) {
    return v.command('land', longCommand(MAV_CMD.NAV_LAND, { 4: Number.NaN, 5: Number.NaN, 6: Number.NaN, 7: Number.NaN }));
  },

  returnToLaunch(v) {
    return v.command('rtl', longCommand(MAV_CMD.NAV_RETURN_TO_LAUNCH));
  },

  setSpeed(v, speedMps) {
    return v.command('speed', speedCommand(speedMps));
  },

  async startMission(v) {
    if (!v.state().armed) await this.arm(v);
    await v.command('mission start', longCommand(MAV_CMD.MISSION_START, { 1: 0, 2: 0 }));
  },

  async resumeMission(v, seq) {
    await v.command('mission current', longCommand(MAV_CMD.DO_SET_MISSION_CURRENT, { 1: seq }));
    await this.setMode(v, 'MISSION');
  },

  async enableFence(v, ceilingM) {
    await v.setParam('GF_MAX_VER_DIST', ceilingM);
    await v.setParam('GF_ACTION', 3); // return mode
  },

  toVehicleMission(_type, items) {
    return items.map((it, seq): WireMissionItem => ({ ...it, seq }));
  },

  fromVehicleMission(_type, items) {
    return items;
  },
};

