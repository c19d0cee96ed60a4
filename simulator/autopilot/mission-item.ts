/**
 * Stored mission, fence and rally items, in wire terms (lat/lon degE7 as x/y for global frames).
 * As in ArduPilot, mission item 0 is home: it is replaced by home when stored and when downloaded.
 */
import type { WireMissionItem } from '../../server/mavlink/mission-transfer/types.ts';

export const MissionType = { MISSION: 0, FENCE: 1, RALLY: 2 } as const;
export type MissionType = (typeof MissionType)[keyof typeof MissionType];

/** The wire item (MISSION_ITEM_INT terms), shared with the server's mission transfer. */
export type MissionItem = WireMissionItem;

export class MissionStore {
  private readonly lists: [MissionItem[], MissionItem[], MissionItem[]] = [[], [], []];
  /** Bumped on every change of a list (MISSION_CURRENT's mission_id etc.). */
  readonly versions: [number, number, number] = [0, 0, 0];

  items(type: MissionType): readonly MissionItem[] {
    return this.lists[type];
  }

  replace(type: MissionType, items: MissionItem[]): void {
    this.lists[type] = items.map((item, seq) => ({ ...item, seq }));
    this.versions[type]++;
  }

  clear(type: MissionType): void {
    this.replace(type, []);
  }
}

export function isMissionType(n: number): n is MissionType {
  return n === 0 || n === 1 || n === 2;
}
