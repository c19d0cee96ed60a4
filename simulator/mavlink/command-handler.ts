/**
 * COMMAND_LONG / COMMAND_INT as ArduCopter answers them. Every command gets a COMMAND_ACK (the
 * endpoint sends it); unknown commands are UNSUPPORTED. Positional commands that ArduPilot only
 * takes as COMMAND_INT (DO_REPOSITION) are UNSUPPORTED as COMMAND_LONG.
 */
import { common } from 'mavlink-mappings';
import type { Copter } from '../autopilot/copter.ts';
import { altitudeRelHomeM } from '../autopilot/mission-executor.ts';
import { CopterMode, isCopterMode } from '../autopilot/modes.ts';
import type { StreamRates } from './stream-rates.ts';
import { MSG } from './stream-rates.ts';

const Cmd = common.MavCmd;
const R = common.MavResult;

export interface CommandRequest {
  command: number;
  /** param1…param7; for COMMAND_INT, params[4]/params[5] are x/y (degE7 integers). */
  params: readonly [number, number, number, number, number, number, number];
  isInt: boolean;
  frame: number;
}

export interface CommandContext {
  copter: Copter;
  streams: StreamRates;
  nowMs: number;
  groundAmslM: number;
  /** Send one message now (REQUEST_MESSAGE); false when it cannot be sent. */
  sendOnce(msgid: number): boolean;
}

const FORCE_MAGIC = 21196;

export function handleCommand(req: CommandRequest, ctx: CommandContext): number {
  const [p1, p2, , p4, p5, p6, p7] = req.params;
  const c = ctx.copter;
  switch (req.command) {
    case Cmd.COMPONENT_ARM_DISARM:
      if (p1 === 1) return c.arm(p2 === FORCE_MAGIC);
      if (p1 === 0) return c.disarm(p2 === FORCE_MAGIC);
      return R.DENIED;
    case Cmd.DO_SET_MODE: {
      if ((p1 & 1) === 0) return R.UNSUPPORTED;
      const mode = Math.round(p2);
      if (!isCopterMode(mode)) return R.FAILED;
      return c.setMode(mode);
    }
    case Cmd.NAV_TAKEOFF:
      return c.takeoff(p7);
    case Cmd.NAV_LAND:
      return c.setMode(CopterMode.LAND);
    case Cmd.NAV_RETURN_TO_LAUNCH:
      return c.setMode(CopterMode.RTL);
    case Cmd.DO_REPOSITION: {
      if (!req.isInt) return R.UNSUPPORTED;
      const target = p5 === 0 && p6 === 0 ? null : { lat: p5 / 1e7, lon: p6 / 1e7 };
      const alt = Number.isNaN(p7) ? null : altitudeRelHomeM(req.frame, p7, c.home?.amslM ?? ctx.groundAmslM);
      return c.reposition(target, alt, p1, (Math.round(p2) & 1) !== 0);
    }
    case Cmd.DO_CHANGE_SPEED:
      return c.changeSpeed(Math.round(p1), p2);
    case Cmd.MISSION_START:
      return c.missionStart(Math.round(p1));
    case Cmd.DO_SET_MISSION_CURRENT:
      return c.setMissionCurrent(Math.round(p1)) ? R.ACCEPTED : R.DENIED;
    case Cmd.DO_SET_HOME: {
      if (p1 === 1) {
        if (!c.positionOk) return R.FAILED;
        const here = c.position;
        c.setHome(latLonOf(c, here), ctx.groundAmslM + here.altitudeM);
        return R.ACCEPTED;
      }
      const lat = req.isInt ? p5 / 1e7 : p5;
      const lon = req.isInt ? p6 / 1e7 : p6;
      if (lat === 0 && lon === 0) return R.FAILED;
      c.setHome({ lat, lon }, p7);
      return R.ACCEPTED;
    }
    case Cmd.DO_FENCE_ENABLE:
      c.params.set('FENCE_ENABLE', p1 >= 1 ? 1 : 0);
      return R.ACCEPTED;
    case Cmd.DO_SET_ROI_LOCATION: {
      if (!req.isInt) return R.UNSUPPORTED;
      return c.setRoi(p5 === 0 && p6 === 0 ? null : { lat: p5 / 1e7, lon: p6 / 1e7 });
    }
    case Cmd.DO_SET_ROI_NONE:
      return c.setRoi(null);
    case Cmd.CONDITION_YAW:
      return c.conditionYaw(p1, p4 !== 0, req.params[2]);
    case Cmd.SET_MESSAGE_INTERVAL:
      return ctx.streams.setMessageInterval(Math.round(p1), p2, ctx.nowMs) ? R.ACCEPTED : R.FAILED;
    case Cmd.REQUEST_MESSAGE:
      return ctx.sendOnce(Math.round(p1)) ? R.ACCEPTED : R.FAILED;
    case Cmd.GET_HOME_POSITION:
      return ctx.sendOnce(MSG.HOME_POSITION) ? R.ACCEPTED : R.FAILED;
    case Cmd.REQUEST_AUTOPILOT_CAPABILITIES:
      return ctx.sendOnce(MSG.AUTOPILOT_VERSION) ? R.ACCEPTED : R.FAILED;
    default:
      return R.UNSUPPORTED;
  }
}

function latLonOf(c: Copter, p: { northM: number; eastM: number }): { lat: number; lon: number } {
  return c.frameRef.toLatLon(p);
}
