/** Property tests (fast-check) of the planners' promises. */
import { booleanPointInPolygon, point } from '@turf/turf';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { coverageGaps, planCoverage, planOverwatch, planTour, plan, PlanningError, routeAround, validateRoute } from '../../server/planning/index.ts';
import { at, distanceToPathM, polygon, square, VALLEY } from './helpers.ts';

/** A star-shaped polygon: n vertices at random radii round a centre (always simple). */
const starPolygon = (minR: number, maxR: number) =>
  fc.record({
    radii: fc.array(fc.double({ min: minR, max: maxR, noNaN: true }), { minLength: 3, maxLength: 9 }),
    turn: fc.double({ min: 0, max: Math.PI, noNaN: true }),
  }).map(({ radii, turn }) => radii.map((r, i) => {
    const a = turn + (2 * Math.PI * i) / radii.length;
    return [r * Math.cos(a), r * Math.sin(a)] as [number, number];
  }));

describe('coverage', () => {
  it('leaves no point of the area farther than half the spacing (+0.5 m) from the flight path', () => {
    fc.assert(
      fc.property(
        starPolygon(150, 500),
        fc.option(fc.record({ x: fc.double({ min: -40, max: 40, noNaN: true }), y: fc.double({ min: -40, max: 40, noNaN: true }), half: fc.double({ min: 10, max: 60, noNaN: true }) }), { nil: undefined }),
        fc.double({ min: 15, max: 80, noNaN: true }),
        fc.option(fc.double({ min: 0, max: 180, noNaN: true }), { nil: undefined }),
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
    fc.record({ x: fc.double({ min: -800, max: 800, noNaN: true }), y: fc.double({ min: -800, max: 800, noNaN: true }), r: fc.double({ min: 20, max: 200, noNaN: true }), circle: fc.boolean() }),
    { minLength: 1, maxLength: 5 },
  ).map((zs) => zs.map((z, i) => (z.circle
    ? { id: `z${i}`, circle: { center: at(z.x, z.y), radiusM: z.r } }
    : { id: `z${i}`, polygon: polygon(square(z.x, z.y, z.r)) })));

  it('routeAround: any path it returns validates against the zones', () => {
    fc.assert(
      fc.property(zoneArb, fc.tuple(fc.double({ min: -1000, max: 1000, noNaN: true }), fc.double({ min: -1000, max: 1000, noNaN: true })), fc.tuple(fc.double({ min: -1000, max: 1000, noNaN: true }), fc.double({ min: -1000, max: 1000, noNaN: true })), (zones, a, b) => {
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
        fc.record({ x: fc.double({ min: -250, max: 250, noNaN: true }), y: fc.double({ min: -250, max: 250, noNaN: true }), r: fc.double({ min: 20, max: 120, noNaN: true }) }),
        fc.array(fc.tuple(fc.double({ min: -600, max: 600, noNaN: true }), fc.double({ min: -600, max: 600, noNaN: true })), { minLength: 2, maxLength: 8 }),
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
      { numRuns: 25 },
    );
  });
});

describe('overwatch', () => {
  it('schedules leave no station uncovered and hand over with the margin, for any valid input', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.double({ min: -1500, max: 1500, noNaN: true }), fc.double({ min: -1500, max: 1500, noNaN: true }), fc.integer({ min: 1, max: 3 })), { minLength: 1, maxLength: 25 }),
        fc.array(fc.tuple(fc.double({ min: -2000, max: 2000, noNaN: true }), fc.double({ min: -2000, max: 2000, noNaN: true })), { minLength: 1, maxLength: 3 }),
        fc.record({ cruiseMps: fc.double({ min: 5, max: 20, noNaN: true }), enduranceS: fc.double({ min: 900, max: 3600, noNaN: true }), swapS: fc.double({ min: 0, max: 900, noNaN: true }) }),
        fc.double({ min: 0.25, max: 12, noNaN: true }),
        fc.integer({ min: 0, max: 180 }),
        fc.double({ min: 30, max: 120, noNaN: true }),
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
        fc.array(fc.tuple(fc.double({ min: -3000, max: 3000, noNaN: true }), fc.double({ min: -3000, max: 3000, noNaN: true })), { minLength: 1, maxLength: 40 }),
        fc.option(fc.tuple(fc.double({ min: -3000, max: 3000, noNaN: true }), fc.double({ min: -3000, max: 3000, noNaN: true })), { nil: undefined }),
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
    const xy = fc.tuple(fc.double({ min: -800, max: 800, noNaN: true }), fc.double({ min: -800, max: 800, noNaN: true }));
    fc.assert(
      fc.property(
        starPolygon(60, 600), fc.constantFrom('coverage', 'perimeter', 'corridor', 'tour'), fc.array(xy, { minLength: 2, maxLength: 6 }),
        fc.double({ min: -80, max: 80, noNaN: true }), fc.boolean(), fc.option(xy, { nil: undefined }),
        fc.option(fc.record({ x: fc.double({ min: -700, max: 700, noNaN: true }), y: fc.double({ min: -700, max: 700, noNaN: true }), r: fc.double({ min: 10, max: 150, noNaN: true }) }), { nil: undefined }),
        (outer, kind, pts, offsetM, loop, base, zone) => {
          const area = polygon(outer);
          const airspace = zone ? { noFly: [{ id: 'nf', circle: { center: at(zone.x, zone.y), radiusM: zone.r } }] } : undefined;
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
