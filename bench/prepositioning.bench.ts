/**
 * Prepositioning time: 500 past incidents in six clusters over a 4 km × 4 km district, 10 drones
 * at one base, three no-fly zones (a park, an airport circle, a prison) inside a 5 km operating
 * area; suggestPrepositions in full (free space, ≈1,000 candidate wait points × 500 incidents of
 * path lengths, k-median, assignment). Target: under 200 ms. BENCH_PREPOS_RUNS (default 20) runs
 * after 3 warm-ups; p50 and p99 of them.
 */
import { latencyOf, rng } from './lib/measure.ts';
import type { BenchRow } from './lib/types.ts';
import { suggestPrepositions, type PrepositionInput } from '../server/incidents/prepositioning.ts';
import { LocalFrame } from '../server/planning/index.ts';

export const suites = ['prepositioning', 'incidents'] as const;

const RUNS = Math.max(5, Number(process.env.BENCH_PREPOS_RUNS ?? 20));
const WARMUP = 3;
const VALLEY = new LocalFrame({ lat: 30.5, lon: 114.4 });
const ring = (pts: [number, number][]) => [...pts, pts[0]!].map((p) => VALLEY.toPosition(p));
const square = (cx: number, cy: number, half: number): [number, number][] => [[cx - half, cy - half], [cx + half, cy - half], [cx + half, cy + half], [cx - half, cy + half]];

export function prepositionCase(incidentCount = 500, droneCount = 10): PrepositionInput {
  const random = rng(42);
  const centres: [number, number][] = [[-1500, -1000], [-600, 800], [400, -300], [1200, 1100], [0, 0], [900, -1400]];
  const incidents = Array.from({ length: incidentCount }, () => {
    const [cx, cy] = centres[Math.floor(random() * centres.length)]!;
    return { ...VALLEY.toLatLon([cx + (random() - 0.5) * 800, cy + (random() - 0.5) * 800]), weight: 1 + Math.floor(random() * 3) };
  });
  const drones = Array.from({ length: droneCount }, (_, i) => ({ droneId: `E${String(i + 1).padStart(2, '0')}`, ...VALLEY.toLatLon([-2000 + (i % 2) * 20, -1800]) }));
  return {
    incidents, drones, altitudeM: 50, profile: { cruiseMps: 10, climbMps: 2.5, groundPrepS: 6 },
    airspace: {
      operatingArea: { type: 'Polygon', coordinates: [ring(square(0, 0, 2500))] },
      noFly: [
        { id: 'park', polygon: { type: 'Polygon', coordinates: [ring(square(-200, 300, 250))] } },
        { id: 'airport', circle: { center: VALLEY.toLatLon([1500, -600]), radiusM: 300 } },
        { id: 'prison', polygon: { type: 'Polygon', coordinates: [ring(square(600, 600, 150))] } },
      ],
    },
  };
}

const measure = (fn: () => unknown) => latencyOf(fn, { runs: RUNS, warmup: WARMUP });

export async function run(): Promise<BenchRow[]> {
  const input = prepositionCase();
  const once = suggestPrepositions(input);
  const m = measure(() => suggestPrepositions(input));
  return [{
    suite: 'prepositioning', case: '500 incidents × 10 drones, 3 no-fly zones: suggestPrepositions()',
    value: Number(m.p50.toFixed(1)), unit: 'ms (p50)', p50Ms: m.p50, p99Ms: m.p99, memoryMiB: m.heap, runs: RUNS,
    notes: `target < 200 ms; ${once.candidatesConsidered} candidates, grid ${once.gridM} m; mean time to scene ${once.expected.currentMeanS} s → ${once.expected.suggestedMeanS} s`,
  }];
}
