/** Any other autopilot: plain MAV_CMDs only, no custom modes. */
import { AppError } from '../errors.ts';
import type { AutopilotAdapter, Capability } from './autopilot.ts';
import { armCommand, longCommand, MAV_CMD, MAV_FRAME_GLOBAL_RELATIVE_ALT_INT, repositionCommand, speedCommand } from './command-helpers.ts';

const CAPABILITIES = new Set<Capability>(['reposition', 'setMessageInterval']);

export const genericAutopilot: AutopilotAdapter = {
  name: 'generic',
  guidedMode: null,
  modeName: (baseMode) => ((baseMode & 0x80) ? 'ARMED' : 'STANDBY'),
  modeNames: () => [],
  supports: (capability) => CAPABILITIES.has(capability),
  setMode(_v, mode) {
    return Promise.reject(new AppError('UNKNOWN_MODE', `this autopilot's modes are unknown to Eagle Eye: cannot set ${mode}`, { mode, modes: [] }));
  },
  arm: (v) => v.command('arm', armCommand(true)),
  disarm: (v) => v.command('disarm', armCommand(false)),
  async takeoff(v, altitudeRelM) {
    if (!v.state().armed) await v.command('arm', armCommand(true));
    await v.command('takeoff', longCommand(MAV_CMD.NAV_TAKEOFF, { 7: altitudeRelM }));
  },
  goto: (v, lat, lon, alt) => v.command('goto', repositionCommand(MAV_FRAME_GLOBAL_RELATIVE_ALT_INT, lat, lon, alt)),
  hold: (v) => v.command('hold', longCommand(MAV_CMD.DO_PAUSE_CONTINUE, { 1: 0 })),
  land: (v) => v.command('land', longCommand(MAV_CMD.NAV_LAND)),
  returnToLaunch: (v) => v.command('rtl', longCommand(MAV_CMD.NAV_RETURN_TO_LAUNCH)),
  setSpeed: (v, speedMps) => v.command('speed', speedCommand(speedMps)),
  async startMission(v) {
    if (!v.state().armed) await v.command('arm', armCommand(true));
    await v.command('mission start', longCommand(MAV_CMD.MISSION_START));
  },
  async resumeMission(v, seq) {
    await v.command('mission current', longCommand(MAV_CMD.DO_SET_MISSION_CURRENT, { 1: seq }));
    await v.command('mission start', longCommand(MAV_CMD.MISSION_START, { 1: seq }));
  },
  enableFence: () => Promise.reject(new AppError('COMMAND_UNSUPPORTED', 'this autopilot\'s fence parameters are unknown to Eagle Eye: the fence list was not enabled')),
  toVehicleMission: (_t, items) => items.map((it, seq) => ({ ...it, seq })),
  fromVehicleMission: (_t, items) => items,
};
