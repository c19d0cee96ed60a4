/** The reducer's `wind`: from ArduPilot's WIND only, FROM direction kept as 0–359 whole degrees, speed to 0.1 m/s. */
import { describe, expect, it } from 'vitest';
import { ardupilotmega, common } from 'mavlink-mappings';
import { ardupilotCopter } from '../../server/autopilots/ardupilot-copter.ts';
import type { Drone } from '../../server/contracts/drone.ts';
import { applyMessage, newDroneState } from '../../server/fleet/drone-state.ts';
import type { DroneEvent } from '../../server/fleet/events.ts';
import { decodeDatagram, newDecodeCounters } from '../../server/mavlink/frame-decoder.ts';
import { FrameEncoder, type MessageFields } from '../../server/mavlink/frame-encoder.ts';
import type { MessageClass } from '../../server/mavlink/definitions.ts';
import type { Frame } from '../../server/mavlink/frame.ts';
import { TelemetryBatcher } from '../../server/stream/batcher.ts';

const enc = new FrameEncoder({ sysid: 1, compid: 1 });

function frameOf<C extends MessageClass>(clazz: C, fields: MessageFields<C>): Frame {
  const frames: Frame[] = [];
  decodeDatagram(enc.encode(clazz, fields), (f) => frames.push(f), newDecodeCounters());
  expect(frames).toHaveLength(1);
  return frames[0]!;
}

function drone(): Drone {
  return newDroneState({ id: 'E01', sysid: 1, compid: 1, autopilot: ardupilotCopter, type: 2, linkId: 'udp', remote: '127.0.0.1:1', nowMs: 0 });
}

function apply(d: Drone, frame: Frame): boolean {
  const events: DroneEvent[] = [];
  const changed = applyMessage(d, frame, ardupilotCopter, 1000, events);
  expect(events).toEqual([]);
  return changed;
}

const wind = (direction: number, speed: number, speedZ = 0) => frameOf(ardupilotmega.Wind, { direction, speed, speedZ });

describe('drone state: wind', () => {
  it('is null until a WIND message arrives, then the FROM direction and speed, rounded to 1° and 0.1 m/s', () => {
    const d = drone();
    expect(d.wind).toBeNull();
    expect(apply(d, wind(90.4, 3.04))).toBe(true);
    expect(d.wind).toEqual({ speedMps: 3, fromDeg: 90 });
    expect(apply(d, wind(225.6, 4.96))).toBe(true);
    expect(d.wind).toEqual({ speedMps: 5, fromDeg: 226 });
  });

  it("turns ArduPilot's (-180, 180] bearing into 0–359 (and 359.6 into 0, not 360)", () => {
    const d = drone();
    apply(d, wind(-90, 2));
    expect(d.wind).toEqual({ speedMps: 2, fromDeg: 270 });
    apply(d, wind(-0.3, 2));
    expect(d.wind!.fromDeg).toBe(0);
    apply(d, wind(359.6, 2));
    expect(d.wind!.fromDeg).toBe(0);
    apply(d, wind(180, 2));
    expect(d.wind!.fromDeg).toBe(180);
    apply(d, wind(-179.6, 2));
    expect(d.wind!.fromDeg).toBe(180);
  });

  it('reports no change when the rounded value is the same (the stream sends nothing)', () => {
    const d = drone();
    apply(d, wind(90.2, 3.01));
    expect(apply(d, wind(89.8, 2.96))).toBe(false);
    expect(d.wind).toEqual({ speedMps: 3, fromDeg: 90 });
    expect(apply(d, wind(89.8, 3.06))).toBe(true);
    expect(d.wind).toEqual({ speedMps: 3.1, fromDeg: 90 });
  });

  it('ignores a WIND with NaN or a negative speed, and keeps the last estimate', () => {
    const d = drone();
    apply(d, wind(45, 6));
    expect(apply(d, wind(Number.NaN, 6))).toBe(false);
    expect(apply(d, wind(45, Number.NaN))).toBe(false);
    expect(apply(d, wind(45, -1))).toBe(false);
    expect(d.wind).toEqual({ speedMps: 6, fromDeg: 45 });
  });

  it('has one source: WIND_COV does not set or move it', () => {
    const d = drone();
    const cov = frameOf(common.WindCov, {
      timeUsec: 1n, windX: 0, windY: -3, windZ: 0, varHoriz: 0, varVert: 0, windAlt: 20, horizAccuracy: 0, vertAccuracy: 0,
    });
    expect(apply(d, cov)).toBe(false);
    expect(d.wind).toBeNull();
    apply(d, wind(90, 3));
    expect(apply(d, frameOf(common.WindCov, {
      timeUsec: 2n, windX: 10, windY: 0, windZ: 0, varHoriz: 0, varVert: 0, windAlt: 20, horizAccuracy: 0, vertAccuracy: 0,
    }))).toBe(false);
    expect(d.wind).toEqual({ speedMps: 3, fromDeg: 90 });
  });
});

describe('stream: wind', () => {
  it('goes out as a changed field of its own, once per rounded change', () => {
    const d = drone();
    const batcher = new TelemetryBatcher();
    batcher.markChanged(d, 0);
    const sub = batcher.addSubscriber();
    expect(batcher.snapshot(sub, 0)[0]!.wind).toBeNull();
    const step = (t: number, frame: Frame) => {
      if (apply(d, frame)) batcher.markChanged(d, t);
      batcher.tick(t);
      const f = batcher.collect(sub, t);
      return f ? JSON.parse(f.text).drones : [];
    };
    expect(step(1000, wind(-90.2, 4.04))).toEqual([{ id: 'E01', wind: { speedMps: 4, fromDeg: 270 } }]);
    expect(step(2000, wind(-89.9, 3.98))).toEqual([]);
    expect(step(3000, wind(-80, 4))).toEqual([{ id: 'E01', wind: { speedMps: 4, fromDeg: 280 } }]);
  });
});
