import { booleanPointInPolygon, point } from '@turf/turf';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { suggestPrepositions, type PrepositionInput, type WaitingDrone } from '../../server/incidents/prepositioning.ts';
import { routeAround, type Airspace, type NoFlyZone } from '../../server/planning/index.ts';
import { at, polygon, square, VALLEY } from '../planning/helpers.ts';

const profile = { cruiseMps: 10, climbMps: 2.5, groundPrepS: 6 };
const ALTITUDE_M = 50;
/** groundPrepS + altitudeM / climbMps: the time to scene of a drone waiting at the scene itself. */
const OVERHEAD_S = 6 + 50 / 2.5;
const xy = (p: { lat: number; lon: number }) => VALLEY.fromLatLon(p);
const drone = (droneId: string, x: number, y: number): WaitingDrone => ({ droneId, ...at(x, y) });
const input = (o: Partial<PrepositionInput> & Pick<PrepositionInput, 'incidents' | 'drones'>): PrepositionInput => ({ airspace: {}, profile, altitudeM: ALTITUDE_M, ...o });

/** Two clusters: the corners of 300 m squares centred 900 m either side of the base's meridian. */
const LEFT: [number, number][] = [[-1050, -150], [-1050, 150], [-750, -150], [-750, 150]];
const RIGHT: [number, number][] = LEFT.map(([x, y]) => [-x, y]);
const BASE: [number, number] = [0, -500];

describe('suggestPrepositions', () => {
  it('sends one drone from the base to each of two incident clusters and cuts the mean time by the hand-computed amount', () => {
    const corners = [...LEFT, ...RIGHT];
    const r = suggestPrepositions(input({ incidents: corners.map(([x, y]) => at(x, y)), drones: [drone('E01', ...BASE), drone('E02', ...BASE)] }));
    const placed = r.suggestions.map((s) => xy(s)).sort((a, b) => a[0] - b[0]);
    // each cluster's 1-median is its centre (a grid point: the box is 2100 m wide, 14 steps of 150 m)
    expect(placed[0]![0]).toBeCloseTo(-900, 0);
    expect(placed[0]![1]).toBeCloseTo(0, 0);
    expect(placed[1]![0]).toBeCloseTo(900, 0);
    expect(placed[1]![1]).toBeCloseTo(0, 0);
    expect(r.suggestions.map((s) => s.moveM)).toEqual([1029.6, 1029.6]); // hypot(900, 500)

    const fromBaseM = corners.map(([x, y]) => Math.hypot(x - BASE[0], y - BASE[1]));
    const currentMeanS = OVERHEAD_S + fromBaseM.reduce((s, d) => s + d, 0) / corners.length / profile.cruiseMps; // 130.0
    const suggestedMeanS = OVERHEAD_S + (150 * Math.SQRT2) / profile.cruiseMps; // every corner 212.1 m from its centre
    expect(r.expected.currentMeanS).toBeCloseTo(currentMeanS, 1);
    expect(r.expected.suggestedMeanS).toBeCloseTo(suggestedMeanS, 1);
    expect(r.expected.improvementMeanS).toBeGreaterThan(0);
    expect(Math.abs(r.expected.improvementMeanS - (currentMeanS - suggestedMeanS))).toBeLessThan(0.15); // 82.8 s
    // p90 by weighted nearest rank: 90 % of 8 equal weights needs the 8th-fastest, the farthest corner
    expect(r.expected.currentP90S).toBeCloseTo(OVERHEAD_S + Math.max(...fromBaseM) / profile.cruiseMps, 1);
    expect(r.incidentsUsed).toBe(8);
  });

  it('counts the way round a no-fly zone between drone and incident at routeAround’s length, not the straight line', () => {
    const zone: NoFlyZone = { id: 'park', polygon: polygon(square(0, 0, 100)) };
    const setup = input({ incidents: [at(500, 0)], drones: [drone('E01', -500, 0)] });
    const open = suggestPrepositions(setup);
    const blocked = suggestPrepositions({ ...setup, airspace: { noFly: [zone] } });
    expect(open.expected.currentMeanS).toBeCloseTo(OVERHEAD_S + 100, 5); // 1000 m straight
    const way = routeAround(at(-500, 0), at(500, 0), { noFly: [zone] });
    if (!way.ok) throw new Error(way.message);
    expect(blocked.expected.currentMeanS).toBeGreaterThan(open.expected.currentMeanS);
    expect(Math.abs(blocked.expected.currentMeanS - (OVERHEAD_S + way.lengthM / profile.cruiseMps))).toBeLessThan(0.1);
    // the move to the scene goes round the zone as well
    expect(blocked.suggestions[0]!.moveM).toBeCloseTo(way.lengthM, 0);
  });

  it('leaves every drone where it is, with no improvement, when there are no incidents', () => {
    const drones = [drone('E01', 0, 0), drone('E02', 300, 0)];
    expect(suggestPrepositions(input({ incidents: [], drones }))).toEqual({
      suggestions: drones.map((d) => ({ ...d, moveM: 0 })),
      expected: { currentMeanS: 0, currentP90S: 0, suggestedMeanS: 0, suggestedP90S: 0, improvementMeanS: 0, currentUnreachable: 0, suggestedUnreachable: 0 },
      incidentsUsed: 0,
    });
  });

  it('moves only as many drones as there are useful wait points; the others stay put', () => {
    // two incident spots (three incidents each) and four drones: two wait points cover everything
    const spots: [number, number][] = [[-400, 0], [400, 300]];
    const incidents = spots.flatMap(([x, y]) => [at(x, y), at(x, y), at(x, y)]);
    const drones = [drone('E01', 0, -600), drone('E02', -50, -600), drone('E03', 1500, 1500), drone('E04', -1500, 1500)];
    const r = suggestPrepositions(input({ incidents, drones }));
    const moved = r.suggestions.filter((s) => s.moveM > 0);
    expect(moved).toHaveLength(2);
    expect(moved.map((s) => xy(s)).map(([x, y]) => [Math.round(x), Math.round(y)]).sort((a, b) => a[0]! - b[0]!)).toEqual(spots);
    for (const s of r.suggestions.filter((q) => q.moveM === 0)) {
      const before = drones.find((d) => d.droneId === s.droneId)!;
      expect({ lat: s.lat, lon: s.lon }).toEqual({ lat: before.lat, lon: before.lon });
    }
    expect(r.expected.suggestedMeanS).toBeCloseTo(OVERHEAD_S, 5);
    expect(r.incidentsUsed).toBe(6);
  });

  it('still counts an incident inside a no-fly zone, reached at the zone’s edge plus the 10 m margin', () => {
    const zone: NoFlyZone = { id: 'prison', polygon: polygon(square(0, 0, 100)) };
    // 60 m north of the zone's centre: the nearest edge is the north one, 40 m away
    const r = suggestPrepositions(input({ incidents: [at(0, 60)], drones: [drone('E01', 0, 1000)], airspace: { noFly: [zone] } }));
    expect(r.incidentsUsed).toBe(1);
    const [x, y] = xy(r.suggestions[0]!);
    expect(Math.abs(x)).toBeLessThan(0.5);
    expect(y).toBeCloseTo(110, 0);
    expect(r.expected.suggestedMeanS).toBeCloseTo(OVERHEAD_S, 5);
    expect(r.expected.currentMeanS).toBeCloseTo(OVERHEAD_S + (1000 - 110) / profile.cruiseMps, 1);
  });

  it('pulls the single wait point to the incident that carries more weight', () => {
    const r = suggestPrepositions(input({ incidents: [{ ...at(-300, 0), weight: 3 }, { ...at(300, 0), weight: 1 }], drones: [drone('E01', 0, -800)] }));
    const [x, y] = xy(r.suggestions[0]!);
    expect(Math.round(x)).toBe(-300);
    expect(Math.round(y)).toBe(0);
    // weighted mean: 3 × 0 m and 1 × 600 m over weight 4 → 150 m
    expect(r.expected.suggestedMeanS).toBeCloseTo(OVERHEAD_S + 15, 1);
    // weighted p90: the heavier incident holds 75 % of the weight, so p90 needs the other one
    expect(r.expected.suggestedP90S).toBeCloseTo(OVERHEAD_S + 60, 1);
  });

  it('pools thousands of incident locations into at most 1,000, still counting every incident', () => {
    // 1,600 distinct locations on a 40 × 40 lattice 25 m apart
    const incidents = Array.from({ length: 1600 }, (_, i) => at((i % 40) * 25, Math.floor(i / 40) * 25));
    const r = suggestPrepositions(input({ incidents, drones: [drone('E01', -500, -500), drone('E02', -500, -500)] }));
    expect(r.incidentsUsed).toBe(1600);
    // grid (8 × 8 points over the 975 m box) + at most 1,000 pooled locations + the base
    expect(r.candidatesConsidered).toBeLessThanOrEqual(64 + 1000 + 1);
    expect(r.expected.suggestedMeanS).toBeLessThan(r.expected.currentMeanS);
  });

  it('gives the same answer for the same input, whatever order the drones come in', () => {
    const incidents = [...LEFT, ...RIGHT, [0, 700] as [number, number]].map(([x, y]) => at(x, y));
    const drones = [drone('E03', ...BASE), drone('E01', ...BASE), drone('E02', 200, -500)];
    const a = suggestPrepositions(input({ incidents, drones }));
    const b = suggestPrepositions(input({ incidents, drones: [...drones].reverse() }));
    expect(suggestPrepositions(input({ incidents, drones }))).toEqual(a);
    const byId = (r: typeof a) => Object.fromEntries(r.suggestions.map((s) => [s.droneId, s]));
    expect(byId(b)).toEqual(byId(a));
    expect(b.suggestions.map((s) => s.droneId)).toEqual(['E02', 'E01', 'E03']);
  });
});

/** A number in [min, max] to 0.01, uniformly (as in test/planning/properties.test.ts). */
const num = (min: number, max: number) => fc.noBias(fc.integer({ min: Math.round(min * 100), max: Math.round(max * 100) })).map((v) => v / 100);
const xyArb = fc.tuple(num(-1000, 1000), num(-1000, 1000));
const zonesArb = fc.array(fc.record({ x: num(-800, 800), y: num(-800, 800), r: num(30, 250), circle: fc.boolean() }), { minLength: 1, maxLength: 4 })
  .map((zs) => zs.map((z, i): NoFlyZone => (z.circle
    ? { id: `z${i}`, circle: { center: at(z.x, z.y), radiusM: z.r } }
    : { id: `z${i}`, polygon: polygon(square(z.x, z.y, z.r)) })));
const caseArb = fc.record({
  zones: zonesArb,
  incidents: fc.array(fc.record({ p: xyArb, weight: fc.option(num(0.5, 5), { nil: undefined }) }), { minLength: 1, maxLength: 30 }),
  drones: fc.array(xyArb, { minLength: 1, maxLength: 4 }),
  gridM: num(120, 400),
});
const OPS = polygon(square(0, 0, 1200));

type Case = typeof caseArb extends fc.Arbitrary<infer T> ? T : never;

function build(c: Case): PrepositionInput {
  const airspace: Airspace = { operatingArea: OPS, noFly: c.zones };
  return {
    airspace, profile, altitudeM: ALTITUDE_M, gridM: c.gridM,
    incidents: c.incidents.map(({ p, weight }) => ({ ...at(p[0], p[1]), ...(weight === undefined ? {} : { weight }) })),
    drones: c.drones.map((p, i) => drone(`E${i + 1}`, p[0], p[1])),
  };
}

function insideZone(p: { lat: number; lon: number }, zone: NoFlyZone): boolean {
  if (zone.circle) {
    const [x, y] = xy(p);
    const [cx, cy] = xy(zone.circle.center);
    return Math.hypot(x - cx, y - cy) < zone.circle.radiusM;
  }
  return booleanPointInPolygon(point([p.lon, p.lat]), zone.polygon!, { ignoreBoundary: true });
}

describe('suggestPrepositions properties', () => {
  it('never sends a drone into a no-fly zone or out of the operating area (a drone that stays keeps its own position)', () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const req = build(c);
        const r = suggestPrepositions(req);
        r.suggestions.forEach((s, i) => {
          if (s.moveM === 0) {
            expect({ lat: s.lat, lon: s.lon }).toEqual({ lat: req.drones[i]!.lat, lon: req.drones[i]!.lon });
            return;
          }
          const zone = c.zones.find((z) => insideZone(s, z));
          if (zone) throw new Error(`${s.droneId} sent to ${xy(s).map((v) => v.toFixed(1))}, inside ${zone.id}`);
          expect(booleanPointInPolygon(point([s.lon, s.lat]), OPS)).toBe(true);
        });
      }),
      { numRuns: Number(process.env.PREPOS_FUZZ_RUNS ?? 25) },
    );
  });

  it('never makes the expected mean time to scene worse than where the drones wait now', () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const r = suggestPrepositions(build(c));
        expect(r.expected.suggestedUnreachable).toBeLessThanOrEqual(r.expected.currentUnreachable!);
        if (r.expected.suggestedUnreachable === r.expected.currentUnreachable) {
          expect(r.expected.suggestedMeanS).toBeLessThanOrEqual(r.expected.currentMeanS);
          expect(r.expected.improvementMeanS).toBeGreaterThanOrEqual(0);
        }
        expect(r.incidentsUsed).toBeLessThanOrEqual(c.incidents.length);
      }),
      { numRuns: Number(process.env.PREPOS_FUZZ_RUNS ?? 25) },
    );
  });
});
