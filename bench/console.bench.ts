/**
 * The browser console's own cost per stream update, in headless Chromium (Debian's, through
 * playwright-core, SwiftShader WebGL): the real server serves the built console; synthetic drones
 * are fed to the page's store, one telemetry frame (a delta per drone) per animation frame, and the
 * page times applying it and handing the map its data (setData per source, labels) — the method of
 * test/browser/console-load.test.ts (test/browser/load.ts). Not the rasteriser, not the server.
 *
 * Cases, interleaved: 100 drones (the baseline), 1,000 drones at zoom 15 (whole trails, no
 * labels), 1,000 at zoom 17 (labels). BENCH_CONSOLE_RUNS (default 2) runs of BENCH_CONSOLE_FRAMES
 * (default 60) updates per case; p50/p95/p99 over all of them. A 1280×800 window: the software
 * rasteriser's frames (not measured, but waited for) are the run's wall time. The console is built
 * first when dist/console is missing or older than console/. Skipped, with a message, when
 * Chromium is not installed.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CHROMIUM, openBrowser } from '../test/browser/browser.ts';
import { measureConsoleLoad, quantile, type LoadResult } from '../test/browser/load.ts';
import { startTestServer, TEST_ADMIN_TOKEN } from '../test/helpers/server.ts';
import type { BenchRow } from './lib/types.ts';

export const suites = ['console', 'browser'] as const;

const RUNS = Math.max(1, Number(process.env.BENCH_CONSOLE_RUNS ?? 2));
const FRAMES = Math.max(10, Number(process.env.BENCH_CONSOLE_FRAMES ?? 60));
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BASELINE = '100 drones, zoom 15';

const CASES = [
  { name: BASELINE, drones: 100, zoom: 15 },
  { name: '1,000 drones, zoom 15 (trails, no labels)', drones: 1000, zoom: 15 },
  { name: '1,000 drones, zoom 17 (labels)', drones: 1000, zoom: 17 },
];

function newestMs(dir: string): number {
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    newest = Math.max(newest, e.isDirectory() ? newestMs(p) : statSync(p).mtimeMs);
  }
  return newest;
}

const median = (values: number[]) => quantile(values, 0.5);

/** dist/console as the server serves it, built from the current console/ sources. */
async function ensureBuilt(): Promise<void> {
  const index = join(ROOT, 'dist/console/index.html');
  if (existsSync(index) && statSync(index).mtimeMs >= newestMs(join(ROOT, 'console'))) return;
  console.error('bench/console: building the console (dist/console is missing or older than console/)');
  const { build } = await import('vite');
  await build({ configFile: join(ROOT, 'vite.config.ts'), logLevel: 'warn' });
}

export async function run(): Promise<BenchRow[]> {
  if (!existsSync(CHROMIUM)) {
    const why = `skipped: Chromium is missing at ${CHROMIUM} (apt-get install -y chromium)`;
    console.error(`bench/console: ${why}`);
    return [{ suite: 'console', case: 'cost per stream update', value: 0, unit: 'ms', runs: 0, notes: why }];
  }
  await ensureBuilt();
  const server = await startTestServer();
  const browser = await openBrowser({ viewport: { width: 1280, height: 800 } });
  try {
    const { page } = browser;
    await page.goto(`${server.url}/?token=${TEST_ADMIN_TOKEN}`);
    await page.waitForFunction(() => window.__eagle?.ready === true, null, { timeout: 30_000 });
    const results = new Map<string, LoadResult[]>(CASES.map((c) => [c.name, []]));
    for (let r = 0; r < RUNS; r++) {
      for (const c of CASES) {
        console.error(`bench/console: run ${r + 1}/${RUNS}, ${c.name}`);
        results.get(c.name)!.push(await measureConsoleLoad(page, { drones: c.drones, frames: FRAMES, zoom: c.zoom }));
      }
    }
    const version = (await page.evaluate(() => navigator.userAgent)).match(/Chrome\/[\d.]+/)?.[0] ?? 'Chromium';
    return CASES.map((c): BenchRow => {
      const runs = results.get(c.name)!;
      const all = (key: 'updateMs' | 'applyMs' | 'mapMs') => runs.flatMap((x) => x[key]);
      const ms = (v: number) => Number(v.toFixed(2));
      const last = runs[runs.length - 1]!;
      return {
        suite: 'console', case: c.name, value: ms(quantile(all('updateMs'), 0.5)), unit: 'ms/update (p50)',
        p50Ms: quantile(all('updateMs'), 0.5), p99Ms: quantile(all('updateMs'), 0.99), runs: RUNS,
        ...(c.name === BASELINE ? {} : { baseline: BASELINE }),
        notes: `p95 ${ms(quantile(all('updateMs'), 0.95))} ms; apply ${ms(quantile(all('applyMs'), 0.5))} + map data ${ms(quantile(all('mapMs'), 0.5))} ms (p50); `
          + `${FRAMES} updates per run; ${last.labels} labels, ${last.trailPoints} trail points pushed ${last.trailPushes} times; panels ${ms(last.panelMsPerFrame)} ms/frame (not included); `
          + `page's main thread ${ms(median(runs.map((x) => x.mainThreadMsPerFrame)))} ms/frame in all (map library and rendering included); headless ${version}, SwiftShader WebGL`,
      };
    });
  } finally {
    await browser.close();
    await server.close();
  }
}
