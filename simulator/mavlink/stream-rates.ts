/**
 * Which telemetry messages a ground station asked for, and when each is next due. Nothing is
 * streamed until asked (as on a real ArduCopter): REQUEST_DATA_STREAM sets a whole ArduPilot
 * stream group, MAV_CMD_SET_MESSAGE_INTERVAL one message. Rates are capped at the world's tick rate.
 */
import { ardupilotmega, common, standard } from 'mavlink-mappings';

export const MSG = {
  SYS_STATUS: common.SysStatus.MSG_ID,
  GPS_RAW_INT: common.GpsRawInt.MSG_ID,
  ATTITUDE: common.Attitude.MSG_ID,
  GLOBAL_POSITION_INT: common.GlobalPositionInt.MSG_ID,
  MISSION_CURRENT: common.MissionCurrent.MSG_ID,
  VFR_HUD: common.VfrHud.MSG_ID,
  BATTERY_STATUS: common.BatteryStatus.MSG_ID,
  HOME_POSITION: common.HomePosition.MSG_ID,
  EXTENDED_SYS_STATE: common.ExtendedSysState.MSG_ID,
  AUTOPILOT_VERSION: standard.AutopilotVersion.MSG_ID,
  /** ardupilotmega WIND (168): the wind estimate, direction it comes FROM. */
  WIND: ardupilotmega.Wind.MSG_ID,
} as const;

/** The telemetry messages the simulator can stream (SET_MESSAGE_INTERVAL for others is refused). */
export const STREAMABLE = new Set<number>([
  MSG.SYS_STATUS, MSG.GPS_RAW_INT, MSG.ATTITUDE, MSG.GLOBAL_POSITION_INT, MSG.MISSION_CURRENT, MSG.VFR_HUD,
  MSG.BATTERY_STATUS, MSG.HOME_POSITION, MSG.EXTENDED_SYS_STATE, MSG.WIND,
]);

/** ArduCopter's REQUEST_DATA_STREAM groups (GCS_MAVLink stream ids), restricted to what we send. */
const STREAM_GROUPS: Record<number, number[]> = {
  [common.MavDataStream.EXTENDED_STATUS]: [MSG.SYS_STATUS, MSG.MISSION_CURRENT, MSG.GPS_RAW_INT],
  [common.MavDataStream.POSITION]: [MSG.GLOBAL_POSITION_INT],
  [common.MavDataStream.EXTRA1]: [MSG.ATTITUDE],
  [common.MavDataStream.EXTRA2]: [MSG.VFR_HUD],
  [common.MavDataStream.EXTRA3]: [MSG.BATTERY_STATUS, MSG.EXTENDED_SYS_STATE, MSG.WIND],
};
const ALL_GROUPS = Object.values(STREAM_GROUPS).flat();

interface Entry {
  msgid: number;
  intervalMs: number;
  nextDueMs: number;
}

export class StreamRates {
  private entries: Entry[] = [];

  constructor(private readonly minIntervalMs: number) {}

  /** True once any stream was requested. */
  get active(): boolean {
    return this.entries.length > 0;
  }

  requestDataStream(streamId: number, rateHz: number, start: boolean, nowMs: number): void {
    const ids = streamId === common.MavDataStream.ALL ? ALL_GROUPS : STREAM_GROUPS[streamId] ?? [];
    for (const msgid of ids) this.set(msgid, start && rateHz > 0 ? 1000 / rateHz : null, nowMs);
  }

  /** MAV_CMD_SET_MESSAGE_INTERVAL: interval µs; −1 stops; 0 means "default rate" (1 Hz here). Returns false for a message we cannot send. */
  setMessageInterval(msgid: number, intervalUs: number, nowMs: number): boolean {
    if (!STREAMABLE.has(msgid)) return false;
    if (intervalUs < 0) this.set(msgid, null, nowMs);
    else this.set(msgid, intervalUs === 0 ? 1000 : intervalUs / 1000, nowMs);
    return true;
  }

  intervalMs(msgid: number): number | null {
    return this.entries.find((e) => e.msgid === msgid)?.intervalMs ?? null;
  }

  /** Calls `send` for every message due at `nowMs` and schedules its next time. */
  forEachDue(nowMs: number, send: (msgid: number) => void): void {
    for (const e of this.entries) {
      if (nowMs + 0.5 < e.nextDueMs) continue;
      send(e.msgid);
      e.nextDueMs += e.intervalMs;
      if (e.nextDueMs < nowMs) e.nextDueMs = nowMs + e.intervalMs;
    }
  }

  private set(msgid: number, intervalMs: number | null, nowMs: number): void {
    const i = this.entries.findIndex((e) => e.msgid === msgid);
    if (intervalMs === null) {
      if (i >= 0) this.entries.splice(i, 1);
      return;
    }
    const clamped = Math.max(this.minIntervalMs, intervalMs);
    if (i >= 0) this.entries[i]!.intervalMs = clamped;
    else this.entries.push({ msgid, intervalMs: clamped, nextDueMs: nowMs });
  }
}
