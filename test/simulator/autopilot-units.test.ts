import { describe, expect, it } from 'vitest';
import { common } from 'mavlink-mappings';
import { Geofence, pointInPolygon } from '../../simulator/autopilot/fence.ts';
import { MissionExecutor } from '../../simulator/autopilot/mission-executor.ts';
import type { MissionItem } from '../../simulator/autopilot/mission-item.ts';
import type { NavContext } from '../../simulator/autopilot/nav.ts';
import { ParamStore } from '../../simulator/autopilot/params.ts';
import { LocalFrame } from '../../simulator/geo.ts';
import { StreamRates } from '../../simulator/mavlink/stream-rates.ts';

const Cmd = common.MavCmd;
const frame = new LocalFrame({ lat: 30.4987, lon: 114.4123 });

function item(seq: number, command: number, p: Partial<MissionItem> = {}): MissionItem {
  return { seq, frame: common.MavFrame.GLOBAL_RELATIVE_ALT_INT, command, current: 0, autocontinue: 1, param1: 0, param2: 0, param3: 0, param4: 0, x: 0, y: 0, z: 0, ...p };
}

function ctxAt(nowMs: number, position = { northM: 0, eastM: 0, altitudeM: 10 }): NavContext {
  return {
    nowMs, position, onGround: false, limits: { horizontalMps: 10, upMps: 2.5, downMps: 1.5, accelMps2: 2.5 },
    landSpeedMps: () => 0.5, home: { northM: 0, eastM: 0, altitudeM: 0 }, rtlAltitudeM: 15, rtlCeilingM: Infinity, rtlLoiterMs: 0, rtlSpeedMps: 10,
  };
}

describe('autopilot units', () => {
  it('DO_JUMP with repeat N runs the jump N times, then falls through (ArduPilot counting)', () => {
    const items = [item(0, Cmd.NAV_WAYPOINT), item(1, Cmd.NAV_WAYPOINT, { z: 10 }), item(2, Cmd.DO_JUMP, { param1: 1, param2: 3 }), item(3, Cmd.NAV_WAYPOINT, { z: 10 })];
    const reached: number[] = [];
    const ex = new MissionExecutor(() => items, () => ({ frame, homeAmslM: 23 }), {
      currentChanged: () => {}, reached: (s) => reached.push(s), text: () => {}, changeSpeed: () => {}, setYaw: () => {}, setRoi: () => {},
    });
    ex.start(1);
    for (let t = 0; t < 100 && ex.status === 'running'; t++) ex.update(ctxAt(t * 50));
    expect(reached).toEqual([1, 1, 1, 1, 3]);
    expect(ex.status).toBe('complete');
  });

  it('point-in-polygon handles concave polygons', () => {
    const l = [[0, 0], [0, 10], [5, 10], [5, 5], [10, 5], [10, 0]].map(([n, e]) => ({ northM: n!, eastM: e! }));
    expect(pointInPolygon({ northM: 2, eastM: 2 }, l)).toBe(true);
    expect(pointInPolygon({ northM: 8, eastM: 8 }, l)).toBe(false);
    expect(pointInPolygon({ northM: 8, eastM: 2 }, l)).toBe(true);
  });

  it('the fence combines inclusion and exclusion zones and the altitude limit', () => {
    const params = new ParamStore({ FENCE_ENABLE: 1, FENCE_ALT_MAX: 50 });
    const fence = new Geofence(params);
    const ll = (n: number, e: number) => { const p = frame.toLatLon({ northM: n, eastM: e }); return { x: Math.round(p.lat * 1e7), y: Math.round(p.lon * 1e7) }; };
    fence.load([
      ...[[-100, -100], [100, -100], [100, 100], [-100, 100]].map(([n, e], i) => item(i, Cmd.NAV_FENCE_POLYGON_VERTEX_INCLUSION, { param1: 4, ...ll(n!, e!) })),
      item(4, Cmd.NAV_FENCE_CIRCLE_EXCLUSION, { param1: 20, ...ll(50, 50) }),
    ], frame);
    const home = { northM: 0, eastM: 0 };
    expect(fence.check({ northM: 0, eastM: 0 }, 10, home)).toBe('none');
    expect(fence.check({ northM: 150, eastM: 0 }, 10, home)).toBe('polygon');
    expect(fence.check({ northM: 50, eastM: 55 }, 10, home)).toBe('polygon');
    expect(fence.check({ northM: 0, eastM: 0 }, 60, home)).toBe('altitude');
    params.set('FENCE_ENABLE', 0);
    expect(fence.check({ northM: 150, eastM: 0 }, 60, home)).toBe('none');
  });

  it('parameters are clamped to their range and integers rounded', () => {
    const p = new ParamStore();
    expect(p.set('FENCE_ENABLE', 7)!.value).toBe(1);
    expect(p.set('RTL_ALT', 2500.6)!.value).toBe(2501);
    expect(p.set('NOT_A_PARAM', 1)).toBeNull();
  });

  it('stream rates: nothing until asked, capped at the tick rate, −1 stops', () => {
    const s = new StreamRates(50);
    const sent: number[] = [];
    s.forEachDue(0, (id) => sent.push(id));
    expect(sent).toEqual([]);
    expect(s.setMessageInterval(common.GlobalPositionInt.MSG_ID, 1_000, 0)).toBe(true); // 1 ms asked → 50 ms
    for (let t = 0; t < 1000; t += 50) s.forEachDue(t, (id) => sent.push(id));
    expect(sent).toHaveLength(20);
    expect(s.setMessageInterval(common.GlobalPositionInt.MSG_ID, -1, 1000)).toBe(true);
    expect(s.active).toBe(false);
    expect(s.setMessageInterval(common.RawImu.MSG_ID, 100_000, 0)).toBe(false);
  });
});
