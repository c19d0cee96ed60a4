import { area as turfArea } from '@turf/turf';
import { FormatRegistry } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { describe, expect, it } from 'vitest';
import { MissionItem } from '../../server/contracts/mission.ts';
import { toWireItems } from '../../server/fleet/mission-items.ts';
import { ardupilotCopter } from '../../server/autopilots/ardupilot-copter.ts';
import {
  AirspaceViolationError, footprintWidthM, plan, planCorridor, planCoverage, planPerimeter, PlanningError, PlanRequestUnion, PlanSchema, spacingFromCamera, splitArea, toMissionItems,
} from '../../server/planning/index.ts';
import { distanceToRingsM, lerp } from '../../server/planning/vec.ts';
import { at, polygon, square, VALLEY } from './helpers.ts';

describe('mission items (one converter)', () => {
  it('a looped perimeter is take-off, speed, one loop of waypoints, DO_JUMP back to the loop’s second waypoint, RTL', () => {
    const p = plan({ kind: 'perimeter', area: polygon(square(0, 0, 200)), offsetM: -20, altitudeM: 30, loops: 3, speedMps: 6 });
    const items = p.missionItems;
    expect(items[0]).toMatchObject({ command: 'NAV_TAKEOFF', altitudeM: 30 });
    expect(items[1]).toMatchObject({ command: 'DO_CHANGE_SPEED', params: [1, 6, -1, 0] });
    expect(items.at(-1)).toMatchObject({ command: 'NAV_RETURN_TO_LAUNCH' });
    const jumpAt = items.findIndex((i) => i.command === 'DO_JUMP');
    const jump = items[jumpAt]!;
    expect(jump.params![1]).toBe(2);
    // the jump target is the waypoint after the loop's start (the loop closes on its start)
    const target = items[jump.params![0]!]!;
    expect(target.command).toBe('NAV_WAYPOINT');
    expect(target).toMatchObject({ lat: items[3]!.lat, lon: items[3]!.lon });
    expect(items[jumpAt - 1]).toMatchObject({ lat: items[2]!.lat, lon: items[2]!.lon });
    // three loops of a 360 m square (the boundary 20 m in)
    expect(p.lengthM).toBeGreaterThan(3 * 1430);
    expect(p.lengthM).toBeLessThan(3 * 1441);
  });

  it('the DO_JUMP target survives the wire conversion and the ArduPilot home shift', () => {
    const items = toMissionItems({ waypoints: [at(0, 0), at(100, 0), at(100, 100)].map((q) => ({ ...q, altitudeM: 40 })), takeoffAltitudeM: 40, loop: { startIndex: 0, endIndex: 2, repeat: 4 } });
    expect(items.map((i) => i.command)).toEqual(['NAV_TAKEOFF', 'NAV_WAYPOINT', 'NAV_WAYPOINT', 'NAV_WAYPOINT', 'DO_JUMP', 'NAV_RETURN_TO_LAUNCH']);
    const wire = ardupilotCopter.toVehicleMission('mission', toWireItems(items));
    const jump = wire.find((w) => w.command === 177)!; // MAV_CMD_DO_JUMP
    expect(wire[jump.param1]!.x).toBe(Math.round(items[1]!.lat! * 1e7));
    expect(jump.param2).toBe(4);
  });

  it('every mission item of every kind of plan is a valid contract MissionItem', () => {
    const area = polygon(square(0, 0, 300), square(0, 0, 40).reverse() as [number, number][]);
    const plans = [
      plan({ kind: 'coverage', area, altitudeM: 40, spacingM: 30, base: at(-400, -400) }),
      plan({ kind: 'perimeter', area, offsetM: -10, altitudeM: 40, loops: 2 }),
      plan({ kind: 'corridor', path: { type: 'LineString', coordinates: [VALLEY.toPosition([0, 0]), VALLEY.toPosition([900, 300])] }, altitudeM: 40, loop: true, loops: 3 }),
      plan({ kind: 'tour', points: [at(0, 0), at(100, 0)], altitudeM: 40, hoverS: 3 }),
    ];
    for (const p of plans) {
      expect(Value.Check(PlanSchema, p), p.kind).toBe(true);
      for (const item of [...p.missionItems, ...(p.sorties ?? []).flatMap((s) => s.missionItems)]) expect(Value.Check(MissionItem, item), JSON.stringify(item)).toBe(true);
    }
  });

  it('a one-stop tour still has a valid LineString route and a mission', () => {
    const p = plan({ kind: 'tour', points: [at(50, 50)], altitudeM: 30, hoverS: 20 });
    expect(Value.Check(PlanSchema, p)).toBe(true);
    expect(p.missionItems.map((i) => i.command)).toEqual(['NAV_TAKEOFF', 'DO_CHANGE_SPEED', 'NAV_WAYPOINT', 'NAV_RETURN_TO_LAUNCH']);
  });

  it('a tour hovers at each stop (NAV_WAYPOINT param1) and counts the hovers in its duration', () => {
    const points = [at(0, 0), at(300, 0), at(300, 300)];
    const still = plan({ kind: 'tour', points, altitudeM: 40 });
    const hover = plan({ kind: 'tour', points, altitudeM: 40, hoverS: 15 });
    expect(hover.missionItems.filter((i) => i.command === 'NAV_WAYPOINT').map((i) => i.params![0])).toEqual([15, 15, 15]);
    expect(hover.durationS - still.durationS).toBeCloseTo(45, 0);
  });
});

describe('figures and batteries', () => {
  it('spacing comes from the camera footprint: width 2·alt·tan(hfov/2), spacing width·(1 − overlap)', () => {
    expect(footprintWidthM(50, 90)).toBeCloseTo(100, 6);
    expect(spacingFromCamera(50, { hfovDeg: 90, sideOverlap: 0.3 })).toBeCloseTo(70, 6);
    const p = plan({ kind: 'coverage', area: polygon(square(0, 0, 150)), altitudeM: 50, camera: { hfovDeg: 90, sideOverlap: 0.3 } });
    expect(p.spacingM).toBe(70);
  });

  it('duration is length at the planned speed plus turns, hovers, climb and descent; battery against endurance', () => {
    const p = plan({ kind: 'corridor', path: { type: 'LineString', coordinates: [VALLEY.toPosition([0, 0]), VALLEY.toPosition([1000, 0])] }, altitudeM: 30, speedMps: 10, airframe: { enduranceS: 1000 } });
    // 2000 m there and back at 10 m/s, one reversal (10/2.5 s), climb 30/2.5 s, descent 30/1.5 s
    expect(p.lengthM).toBeCloseTo(2000, 0);
    expect(p.durationS).toBeCloseTo(200 + 4 + 12 + 20, 0);
    expect(p.batteryPct).toBeCloseTo(23.6, 1);
  });

  it('a plan over one battery is split into sorties that each fit, with a warning that says so', () => {
    const p = plan({ kind: 'coverage', area: polygon(square(0, 0, 600)), altitudeM: 40, spacingM: 30, base: at(-700, -700), airframe: { enduranceS: 900 } });
    expect(p.batteryPct).toBeGreaterThan(75);
    expect(p.sorties!.length).toBeGreaterThanOrEqual(Math.ceil(p.batteryPct / 75));
    for (const s of p.sorties!) {
      expect(s.batteryPct).toBeLessThanOrEqual(75);
      expect(s.missionItems[0]!.command).toBe('NAV_TAKEOFF');
      expect(s.missionItems.at(-1)!.command).toBe('NAV_RETURN_TO_LAUNCH');
    }
    expect(p.warnings.join(' ')).toMatch(/split into \d+ sorties: the plan needs [\d.]+% of a battery, more than the 75% usable with a 25% reserve/);
  });

  it('onTooLong: "refuse" refuses with the reason instead of splitting', () => {
    const request = { kind: 'coverage' as const, area: polygon(square(0, 0, 600)), altitudeM: 40, spacingM: 30, airframe: { enduranceS: 900 }, onTooLong: 'refuse' as const, reservePct: 30 };
    expect(() => plan(request)).toThrow(/refused: the plan needs [\d.]+% of a battery, more than the 70% usable with a 30% reserve/);
    try {
      plan(request);
    } catch (e) {
      expect(e).toBeInstanceOf(PlanningError);
      expect((e as PlanningError).code).toBe('PLAN_INFEASIBLE');
    }
  });
});

describe('patterns', () => {
  it('perimeter offsets inside (negative) and outside (positive) the boundary', () => {
    const inside = planPerimeter({ area: polygon(square(0, 0, 200)), offsetM: -20 });
    const outside = planPerimeter({ area: polygon(square(0, 0, 200)), offsetM: 20 });
    const maxAbs = (xs: [number, number][]) => Math.max(...xs.map((p) => Math.max(Math.abs(p[0]), Math.abs(p[1]))));
    const toValley = (r: typeof inside) => r.loopXY.map((p) => VALLEY.fromLatLon(r.frame.toLatLon(p)));
    expect(maxAbs(toValley(inside))).toBeCloseTo(180, 0);
    expect(maxAbs(toValley(outside))).toBeCloseTo(220, 0);
  });

  it('corridor: there-and-back retraces one side; a loop comes back on the other side', () => {
    const path = { type: 'LineString' as const, coordinates: [VALLEY.toPosition([0, 0]), VALLEY.toPosition([500, 0])] };
    const back = planCorridor({ path, offsetM: 15 });
    const loop = planCorridor({ path, offsetM: 15, loop: true });
    const ys = (r: typeof back) => r.roundXY.map((p) => Math.round(VALLEY.fromLatLon(r.frame.toLatLon(p))[1]));
    expect(new Set(ys(back))).toEqual(new Set([-15]));
    expect(new Set(ys(loop))).toEqual(new Set([-15, 15]));
    expect(loop.roundXY.at(0)).toEqual(loop.roundXY.at(-1));
  });

  it('coverage avoids holes and keeps its turns inside the area', () => {
    const area = polygon(square(0, 0, 200), square(0, 0, 60).reverse() as [number, number][]);
    // the hole is also a no-fly zone, and the area the operating area: any leg over the hole or outside the area would throw
    const p = plan({ kind: 'coverage', area, altitudeM: 40, spacingM: 25 }, { airspace: { operatingArea: polygon(square(0, 0, 200)), noFly: [{ id: 'hole', polygon: polygon(square(0, 0, 60)) }] } });
    expect(p.route!.coordinates.length).toBeGreaterThan(10);
    expect(p.warnings).toEqual([]);
  });

  it('coverage with insetM keeps the whole path that far inside the edges and outside the holes', () => {
    const area = polygon([[-300, -250], [320, -200], [280, 260], [-260, 300]], square(0, 0, 50).reverse() as [number, number][]);
    const c = planCoverage({ area, altitudeM: 50, spacingM: 30, insetM: 8 });
    const rings = area.coordinates.map((r) => VALLEY.ringToXY(r));
    const path = c.pathXY.map((p) => VALLEY.fromLatLon(c.frame.toLatLon(p)));
    for (let i = 1; i < path.length; i++) {
      for (let t = 0; t <= 1; t += 0.05) expect(distanceToRingsM(lerp(path[i - 1]!, path[i]!, t), rings)).toBeGreaterThan(7.5);
    }
  });

  it('each part of splitArea can be covered on its own, inside the part', () => {
    const area = polygon([[-800, -300], [900, -400], [700, 500], [-600, 350]]);
    for (const part of splitArea(area, 3)) {
      const p = plan({ kind: 'coverage', area: part.geometry, altitudeM: 50, spacingM: 60 }, { airspace: { operatingArea: part.geometry.type === 'Polygon' ? part.geometry : null } });
      expect(p.warnings.filter((w) => !/sorties|no base/.test(w))).toEqual([]);
    }
  });

  it('a transit from the base goes round a concave operating area', () => {
    // an L-shaped operating area; the base in one arm, the patrol area in the other
    const ops = polygon([[-1000, -1000], [1000, -1000], [1000, -600], [-600, -600], [-600, 1000], [-1000, 1000]]);
    const p = plan({ kind: 'tour', points: [at(-800, 800)], altitudeM: 40, base: at(800, -800) }, { airspace: { operatingArea: ops } });
    expect(p.route!.coordinates.length).toBeGreaterThan(3);
  });

  it('splitArea cuts an area into n parts of equal area', () => {
    const area = polygon([[-800, -300], [900, -400], [700, 500], [-600, 350]], square(0, 0, 80));
    const parts = splitArea(area, 4);
    expect(parts).toHaveLength(4);
    const total = turfArea(area);
    for (const part of parts) expect(Math.abs(turfArea(part) - total / 4) / total).toBeLessThan(0.002);
  });
});

describe('plan()', () => {
  it('refuses a route through a no-fly zone with AIRSPACE_VIOLATION: leg, zone, depth', () => {
    const airspace = { noFly: [{ id: 'stadium', circle: { center: at(0, 0), radiusM: 100 } }] };
    try {
      plan({ kind: 'corridor', path: { type: 'LineString', coordinates: [VALLEY.toPosition([-500, 0]), VALLEY.toPosition([500, 0])] }, altitudeM: 40 }, { airspace });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(AirspaceViolationError);
      const err = e as AirspaceViolationError;
      expect(err.code).toBe('AIRSPACE_VIOLATION');
      expect(err.violations[0]).toMatchObject({ leg: 0, zoneId: 'stadium', kind: 'enters-no-fly' });
      expect(err.violations[0]!.byM).toBeCloseTo(100, 0);
      expect(err.details).toMatchObject({ leg: 0, zoneId: 'stadium' });
    }
  });

  it('routes the transit from the base round a no-fly zone instead of refusing it', () => {
    const airspace = { noFly: [{ id: 'hospital', polygon: polygon(square(-400, -400, 120)) }] };
    const p = plan({ kind: 'perimeter', area: polygon(square(0, 0, 150)), offsetM: 0, altitudeM: 40, base: at(-800, -800) }, { airspace });
    expect(p.route!.coordinates[0]).toEqual(VALLEY.toPosition([-800, -800]));
    expect(p.route!.coordinates.length).toBeGreaterThan(8);
  });

  it('the request schemas accept every kind and reject a bad one', () => {
    // Fastify's ajv knows date-time; TypeBox's Value.Check needs telling
    if (!FormatRegistry.Has('date-time')) FormatRegistry.Set('date-time', (v) => !Number.isNaN(Date.parse(v)));
    const area = polygon(square(0, 0, 100));
    for (const r of [
      { kind: 'coverage', area, altitudeM: 40, camera: { hfovDeg: 84, sideOverlap: 0.3 } },
      { kind: 'perimeter', area, offsetM: -10, altitudeM: 40, loops: 2 },
      { kind: 'corridor', path: { type: 'LineString', coordinates: [[114.4, 30.5], [114.41, 30.5]] }, altitudeM: 40, loop: true },
      { kind: 'tour', points: [at(0, 0)], altitudeM: 40, hoverS: 5 },
      { kind: 'overwatch', venue: area, pois: [{ ...at(0, 0), priority: 2 }], window: { start: '2026-12-31T18:00:00Z', end: '2026-12-31T20:00:00Z' }, bases: [at(-200, 0)], airframe: { cruiseMps: 10, enduranceS: 1500, swapS: 120 }, altitudeM: 60 },
    ]) {
      expect(Value.Check(PlanRequestUnion, r), r.kind).toBe(true);
    }
    expect(Value.Check(PlanRequestUnion, { kind: 'tour', points: [], altitudeM: 40 })).toBe(false);
    expect(Value.Check(PlanRequestUnion, { kind: 'coverage', area, altitudeM: -5 })).toBe(false);
  });
});
