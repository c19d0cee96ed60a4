import { afterEach, describe, expect, it } from 'vitest';
import { common } from 'mavlink-mappings';
import { CopterMode, startSimFleet, type SimFleet } from '../../simulator/index.ts';
import { LocalFrame } from '../../simulator/geo.ts';
import { TestGcs } from './helpers/gcs.ts';
import { runFor, runUntil } from './helpers/lockstep.ts';
import { patrolQuad } from '../../simulator/physics/airframe.ts';

const Cmd = common.MavCmd;
const sysid = 1;

async function flyPattern(seed: number) {
  const gcs = await TestGcs.open();
  const fleet = await startSimFleet({ drones: 1, link: { host: '127.0.0.1', port: gcs.port }, lockstep: true, seed, positionSettleMs: 3000, startTimeMs: Date.UTC(2026, 10, 29, 8) });
  await runFor(fleet, gcs, 4000);
  await gcs.setMode(sysid, CopterMode.GUIDED);
  await gcs.command(sysid, Cmd.COMPONENT_ARM_DISARM, [1]);
  await gcs.command(sysid, Cmd.NAV_TAKEOFF, [0, 0, 0, 0, 0, 0, 15]);
  await runFor(fleet, gcs, 10_000);
  const frame = new LocalFrame(fleet.drones[0]!.truth().home!);
  const p = frame.toLatLon({ northM: 80, eastM: 30 });
  gcs.send(sysid, common.SetPositionTargetGlobalInt, {
    targetSystem: sysid, targetComponent: 1, coordinateFrame: common.MavFrame.GLOBAL_RELATIVE_ALT_INT, typeMask: 0x0df8,
    latInt: Math.round(p.lat * 1e7), lonInt: Math.round(p.lon * 1e7), alt: 20,
  });
  const samples: number[][] = [];
  for (let i = 0; i < 30; i++) {
    await runFor(fleet, gcs, 1000);
    const s = fleet.drones[0]!.vehicleState();
    samples.push([s.northM, s.eastM, s.altitudeM, s.velNorthMps, s.velEastMps, s.yawDeg, s.battery.usedAh, s.gustNorthMps]);
  }
  await fleet.close();
  await gcs.close();
  return samples;
}

describe('battery model and repeatability', () => {
  let gcs: TestGcs | null = null;
  let fleet: SimFleet | null = null;
  afterEach(async () => {
    await fleet?.close();
    await gcs?.close();
    fleet = null; gcs = null;
  });

  it('battery runs down at the modelled hover rate, as reported in BATTERY_STATUS', async () => {
    gcs = await TestGcs.open();
    fleet = await startSimFleet({ drones: 1, link: { host: '127.0.0.1', port: gcs.port }, lockstep: true, seed: 4, positionSettleMs: 3000, wind: { northMps: 0, eastMps: 0, gustStdMps: 0 } });
    await runFor(fleet, gcs, 4000);
    gcs.send(sysid, common.RequestDataStream, { targetSystem: sysid, targetComponent: 1, reqStreamId: common.MavDataStream.EXTRA3, reqMessageRate: 1, startStop: 1 });
    await gcs.setMode(sysid, CopterMode.GUIDED);
    await gcs.command(sysid, Cmd.COMPONENT_ARM_DISARM, [1]);
    await gcs.command(sysid, Cmd.NAV_TAKEOFF, [0, 0, 0, 0, 0, 0, 10]);
    await runUntil(fleet, gcs, () => fleet!.drones[0]!.truth().altitudeM > 9.9, { maxSimMs: 20_000 });
    await runFor(fleet, gcs, 3000);
    const before = gcs.last(sysid, common.BatteryStatus)!;
    await runFor(fleet, gcs, 120_000, true, 500);
    const after = gcs.last(sysid, common.BatteryStatus)!;
    const usedMah = after.currentConsumed - before.currentConsumed;
    const hoverA = patrolQuad.hoverCurrentA + patrolQuad.idleCurrentA; // motors + avionics, still air
    const expectedMah = (hoverA * 120) / 3.6;
    expect(usedMah).toBeGreaterThan(expectedMah * 0.97);
    expect(usedMah).toBeLessThan(expectedMah * 1.05);
    expect(Math.abs(after.currentBattery / 100 - hoverA)).toBeLessThan(0.3);
    expect(after.batteryRemaining).toBeLessThan(before.batteryRemaining);
  });

  it('same seed gives the same trajectory bit for bit; another seed does not', async () => {
    const a = await flyPattern(42);
    const b = await flyPattern(42);
    const c = await flyPattern(43);
    expect(b).toEqual(a);
    expect(c).not.toEqual(a);
    // and the drone really flew the pattern
    expect(a.at(-1)![0]).toBeGreaterThan(70);
  });
});
