/** Property tests (fast-check) of the planners' promises. */
import { booleanPointInPolygon, point } from '@turf/turf';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { coverageGaps, planCoverage, planOverwatch, planTour, plan, PlanningError, routeAround, validateRoute } from '../../server/planning/index.ts';
import { at, distanceToPathM, polygon, square, VALLEY } from './helpers.ts';

/**
 * A number in [min, max] to 0.01, uniformly: fc.double is uniform over the bit patterns (so
 * mostly near 0 in a range that spans 0) and biased towards 0 and the bounds besides, which put
 * most random bases inside most random zones.
 */
const num = (min: number, max: number) => fc.noBias(fc.integer({ min: Math.round(min * 100), max: Math.round(max * 100) })).map((v) => v / 100);

/** A star-shaped polygon: n vertices at random radii round a centre (always simple). */
const starPolygon = (minR: number, maxR: number) =>
  fc.record({
    radii: fc.array(num(minR, maxR), { minLength: 3, maxLength: 9 }),
    turn: num(0, Math.PI),
  }).map(({ radii, turn }) => radii.map((r, i) => {
    const a = turn + (2 * Math.PI * i) / radii.length;
    return [r * Math.cos(a), r * Math.sin(a)] as [number, number];
  }));

describe('coverage', () => {
  it('leaves no point of the area farther than half the spacing (+0.5 m) from the flight path', () => {
    fc.assert(
      fc.property(
        starPolygon(150, 500),
        fc.option(fc.record({ x: num(-40, 40), y: num(-40, 40), half: num(10, 60) }), { nil: undefined }),
        num(15, 80),
        fc.option(num(0, 180), { nil: undefined }),
        fc.integer({ min: 1, max: 1_000_000 }),
        (outer, hole, spacingM, angleDeg, seed) => {
          const area = hole ? polygon(outer, square(hole.x, hole.y, hole.half).reverse() as [number, number][]) : polygon(outer);
          const c = planCoverage({ area, altitudeM: 50, spacingM, ...(angleDeg === undefined ? {} : { angleDeg }) });
          const path = c.pathXY.map((p) => VALLEY.fromLatLon(c.frame.toLatLon(p)));
          // random points of the area
          let rnd = seed;
          const next = () => ((rnd = (rnd * 16807) % 2147483647) / 2147483647);
          let checked = 0;
          for (let i = 0; i < 400 && checked < 150; i++) {
            const q: [number, number] = [-500 + 1000 * next(), -500 + 1000 * next()];
            if (!booleanPointInPolygon(point(VALLEY.toPosition(q)), area)) continue;
            checked++;
            const d = distanceToPathM(q, path);
            if (d > spacingM / 2 + 0.5) throw new Error(`point ${q.map((v) => v.toFixed(1))} is ${d.toFixed(2)} m from the path (spacing ${spacingM.toFixed(1)})`);
          }
        },
      ),
      { numRuns: Number(process.env.PLAN_FUZZ_RUNS ?? 40) },
    );
  });
});

describe('no route enters a no-fly zone', () => {
  const zoneArb = fc.array(
    fc.record({ x: num(-800, 800), y: num(-800, 800), r: num(20, 200), circle: fc.boolean() }),
    { minLength: 1, maxLength: 5 },
  ).map((zs) => zs.map((z, i) => (z.circle
    ? { id: `z${i}`, circle: { center: at(z.x, z.y), radiusM: z.r } }
    : { id: `z${i}`, polygon: polygon(square(z.x, z.y, z.r)) })));

  it('routeAround: any path it returns validates against the zones', () => {
    fc.assert(
      fc.property(zoneArb, fc.tuple(num(-1000, 1000), num(-1000, 1000)), fc.tuple(num(-1000, 1000), num(-1000, 1000)), (zones, a, b) => {
        const r = routeAround(at(a[0], a[1]), at(b[0], b[1]), { noFly: zones });
        if (!r.ok) {
          expect(['start-in-no-fly', 'end-in-no-fly', 'no-path']).toContain(r.reason);
          return;
        }
        const v = validateRoute(r.path.map((p) => ({ ...p, altitudeM: 50 })), { noFly: zones });
        expect(v).toEqual([]);
      }),
      { numRuns: Number(process.env.PLAN_FUZZ_RUNS ?? 60) },
    );
  });

  it('coverage and tour plans round a random no-fly circle never enter it', () => {
    fc.assert(
      fc.property(
        fc.record({ x: num(-250, 250), y: num(-250, 250), r: num(20, 120) }),
        fc.array(fc.tuple(num(-600, 600), num(-600, 600)), { minLength: 2, maxLength: 8 }),
        (z, pts) => {
          const airspace = { noFly: [{ id: 'nf', circle: { center: at(z.x, z.y), radiusM: z.r } }] };
          const cov = plan({ kind: 'coverage', area: polygon(square(0, 0, 400)), altitudeM: 40, spacingM: 40, base: at(-450, -450) }, { airspace });
          const route = cov.route!.coordinates.map(([lon, lat]) => ({ lat: lat!, lon: lon!, altitudeM: 40 }));
          expect(validateRoute(route, airspace)).toEqual([]);
          const clear = pts.filter(([x, y]) => Math.hypot(x - z.x, y - z.y) > z.r + 15);
          if (clear.length < 2) return;
          const tour = plan({ kind: 'tour', points: clear.map(([x, y]) => at(x, y)), altitudeM: 40 }, { airspace });
          expect(validateRoute(tour.route!.coordinates.map(([lon, lat]) => ({ lat: lat!, lon: lon!, altitudeM: 40 })), airspace)).toEqual([]);
        },
      ),
      { numRuns: Number(process.env.PLAN_FUZZ_RUNS ?? 25) },
    );
  });
});

describe('overwatch', () => {
  it('schedules leave no station uncovered and hand over with the margin, for any valid input', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(num(-1500, 1500), num(-1500, 1500), fc.integer({ min: 1, max: 3 })), { minLength: 1, maxLength: 25 }),
        fc.array(fc.tuple(num(-2000, 2000), num(-2000, 2000)), { minLength: 1, maxLength: 3 }),
        fc.record({ cruiseMps: num(5, 20), enduranceS: num(900, 3600), swapS: num(0, 900) }),
        num(0.25, 12),
        fc.integer({ min: 0, max: 180 }),
        num(30, 120),
        (pois, bases, airframe, hours, marginS, altitudeM) => {
          const window = { start: '2026-12-31T18:00:00.000Z', end: new Date(Date.parse('2026-12-31T18:00:00.000Z') + hours * 3600_000).toISOString() };
          let o;
          try {
            o = planOverwatch({
              venue: polygon(square(0, 0, 1600)), pois: pois.map(([x, y, priority]) => ({ ...at(x, y), priority })), window,
              bases: bases.map(([x, y]) => at(x, y)), airframe, altitudeM, handoverMarginS: marginS,
            });
          } catch (e) {
            // the only acceptable refusal: a station too far for one battery to hold and hand over
            expect(e).toBeInstanceOf(PlanningError);
            expect((e as PlanningError).code).toBe('PLAN_INFEASIBLE');
            return;
          }
          expect(coverageGaps(o.schedule, o.stations, window, { minOverlapS: marginS - 0.002 })).toEqual([]);
          // every POI is inside a station's footprint
          pois.forEach((_, i) => expect(o.stations.some((s) => s.covers.includes(i))).toBe(true));
          // no drone is in two places: each sortie starts after the drone's previous one ended and it was swapped
          const byDrone = new Map<number, typeof o.schedule>();
          for (const e of o.schedule) byDrone.set(e.drone, [...(byDrone.get(e.drone) ?? []), e]);
          for (const list of byDrone.values()) {
            list.sort((a, b) => Date.parse(a.launchAt) - Date.parse(b.launchAt));
            for (let i = 1; i < list.length; i++) expect(Date.parse(list[i]!.launchAt)).toBeGreaterThanOrEqual(Date.parse(list[i - 1]!.readyAt));
          }
          expect(new Set(o.schedule.map((e) => e.drone)).size).toBe(o.fleetSize);
          expect(o.sortieBatteryPct).toBeLessThanOrEqual(75.01);
        },
      ),
      { numRuns: Number(process.env.PLAN_FUZZ_RUNS ?? 60) },
    );
  });
});

describe('tour', () => {
  it('the tour order is never longer than the input order', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(num(-3000, 3000), num(-3000, 3000)), { minLength: 1, maxLength: 40 }),
        fc.option(fc.tuple(num(-3000, 3000), num(-3000, 3000)), { nil: undefined }),
        (pts, start) => {
          const t = planTour({ points: pts.map(([x, y]) => at(x, y)), ...(start ? { start: at(start[0], start[1]) } : {}) });
          expect([...t.order].sort((a, b) => a - b)).toEqual(pts.map((_, i) => i));
          expect(t.lengthM).toBeLessThanOrEqual(t.inputLengthM + 1e-6);
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('plan()', () => {
  it('returns a plan whose route validates, or refuses with a PlanningError, for random requests of every route kind', () => {
    const xy = fc.tuple(num(-800, 800), num(-800, 800));
    fc.assert(
      fc.property(
        starPolygon(60, 600), fc.constantFrom('coverage', 'perimeter', 'corridor', 'tour'), fc.array(xy, { minLength: 2, maxLength: 6 }),
        num(-80, 80), fc.boolean(), fc.option(xy, { nil: undefined }),
        fc.option(fc.record({ x: num(-700, 700), y: num(-700, 700), r: num(10, 150) }), { nil: undefined }),
        fc.boolean(), fc.boolean(),
        (outer, kind, pts, offsetM, loop, base, zone, squareZone, withArea) => {
          const area = polygon(outer);
          const noFly = zone ? [squareZone ? { id: 'nf', polygon: polygon(square(zone.x, zone.y, zone.r)) } : { id: 'nf', circle: { center: at(zone.x, zone.y), radiusM: zone.r } }] : [];
          const airspace = zone || withArea ? { noFly, ...(withArea ? { operatingArea: polygon(square(0, 0, 900)) } : {}) } : undefined;
          const common = { altitudeM: 40, ...(base ? { base: at(base[0], base[1]) } : {}) };
          const request = kind === 'coverage' ? { kind, area, spacingM: 40, ...common }
            : kind === 'perimeter' ? { kind, area, offsetM, loops: 2, ...common }
            : kind === 'corridor' ? { kind, path: { type: 'LineString' as const, coordinates: pts.map((p) => VALLEY.toPosition(p)) }, offsetM, loop, ...common }
            : { kind, points: pts.map(([x, y]) => at(x, y)), hoverS: 5, ...common };
          try {
            const p = plan(request as Parameters<typeof plan>[0], airspace ? { airspace } : {});
            expect(p.lengthM).toBeGreaterThanOrEqual(0);
            expect(p.missionItems[0]!.command).toBe('NAV_TAKEOFF');
            if (airspace) expect(validateRoute(p.route!.coordinates.map(([lon, lat]) => ({ lat: lat!, lon: lon!, altitudeM: 40 })), airspace)).toEqual([]);
          } catch (e) {
            if (!(e instanceof PlanningError)) throw e;
          }
        },
      ),
      { numRuns: Number(process.env.PLAN_FUZZ_RUNS ?? 80) },
    );
  });
});
