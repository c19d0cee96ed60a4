/**
 * Plain helpers for `npm run bench`: the machine header, ratios against a named baseline, and the
 * markdown table (the same text goes to the terminal and into docs/benchmarks.md).
 */
import os from 'node:os';
import type { BenchRow } from './types.ts';

export interface Machine {
  cpu: string;
  cores: number;
  memoryGiB: number;
  node: string;
  platform: string;
  loadAverage: number[];
  date: string;
}

export function describeMachine(now: Date = new Date()): Machine {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model.trim() ?? 'unknown',
    cores: cpus.length,
    memoryGiB: os.totalmem() / 2 ** 30,
    node: process.version,
    platform: `${os.platform()} ${os.arch()}`,
    loadAverage: os.loadavg(),
    date: now.toISOString().replace(/\.\d+Z$/, 'Z'),
  };
}

export function formatMachine(m: Machine): string {
  return [
    `- CPU: ${m.cpu}, ${m.cores} cores`,
    `- Memory: ${m.memoryGiB.toFixed(1)} GiB`,
    `- Node: ${m.node} (${m.platform})`,
    `- Date: ${m.date}, load average at start ${m.loadAverage.map((l) => l.toFixed(2)).join(' / ')}`,
  ].join('\n');
}

/**
 * Fill in `ratio` = value / baseline value for rows that name a `baseline` case of the same suite
 * and carry no ratio of their own. A baseline that is not among the rows leaves the ratio unset.
 */
export function resolveRatios(rows: BenchRow[]): BenchRow[] {
  return rows.map((row) => {
    if (row.baseline === undefined || row.ratio !== undefined) return row;
    const base = rows.find((r) => r.suite === row.suite && r.case === row.baseline);
    if (!base || base.value === 0) return row;
    return { ...row, ratio: row.value / base.value };
  });
}

/** 1234567 → "1,234,567"; 12.345 → "12.3"; 0.01234 → "0.0123". */
export function formatNumber(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  const abs = Math.abs(n);
  if (abs >= 100) return Math.round(n).toLocaleString('en-US');
  if (abs === 0) return '0';
  return Number(n.toPrecision(3)).toString();
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

export function formatRatioCell(row: BenchRow, rows: BenchRow[]): string {
  if (row.baseline !== undefined) {
    if (row.ratio === undefined) return `? (baseline "${row.baseline}" not measured)`;
    return `**${row.ratio.toFixed(2)}×** vs ${row.baseline}`;
  }
  const isBaseline = rows.some((r) => r !== row && r.suite === row.suite && r.baseline === row.case);
  return isBaseline ? 'baseline' : '';
}

/** The result table as markdown. Ratios are resolved here, so callers pass raw rows. */
export function formatTable(input: BenchRow[]): string {
  const rows = resolveRatios(input);
  const ms = (v: number | undefined) => (v === undefined ? '' : `${formatNumber(v)} ms`);
  const lines = [
    '| suite | case | value | ratio | p50 | p99 | heap MiB | runs | notes |',
    '|---|---|--:|---|--:|--:|--:|--:|---|',
  ];
  for (const r of rows) {
    lines.push('| ' + [
      r.suite,
      r.case,
      `${formatNumber(r.value)} ${r.unit}`,
      formatRatioCell(r, rows),
      ms(r.p50Ms),
      ms(r.p99Ms),
      r.memoryMiB === undefined ? '' : r.memoryMiB.toFixed(1),
      String(r.runs),
      r.notes ?? '',
    ].map(cell).join(' | ') + ' |');
  }
  return lines.join('\n');
}

/** Which benchmark files a command line selects: any word matching the file name or a suite it declares. */
export function selectFiles<T extends { name: string; suites?: readonly string[] }>(files: T[], filters: string[]): T[] {
  if (filters.length === 0) return files;
  const words = filters.map((f) => f.toLowerCase());
  return files.filter((f) => words.some((w) => f.name.toLowerCase().includes(w) || (f.suites ?? []).some((s) => s.toLowerCase().includes(w))));
}
