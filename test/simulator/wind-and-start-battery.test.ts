/**
 * The simulator's WIND message (ardupilotmega 168) as a ground station sees it over UDP, and a pack
 * that starts partly charged. WindConfig is the velocity of the air (where it blows TO); WIND.direction
 * is where it comes FROM, as ArduPilot sends it: degrees(atan2(-east, -north)), in (-180, 180].
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ardupilotmega, common } from 'mavlink-mappings';
import { startSimFleet, type SimFleet } from '../../simulator/index.ts';
import { parseCli } from '../../simulator/cli-options.ts';
import { patrolQuad } from '../../simulator/physics/airframe.ts';
import { openCircuitVoltsPerCell } from '../../simulator/physics/battery.ts';
import type { WindConfig } from '../../simulator/drone.ts';
import { TestGcs } from './helpers/gcs.ts';
import { runFor } from './helpers/lockstep.ts';

let gcs: TestGcs | null = null;
let fleet: SimFleet | null = null;
afterEach(async () => {
  await fleet?.close();
  await gcs?.close();
  fleet = null; gcs = null;
});

async function start(o: { wind?: Partial<WindConfig>; drones?: number; batteryPct?: number | ((i: number) => number) } = {}) {
  gcs = await TestGcs.open();
  fleet = await startSimFleet({ drones: o.drones ?? 1, link: { host: '127.0.0.1', port: gcs.port }, lockstep: true, seed: 9, wind: o.wind, batteryPct: o.batteryPct });
  await runFor(fleet, gcs, 1000);
  return { gcs, fleet };
}

function extra3(g: TestGcs, sysid: number, hz: number) {
  g.send(sysid, common.RequestDataStream, { targetSystem: sysid, targetComponent: 1, reqStreamId: common.MavDataStream.EXTRA3, reqMessageRate: hz, startStop: 1 });
}

const wrap360 = (deg: number) => ((deg % 360) + 360) % 360;

describe('simulator WIND', () => {
  it.each([
    { name: 'air moving west (eastMps -3) is a wind FROM the east, 090', wind: { northMps: 0, eastMps: -3 }, fromDeg: 90, speed: 3 },
    { name: 'air moving south (northMps -4) is a wind FROM the north, 000', wind: { northMps: -4, eastMps: 0 }, fromDeg: 0, speed: 4 },
    { name: 'air moving north-east is a wind FROM the south-west, 225 (sent as -135)', wind: { northMps: 2, eastMps: 2 }, fromDeg: 225, speed: Math.SQRT2 * 2 },
  ])('$name', async ({ wind, fromDeg, speed }) => {
    const { gcs: g, fleet: f } = await start({ wind: { ...wind, gustStdMps: 0 } });
    extra3(g, 1, 2);
    await runFor(f, g, 3000);
    const w = g.last(1, ardupilotmega.Wind)!;
    expect(w).toBeDefined();
    expect(w.direction).toBeGreaterThan(-180);
    expect(w.direction).toBeLessThanOrEqual(180);
    expect(Math.abs(((wrap360(w.direction) - fromDeg + 540) % 360) - 180)).toBeLessThan(0.01);
    expect(w.speed).toBeCloseTo(speed, 3);
    expect(w.speedZ).toBe(0);
  });

  it('is part of the EXTRA3 group at its rate, and can be asked alone with SET_MESSAGE_INTERVAL', async () => {
    const { gcs: g, fleet: f } = await start({ drones: 2 });
    extra3(g, 1, 2);
    await runFor(f, g, 5000);
    const got = g.messages(1, ardupilotmega.Wind).length;
    expect(got).toBeGreaterThanOrEqual(9);
    expect(got).toBeLessThanOrEqual(11);
    expect(g.messages(2, ardupilotmega.Wind)).toHaveLength(0);

    const ack = await g.command(2, common.MavCmd.SET_MESSAGE_INTERVAL, [ardupilotmega.Wind.MSG_ID, 1_000_000]);
    expect(ack.result).toBe(common.MavResult.ACCEPTED);
    await runFor(f, g, 5000);
    const alone = g.messages(2, ardupilotmega.Wind).length;
    expect(alone).toBeGreaterThanOrEqual(4);
    expect(alone).toBeLessThanOrEqual(6);
    expect(g.messages(2, common.BatteryStatus)).toHaveLength(0);
  });

  it('follows the gusts around the mean wind (smoothed, not frozen)', async () => {
    const { gcs: g, fleet: f } = await start({ wind: { northMps: 0, eastMps: -3, gustStdMps: 1, gustTimeConstantS: 5 } });
    extra3(g, 1, 1);
    await runFor(f, g, 120_000, true, 1000);
    const ws = g.messages(1, ardupilotmega.Wind);
    expect(ws.length).toBeGreaterThan(100);
    // mean of the reported vectors: the configured mean wind, FROM 090 at 3 m/s
    const toNorth = ws.map((w) => -w.speed * Math.cos((w.direction * Math.PI) / 180));
    const toEast = ws.map((w) => -w.speed * Math.sin((w.direction * Math.PI) / 180));
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(mean(toNorth)).toBeCloseTo(0, 0);
    expect(mean(toEast)).toBeCloseTo(-3, 0);
    const speeds = ws.map((w) => w.speed);
    expect(Math.max(...speeds) - Math.min(...speeds)).toBeGreaterThan(0.5);
    // consecutive 1 Hz samples move by little: the estimate is smoothed
    const steps = ws.slice(1).map((w, i) => Math.abs(w.speed - ws[i]!.speed));
    expect(Math.max(...steps)).toBeLessThan(1);
  });
});

describe('simulator start battery', () => {
  it('starts each pack at its own state of charge, with a resting voltage to match, in SYS_STATUS and BATTERY_STATUS', async () => {
    const { gcs: g, fleet: f } = await start({ drones: 3, batteryPct: (i) => (i === 1 ? 30 : 100) });
    for (const sysid of [1, 2, 3]) g.requestDataStreamAll(sysid, 2);
    await runFor(f, g, 3000);
    const cells = patrolQuad.battery.cells;
    for (const [sysid, pct] of [[1, 100], [2, 30], [3, 100]] as const) {
      const s = g.last(sysid, common.SysStatus)!;
      const b = g.last(sysid, common.BatteryStatus)!;
      expect(s.batteryRemaining, `sysid ${sysid}`).toBe(pct);
      expect(b.batteryRemaining, `sysid ${sysid}`).toBe(pct);
      // parked, motors off: 0.6 A of avionics sag the pack by ~0.01 V
      const restV = openCircuitVoltsPerCell(patrolQuad.battery, pct / 100) * cells;
      expect(Math.abs(s.voltageBattery / 1000 - restV)).toBeLessThan(0.05);
      expect(Math.abs(b.voltages[0]! / 1000 - restV)).toBeLessThan(0.05);
      expect(f.drones[sysid - 1]!.truth().battery.remainingPct).toBeCloseTo(pct, 0);
    }
    expect(g.last(2, common.SysStatus)!.voltageBattery / 1000).toBeCloseTo(22.5, 1); // 3.75 V per cell at 30 %
  });

  it('refuses a state of charge outside 0–100', async () => {
    await expect(startSimFleet({ drones: 1, lockstep: true, batteryPct: 120 })).rejects.toThrow(/batteryPct/);
  });

  it('--battery-pct sets every drone, or drone I with I:PCT', () => {
    expect(parseCli(['--battery-pct', '40']).batteryPct).toBe(40);
    expect(parseCli([]).batteryPct).toBeUndefined();
    const per = parseCli(['--battery-pct', '80', '--battery-pct', '1:30']).batteryPct as (i: number) => number;
    expect([0, 1, 2].map(per)).toEqual([80, 30, 80]);
    expect(() => parseCli(['--battery-pct', '101'])).toThrow(/0–100/);
  });
});
