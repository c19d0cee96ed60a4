/** Pick the adapter from HEARTBEAT.autopilot (and type, for vehicles we only know as copters). */
import type { AutopilotAdapter } from './autopilot.ts';
import { ardupilotCopter } from './ardupilot-copter.ts';
import { genericAutopilot } from './generic.ts';
import { px4 } from './px4.ts';

const MAV_AUTOPILOT_ARDUPILOTMEGA = 3;
const MAV_AUTOPILOT_PX4 = 12;

export function selectAutopilot(autopilot: number): AutopilotAdapter {
  if (autopilot === MAV_AUTOPILOT_ARDUPILOTMEGA) return ardupilotCopter;
  if (autopilot === MAV_AUTOPILOT_PX4) return px4;
  return genericAutopilot;
}
