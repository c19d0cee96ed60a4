/**
 * The console in a real browser against the real server and simulator: it logs in from the token
 * URL, nothing leaves 127.0.0.1, the drones are drawn where the simulator puts them, and a take-off
 * sent from the UI (after its confirmation) makes the simulated drone climb and its state change.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimFleet, type SimFleet } from '../../simulator/index.ts';
import { startTestServer, TEST_ADMIN_TOKEN, type TestServer } from '../helpers/server.ts';
import { waitFor } from '../helpers/wait-for.ts';
import { closestColor, hex, offHost, openBrowser, requireChromium, type Browser } from './browser.ts';

// the console's colours by state (console/src/map/colors.ts)
const GROUND = hex('#1e63d6');
const FLYING = hex('#12a150');

let server: TestServer;
let sim: SimFleet;
let browser: Browser;

beforeAll(async () => {
  requireChromium();
  server = await startTestServer();
  // speedup 3 keeps the server's 1 Hz heartbeat inside the simulator's GCS failsafe
  sim = await startSimFleet({ drones: 2, link: server.mavlink, speedup: 3, positionSettleMs: 1500, seed: 11 });
  await waitFor(async () => { const r = await server.api('GET', '/api/drones'); return r.body.drones.length === 2 && r.body.drones.every((d: any) => d.position); }, { what: 'two drones with positions', timeoutMs: 10_000 });
  browser = await openBrowser();
}, 30_000);

afterAll(async () => {
  await browser?.close();
  await sim?.close();
  await server?.close();
});

/** Where the page draws a lon/lat, in page pixels, and which drones it rendered there. */
async function drawnAt(lon: number, lat: number): Promise<{ x: number; y: number; ids: string[] }> {
  return browser.page.evaluate(([lon, lat]) => {
    const e = window.__eagle!;
    const p = e.map!.project(lon!, lat!);
    const box = document.getElementById('map')!.getBoundingClientRect();
    const ids = e.map!.featuresAt(p, ['drones'], 2).map((f) => String(f.id));
    return { x: box.left + p.x, y: box.top + p.y, ids };
  }, [lon, lat]);
}

async function serverDrones(): Promise<any[]> {
  return (await server.api('GET', '/api/drones')).body.drones;
}

describe('console: map and commands in Chromium', () => {
  it('logs in from the token URL, loads with no request leaving 127.0.0.1, and draws each drone where the simulator puts it', async () => {
    const { page } = browser;
    await page.goto(`${server.url}/?token=${TEST_ADMIN_TOKEN}`);
    await page.waitForFunction(() => window.__eagle?.ready === true && window.__eagle.store.drones.size === 2, null, { timeout: 20_000 });
    expect(new URL(page.url()).search).toBe(''); // the token does not stay in the address bar
    await page.locator('[data-test=fleet] tbody tr').nth(1).waitFor();
    await page.evaluate(() => window.__eagle!.map!.idle());

    const drones = await serverDrones();
    const png = await browser.screenshot('console-map-zh');
    for (let i = 0; i < 2; i++) {
      const truth = sim.drones[i]!.truth();
      const id = drones.find((d) => d.sysid === sim.drones[i]!.sysid)?.id ?? drones[i].id;
      const at = await drawnAt(truth.lon, truth.lat);
      expect(at.ids, `drone ${id} rendered at the simulator's position`).toContain(id);
      expect(await closestColor(page, png, at.x, at.y, 4, GROUND), `the on-ground colour is drawn at drone ${id}`).toBeLessThan(30);
    }
    // a pixel far from every drone is not drone-coloured
    const far = await drawnAt(sim.drones[0]!.truth().lon - 0.0015, sim.drones[0]!.truth().lat);
    expect(await closestColor(page, png, far.x, far.y, 4, GROUND)).toBeGreaterThan(100);

    // hovering a drone names it with its battery; a click on it selects it
    const ids = drones.map((d) => d.id as string);
    const first = await drawnAt(sim.drones[0]!.truth().lon, sim.drones[0]!.truth().lat);
    await page.mouse.move(first.x, first.y);
    const tooltip = page.locator('.tooltip:not([hidden])');
    await tooltip.waitFor({ timeout: 5_000 });
    expect(await tooltip.textContent()).toMatch(new RegExp(`^(${ids.join('|')}) · 电量 100%$`));
    await page.mouse.click(first.x, first.y);
    await page.locator('[data-test=drone-panel] h2').waitFor();
    expect(ids).toContain(await page.evaluate(() => window.__eagle!.store.selectedId));

    expect(offHost(browser.requests)).toEqual([]);
    expect(browser.requests.some((u) => u.startsWith('ws://127.0.0.1'))).toBe(true);
    expect(browser.errors).toEqual([]);
  }, 40_000);

  it('reconnects after the stream drops and starts again from a fresh snapshot', async () => {
    const { page } = browser;
    const before = browser.requests.filter((u) => u.includes('/api/stream')).length;
    await page.evaluate(() => window.__eagle!.stream!.interrupt());
    await page.waitForFunction(() => window.__eagle!.stream!.connects >= 2 && window.__eagle!.store.status.state === 'live', null, { timeout: 10_000 });
    expect(browser.requests.filter((u) => u.includes('/api/stream')).length).toBe(before + 1);
    expect(await page.evaluate(() => window.__eagle!.store.drones.size)).toBe(2);
    await page.locator('[data-test=conn].live').waitFor();
  }, 20_000);

  it('takes off from the drone panel after a confirmation: the simulated drone climbs and the console shows it flying', async () => {
    const { page } = browser;
    const target = sim.drones[0]!;
    const id = (await serverDrones()).find((d) => d.sysid === target.sysid).id as string;
    await page.locator(`[data-test=fleet] tr[data-drone="${id}"]`).click();
    await page.locator('[data-test=drone-panel] [data-command=takeoff]').waitFor();
    await page.locator('[data-test=altitude]').fill('20');
    await page.locator('[data-command=takeoff]').click();
    const question = page.locator('[data-test=confirm-message]');
    await question.waitFor();
    expect(await question.textContent()).toContain(id);
    expect(target.truth().armed).toBe(false); // nothing moves before the confirmation
    await page.locator('[data-test=confirm-ok]').click();

    await page.locator('[data-test=command-result].accepted').waitFor({ timeout: 15_000 });
    await waitFor(() => target.truth().altitudeM > 12, { what: 'the simulated drone climbs', timeoutMs: 20_000, intervalMs: 100 });
    await page.locator(`[data-test=fleet] tr[data-drone="${id}"][data-state=flying]`).waitFor({ timeout: 10_000 });
    await page.locator('[data-test=drone-state][data-state=flying]').waitFor();
    await page.waitForFunction((id) => {
      const e = window.__eagle!;
      const d = e.store.drones.get(id)!;
      const p = e.map!.project(d.position!.lon, d.position!.lat);
      return e.map!.featuresAt(p, ['drones'], 3).some((f) => f.id === id && f.state === 'flying');
    }, id, { timeout: 10_000 });
    await page.evaluate(() => window.__eagle!.map!.idle());
    const d = (await page.evaluate((id) => window.__eagle!.store.drones.get(id)!.position!, id));
    const png = await browser.screenshot('console-flying-zh');
    const at = await drawnAt(d.lon, d.lat);
    expect(await closestColor(page, png, at.x, at.y, 4, FLYING), 'the flying colour where the drone is').toBeLessThan(30);
    expect(await page.locator('[data-test=events] li[data-kind=airborne]').count()).toBeGreaterThan(0);

    const stats = await page.evaluate(() => window.__eagle!.stats);
    expect(stats.mapUpdates).toBeGreaterThan(5);
    expect(offHost(browser.requests)).toEqual([]);
  }, 45_000);

  it('flies to a point clicked on the map, then returns home, each after a confirmation', async () => {
    const { page } = browser;
    const target = sim.drones[0]!;
    const id = (await serverDrones()).find((d) => d.sysid === target.sysid).id as string;
    const start = target.truth();
    const goal = { lat: start.lat + 60 / 111_320, lon: start.lon };
    await page.locator('[data-command=goto]').click();
    await page.locator('[data-command=goto-cancel]').waitFor();
    const at = await drawnAt(goal.lon, goal.lat);
    await page.mouse.click(at.x, at.y);
    const question = page.locator('[data-test=confirm-message]');
    await question.waitFor();
    expect(await question.textContent()).toContain(id);
    await page.locator('[data-test=confirm-ok]').click();
    await page.locator('[data-test=command-result].accepted').waitFor({ timeout: 15_000 });
    const distance = () => Math.hypot((target.truth().lat - goal.lat) * 111_320, (target.truth().lon - goal.lon) * 111_320 * Math.cos((goal.lat * Math.PI) / 180));
    await waitFor(() => distance() < 4, { what: 'the simulated drone reaches the clicked point (±1 px of the map)', timeoutMs: 25_000, intervalMs: 100 });

    await page.locator('[data-command=rtl]').click();
    await page.locator('[data-test=confirm-ok]').click();
    await page.locator(`[data-test=fleet] tr[data-drone="${id}"][data-state=returning]`).waitFor({ timeout: 10_000 });
    await browser.screenshot('console-returning-zh');
    expect(offHost(browser.requests)).toEqual([]);
    expect(browser.errors).toEqual([]);
  }, 45_000);
});
