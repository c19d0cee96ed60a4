import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { common, minimal, standard } from 'mavlink-mappings';
import { decodeAs } from '../../server/mavlink/message.ts';
import { startSimFleet, type SimFleet } from '../../simulator/index.ts';
import { TestGcs } from './helpers/gcs.ts';
import { runFor, runUntil } from './helpers/lockstep.ts';

describe('simulator streams (over UDP, as a ground station sees them)', () => {
  let gcs: TestGcs;
  let fleet: SimFleet;

  beforeEach(async () => {
    gcs = await TestGcs.open();
    fleet = await startSimFleet({ drones: 2, link: { host: '127.0.0.1', port: gcs.port }, lockstep: true, seed: 3, sysidBase: 11 });
  });
  afterEach(async () => {
    await fleet.close();
    await gcs.close();
  });

  it('sends only HEARTBEAT and STATUSTEXT until a ground station asks for streams', async () => {
    await runFor(fleet, gcs, 8000);
    expect([...gcs.vehicles.keys()].sort()).toEqual([11, 12]);
    for (const sysid of [11, 12]) {
      const ids = gcs.msgidsSeen(sysid);
      expect([...ids].filter((id) => id !== minimal.Heartbeat.MSG_ID && id !== common.StatusText.MSG_ID)).toEqual([]);
      const hb = gcs.last(sysid, minimal.Heartbeat)!;
      expect(hb.autopilot).toBe(minimal.MavAutopilot.ARDUPILOTMEGA);
      expect(hb.type).toBe(minimal.MavType.QUADROTOR);
      expect(hb.baseMode & minimal.MavModeFlag.CUSTOM_MODE_ENABLED).toBeTruthy();
      expect(hb.customMode).toBe(0);
    }
    // 1 Hz heartbeat: 8 simulated seconds, 8 heartbeats (±1)
    expect(gcs.messages(11, minimal.Heartbeat).length).toBeGreaterThanOrEqual(7);
    expect(gcs.messages(11, minimal.Heartbeat).length).toBeLessThanOrEqual(9);
  });

  it('streams GLOBAL_POSITION_INT at the interval asked with SET_MESSAGE_INTERVAL, and only to the drone asked', async () => {
    await runFor(fleet, gcs, 1000);
    const ack = await gcs.command(11, common.MavCmd.SET_MESSAGE_INTERVAL, [common.GlobalPositionInt.MSG_ID, 100_000]);
    expect(ack.result).toBe(common.MavResult.ACCEPTED);
    const before = gcs.messages(11, common.GlobalPositionInt).length;
    await runFor(fleet, gcs, 5000);
    const got = gcs.messages(11, common.GlobalPositionInt).length - before;
    expect(got).toBeGreaterThanOrEqual(48);
    expect(got).toBeLessThanOrEqual(52);
    expect(gcs.messages(12, common.GlobalPositionInt)).toHaveLength(0);
    const p = gcs.last(11, common.GlobalPositionInt)!;
    expect(p.lat / 1e7).toBeCloseTo(30.4987, 3);
    expect(p.lon / 1e7).toBeCloseTo(114.4123, 3);
  });

  it('starts ArduPilot stream groups on REQUEST_DATA_STREAM', async () => {
    await runFor(fleet, gcs, 1000);
    gcs.requestDataStreamAll(12, 4);
    await runFor(fleet, gcs, 3000);
    const ids = gcs.msgidsSeen(12);
    for (const clazz of [common.SysStatus, common.GpsRawInt, common.GlobalPositionInt, common.Attitude, common.VfrHud, common.BatteryStatus, common.ExtendedSysState, common.MissionCurrent]) {
      expect(ids.has(clazz.MSG_ID), clazz.MSG_NAME).toBe(true);
    }
  });

  it('answers an unknown command with COMMAND_ACK UNSUPPORTED and sends HOME_POSITION on request', async () => {
    await runFor(fleet, gcs, 1000);
    const ack = await gcs.command(11, 31_999, [1]);
    expect(ack.result).toBe(common.MavResult.UNSUPPORTED);
    await runUntil(fleet, gcs, () => gcs.last(11, minimal.Heartbeat) !== undefined, { maxSimMs: 1000 });
    await runFor(fleet, gcs, 6000); // position estimate settles, home set
    const home = gcs.next((f) => f.sysid === 11 && f.msgid === common.HomePosition.MSG_ID);
    expect((await gcs.command(11, common.MavCmd.REQUEST_MESSAGE, [common.HomePosition.MSG_ID])).result).toBe(common.MavResult.ACCEPTED);
    await home;
    expect(gcs.last(11, common.HomePosition)!.latitude / 1e7).toBeCloseTo(30.4987, 3);
  });

  it('answers REQUEST_MESSAGE(AUTOPILOT_VERSION) with ArduPilot capabilities (MISSION_INT, COMMAND_INT, fence, rally, MAVLink 2)', async () => {
    await runFor(fleet, gcs, 1000);
    const version = gcs.next((f) => f.sysid === 11 && f.msgid === standard.AutopilotVersion.MSG_ID);
    expect((await gcs.command(11, common.MavCmd.REQUEST_MESSAGE, [standard.AutopilotVersion.MSG_ID])).result).toBe(common.MavResult.ACCEPTED);
    const v = decodeAs(await version, standard.AutopilotVersion);
    const caps = BigInt(v.capabilities as unknown as bigint);
    for (const bit of [4n, 8n, 8192n, 16384n, 32768n]) expect(caps & bit).toBe(bit);
    expect(v.flightSwVersion >>> 24).toBe(4);
  });
});

describe('a fleet bigger than the sysid space', () => {
  it('wraps sysids past 250, each drone on its own socket, so 252 drones are 252 endpoints', async () => {
    const gcs = await TestGcs.open();
    const fleet = await startSimFleet({ drones: 252, link: { host: '127.0.0.1', port: gcs.port }, lockstep: true, seed: 1 });
    try {
      await runUntil(fleet, null, () => gcs.endpoints.size === 252, { maxSimMs: 3000 });
      expect(fleet.drones.map((d) => d.sysid).slice(248)).toEqual([249, 250, 1, 2]);
      expect([...gcs.endpoints].filter((e) => e.startsWith('1@'))).toHaveLength(2);
    } finally {
      await fleet.close();
      await gcs.close();
    }
  });
});
