import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PathLengths } from '../../server/incidents/path-lengths.ts';
import { routeAround, type Airspace, type NoFlyZone } from '../../server/planning/index.ts';
import { at, polygon, square, VALLEY } from '../planning/helpers.ts';

const num = (min: number, max: number) => fc.noBias(fc.integer({ min: Math.round(min * 100), max: Math.round(max * 100) })).map((v) => v / 100);

function lengthsIn(airspace: Airspace, altitudeM = 50) {
  return new PathLengths(airspace, { frame: VALLEY, altitudeM, around: [[-1000, -1000], [1000, 1000]] });
}

describe('PathLengths', () => {
  it('is the straight line when nothing is in the way, and goes round a zone that is', () => {
    const zone: NoFlyZone = { id: 'park', polygon: polygon(square(0, 0, 100)) };
    const paths = lengthsIn({ noFly: [zone] });
    const a = paths.site([-500, 300]);
    const b = paths.site([500, 300]);
    expect(paths.lengthM(a, b)).toBeCloseTo(1000, 6);
    const c = paths.site([-500, 0]);
    const d = paths.site([500, 0]);
    const way = routeAround(at(-500, 0), at(500, 0), { noFly: [zone] });
    if (!way.ok) throw new Error(way.message);
    expect(paths.lengthM(c, d)).toBeCloseTo(way.lengthM, 0);
    // round the corners of the 220 m square the margin makes: at least the tight way round those
    expect(paths.lengthM(c, d)).toBeGreaterThan(2 * Math.hypot(390, 110) + 220 - 1);
  });

  it('ignores a zone whose altitude band the flight stays out of', () => {
    const paths = lengthsIn({ noFly: [{ id: 'high', polygon: polygon(square(0, 0, 100)), floorM: 200 }] });
    expect(paths.lengthM(paths.site([-500, 0]), paths.site([500, 0]))).toBeCloseTo(1000, 6);
  });

  it('keeps inside the operating area: round the inside corner of an L-shaped area', () => {
    const area = polygon([[-1000, -1000], [1000, -1000], [1000, 0], [0, 0], [0, 1000], [-1000, 1000]]);
    const paths = lengthsIn({ operatingArea: area });
    const from: [number, number] = [500, -500];
    const to: [number, number] = [-500, 900];
    expect(paths.isFree([500, 500])).toBe(false);
    const way = routeAround(VALLEY.toLatLon(from), VALLEY.toLatLon(to), { operatingArea: area });
    if (!way.ok) throw new Error(way.message);
    // the straight line (1720.5 m) cuts the missing quarter; the way round the inside corner, kept
    // 10 m off it on an arc, is longer than round the corner itself, hypot(500, 500) +
    // hypot(500, 900) = 1736.7 m, and shorter than round (-10, -10), hypot(510, 490) + hypot(490, 910) = 1740.7 m
    const mine = paths.lengthM(paths.site(from), paths.site(to));
    expect(mine).toBeCloseTo(way.lengthM, 0);
    expect(mine).toBeGreaterThan(1736.7);
    expect(mine).toBeLessThan(1740.7);
  });

  it('puts a point inside a zone on the nearest edge of the free space (zone plus margin)', () => {
    const paths = lengthsIn({ noFly: [{ id: 'z', circle: { center: at(0, 0), radiusM: 100 } }] });
    const [x, y] = paths.nearestFree([0, 30])!;
    // the circle stands as its circumscribed 32-gon grown by 10 m: 110 m out at an edge's
    // midpoint, 110.53 m at a corner (there is one due north)
    expect(y).toBeGreaterThan(105);
    expect(Math.hypot(x, y)).toBeGreaterThan(109.99);
    expect(Math.hypot(x, y)).toBeLessThan(110.54);
    expect(paths.isFree([x, y])).toBe(true);
    expect(paths.nearestFree([0, 500])).toEqual([0, 500]);
  });

  it('matches routeAround’s length for random points round random zones', () => {
    const zoneArb = fc.array(fc.record({ x: num(-700, 700), y: num(-700, 700), r: num(20, 200), circle: fc.boolean() }), { minLength: 1, maxLength: 5 })
      .map((zs) => zs.map((z, i): NoFlyZone => (z.circle
        ? { id: `z${i}`, circle: { center: at(z.x, z.y), radiusM: z.r } }
        : { id: `z${i}`, polygon: polygon(square(z.x, z.y, z.r)) })));
    const pt = fc.tuple(num(-1000, 1000), num(-1000, 1000));
    let compared = 0;
    fc.assert(
      fc.property(zoneArb, pt, pt, (zones, a, b) => {
        const airspace: Airspace = { noFly: zones };
        const paths = lengthsIn(airspace);
        if (!paths.isFree(a) || !paths.isFree(b)) return;
        const way = routeAround(VALLEY.toLatLon(a), VALLEY.toLatLon(b), airspace);
        const mine = paths.lengthM(paths.site(a), paths.site(b));
        if (!way.ok) {
          // the only failure left for two free points: zones that close a ring round one of them
          expect(way.reason).toBe('no-path');
          expect(mine).toBe(Infinity);
          return;
        }
        if (way.marginM !== 10) return; // routeAround fell back to a thinner margin
        compared++;
        // routeAround measures in a frame centred on its own box (0.2° round everything), which
        // scales east-west lengths by up to ~0.05 % against this one
        expect(Math.abs(mine - way.lengthM)).toBeLessThan(0.05 + 1e-3 * way.lengthM);
      }),
      { numRuns: Number(process.env.PREPOS_FUZZ_RUNS ?? 60) },
    );
    expect(compared).toBeGreaterThan(10);
  });
});
