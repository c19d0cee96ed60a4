/** API mission items (names, degrees) ⇄ wire items (MAV_CMD numbers, degE7). */
import { common } from 'mavlink-mappings';
import type { MissionItem } from '../contracts/mission.ts';
import { AppError } from '../errors.ts';
import type { WireMissionItem } from '../mavlink/mission-transfer/types.ts';

const FRAMES = { GLOBAL: 0, MISSION: 2, GLOBAL_RELATIVE_ALT: 3, GLOBAL_TERRAIN_ALT: 10 } as const;
const FRAME_NAMES: Record<number, NonNullable<MissionItem['frame']>> = {
  0: 'GLOBAL', 2: 'MISSION', 3: 'GLOBAL_RELATIVE_ALT', 10: 'GLOBAL_TERRAIN_ALT', 5: 'GLOBAL', 6: 'GLOBAL_RELATIVE_ALT', 11: 'GLOBAL_TERRAIN_ALT',
};
const MAV_CMD = common.MavCmd as unknown as Record<string, number | string>;

export function toWireItems(items: MissionItem[]): WireMissionItem[] {
  return items.map((item, index) => {
    const command = MAV_CMD[item.command];
    if (typeof command !== 'number') {
      throw new AppError('BAD_REQUEST', `item ${index}: unknown command ${item.command}`, { item: index, command: item.command });
    }
    const positional = item.lat !== undefined && item.lon !== undefined;
    const frame = FRAMES[item.frame ?? (positional ? 'GLOBAL_RELATIVE_ALT' : 'MISSION')];
    const [p1, p2, p3, p4] = item.params ?? [0, 0, 0, 0];
    return {
      seq: index, frame, command, current: 0, autocontinue: item.autocontinue === false ? 0 : 1,
      param1: p1 ?? 0, param2: p2 ?? 0, param3: p3 ?? 0, param4: p4 ?? 0,
      x: Math.round((item.lat ?? 0) * 1e7), y: Math.round((item.lon ?? 0) * 1e7), z: item.altitudeM ?? 0,
    };
  });
}

export function fromWireItems(items: WireMissionItem[]): MissionItem[] {
  return items.map((w) => {
    const frame = FRAME_NAMES[w.frame] ?? 'MISSION';
    const name = MAV_CMD[w.command];
    const item: MissionItem = {
      command: typeof name === 'string' ? name : `CMD_${w.command}`,
      params: [w.param1, w.param2, w.param3, w.param4],
      frame,
    };
    if (frame !== 'MISSION') {
      item.lat = w.x / 1e7;
      item.lon = w.y / 1e7;
      item.altitudeM = w.z;
    }
    if (w.autocontinue === 0) item.autocontinue = false;
    return item;
  });
}
