/**
 * The console's own cost per stream update with 1,000 drones, in Chromium: applying a telemetry
 * frame to the store, and building + handing the map data over (one setData per source per
 * animation frame) with the labels. Synthetic drones are fed to the page's store directly, so only
 * the console's work is measured (not the server, not the simulator; see load.ts). Figures go to
 * test-artifacts/console-load.json. Labels only when zoomed in, trails thinned out when zoomed out.
 * The fleet list renders only the rows in view. And the map adapter's choice: mapbox-gl with a
 * Mapbox token, maplibre-gl without.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, TEST_ADMIN_TOKEN, type TestServer } from '../helpers/server.ts';
import { waitFor } from '../helpers/wait-for.ts';
import { ARTIFACTS, openBrowser, requireChromium, showFleetRow, type Browser } from './browser.ts';
import { measureConsoleLoad, quantile } from './load.ts';

let server: TestServer;
let browser: Browser;

beforeAll(async () => {
  requireChromium();
  server = await startTestServer();
  browser = await openBrowser();
}, 30_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('console: cost per update', () => {
  it('keeps the console\'s work per telemetry frame small with 1,000 moving drones', async () => {
    const { page } = browser;
    await page.goto(`${server.url}/?token=${TEST_ADMIN_TOKEN}`);
    await page.waitForFunction(() => window.__eagle?.ready === true, null, { timeout: 20_000 });
    const r = await measureConsoleLoad(page, { drones: 1000, frames: 40, zoom: 15 });
    const summary = {
      drones: r.drones, frames: r.frames, zoom: r.zoom, updates: r.updates,
      updateMsP50: quantile(r.updateMs, 0.5), updateMsP95: quantile(r.updateMs, 0.95),
      applyMsP50: quantile(r.applyMs, 0.5), mapMsP50: quantile(r.mapMs, 0.5),
      panelMsPerFrame: r.panelMsPerFrame, maxPanelMs: r.maxPanelMs, featuresInView: r.featuresInView, trailPoints: r.trailPoints, trailPushes: r.trailPushes, mainThreadMsPerFrame: r.mainThreadMsPerFrame,
    };
    writeFileSync(join(ARTIFACTS, 'console-load.json'), `${JSON.stringify(summary, null, 2)}\n`);
    console.log('console cost per update, 1,000 drones:', summary);
    // at most one map update per animation frame, however many messages arrived
    expect(r.updates).toBeLessThanOrEqual(r.frames + 1);
    expect(r.updates).toBeGreaterThan(r.frames / 2);
    // the trails (60,000 points) are handed to the map at most every 500 ms, not with every update
    expect(r.trailPushes).toBeGreaterThan(0);
    expect(r.trailPushes).toBeLessThan(r.updates / 2);
    // the budget is 4 ms per update for 1,000 drones on an ordinary machine; this shared,
    // software-rendered test machine gets a looser bound so the test is not flaky (the figure is
    // measured by bench/console.bench.ts and recorded in docs/benchmarks.md)
    expect(summary.updateMsP50).toBeLessThan(16);
    expect(r.panelMsPerFrame).toBeLessThan(16); // the fleet list (4 times a second) and the drone panel
    expect(r.featuresInView).toBeGreaterThan(100); // they are drawn
  }, 50_000);

  it('labels drones with call sign and battery only when zoomed in (in view, capped), and thins the trails out when zoomed out', async () => {
    const { page } = browser;
    // zoomed in: labels for the drones in view, at most MAX_LABELS, one per patch of screen; whole trails
    const near = await measureConsoleLoad(page, { drones: 1000, frames: 12, zoom: 17 });
    expect(near.labels).toBeGreaterThan(10);
    expect(near.labels).toBeLessThanOrEqual(60);
    const shown = await page.evaluate(() => {
      const map = window.__eagle!.map!;
      const box = document.getElementById('map')!.getBoundingClientRect();
      return [...document.querySelectorAll<HTMLElement>('[data-test=drone-labels] .drone-label:not([hidden])')].map((el) => {
        const d = window.__eagle!.store.drones.get(el.dataset.drone!)!;
        const p = map.project(d.position!.lon, d.position!.lat);
        const r = el.getBoundingClientRect();
        return { text: el.textContent, inView: p.x >= 0 && p.y >= 0 && p.x <= box.width && p.y <= box.height, dx: r.left - box.left - p.x, dy: r.top - box.top - p.y, callsign: d.callsign, pct: Math.round(d.battery.remainingPct!) };
      });
    });
    expect(shown.length).toBe(near.labels);
    for (const l of shown) {
      expect(l.text).toBe(`${l.callsign} ${l.pct}%`);
      expect(l.inView).toBe(true);
      expect(Math.abs(l.dx - 13) + Math.abs(l.dy + 9)).toBeLessThan(3); // beside its drone
    }
    await browser.screenshot('console-labels');
    // zoomed out a little: no labels, a quarter of the trail points; further out: no trails
    const mid = await measureConsoleLoad(page, { drones: 1000, frames: 12, zoom: 14 });
    expect(mid.labels).toBe(0);
    expect(mid.trailPoints).toBeLessThan(near.trailPoints / 3);
    expect(mid.trailPoints).toBeGreaterThan(0);
    const far = await measureConsoleLoad(page, { drones: 1000, frames: 12, zoom: 12 });
    expect(far.trailPoints).toBe(0);
    expect(await page.locator('[data-test=drone-labels] .drone-label:not([hidden])').count()).toBe(0);
    console.log('per update p50, ms: zoom 17 (labels)', quantile(near.updateMs, 0.5), 'zoom 14', quantile(mid.updateMs, 0.5), 'zoom 12', quantile(far.updateMs, 0.5));
    expect(quantile(near.updateMs, 0.5)).toBeLessThan(16);
  }, 50_000);

  it('renders only the fleet list rows in view with 1,000 drones: counted, scrolled to the last, filtered to one, refilled when taller, scrolled safely after drones left, its cost recorded', async () => {
    const { page } = browser;
    await page.goto(`${server.url}/?token=${TEST_ADMIN_TOKEN}&lang=zh-CN`); // an empty list: its first render is of all 1,000
    await page.waitForFunction(() => window.__eagle?.ready === true, null, { timeout: 20_000 });
    const r = await measureConsoleLoad(page, { drones: 1000, frames: 4, zoom: 15 });
    const timing = await page.evaluate(() => window.__eagle!.stats.fleetList);
    console.log('fleet list, 1,000 drones: first render', r.firstListMs?.toFixed(1), 'ms; renders', timing);
    expect(r.firstListMs, 'the first render is timed in window.__eagle.stats.fleetList').not.toBeNull();
    expect(timing.renders).toBeGreaterThan(0);
    expect(timing.maxMs).toBeGreaterThanOrEqual(r.firstListMs!);
    expect(r.firstListMs!).toBeLessThan(50); // 1,000 rows built took ≈ 140 ms
    const rows = page.locator('[data-test=fleet] tbody tr');
    expect(await rows.count()).toBeLessThanOrEqual(60);
    expect(await rows.count()).toBeGreaterThan(5);
    expect(await page.locator('[data-test=fleet-count]').textContent()).toBe('1000 架');
    expect(await rows.first().getAttribute('data-drone')).toBe('S0');

    // scrolled to the bottom: the last call sign is rendered, in view
    await page.locator('[data-test=fleet-rows]').evaluate((el) => { el.scrollTop = el.scrollHeight; });
    const last = page.locator('[data-test=fleet] tr[data-drone=S999]');
    await last.waitFor({ timeout: 2_000 });
    expect(await last.locator('td').first().textContent()).toBe('S0999');
    const inView = await page.evaluate(() => {
      const box = document.querySelector('[data-test=fleet-rows]')!.getBoundingClientRect();
      const row = document.querySelector('[data-test=fleet] tr[data-drone=S999]')!.getBoundingClientRect();
      return row.top >= box.top && row.bottom <= box.bottom + 1;
    });
    expect(inView, 'the last row within the list\'s visible box').toBe(true);
    await browser.screenshot('console-fleet-scrolled');
    expect(await rows.count()).toBeLessThanOrEqual(60);

    // filtered to one drone: that row alone, and the count says so; a click selects it
    await page.locator('[data-test=fleet-filter]').fill('S0500');
    await page.waitForFunction(() => document.querySelectorAll('[data-test=fleet] tbody tr').length === 1);
    expect(await rows.first().getAttribute('data-drone')).toBe('S500');
    expect(await page.locator('[data-test=fleet-count]').textContent()).toBe('显示 1/1000 架');
    await rows.first().click();
    await page.waitForFunction(() => window.__eagle!.store.selectedId === 'S500');

    // cleared: a drone far down the list is brought into view by the helper the other tests use
    await page.locator('[data-test=fleet-filter]').fill('');
    await showFleetRow(page, 'S742');
    expect(await page.locator('[data-test=fleet] tr[data-drone=S742] td').first().textContent()).toBe('S0742');
    expect(await rows.count()).toBeLessThanOrEqual(60);

    // a taller window: the taller list is filled down to its bottom at once (no update of the drones
    // needed; at the top, so no scroll anchoring moves the list either)
    const filled = () => page.evaluate(() => {
      const box = document.querySelector('[data-test=fleet-rows]')!.getBoundingClientRect();
      const rendered = document.querySelectorAll('[data-test=fleet] tbody tr');
      return rendered[rendered.length - 1]!.getBoundingClientRect().bottom >= box.bottom;
    });
    await page.locator('[data-test=fleet-rows]').evaluate((el) => { el.scrollTop = 0; });
    await page.locator('[data-test=fleet] tbody tr[data-drone=S0]').waitFor({ timeout: 2_000 });
    expect(await filled()).toBe(true);
    const listHeight = () => page.locator('[data-test=fleet-rows]').evaluate((el) => el.clientHeight);
    const shorter = await listHeight();
    await page.setViewportSize({ width: 1440, height: 1700 });
    await page.waitForFunction((h) => document.querySelector('[data-test=fleet-rows]')!.clientHeight > h + 8 * 28, shorter, { timeout: 2_000 });
    await waitFor(filled, { what: 'the taller list filled', timeoutMs: 2_000, intervalMs: 50 });

    // a snapshot without the first 500 drones, those in view (as after a reconnect), scrolled before
    // the list's next render: no error, and the list then counts the drones left
    const errors = browser.errors.length;
    await page.evaluate(() => {
      const e = window.__eagle!;
      e.store.apply({ type: 'snapshot', drones: [...e.store.drones.values()].filter((d) => Number(d.id.slice(1)) >= 500) });
      const list = document.querySelector('[data-test=fleet-rows]')!;
      list.scrollTop += 28;
      list.dispatchEvent(new Event('scroll'));
    });
    await page.locator('[data-test=fleet-count]', { hasText: '500 架' }).waitFor({ timeout: 2_000 });
    expect(browser.errors.slice(errors)).toEqual([]);
    await page.setViewportSize({ width: 1440, height: 900 });
  }, 40_000);

  it('picks mapbox-gl when a Mapbox token is configured (requests to Mapbox are stopped in the test), maplibre-gl otherwise', async () => {
    expect((await fetch(`${server.url}/config.json`).then((r) => r.json())).mapboxToken).toBeNull();
    const withToken = await startTestServer({ MAPBOX_TOKEN: 'pk.test-token-not-real' });
    const page = await browser.context.newPage();
    const seen: string[] = [];
    try {
      expect(await fetch(`${withToken.url}/config.json`).then((r) => r.json())).toEqual({ mapboxToken: 'pk.test-token-not-real' });
      // nothing may really leave this machine: Mapbox's hosts are answered here with an abort
      await page.route((url) => url.hostname !== '127.0.0.1', (route) => { seen.push(route.request().url()); return route.abort(); });
      page.on('request', (req) => { if (new URL(req.url()).hostname === '127.0.0.1') seen.push(req.url()); });
      await page.goto(`${withToken.url}/?token=${TEST_ADMIN_TOKEN}`);
      await waitForCondition(() => seen.some((u) => /mapbox\.com/.test(u)), 15_000);
      expect(seen.some((u) => /\/assets\/mapbox-gl-[^/]*\.js$/.test(u))).toBe(true);
      expect(seen.some((u) => /\/assets\/maplibre-gl-[^/]*\.js$/.test(u))).toBe(false);
      // the rest of the console does not wait for the map
      await page.locator('[data-test=fleet]').waitFor();
    } finally {
      await page.close();
      await withToken.close();
    }
  }, 40_000);
});

async function waitForCondition(probe: () => boolean, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!probe()) {
    if (Date.now() > until) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}
