/**
 * Overwatch in a real browser against the real server and simulator: a venue drawn on the map and
 * points of interest clicked (a double-click ends them) are previewed — the stations and their
 * coverage footprints on the map where the plan puts them, the relief schedule as a timeline with a
 * row per station and a bar per sortie — then run with the drones after a confirmation: the
 * simulated drones take off for their stations and the run's status shows who holds each station.
 * The airframe is the operator's: its figures go in the request, a shorter endurance gives the
 * server's plan more sorties, and a value out of bounds is named and keeps Preview off.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimFleet, type SimFleet } from '../../simulator/index.ts';
import { stopAll } from '../helpers/stop-all.ts';
import { startTestServer, TEST_ADMIN_TOKEN, type TestServer } from '../helpers/server.ts';
import { waitFor } from '../helpers/wait-for.ts';
import { clickMap, closestColors, expectOneLanguage, hex, offHost, offset, openBrowser, pagePoint, pagePoints, requireChromium, switchLanguage, type Browser } from './browser.ts';
import { DEMO_BASE } from './load.ts';

const FOOTPRINT = hex('#00796b'); // console/src/map/layers.ts: overwatch-footprint-line

let server: TestServer;
let sim: SimFleet;
let browser: Browser;
/** The first preview (default airframe): its plan. */
let firstPlan: any;

beforeAll(async () => {
  requireChromium();
  server = await startTestServer();
  sim = await startSimFleet({ drones: 3, link: server.mavlink, speedup: 3, positionSettleMs: 1500, seed: 5 });
  await waitFor(async () => { const r = await server.api('GET', '/api/drones'); return r.body.drones.length === 3 && r.body.drones.every((d: any) => d.position); }, { what: 'three drones', timeoutMs: 10_000 });
  browser = await openBrowser();
}, 30_000);

afterAll(async () => {
  await browser?.close();
  await stopAll(sim, server);
});

describe('console: overwatch in Chromium', () => {
  it('previews an overwatch drawn on the map: stations and footprints where the plan puts them, the schedule as a timeline', async () => {
    const { page } = browser;
    await page.emulateMedia({ reducedMotion: 'reduce' });
    await page.goto(`${server.url}/?token=${TEST_ADMIN_TOKEN}&lang=zh-CN`);
    await page.waitForFunction(() => window.__eagle?.ready === true && window.__eagle.store.drones.size === 3, null, { timeout: 20_000 });
    // the venue's south corners stay clear of the legend (bottom left)
    await page.evaluate(([w, s, e, n]) => window.__eagle!.map!.fitBounds([[w!, s!], [e!, n!]], 18), [offset(DEMO_BASE, 0, -220).lon, offset(DEMO_BASE, -330, 0).lat, offset(DEMO_BASE, 0, 220).lon, offset(DEMO_BASE, 220, 0).lat]);
    await page.locator('[data-tab=overwatch]').click();
    await page.locator('[data-command=ow-venue]').click();
    await clickMap(page, [offset(DEMO_BASE, -150, -200), offset(DEMO_BASE, -150, 200), offset(DEMO_BASE, 200, 200), offset(DEMO_BASE, 200, -200)]);
    await page.locator('[data-command=ow-draw-finish]:not([disabled])').click();
    await page.locator('[data-command=ow-pois]').click();
    const pois = [offset(DEMO_BASE, 150, 120), offset(DEMO_BASE, -100, 150), offset(DEMO_BASE, 100, -150)];
    await clickMap(page, pois.slice(0, 2));
    const last = await pagePoint(page, pois[2]!.lon, pois[2]!.lat);
    await page.mouse.dblclick(last.x, last.y);
    await page.locator('[data-test=ow-shape]:not(.hint)').waitFor();
    expect(await page.locator('[data-test=ow-shape]').textContent()).toBe('场馆：4 个角点 · 3 个关注点');
    const startText = await page.locator('[data-test=ow-start]').inputValue();
    expect(startText).toMatch(/^\d\d:\d\d$/); // now, by default
    expect(await page.locator('[data-test=ow-hours]').inputValue()).toBe('2');
    const asked = page.waitForRequest((r) => r.url().endsWith('/api/plans') && r.method() === 'POST');
    await page.locator('[data-command=ow-preview]').click();
    expect((await asked).postDataJSON().airframe).toEqual({ cruiseMps: 10, enduranceS: 1500, swapS: 120 }); // the defaults: the simulated quadcopter
    await page.locator('[data-test=timeline]').waitFor({ timeout: 10_000 });

    const planId = (await page.locator('[data-test=ow-result]').getAttribute('data-plan'))!;
    const plan = (await server.api('GET', `/api/plans/${planId}`)).body;
    firstPlan = plan;
    expect(plan.kind).toBe('overwatch');
    expect(plan.stations.length).toBeGreaterThan(0);
    expect(await page.locator('[data-figure=stations]').textContent()).toBe(String(plan.stations.length));
    expect(await page.locator('[data-figure=fleet]').textContent()).toBe(`${plan.fleetSize}（上限 ${plan.fleetBound}）`);
    // the timeline: a row per station, a bar per sortie, each on its station's row with its slot
    expect(await page.locator('[data-test=timeline] [data-station]').count()).toBe(plan.stations.length);
    expect(await page.locator('[data-test=timeline] .tl-bar').count()).toBe(plan.schedule.length);
    const first = plan.schedule[0];
    expect(await page.locator(`[data-test=timeline] [data-station="${first.stationId}"] .tl-bar[data-slot="${first.drone}"]`).count()).toBeGreaterThan(0);

    // each station drawn at its place, with its footprint's edge radiusM away
    await page.evaluate(() => window.__eagle!.map!.idle());
    const png = await browser.screenshot('console-overwatch-zh');
    const centres = await pagePoints(page, plan.stations, ['overwatch-stations'], 4);
    centres.forEach((c, i) => expect(c.features.map((f) => f.station), `station ${plan.stations[i].id} drawn at its place`).toContain(plan.stations[i].id));
    const edges = await pagePoints(page, plan.stations.map((s: any) => offset(s, 0, s.radiusM)));
    const colours = await closestColors(page, png, edges, 3, FOOTPRINT);
    expect(colours.filter((d) => d >= 40), 'footprints whose edge is not radiusM east of the station').toEqual([]);
    await expectOneLanguage(page, 'zh-CN');
    await switchLanguage(page, 'en');
    expect((await expectOneLanguage(page, 'en')).join(' ')).toContain('Station 1');
    await browser.screenshot('console-overwatch-en');
    await switchLanguage(page, 'zh-CN');
  }, 45_000);

  it('runs it with the drones after a confirmation: they take off, and the status shows who holds each station', async () => {
    const { page } = browser;
    const chosen = await page.locator('[data-test=run-drones] input:checked').count();
    expect(chosen).toBeGreaterThan(0);
    await page.locator('[data-command=ow-run]').click();
    await page.locator('[data-test=confirm-message]').waitFor();
    expect(sim.drones.every((d) => !d.truth().armed)).toBe(true); // nothing moves before the confirmation
    await page.locator('[data-test=confirm-ok]').click();
    await page.locator('[data-test=run-status][data-state=running]').waitFor({ timeout: 15_000 });
    await waitFor(() => sim.drones.some((d) => d.truth().altitudeM > 5), { what: 'a drone takes off for its station', timeoutMs: 20_000, intervalMs: 100 });
    // the status is polled: a station gets its holder once a drone is on station
    await page.locator('[data-test=run-status] tr[data-covered=true]').first().waitFor({ timeout: 40_000 });
    const holder = await page.locator('[data-test=run-status] tr[data-covered=true] [data-test=holder]').first().textContent();
    const run = (await server.api('GET', `/api/plans/${await page.locator('[data-test=ow-result]').getAttribute('data-plan')}/run`)).body;
    expect(run.stations.filter((s: any) => s.holder).map((s: any) => s.holder)).toContain(holder);
    await page.locator('[data-test=timeline] .tl-now').first().waitFor();
    await browser.screenshot('console-overwatch-run-zh');
    await expectOneLanguage(page, 'zh-CN');
    await switchLanguage(page, 'en');
    await expectOneLanguage(page, 'en');
    await switchLanguage(page, 'zh-CN');

    await page.locator('[data-command=ow-stop]').click();
    await page.locator('[data-test=confirm-ok]').click();
    await page.locator('[data-test=run-status][data-state=stopped]').waitFor({ timeout: 15_000 });
    expect(offHost(browser.requests)).toEqual([]);
    expect(browser.errors).toEqual([]);
  }, 60_000);

  it('plans for the airframe entered: out-of-bounds values are named and keep Preview off; a shorter endurance gives more sorties', async () => {
    const { page } = browser;
    const preview = page.locator('[data-command=ow-preview]');
    const error = page.locator('[data-test=ow-airframe-error]');
    await page.locator('[data-test=ow-endurance]').fill('0');
    await page.locator('[data-test=ow-cruise]').fill('');
    expect(await error.textContent()).toBe('巡航速度（米/秒）：请输入 1 到 30 之间的数字。续航时间（分钟）：请输入 2 到 120 之间的数字。');
    expect(await preview.isDisabled()).toBe(true);
    await expectOneLanguage(page, 'zh-CN');
    await switchLanguage(page, 'en');
    expect(await error.textContent()).toBe('Cruise speed (m/s): enter a number from 1 to 30.Endurance (min): enter a number from 2 to 120.');
    await expectOneLanguage(page, 'en');
    await switchLanguage(page, 'zh-CN');

    // 10 min on a battery instead of 25, at 8 m/s, 1.5 min to swap: in the request, and the server plans more sorties
    await page.locator('[data-test=ow-cruise]').fill('8');
    await page.locator('[data-test=ow-endurance]').fill('10');
    await page.locator('[data-test=ow-swap]').fill('1.5');
    expect(await error.isHidden()).toBe(true);
    const asked = page.waitForRequest((r) => r.url().endsWith('/api/plans') && r.method() === 'POST');
    await preview.click();
    expect((await asked).postDataJSON().airframe).toEqual({ cruiseMps: 8, enduranceS: 600, swapS: 90 });
    const result = page.locator(`[data-test=ow-result]:not([data-plan="${firstPlan.id}"])`);
    await result.waitFor({ timeout: 10_000 });
    const planId = (await result.getAttribute('data-plan'))!;
    const plan = (await server.api('GET', `/api/plans/${planId}`)).body;
    expect((server.store.plans.get(planId)!.request as any).airframe).toEqual({ cruiseMps: 8, enduranceS: 600, swapS: 90 }); // planned for it
    expect(plan.schedule.length, 'sorties with a 10 min battery against 25 min').toBeGreaterThan(firstPlan.schedule.length);
    expect(plan.fleetSize).toBeGreaterThanOrEqual(firstPlan.fleetSize);
    expect(await page.locator('[data-figure=sorties]').textContent()).toBe(String(plan.schedule.length));
    expect(await page.locator('[data-test=timeline] .tl-bar').count()).toBe(plan.schedule.length);
  }, 30_000);
});
