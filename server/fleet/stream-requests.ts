/**
 * Ask a newly discovered (or regained) vehicle for the telemetry the server needs. A real
 * ArduCopter streams nothing until asked. MAV_CMD_SET_MESSAGE_INTERVAL first; when the vehicle
 * refuses it or does not answer, the legacy REQUEST_DATA_STREAM.
 */
import { ardupilotmega, common } from 'mavlink-mappings';
import type { AppError } from '../errors.ts';
import { longCommand, MAV_CMD } from '../autopilots/command-helpers.ts';
import type { DroneSession } from './drone-session.ts';

/**
 * Message id → rate (Hz). Position at 5 Hz and attitude at 2 Hz, with the 1 Hz status messages,
 * keep each drone's changes near the stream's limit of 10 updates per second, so changes do not
 * queue behind the limit (a fleet console needs heading, not 4 Hz attitude).
 */
export const TELEMETRY_RATES_HZ: Array<[number, number]> = [
  [common.GlobalPositionInt.MSG_ID, 5],
  [common.Attitude.MSG_ID, 2],
  [common.VfrHud.MSG_ID, 2],
  [common.SysStatus.MSG_ID, 1],
  [common.BatteryStatus.MSG_ID, 1],
  [common.GpsRawInt.MSG_ID, 1],
  [common.ExtendedSysState.MSG_ID, 1],
  [common.MissionCurrent.MSG_ID, 1],
  [common.HomePosition.MSG_ID, 0.2],
];

/**
 * Asked after the others, each on its own: a vehicle that refuses one (PX4 has no WIND) keeps the
 * per-message rates. WIND (ArduPilot's wind estimate) every 5 s: the dispatcher's flight-time
 * estimates need no fresher wind, and every change of it costs a stream update per drone. At 1 Hz the
 * estimate's gusts changed the rounded wind almost every second: with 1,000 simulated drones the
 * stream's p99 rose from 34–39 ms to 54 ms and the server's CPU by a quarter (docs/benchmarks.md).
 */
export const OPTIONAL_RATES_HZ: Array<[number, number]> = [
  [ardupilotmega.Wind.MSG_ID, 0.2],
];

/** Legacy streams (MAV_DATA_STREAM) and rates covering the same messages on ArduPilot (EXTRA3 carries WIND). */
const LEGACY_STREAMS_HZ: Array<[number, number]> = [
  [common.MavDataStream.EXTENDED_STATUS, 2], [common.MavDataStream.POSITION, 5], [common.MavDataStream.EXTRA1, 4],
  [common.MavDataStream.EXTRA2, 2], [common.MavDataStream.EXTRA3, 1],
];

export type StreamRequestOutcome = 'message-interval' | 'request-data-stream';

export async function requestStreams(session: DroneSession): Promise<StreamRequestOutcome> {
  try {
    for (const [msgid, hz] of TELEMETRY_RATES_HZ) {
      await session.control.command(`stream ${msgid}`, longCommand(MAV_CMD.SET_MESSAGE_INTERVAL, { 1: msgid, 2: Math.round(1e6 / hz) }));
    }
    await session.control.command('home position', longCommand(MAV_CMD.REQUEST_MESSAGE, { 1: common.HomePosition.MSG_ID })).catch(() => undefined);
    for (const [msgid, hz] of OPTIONAL_RATES_HZ) {
      await session.control.command(`stream ${msgid}`, longCommand(MAV_CMD.SET_MESSAGE_INTERVAL, { 1: msgid, 2: Math.round(1e6 / hz) })).catch(() => undefined);
    }
    return 'message-interval';
  } catch (err) {
    session.logger.warn({ err: (err as AppError).message }, 'SET_MESSAGE_INTERVAL refused: falling back to REQUEST_DATA_STREAM');
    const { sysid, compid } = session.channel.target;
    for (const [streamId, hz] of LEGACY_STREAMS_HZ) {
      session.channel.send(common.RequestDataStream, { targetSystem: sysid, targetComponent: compid, reqStreamId: streamId, reqMessageRate: hz, startStop: 1 });
    }
    return 'request-data-stream';
  }
}
