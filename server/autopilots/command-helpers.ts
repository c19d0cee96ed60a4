/** Small builders for the command requests the adapters send. */
import { common } from 'mavlink-mappings';
import type { CommandRequest } from '../mavlink/command-sender.ts';
import type { WireMissionItem } from '../mavlink/mission-transfer/types.ts';
import type { VehicleControl } from './autopilot.ts';

export const MAV_CMD = common.MavCmd;
export const MAV_FRAME_GLOBAL = 0;
export const MAV_FRAME_GLOBAL_RELATIVE_ALT_INT = 6;
const MAV_MODE_FLAG_CUSTOM_MODE_ENABLED = 1;

export function longCommand(command: number, p: Partial<Record<1 | 2 | 3 | 4 | 5 | 6 | 7, number>> = {}): CommandRequest {
  return { command, params: [p[1] ?? 0, p[2] ?? 0, p[3] ?? 0, p[4] ?? 0, p[5] ?? 0, p[6] ?? 0, p[7] ?? 0] };
}

export function intCommand(command: number, frame: number, lat: number, lon: number, alt: number, p: Partial<Record<1 | 2 | 3 | 4, number>> = {}): CommandRequest {
  return { command, params: [p[1] ?? 0, p[2] ?? 0, p[3] ?? 0, p[4] ?? 0, lat, lon, alt], intFrame: frame };
}

export function setCustomMode(v: VehicleControl, label: string, customMain: number, customSub = 0): Promise<void> {
  return v.command(label, longCommand(MAV_CMD.DO_SET_MODE, { 1: MAV_MODE_FLAG_CUSTOM_MODE_ENABLED, 2: customMain, 3: customSub }));
}

export const armCommand = (arm: boolean) => longCommand(MAV_CMD.COMPONENT_ARM_DISARM, { 1: arm ? 1 : 0 });

export function speedCommand(speedMps: number): CommandRequest {
  return longCommand(MAV_CMD.DO_CHANGE_SPEED, { 1: 1, 2: speedMps, 3: -1 });
}

/** DO_REPOSITION as COMMAND_INT: ground speed default (-1), change mode flag set, yaw unchanged (NaN). */
export function repositionCommand(frame: number, lat: number, lon: number, alt: number): CommandRequest {
  return intCommand(MAV_CMD.DO_REPOSITION, frame, lat, lon, alt, { 1: -1, 2: 1, 4: Number.NaN });
}

export function isJump(item: WireMissionItem): boolean {
  return item.command === MAV_CMD.DO_JUMP;
}
