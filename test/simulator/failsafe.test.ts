import { afterEach, describe, expect, it } from 'vitest';
import { common } from 'mavlink-mappings';
import { CopterMode, startSimFleet, type SimFleet, type SimFleetOptions } from '../../simulator/index.ts';
import { LocalFrame } from '../../simulator/geo.ts';
import { TestGcs } from './helpers/gcs.ts';
import { runFor, runUntil } from './helpers/lockstep.ts';

const Cmd = common.MavCmd;
const R = common.MavResult;
const sysid = 1;

describe('failsafes (over UDP)', () => {
  let gcs: TestGcs;
  let fleet: SimFleet;

  async function airborne(altitudeM: number, options: Partial<SimFleetOptions> = {}) {
    gcs = await TestGcs.open();
    fleet = await startSimFleet({ drones: 1, link: { host: '127.0.0.1', port: gcs.port }, lockstep: true, seed: 21, positionSettleMs: 3000, ...options });
    await runFor(fleet, gcs, 4000);
    gcs.requestDataStreamAll(sysid, 2);
    expect((await gcs.setMode(sysid, CopterMode.GUIDED)).result).toBe(R.ACCEPTED);
    expect((await gcs.command(sysid, Cmd.COMPONENT_ARM_DISARM, [1])).result).toBe(R.ACCEPTED);
    expect((await gcs.command(sysid, Cmd.NAV_TAKEOFF, [0, 0, 0, 0, 0, 0, altitudeM])).result).toBe(R.ACCEPTED);
    await runUntil(fleet, gcs, () => fleet.drones[0]!.truth().altitudeM > altitudeM - 0.5, { maxSimMs: 30_000 });
    return new LocalFrame(fleet.drones[0]!.truth().home!);
  }

  function goto(frame: LocalFrame, northM: number, eastM: number, altM: number) {
    const p = frame.toLatLon({ northM, eastM });
    gcs.send(sysid, common.SetPositionTargetGlobalInt, {
      targetSystem: sysid, targetComponent: 1, coordinateFrame: common.MavFrame.GLOBAL_RELATIVE_ALT_INT, typeMask: 0x0df8,
      latInt: Math.round(p.lat * 1e7), lonInt: Math.round(p.lon * 1e7), alt: altM,
    });
  }

  afterEach(async () => {
    await fleet.close();
    await gcs.close();
  });

  it('GCS heartbeat lost for FS_GCS_TIMEOUT (5 s) switches to RTL with "GCS Failsafe"', async () => {
    await airborne(12);
    const drone = fleet.drones[0]!;
    await runFor(fleet, gcs, 3000, true);
    const tookMs = await runUntil(fleet, gcs, () => drone.truth().modeName === 'RTL', { maxSimMs: 10_000, heartbeat: false });
    expect(tookMs).toBeGreaterThanOrEqual(4000);
    expect(tookMs).toBeLessThanOrEqual(6600);
    expect(gcs.vehicle(sysid).statusTexts).toContain('GCS Failsafe');
  });

  it('a link drop (fault injection) trips the GCS failsafe and the drone comes home', async () => {
    const frame = await airborne(12);
    goto(frame, 60, 0, 12);
    await runFor(fleet, gcs, 15_000);
    fleet.injectFault(0, { kind: 'link-drop', durationS: 120 });
    const drone = fleet.drones[0]!;
    await runUntil(fleet, gcs, () => !drone.truth().armed, { maxSimMs: 120_000, chunkMs: 500 });
    const p = frame.toNorthEast(drone.truth());
    expect(Math.hypot(p.northM, p.eastM)).toBeLessThan(2);
  });

  it('fence breach (inclusion polygon from the FENCE list) triggers RTL', async () => {
    const frame = await airborne(12, { params: { FENCE_ENABLE: 1 } });
    const corners = [[-50, -50], [50, -50], [50, 50], [-50, 50]].map(([n, e]) => frame.toLatLon({ northM: n!, eastM: e! }));
    const items = corners.map((c) => ({ command: Cmd.NAV_FENCE_POLYGON_VERTEX_INCLUSION, param1: 4, lat: c.lat, lon: c.lon }));
    expect(await gcs.uploadMission(sysid, items, common.MavMissionType.FENCE)).toBe(common.MavMissionResult.ACCEPTED);
    // A guided target outside the fence is refused: the drone stays put, and DO_REPOSITION is FAILED.
    goto(frame, 120, 0, 12);
    await runFor(fleet, gcs, 5000);
    expect(frame.toNorthEast(fleet.drones[0]!.truth()).northM).toBeLessThan(5);
    const p = frame.toLatLon({ northM: 120, eastM: 0 });
    expect((await gcs.command(sysid, Cmd.DO_REPOSITION, [-1, 1, 0, 0, Math.round(p.lat * 1e7), Math.round(p.lon * 1e7), 12], { int: true })).result).toBe(R.FAILED);
    // Breach: fly 40 m north, then upload a smaller fence that leaves the drone outside.
    goto(frame, 40, 0, 12);
    await runFor(fleet, gcs, 15_000);
    const small = [[-20, -20], [20, -20], [20, 20], [-20, 20]].map(([n, e]) => frame.toLatLon({ northM: n!, eastM: e! }));
    await gcs.uploadMission(sysid, small.map((c) => ({ command: Cmd.NAV_FENCE_POLYGON_VERTEX_INCLUSION, param1: 4, lat: c.lat, lon: c.lon })), common.MavMissionType.FENCE);
    const drone = fleet.drones[0]!;
    await runUntil(fleet, gcs, () => drone.truth().modeName === 'RTL', { maxSimMs: 2000 });
    expect(gcs.vehicle(sysid).statusTexts.some((t) => t.startsWith('Fence Breached'))).toBe(true);
  });

  it('maximum-altitude fence breach triggers RTL, which returns below the fence', async () => {
    const frame = await airborne(12, { params: { FENCE_ENABLE: 1, FENCE_ALT_MAX: 30 } });
    const drone = fleet.drones[0]!;
    // Climb to just under the fence, then lower FENCE_ALT_MAX below the drone over PARAM_SET.
    goto(frame, 0, 0, 28);
    await runUntil(fleet, gcs, () => drone.truth().altitudeM > 27.5, { maxSimMs: 30_000 });
    gcs.send(sysid, common.ParamSet, { targetSystem: sysid, targetComponent: 1, paramId: 'FENCE_ALT_MAX', paramValue: 25, paramType: 9 });
    await runUntil(fleet, gcs, () => drone.truth().modeName === 'RTL', { maxSimMs: 2000 });
    await runUntil(fleet, gcs, () => !drone.truth().armed, { maxSimMs: 120_000, chunkMs: 500 });
  });

  it('battery low (BATT_LOW_MAH) switches to RTL, critical to LAND', async () => {
    await airborne(10, { params: { BATT_LOW_MAH: 15_700, BATT_CRT_MAH: 15_600 } });
    const drone = fleet.drones[0]!;
    await runUntil(fleet, gcs, () => drone.truth().modeName === 'RTL', { maxSimMs: 60_000 });
    expect(gcs.vehicle(sysid).statusTexts.some((t) => t.startsWith('Battery 1 is low'))).toBe(true);
    await runUntil(fleet, gcs, () => drone.truth().modeName === 'LAND', { maxSimMs: 60_000 });
    expect(gcs.vehicle(sysid).statusTexts.some((t) => t.startsWith('Battery 1 is critical'))).toBe(true);
  });

  it('a battery fault (failed cell) trips the low-voltage failsafe after BATT_LOW_TIMER', async () => {
    await airborne(10);
    const drone = fleet.drones[0]!;
    fleet.injectFault(0, { kind: 'battery-fault' });
    const tookMs = await runUntil(fleet, gcs, () => gcs.vehicle(sysid).statusTexts.some((t) => t.startsWith('Battery 1 is')), { maxSimMs: 30_000 });
    expect(tookMs).toBeGreaterThanOrEqual(9_000);
    expect(['RTL', 'LAND']).toContain(drone.truth().modeName);
  });

  it('a motor failure forces a landing', async () => {
    await airborne(20);
    const drone = fleet.drones[0]!;
    fleet.injectFault(0, { kind: 'motor-failure' });
    await runUntil(fleet, gcs, () => drone.truth().onGround && !drone.truth().armed, { maxSimMs: 30_000 });
    expect(gcs.vehicle(sysid).statusTexts).toContain('Potential Thrust Loss (1)');
  });
});
