/**
 * Planning time: a 5 km² coverage area with 10 holes (plan() in full: sweep angle chosen, sweeps,
 * connectors round the holes, figures, sorties, mission items; and planCoverage alone), and a
 * 12-hour overwatch with 20 stations (stations, relief schedule, station missions). Targets: under
 * 50 ms each. BENCH_PLAN_RUNS (default 40) runs per case after 10 warm-ups; p50 and p99 of them;
 * BENCH_PLAN_GC_EACH=1 forces a full GC before every run.
 */
import { latencyOf } from './lib/measure.ts';
import type { BenchRow } from './lib/types.ts';
import { LocalFrame, plan, planCoverage, type CoverageRequest, type OverwatchRequest } from '../server/planning/index.ts';

export const suites = ['planning'] as const;

const RUNS = Math.max(5, Number(process.env.BENCH_PLAN_RUNS ?? 40));
const WARMUP = 10;
/** BENCH_PLAN_GC_EACH=1: a full GC before every run (the cold-code figure, see measure()). */
const GC_EACH = process.env.BENCH_PLAN_GC_EACH === '1';
const VALLEY = new LocalFrame({ lat: 30.5, lon: 114.4 });
const ring = (pts: [number, number][]) => [...pts, pts[0]!].map((p) => VALLEY.toPosition(p));

/** ≈ 2.5 km × 2.05 km (5.1 km²) quadrilateral with 10 building-sized holes. */
export function coverageCase(): CoverageRequest {
  const holes: [number, number][][] = [];
  for (let i = 0; i < 10; i++) {
    const cx = -900 + (i % 5) * 450 + (i % 2) * 60;
    const cy = i < 5 ? -450 : 420;
    holes.push([[cx - 70, cy - 40], [cx - 40, cy + 45], [cx + 60, cy + 40], [cx + 75, cy - 35]].reverse() as [number, number][]);
  }
  return {
    kind: 'coverage', altitudeM: 60, spacingM: 50, speedMps: 12, base: VALLEY.toLatLon([-1400, -1200]),
    area: { type: 'Polygon', coordinates: [ring([[-1250, -1000], [1250, -1100], [1300, 1000], [-1200, 1050]]), ...holes.map(ring)] },
  };
}

/** 20 clusters of 3 points of interest (gates, stages, lanes) over a 1.6 km venue, 12 hours, one base. */
export function overwatchCase(): OverwatchRequest {
  const pois = [];
  for (let i = 0; i < 20; i++) for (let j = 0; j < 3; j++) pois.push({ ...VALLEY.toLatLon([(i % 5) * 300 - 600 + j * 20, Math.floor(i / 5) * 300 - 450 + j * 15]), priority: 1 + (j % 2) });
  return {
    kind: 'overwatch', venue: { type: 'Polygon', coordinates: [ring([[-800, -700], [800, -700], [800, 700], [-800, 700]])] }, pois,
    window: { start: '2026-12-31T10:00:00.000Z', end: '2026-12-31T22:00:00.000Z' }, bases: [VALLEY.toLatLon([-900, 0])],
    airframe: { cruiseMps: 10, enduranceS: 1500, swapS: 120 }, altitudeM: 60,
  };
}

const measure = (fn: () => unknown) => latencyOf(fn, { runs: RUNS, warmup: WARMUP, gcEach: GC_EACH });

export async function run(): Promise<BenchRow[]> {
  const cov = coverageCase();
  const ow = overwatchCase();
  const covPlan = plan(cov);
  const owPlan = plan(ow);
  const rows: BenchRow[] = [];
  const row = (name: string, m: ReturnType<typeof measure>, notes: string): BenchRow => ({
    suite: 'planning', case: name, value: Number(m.p50.toFixed(2)), unit: 'ms (p50)', p50Ms: m.p50, p99Ms: m.p99, memoryMiB: m.heap, runs: RUNS, notes,
  });
  rows.push(row('coverage 5.1 km², 10 holes: plan()', measure(() => plan(cov)),
    `target < 50 ms; spacing 50 m, angle chosen (${covPlan.angleDeg}°), ${covPlan.sweepCount} sweeps, ${covPlan.missionItems.length} items, ${covPlan.sorties?.length ?? 1} sorties`));
  rows.push(row('coverage 5.1 km², 10 holes: planCoverage only', measure(() => planCoverage({ area: cov.area, altitudeM: 60, spacingM: 50 })), 'geometry: angle choice, sweeps, order, connectors'));
  rows.push(row('overwatch 12 h, 20 stations: plan()', measure(() => plan(ow)),
    `target < 50 ms; ${owPlan.stations.length} stations, ${owPlan.schedule.length} sorties, fleet ${owPlan.fleetSize} vs bound ${owPlan.fleetBound}`));
  return rows;
}
