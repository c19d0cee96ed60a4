import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { assignMinCost } from '../../server/incidents/assignment.ts';

function permutationsOf(items: number[], size: number): number[][] {
  if (size === 0) return [[]];
  return items.flatMap((x) => permutationsOf(items.filter((y) => y !== x), size - 1).map((rest) => [x, ...rest]));
}

const total = (cost: number[][], cols: number[]) => cols.reduce((s, c, r) => s + cost[r]![c]!, 0);

describe('assignMinCost', () => {
  it('takes the pairing with the least total, not the greedy one', () => {
    // greedy would give row 0 its cheapest column (0) and leave row 1 with 100
    expect(assignMinCost([[1, 2], [100, 3]])).toEqual([0, 1]);
    expect(assignMinCost([[1, 2], [2, 100]])).toEqual([1, 0]);
  });

  it('leaves columns over when there are more columns than rows', () => {
    expect(assignMinCost([[5, 1, 9]])).toEqual([1]);
    expect(assignMinCost([])).toEqual([]);
  });

  it('finds the least total that trying every assignment finds', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5 }).chain((rows) => fc.integer({ min: rows, max: 6 }).chain((cols) =>
          fc.array(fc.array(fc.integer({ min: 0, max: 1000 }), { minLength: cols, maxLength: cols }), { minLength: rows, maxLength: rows }))),
        (cost) => {
          const cols = assignMinCost(cost);
          expect(new Set(cols).size).toBe(cost.length);
          const best = Math.min(...permutationsOf([...cost[0]!.keys()], cost.length).map((p) => total(cost, p)));
          expect(total(cost, cols)).toBe(best);
        },
      ),
      { numRuns: 200 },
    );
  });
});
