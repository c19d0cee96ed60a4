import { describe, expect, it } from 'vitest';
import { formatTable, resolveRatios, selectFiles } from '../../bench/lib/report.ts';
import type { BenchRow } from '../../bench/lib/types.ts';

const rows: BenchRow[] = [
  { suite: 'decode', case: 'node-mavlink', value: 100_000, unit: 'frames/s', runs: 5 },
  { suite: 'decode', case: 'eagle-eye', value: 650_000, unit: 'frames/s', baseline: 'node-mavlink', runs: 5, notes: '0 good frames lost of 10' },
  { suite: 'encode', case: 'node-mavlink', value: 500_000, unit: 'frames/s', runs: 5 },
  { suite: 'encode', case: 'eagle-eye', value: 750_000, unit: 'frames/s', baseline: 'node-mavlink', runs: 5 },
  { suite: 'other', case: 'orphan', value: 1, unit: 'x', baseline: 'never measured', runs: 3 },
];

describe('bench runner report', () => {
  it('computes each ratio against the named baseline of the same suite, not another suite', () => {
    const ratios = resolveRatios(rows).map((r) => r.ratio);
    expect(ratios[1]).toBeCloseTo(6.5);
    expect(ratios[3]).toBeCloseTo(1.5);
    expect(ratios[4]).toBeUndefined();
  });

  it('prints ratio rows against their baseline, marks the baseline, and flags a missing one', () => {
    const lines = formatTable(rows).split('\n');
    expect(lines[0]).toMatch(/^\| suite \| case \| value \| ratio \|/);
    expect(lines[2]).toContain('| 100,000 frames/s | baseline |');
    expect(lines[3]).toContain('| 650,000 frames/s | **6.50×** vs node-mavlink |');
    expect(lines[3]).toContain('0 good frames lost of 10');
    expect(lines[5]).toContain('**1.50×** vs node-mavlink');
    expect(lines[6]).toContain('? (baseline "never measured" not measured)');
  });

  it('selects benchmark files by file name or by a suite they declare', () => {
    const files = [{ name: 'codec.bench.ts', suites: ['decode', 'encode'] }, { name: 'simulator.bench.ts' }];
    expect(selectFiles(files, []).map((f) => f.name)).toEqual(['codec.bench.ts', 'simulator.bench.ts']);
    expect(selectFiles(files, ['decode']).map((f) => f.name)).toEqual(['codec.bench.ts']);
    expect(selectFiles(files, ['sim']).map((f) => f.name)).toEqual(['simulator.bench.ts']);
    expect(selectFiles(files, ['nothing'])).toEqual([]);
  });
});
