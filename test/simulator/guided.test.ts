import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { common } from 'mavlink-mappings';
import { CopterMode, startSimFleet, type SimFleet } from '../../simulator/index.ts';
import { LocalFrame } from '../../simulator/geo.ts';
import { TestGcs } from './helpers/gcs.ts';
import { runFor, runUntil } from './helpers/lockstep.ts';

const Cmd = common.MavCmd;
const R = common.MavResult;

describe('arming and GUIDED flight (over UDP)', () => {
  let gcs: TestGcs;
  let fleet: SimFleet;
  const sysid = 1;

  beforeEach(async () => {
    gcs = await TestGcs.open();
    fleet = await startSimFleet({ drones: 1, link: { host: '127.0.0.1', port: gcs.port }, lockstep: true, seed: 5, positionSettleMs: 4000 });
    await runFor(fleet, gcs, 400);
  });
  afterEach(async () => {
    await fleet.close();
    await gcs.close();
  });

  async function armAndTakeOff(altitudeM: number) {
    await runFor(fleet, gcs, 5000);
    expect((await gcs.setMode(sysid, CopterMode.GUIDED)).result).toBe(R.ACCEPTED);
    expect((await gcs.command(sysid, Cmd.COMPONENT_ARM_DISARM, [1])).result).toBe(R.ACCEPTED);
    expect((await gcs.command(sysid, Cmd.NAV_TAKEOFF, [0, 0, 0, 0, 0, 0, altitudeM])).result).toBe(R.ACCEPTED);
    const drone = fleet.drones[0]!;
    await runUntil(fleet, gcs, () => drone.truth().altitudeM > altitudeM - 0.6 && Math.abs(drone.truth().velUpMps) < 0.2, { maxSimMs: 40_000 });
  }

  it('announces itself at boot and says "EKF3 IMU0 is using GPS" once the position estimate is ready', async () => {
    expect(gcs.vehicle(sysid).statusTexts.slice(0, 2)).toEqual(['ArduCopter V4.5.7 (eagle-eye sim)', 'Frame: QUAD/X']);
    await runUntil(fleet, gcs, () => gcs.vehicle(sysid).statusTexts.includes('EKF3 IMU0 is using GPS'), { maxSimMs: 6000 });
    expect(fleet.world.elapsedMs).toBeGreaterThanOrEqual(4000);
  });

  it('refuses to arm before the position estimate is ready, with COMMAND_ACK FAILED and a PreArm STATUSTEXT', async () => {
    const text = gcs.next((f) => f.msgid === common.StatusText.MSG_ID);
    const ack = await gcs.command(sysid, Cmd.COMPONENT_ARM_DISARM, [1]);
    expect(ack.result).toBe(R.FAILED);
    await runFor(fleet, gcs, 100);
    await text;
    expect(gcs.vehicle(sysid).statusTexts).toContain('PreArm: Need Position Estimate');
    expect(fleet.drones[0]!.truth().armed).toBe(false);
  });

  it('refuses to arm with GPS lost even after the estimate had settled', async () => {
    await runFor(fleet, gcs, 5000);
    fleet.injectFault(0, { kind: 'gps-loss' });
    await runFor(fleet, gcs, 400);
    const ack = await gcs.command(sysid, Cmd.COMPONENT_ARM_DISARM, [1]);
    expect(ack.result).toBe(R.FAILED);
    await runFor(fleet, gcs, 100);
    expect(gcs.vehicle(sysid).statusTexts.some((t) => t.startsWith('PreArm:'))).toBe(true);
  });

  it('a disarmed drone that cannot arm repeats its PreArm reason every 30 s, unasked', async () => {
    fleet.injectFault(0, { kind: 'gps-loss' });
    await runFor(fleet, gcs, 65_000, true, 500);
    const reports = gcs.vehicle(sysid).statusTexts.filter((t) => t === 'PreArm: Need Position Estimate');
    expect(reports).toHaveLength(2);
  });

  it('refuses to arm in a mode that is not armable (RTL)', async () => {
    await runFor(fleet, gcs, 5000);
    expect((await gcs.setMode(sysid, CopterMode.RTL)).result).toBe(R.ACCEPTED);
    expect((await gcs.command(sysid, Cmd.COMPONENT_ARM_DISARM, [1])).result).toBe(R.FAILED);
    await runFor(fleet, gcs, 100);
    expect(gcs.vehicle(sysid).statusTexts).toContain('PreArm: Mode not armable');
  });

  it('disarms by itself 10 s after arming without a take-off', async () => {
    await runFor(fleet, gcs, 5000);
    await gcs.setMode(sysid, CopterMode.GUIDED);
    expect((await gcs.command(sysid, Cmd.COMPONENT_ARM_DISARM, [1])).result).toBe(R.ACCEPTED);
    const drone = fleet.drones[0]!;
    expect(drone.truth().armed).toBe(true);
    const tookMs = await runUntil(fleet, gcs, () => !drone.truth().armed, { maxSimMs: 15_000 });
    expect(tookMs).toBeGreaterThanOrEqual(9_000);
    expect(tookMs).toBeLessThanOrEqual(11_000);
  });

  it('GUIDED take-off reaches the asked altitude within 0.6 m and holds it', async () => {
    await armAndTakeOff(20);
    await runFor(fleet, gcs, 5000);
    const t = fleet.drones[0]!.truth();
    expect(t.altitudeM).toBeGreaterThan(19.4);
    expect(t.altitudeM).toBeLessThan(20.6);
    expect(t.modeName).toBe('GUIDED');
  });

  it('SET_POSITION_TARGET_GLOBAL_INT goto arrives within 2 m', async () => {
    await armAndTakeOff(15);
    const drone = fleet.drones[0]!;
    const frame = new LocalFrame(drone.truth());
    const target = frame.toLatLon({ northM: 120, eastM: -80 });
    gcs.send(sysid, common.SetPositionTargetGlobalInt, {
      targetSystem: sysid, targetComponent: 1, coordinateFrame: common.MavFrame.GLOBAL_RELATIVE_ALT_INT, typeMask: 0x0df8,
      latInt: Math.round(target.lat * 1e7), lonInt: Math.round(target.lon * 1e7), alt: 25,
    });
    const at = () => { const t = drone.truth(); const p = frame.toNorthEast(t); return Math.hypot(p.northM - 120, p.eastM + 80); };
    await runUntil(fleet, gcs, () => at() < 2 && Math.abs(drone.truth().altitudeM - 25) < 1 && drone.truth().groundSpeedMps < 0.5, { maxSimMs: 60_000 });
  });

  it('DO_REPOSITION as COMMAND_INT flies there; as COMMAND_LONG it is UNSUPPORTED', async () => {
    await armAndTakeOff(15);
    const drone = fleet.drones[0]!;
    const frame = new LocalFrame(drone.truth());
    const target = frame.toLatLon({ northM: -60, eastM: 40 });
    const long = await gcs.command(sysid, Cmd.DO_REPOSITION, [-1, 1, 0, 0, target.lat, target.lon, 15]);
    expect(long.result).toBe(R.UNSUPPORTED);
    const ack = await gcs.command(sysid, Cmd.DO_REPOSITION, [-1, 1, 0, 0, Math.round(target.lat * 1e7), Math.round(target.lon * 1e7), 15], { int: true });
    expect(ack.result).toBe(R.ACCEPTED);
    await runUntil(fleet, gcs, () => { const p = frame.toNorthEast(drone.truth()); return Math.hypot(p.northM + 60, p.eastM - 40) < 2; }, { maxSimMs: 60_000 });
  });

  it('RTL climbs to RTL_ALT, flies home, lands within 2 m of home and disarms', async () => {
    await armAndTakeOff(10);
    const drone = fleet.drones[0]!;
    const home = drone.truth();
    const frame = new LocalFrame(home);
    const far = frame.toLatLon({ northM: 150, eastM: 150 });
    gcs.send(sysid, common.SetPositionTargetGlobalInt, {
      targetSystem: sysid, targetComponent: 1, coordinateFrame: common.MavFrame.GLOBAL_RELATIVE_ALT_INT, typeMask: 0x0df8,
      latInt: Math.round(far.lat * 1e7), lonInt: Math.round(far.lon * 1e7), alt: 10,
    });
    await runUntil(fleet, gcs, () => frame.toNorthEast(drone.truth()).northM > 140, { maxSimMs: 60_000 });
    expect((await gcs.setMode(sysid, CopterMode.RTL)).result).toBe(R.ACCEPTED);
    let maxAltM = 0;
    await runUntil(fleet, gcs, () => { maxAltM = Math.max(maxAltM, drone.truth().altitudeM); return !drone.truth().armed; }, { maxSimMs: 180_000, chunkMs: 500 });
    const p = frame.toNorthEast(drone.truth());
    expect(Math.hypot(p.northM, p.eastM)).toBeLessThan(2);
    expect(maxAltM).toBeGreaterThan(14.5); // RTL_ALT 15 m
    expect(drone.truth().onGround).toBe(true);
  });

  it('CONDITION_YAW turns the hovering drone to the asked heading within the yaw-rate limit', async () => {
    await armAndTakeOff(10);
    const drone = fleet.drones[0]!;
    expect((await gcs.command(sysid, Cmd.CONDITION_YAW, [135, 30, 1, 0])).result).toBe(R.ACCEPTED);
    const tookMs = await runUntil(fleet, gcs, () => Math.abs(drone.truth().yawDeg - 135) < 1, { maxSimMs: 10_000, chunkMs: 100 });
    expect(tookMs).toBeGreaterThanOrEqual(1000); // ≥ 135° / 90°/s
  });

  it('DO_SET_ROI_LOCATION (COMMAND_INT) points the nose at the location; DO_SET_ROI_NONE releases it', async () => {
    await armAndTakeOff(10);
    const drone = fleet.drones[0]!;
    const frame = new LocalFrame(drone.truth());
    const east = frame.toLatLon({ northM: 0, eastM: 200 });
    const ack = await gcs.command(sysid, Cmd.DO_SET_ROI_LOCATION, [0, 0, 0, 0, Math.round(east.lat * 1e7), Math.round(east.lon * 1e7), 0], { int: true });
    expect(ack.result).toBe(R.ACCEPTED);
    await runUntil(fleet, gcs, () => Math.abs(drone.truth().yawDeg - 90) < 2, { maxSimMs: 10_000, chunkMs: 100 });
    expect((await gcs.command(sysid, Cmd.DO_SET_ROI_NONE)).result).toBe(R.ACCEPTED);
  });

  it('DO_SET_MODE to the mode it is already in keeps the GUIDED target', async () => {
    await armAndTakeOff(10);
    const drone = fleet.drones[0]!;
    const frame = new LocalFrame(drone.truth());
    const target = frame.toLatLon({ northM: 80, eastM: 0 });
    gcs.send(sysid, common.SetPositionTargetGlobalInt, {
      targetSystem: sysid, targetComponent: 1, coordinateFrame: common.MavFrame.GLOBAL_RELATIVE_ALT_INT, typeMask: 0x0df8,
      latInt: Math.round(target.lat * 1e7), lonInt: Math.round(target.lon * 1e7), alt: 10,
    });
    await runFor(fleet, gcs, 3000);
    expect((await gcs.setMode(sysid, CopterMode.GUIDED)).result).toBe(R.ACCEPTED);
    await runUntil(fleet, gcs, () => frame.toNorthEast(drone.truth()).northM > 78, { maxSimMs: 40_000 });
  });
});
