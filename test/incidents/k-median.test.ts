import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { kMedian } from '../../server/incidents/k-median.ts';

/** Distances between candidate and client points on a line. */
function onALine(candidates: number[], clients: number[]): Float64Array {
  return Float64Array.from(candidates.flatMap((c) => clients.map((x) => Math.abs(c - x))));
}

function costOf(d: Float64Array, n: number, w: Float64Array, chosen: number[]): number {
  let total = 0;
  for (let i = 0; i < n; i++) total += w[i]! * Math.min(...chosen.map((c) => d[c * n + i]!));
  return total;
}

describe('kMedian', () => {
  it('puts one point on each of two groups of clients on a line (hand-checkable)', () => {
    const candidates = [0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100];
    const clients = [8, 10, 12, 88, 90, 92];
    const r = kMedian({ distances: onALine(candidates, clients), candidates: candidates.length, weights: new Float64Array(6).fill(1), k: 2 });
    expect(r.chosen.map((c) => candidates[c]).sort((a, b) => a! - b!)).toEqual([10, 90]);
    expect(r.totalCost).toBeCloseTo(8, 10); // 2 + 0 + 2 on each side
  });

  it('follows the weights: the 1-median sits on the heavier client', () => {
    const candidates = [0, 50, 100];
    const r = kMedian({ distances: onALine(candidates, [0, 100]), candidates: 3, weights: Float64Array.from([1, 3]), k: 1 });
    expect(candidates[r.chosen[0]!]).toBe(100);
    expect(r.totalCost).toBe(100);
  });

  it('returns fewer points than k when fewer are of any use', () => {
    const candidates = [0, 25, 50, 75, 100];
    const r = kMedian({ distances: onALine(candidates, [25, 25, 75]), candidates: 5, weights: new Float64Array(3).fill(1), k: 4 });
    expect(r.chosen.map((c) => candidates[c]).sort((a, b) => a! - b!)).toEqual([25, 75]);
    expect(r.totalCost).toBe(0);
  });

  it('ends swap-optimal: no single swap of a chosen point for another candidate lowers the cost', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 1000 }), fc.integer({ min: 0, max: 1000 })), { minLength: 2, maxLength: 25 }),
        fc.array(fc.tuple(fc.integer({ min: 0, max: 1000 }), fc.integer({ min: 0, max: 1000 }), fc.integer({ min: 1, max: 5 })), { minLength: 1, maxLength: 30 }),
        fc.integer({ min: 1, max: 4 }),
        (cands, clients, k) => {
          const n = clients.length;
          const d = Float64Array.from(cands.flatMap(([cx, cy]) => clients.map(([x, y]) => Math.hypot(cx - x, cy - y))));
          const w = Float64Array.from(clients.map((c) => c[2]));
          const r = kMedian({ distances: d, candidates: cands.length, weights: w, k });
          expect(r.chosen.length).toBeLessThanOrEqual(k);
          expect(new Set(r.chosen).size).toBe(r.chosen.length);
          const cost = costOf(d, n, w, r.chosen);
          expect(Math.abs(cost - r.totalCost)).toBeLessThan(1e-6 * Math.max(1, cost));
          for (let out = 0; out < r.chosen.length; out++) {
            for (let c = 0; c < cands.length; c++) {
              if (r.chosen.includes(c)) continue;
              const swapped = r.chosen.map((x, i) => (i === out ? c : x));
              expect(costOf(d, n, w, swapped)).toBeGreaterThanOrEqual(cost - 1e-6 * Math.max(1, cost));
            }
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});
