import { describe, expect, it } from 'vitest';
import { patrolQuad } from '../../simulator/physics/airframe.ts';
import { openCircuitVoltsPerCell, remainingFraction } from '../../simulator/physics/battery.ts';
import { parkedState, type Environment, type PhysicsCommand } from '../../simulator/physics/state.ts';
import { step } from '../../simulator/physics/step.ts';
import { Prng } from '../../simulator/prng.ts';
import { parseFault } from '../../simulator/faults.ts';
import { parseCli } from '../../simulator/cli-options.ts';

const calm: Environment = { windNorthMps: 0, windEastMps: 0, gustStdMps: 0, gustTimeConstantS: 5, gustNoiseNorth: 0, gustNoiseEast: 0, motorFailed: false };
const fly = (n: number, e: number, u: number, yawDeg: number | null = null): PhysicsCommand => ({ motorsOn: true, velNorthMps: n, velEastMps: e, velUpMps: u, yawDeg });

describe('physics step (pure)', () => {
  it('does not mutate its input and gives the same output for the same input', () => {
    const s0 = parkedState(patrolQuad, 0, 0, 0);
    const copy = structuredClone(s0);
    const a = step(s0, fly(0, 0, 2), 0.05, calm, patrolQuad);
    const b = step(s0, fly(0, 0, 2), 0.05, calm, patrolQuad);
    expect(s0).toEqual(copy);
    expect(a).toEqual(b);
  });

  it('respects the airframe speed, acceleration, climb and yaw-rate limits', () => {
    let s = step(parkedState(patrolQuad, 0, 0, 0), fly(0, 0, 3), 0.05, calm, patrolQuad);
    for (let i = 0; i < 200; i++) s = step(s, fly(0, 0, 3), 0.05, calm, patrolQuad);
    expect(s.altitudeM).toBeGreaterThan(20);
    let maxAccel = 0, maxSpeed = 0, maxClimb = 0, maxYawRate = 0;
    for (let i = 0; i < 400; i++) {
      const next = step(s, fly(100, 100, 50, 180), 0.05, calm, patrolQuad);
      maxAccel = Math.max(maxAccel, Math.hypot(next.velNorthMps - s.velNorthMps, next.velEastMps - s.velEastMps) / 0.05);
      maxSpeed = Math.max(maxSpeed, Math.hypot(next.velNorthMps, next.velEastMps));
      maxClimb = Math.max(maxClimb, next.velUpMps);
      maxYawRate = Math.max(maxYawRate, Math.abs(next.yawRateDps));
      s = next;
    }
    expect(maxSpeed).toBeLessThanOrEqual(patrolQuad.maxHorizontalSpeedMps + 1e-9);
    expect(maxAccel).toBeLessThanOrEqual(patrolQuad.maxHorizontalAccelMps2 + 1e-6);
    expect(maxClimb).toBeLessThanOrEqual(patrolQuad.maxClimbMps + 1e-9);
    expect(maxYawRate).toBeLessThanOrEqual(patrolQuad.maxYawRateDps + 1e-6);
    expect(s.yawDeg).toBeCloseTo(180, 6);
  });

  it('a failed motor brings the vehicle down whatever the command', () => {
    let s = parkedState(patrolQuad, 0, 0, 0);
    for (let i = 0; i < 200; i++) s = step(s, fly(0, 0, 2), 0.05, calm, patrolQuad);
    const failed = { ...calm, motorFailed: true };
    for (let i = 0; i < 400 && !s.onGround; i++) s = step(s, fly(0, 0, 2), 0.05, failed, patrolQuad);
    expect(s.onGround).toBe(true);
  });

  it('seeded gusts move the vehicle off its commanded hover, the same way for the same noise', () => {
    const rngA = new Prng(7), rngB = new Prng(7);
    let a = step(parkedState(patrolQuad, 0, 0, 0), fly(0, 0, 2), 0.05, calm, patrolQuad);
    let b = a;
    for (let i = 0; i < 600; i++) {
      const envA = { ...calm, gustStdMps: 2, gustNoiseNorth: rngA.gaussian(), gustNoiseEast: rngA.gaussian() };
      const envB = { ...calm, gustStdMps: 2, gustNoiseNorth: rngB.gaussian(), gustNoiseEast: rngB.gaussian() };
      a = step(a, fly(0, 0, 0), 0.05, envA, patrolQuad);
      b = step(b, fly(0, 0, 0), 0.05, envB, patrolQuad);
    }
    expect(a).toEqual(b);
    expect(Math.hypot(a.northM, a.eastM)).toBeGreaterThan(0.1);
  });

  it('hover endurance to the 20 % reserve is within 25–35 minutes', () => {
    let s = parkedState(patrolQuad, 0, 0, 0);
    let t = 0;
    const dt = 0.5;
    while (remainingFraction(patrolQuad.battery, s.battery) > 0.2 && t < 3600) {
      s = step(s, fly(0, 0, s.altitudeM < 20 ? 2 : 0), dt, calm, patrolQuad);
      t += dt;
    }
    expect(t / 60).toBeGreaterThan(25);
    expect(t / 60).toBeLessThan(35);
    // loaded voltage at the reserve: above the 3.5 V/cell low-voltage threshold
    expect(s.battery.voltageV).toBeGreaterThan(21);
  });

  it('open-circuit voltage falls monotonically from 4.2 V per cell', () => {
    let last = Infinity;
    for (let soc = 1; soc >= 0; soc -= 0.01) {
      const v = openCircuitVoltsPerCell(patrolQuad.battery, soc);
      expect(v).toBeLessThanOrEqual(last + 1e-12);
      last = v;
    }
    expect(openCircuitVoltsPerCell(patrolQuad.battery, 1)).toBe(4.2);
  });
});

describe('simulator CLI and fault syntax', () => {
  it('parses the CONTRACT.md flags with their defaults', () => {
    const d = parseCli([]);
    expect(d).toMatchObject({ drones: 6, link: { host: '127.0.0.1', port: 14550 }, sysidBase: 1, speedup: 1, seed: 1 });
    const o = parseCli(['--drones', '12', '--link', 'udp:10.0.0.2:14551', '--home', '30.5,114.4', '--sysid-base', '100', '--speedup', '5', '--seed', '9']);
    expect(o).toMatchObject({ drones: 12, link: { host: '10.0.0.2', port: 14551 }, home: { lat: 30.5, lon: 114.4 }, sysidBase: 100, speedup: 5, seed: 9 });
    expect(() => parseCli(['--link', 'tcp:x:1'])).toThrow();
  });

  it('parses faults as INDEX:KIND[:ARG][@T]', () => {
    expect(parseFault('2:link-drop:10@30')).toEqual({ droneIndex: 2, atS: 30, fault: { kind: 'link-drop', durationS: 10 } });
    expect(parseFault('0:gps-loss')).toEqual({ droneIndex: 0, atS: 0, fault: { kind: 'gps-loss' } });
    expect(parseFault('1:motor-failure@5')).toEqual({ droneIndex: 1, atS: 5, fault: { kind: 'motor-failure' } });
    expect(() => parseFault('x:bogus')).toThrow();
  });
});
