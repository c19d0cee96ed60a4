import { describe, expect, it } from 'vitest';
import { airspaceFromGeofences, routeAround, validateRoute, type Airspace } from '../../server/planning/index.ts';
import { distanceToRingsM, lerp, polylineLengthM } from '../../server/planning/vec.ts';
import { at, polygon, square, VALLEY } from './helpers.ts';

const box = { id: 'park-no-fly', polygon: polygon(square(0, 0, 100)) };
const airport = { id: 'airport', circle: { center: at(1000, 0), radiusM: 200 } };
const ops = polygon(square(0, 0, 2000));
const airspace: Airspace = { operatingArea: ops, operatingAreaId: 'ops', noFly: [box, airport], ceilingM: 120, floorM: 10 };
const p = (x: number, y: number, altitudeM = 50) => ({ ...at(x, y), altitudeM });

describe('validateRoute', () => {
  it('reports a leg through a no-fly polygon with its leg index, zone id and depth', () => {
    const v = validateRoute([p(-500, -500), p(-500, 0), p(500, 0), p(500, 500)], airspace);
    expect(v).toHaveLength(1);
    expect(v[0]).toMatchObject({ leg: 1, zoneId: 'park-no-fly', kind: 'enters-no-fly' });
    // through the middle of a 200 m square: 100 m from the nearest edge at its deepest
    expect(v[0]!.byM).toBeCloseTo(100, 0);
    const deepest = VALLEY.fromLatLon(v[0]!.point);
    expect(Math.abs(deepest[1])).toBeLessThan(1);
  });

  it('reports the depth inside a circular zone from the closest approach to its centre', () => {
    const v = validateRoute([p(500, 150), p(1500, 150)], airspace);
    expect(v).toEqual([expect.objectContaining({ leg: 0, zoneId: 'airport', kind: 'enters-no-fly' })]);
    expect(v[0]!.byM).toBeCloseTo(50, 1);
  });

  it('reports leaving the operating area by how far outside the leg goes', () => {
    const v = validateRoute([p(1500, 1500), p(2050, 1500)], airspace);
    expect(v).toEqual([expect.objectContaining({ leg: 0, zoneId: 'ops', kind: 'leaves-operating-area' })]);
    expect(v[0]!.byM).toBeCloseTo(50, 0);
  });

  it('reports altitudes above the ceiling and below the floor by how much', () => {
    const v = validateRoute([p(-500, -500, 50), p(-600, -500, 130), p(-700, -500, 5)], airspace);
    expect(v).toEqual([
      expect.objectContaining({ leg: 0, kind: 'above-ceiling', byM: 10 }),
      expect.objectContaining({ leg: 1, kind: 'above-ceiling', byM: 10 }),
      expect.objectContaining({ leg: 1, kind: 'below-floor', byM: 5 }),
    ]);
  });

  it('applies a zone only inside its altitude band, and checks a single point as leg 0', () => {
    const high = { noFly: [{ ...box, floorM: 200 }] };
    expect(validateRoute([p(-500, 0), p(500, 0)], high)).toEqual([]);
    expect(validateRoute([p(0, 0)], { noFly: [box] })).toEqual([expect.objectContaining({ leg: 0, zoneId: 'park-no-fly' })]);
  });

  it('a route that only touches a zone boundary is not a violation', () => {
    expect(validateRoute([p(-300, 100), p(300, 100)], { noFly: [box] })).toEqual([]);
  });
});

describe('routeAround', () => {
  it('goes straight when nothing is in the way', () => {
    const r = routeAround(at(-500, 500), at(500, 500), airspace);
    expect(r.ok && r.path).toHaveLength(2);
  });

  it('returns a path round the zones that validates, barely longer than the tight way round', () => {
    const from = at(-600, 0);
    const to = at(1600, 0);
    const r = routeAround(from, to, airspace);
    if (!r.ok) throw new Error(r.message);
    expect(validateRoute(r.path.map((q) => ({ ...q, altitudeM: 50 })), airspace)).toEqual([]);
    const xy = r.path.map((q) => VALLEY.fromLatLon(q));
    expect(Math.abs(polylineLengthM(xy) - r.lengthM)).toBeLessThan(0.5);
    // 2200 m straight; round the square's corner and the circle it is a little longer
    expect(r.lengthM).toBeGreaterThan(2200);
    expect(r.lengthM).toBeLessThan(2400);
    // keeps (nearly all of) its 10 m margin from both zones
    let closestSquareM = Infinity;
    let closestCircleM = Infinity;
    const centre = VALLEY.fromLatLon(airport.circle.center);
    const squareRing = VALLEY.ringToXY(box.polygon.coordinates[0]!);
    for (let i = 1; i < xy.length; i++) {
      for (let t = 0; t <= 1; t += 0.001) {
        const q = lerp(xy[i - 1]!, xy[i]!, t);
        closestSquareM = Math.min(closestSquareM, distanceToRingsM(q, [squareRing]));
        closestCircleM = Math.min(closestCircleM, Math.hypot(q[0] - centre[0], q[1] - centre[1]) - airport.circle.radiusM);
      }
    }
    expect(closestSquareM).toBeGreaterThan(9.5);
    expect(closestCircleM).toBeGreaterThan(9.5);
  });

  it('starts from a point on the edge of a zone’s margin (where coverage connectors run)', () => {
    // found by the coverage property test: the start lies on an edge of the circle's 32-gon
    const zone = { id: 'nf', circle: { center: at(-107.73, -77.77), radiusM: 96.85 } };
    const r = routeAround({ lat: 30.49929451192717, lon: 114.39999550789767 }, { lat: 30.495953058363238, lon: 114.3953031514919 }, { noFly: [zone] });
    expect(r).toMatchObject({ ok: true, marginM: 10 });
  });

  it('fails with a typed reason when the start is in a zone, the end is outside the area, or there is no way', () => {
    expect(routeAround(at(0, 0), at(500, 500), airspace)).toMatchObject({ ok: false, reason: 'start-in-no-fly', zoneId: 'park-no-fly' });
    expect(routeAround(at(500, 500), at(2500, 0), airspace)).toMatchObject({ ok: false, reason: 'end-outside-operating-area' });
    const wall = { id: 'wall', polygon: polygon([[-50, -2100], [50, -2100], [50, 2100], [-50, 2100]]) };
    expect(routeAround(at(-500, 0), at(500, 0), { operatingArea: ops, noFly: [wall] })).toMatchObject({ ok: false, reason: 'no-path' });
  });

  it('builds an airspace from stored geofences', () => {
    const a = airspaceFromGeofences([
      { id: 'g1', kind: 'operating-area', geometry: ops, ceilingM: 100 },
      { id: 'g2', kind: 'no-fly', name: 'park', geometry: box.polygon },
    ]);
    expect(a).toMatchObject({ operatingAreaId: 'g1', ceilingM: 100, noFly: [{ id: 'g2', name: 'park' }] });
    expect(validateRoute([p(-500, 0, 110), p(500, 0, 110)], a).map((v) => v.kind)).toEqual(['above-ceiling', 'enters-no-fly']);
  });
});
