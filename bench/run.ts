/**
 * `npm run bench [-- word...]`: runs every bench/*.bench.ts (or those whose file name, or a suite
 * they declare in `export const suites`, contains one of the words), one after another, and prints
 * the machine and one markdown table to stdout (progress goes to stderr), ready for docs/benchmarks.md.
 */
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describeMachine, formatMachine, formatTable, selectFiles } from './lib/report.ts';
import type { BenchRow } from './lib/types.ts';

interface BenchModule {
  run(): Promise<BenchRow[]>;
  suites?: readonly string[];
}

const benchDir = dirname(fileURLToPath(import.meta.url));

async function main(filters: string[]): Promise<number> {
  const machine = describeMachine();
  const names = readdirSync(benchDir).filter((f) => f.endsWith('.bench.ts')).sort();
  const files: Array<{ name: string; suites?: readonly string[]; mod: BenchModule }> = [];
  for (const name of names) {
    const mod = (await import(pathToFileURL(join(benchDir, name)).href)) as BenchModule;
    if (typeof mod.run !== 'function') throw new Error(`bench/${name} does not export run()`);
    files.push({ name, mod, ...(mod.suites ? { suites: mod.suites } : {}) });
  }
  const selected = selectFiles(files, filters);
  if (selected.length === 0) {
    console.error(`no benchmark matches ${filters.join(' ')}; files: ${names.join(', ')}`);
    return 1;
  }
  const rows: BenchRow[] = [];
  const started = performance.now();
  for (const f of selected) {
    const t0 = performance.now();
    console.error(`bench/${f.name} ...`);
    rows.push(...(await f.mod.run()));
    console.error(`bench/${f.name} done in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  }
  const total = ((performance.now() - started) / 1000).toFixed(1);
  console.log(`### Machine\n\n${formatMachine(machine)}\n`);
  console.log(`### Results (${selected.map((f) => `bench/${f.name}`).join(', ')}; ${total} s)\n`);
  console.log(formatTable(rows));
  return 0;
}

process.exitCode = await main(process.argv.slice(2));
