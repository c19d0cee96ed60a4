/**
 * Traffic in a real browser against the real server (short level window and dwell) and simulator:
 * a road created through the API and crawling traffic observed on it turn it jammed; the map draws
 * it red (its rendered feature's level and the screenshot's pixels along it) and the Traffic tab
 * lists it as jammed with its speed against free flow. The junction of two roads is drawn where the
 * server puts it and listed with its roads; stationing drones over the junctions previews a tour
 * through it. An operator sends traffic guidance from a chosen drone and plans a corridor patrol
 * along the road, assigned after a confirmation. One preview at a time: the corridor replaces the
 * tour (its figures, its Assign, its drawing); a slow corridor for the road chosen before is dropped.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimFleet, type SimFleet } from '../../simulator/index.ts';
import { stopAll } from '../helpers/stop-all.ts';
import { startTestServer, TEST_ADMIN_TOKEN, type TestServer } from '../helpers/server.ts';
import { waitFor } from '../helpers/wait-for.ts';
import { closestColors, expectOneLanguage, hex, offHost, offset, openBrowser, pagePoints, requireChromium, switchLanguage, type Browser } from './browser.ts';
import { DEMO_BASE } from './load.ts';

const JAMMED = hex('#d62828'); // console/src/map/colors.ts TRAFFIC_COLORS.jammed
const FREE = hex('#12a150');
const lonLat = (northM: number, eastM: number): [number, number] => { const p = offset(DEMO_BASE, northM, eastM); return [p.lon, p.lat]; };
// a road 80 m north of the base, west to east, and a free one 80 m south
const AVENUE = [lonLat(80, -200), lonLat(80, 0), lonLat(80, 200)];
const SIDE = [lonLat(-80, -200), lonLat(-80, 200)];
// a north–south street crossing the avenue 100 m east of the base: their one junction
const CROSS = [lonLat(160, 100), lonLat(10, 100)];

let server: TestServer;
let sim: SimFleet;
let browser: Browser;
let droneId = '';

beforeAll(async () => {
  requireChromium();
  server = await startTestServer({ EAGLE_TRAFFIC_WINDOW_S: '5', EAGLE_TRAFFIC_DWELL_S: '1' });
  sim = await startSimFleet({ drones: 1, link: server.mavlink, speedup: 3, positionSettleMs: 500, seed: 9, params: { FS_GCS_ENABLE: 0 } });
  droneId = await waitFor(async () => { const r = await server.api('GET', '/api/drones'); return r.body.drones[0]?.position ? r.body.drones[0].id as string : null; }, { what: 'the drone', timeoutMs: 10_000 });
  browser = await openBrowser();
}, 30_000);

/** The plans whose route the map draws (their ids, each once). */
async function planRoutesDrawn(): Promise<string[]> {
  return browser.page.evaluate(() => [...new Set(window.__eagle!.map!.featuresAt({ x: 0, y: 0 }, ['traffic-plan-route'], 5000).map((f) => String(f.planId)))]);
}

afterAll(async () => {
  await browser?.close();
  await stopAll(sim, server);
});

describe('console: traffic in Chromium', () => {
  it('draws a jammed road red and lists it as jammed; guidance and a corridor patrol from the Traffic tab', async () => {
    const { page } = browser;
    await page.emulateMedia({ reducedMotion: 'reduce' });
    const avenue = (await server.api('POST', '/api/roads', { name: '光谷大道（测试）', geometry: { type: 'LineString', coordinates: AVENUE }, freeFlowMps: 16.7, lanes: 2 })).body;
    const side = (await server.api('POST', '/api/roads', { name: '园区支路（测试）', geometry: { type: 'LineString', coordinates: SIDE }, freeFlowMps: 11 })).body;
    const cross = (await server.api('POST', '/api/roads', { name: '高新二路（测试）', geometry: { type: 'LineString', coordinates: CROSS }, freeFlowMps: 11 })).body;
    expect(avenue.id && side.id && cross.id).toBeTruthy();
    const { junctions } = (await server.api('GET', '/api/traffic/junctions')).body;
    expect(junctions).toHaveLength(1);
    const junction = junctions[0];
    expect(junction.roadIds).toEqual([avenue.id, cross.id].sort());
    await page.goto(`${server.url}/?token=${TEST_ADMIN_TOKEN}&lang=zh-CN`);
    await page.waitForFunction(() => window.__eagle?.ready === true && window.__eagle.store.drones.size === 1, null, { timeout: 20_000 });
    await page.locator('[data-tab=traffic]').click();
    await page.locator(`[data-test=traffic-list] tr[data-road="${avenue.id}"][data-level=free]`).waitFor({ timeout: 10_000 });
    // the junction listed with the names of the roads that meet there
    const listedJunction = page.locator('[data-test=junctions] li[data-junction="1"]');
    await listedJunction.waitFor({ timeout: 5_000 });
    expect(await page.locator('[data-test=junctions] li').count()).toBe(1);
    expect(await listedJunction.getAttribute('data-roads')).toBe(junction.roadIds.join(' '));
    const names: Record<string, string> = { [avenue.id]: avenue.name, [cross.id]: cross.name };
    expect(await listedJunction.locator('.raw').allTextContents()).toEqual(junction.roadIds.map((id: string) => names[id]));
    expect(await listedJunction.textContent()).toBe(`路口 1： ${junction.roadIds.map((id: string) => names[id]).join(' × ')}`);

    // crawling traffic and a dense count on the avenue until the server calls it jammed (a `traffic` event)
    const jam = () => server.api('POST', '/api/observations', {
      observations: [0, 1, 2].map((n) => ({ trackId: `car-${n}`, ...offset(DEMO_BASE, 80, -100 + n * 60), at: new Date().toISOString(), source: 'cam-1', speedMps: 0.8, headingDeg: 90 })),
      segmentCounts: [{ roadId: avenue.id, at: new Date().toISOString(), vehicles: 120, meanSpeedMps: 1, source: 'loop-1' }],
    });
    const timer = setInterval(() => { void jam(); }, 400);
    try {
      await page.locator(`[data-test=traffic-list] tr[data-road="${avenue.id}"][data-level=jammed]`).waitFor({ timeout: 15_000 });
    } finally {
      clearInterval(timer);
    }
    const listed = page.locator(`[data-test=traffic-list] tr[data-road="${avenue.id}"]`);
    expect(await listed.textContent()).toMatch(/光谷大道（测试）严重拥堵\d+ \/ 60 千米\/时\d\d:\d\d/);
    expect(await page.locator('[data-test=traffic-list] tbody tr').first().getAttribute('data-road')).toBe(avenue.id); // worst first
    await page.locator('[data-test=events] li[data-kind=traffic]').first().waitFor();

    // the map: the avenue's rendered feature is jammed and drawn red along it; the side road green
    await page.evaluate(([w, s, e, n]) => window.__eagle!.map!.fitBounds([[w!, s!], [e!, n!]], 18), [AVENUE[0]![0], SIDE[0]![1], AVENUE[2]![0], AVENUE[0]![1]]);
    await page.evaluate(() => window.__eagle!.map!.idle());
    const along = [-150, -75, 75, 150].map((e) => offset(DEMO_BASE, 80, e));
    const onSide = [-150, 150].map((e) => offset(DEMO_BASE, -80, e));
    await page.waitForFunction(([lon, lat]) => {
      const m = window.__eagle!.map!;
      return m.featuresAt(m.project(lon!, lat!), ['traffic'], 3).some((f) => f.level === 'jammed');
    }, [along[0]!.lon, along[0]!.lat], { timeout: 5_000 });
    const pts = await pagePoints(page, [...along, ...onSide], ['traffic'], 3);
    expect(pts.slice(0, 4).map((p) => p.features.map((f) => [f.id, f.level]))).toEqual(Array(4).fill([[avenue.id, 'jammed']]));
    expect(pts.slice(4).map((p) => p.features.map((f) => f.level))).toEqual([['free'], ['free']]);
    const png = await browser.screenshot('console-traffic-zh');
    expect((await closestColors(page, png, pts.slice(0, 4), 2, JAMMED)).every((d) => d < 30), 'red along the jammed road').toBe(true);
    expect((await closestColors(page, png, pts.slice(4), 2, FREE)).every((d) => d < 30), 'green along the free road').toBe(true);
    // the junction drawn where the server puts it
    await waitFor(async () => (await pagePoints(page, [junction], ['junctions'], 4))[0]!.features.some((f) => f.junction === 1), { what: 'the junction on the map', timeoutMs: 5_000, intervalMs: 100 });
    await expectOneLanguage(page, 'zh-CN');

    // a route the planning tab shows meanwhile (drawn into its own source, as its preview does)
    const planningRoute = [offset(DEMO_BASE, -200, -200), offset(DEMO_BASE, -200, 200)];
    await page.evaluate((line) => window.__eagle!.map!.setData('plan', { type: 'FeatureCollection', features: [
      { type: 'Feature', properties: { role: 'route', planId: 'planning-tab' }, geometry: { type: 'LineString', coordinates: line } }] }), planningRoute.map((p) => [p.lon, p.lat]));
    // stationing drones over the junctions: a tour through every junction, previewed with its route on the map
    const tourAsked = page.waitForRequest((r) => r.url().endsWith('/api/plans') && r.method() === 'POST');
    await page.locator('[data-command=junction-tour]').click();
    expect((await tourAsked).postDataJSON()).toMatchObject({ kind: 'tour', hoverS: 120, points: [{ lat: junction.lat, lon: junction.lon }] });
    const tourShown = page.locator('[data-test=junction-plan]');
    await tourShown.waitFor({ timeout: 10_000 });
    const tour = (await server.api('GET', `/api/plans/${await tourShown.getAttribute('data-plan')}`)).body;
    expect(tour.kind).toBe('tour');
    const metres = (p: number[]) => Math.hypot((p[1]! - junction.lat) * 111_320, (p[0]! - junction.lon) * 96_000);
    expect(Math.min(...tour.route.coordinates.map(metres)), 'the route passes over the junction').toBeLessThan(2);
    expect(await tourShown.locator('[data-figure=length]').textContent()).toBeTruthy();
    await waitFor(async () => (await pagePoints(page, [junction], ['traffic-plan-route'], 4))[0]!.features.length > 0, { what: 'the tour drawn through the junction', timeoutMs: 5_000, intervalMs: 100 });
    expect(await page.locator('[data-command=junction-assign]').isDisabled()).toBe(true); // no drone chosen yet
    // the traffic tab's preview did not draw over the planning tab's
    const planningDrawn = await pagePoints(page, [offset(DEMO_BASE, -200, 0)], ['plan-route'], 4);
    expect(planningDrawn[0]!.features.map((f) => f.planId)).toEqual(['planning-tab']);
    await expectOneLanguage(page, 'zh-CN');

    // operator: guidance from the chosen drone over the avenue (the request says who and in which language)
    await listed.click();
    await page.locator(`[data-test=road-drones] input[data-drone="${droneId}"]`).check();
    await page.locator('[data-test=road-lang]').selectOption('en');
    const sent = page.waitForResponse((r) => r.url().endsWith(`/api/roads/${avenue.id}/broadcasts`));
    await page.locator('[data-command=road-guidance]').click();
    await page.locator('[data-test=confirm-ok]').click();
    const guidance = await sent;
    expect(guidance.request().postDataJSON()).toEqual({ droneId, lang: 'en' });
    const broadcastId = (await guidance.json()).id as string;
    await page.locator(`[data-test=guidance-results] li[data-drone="${droneId}"]:not([data-result=sending])`).waitFor({ timeout: 10_000 });

    // a corridor patrol along the road, assigned to the chosen drone after a confirmation
    await page.locator('[data-command=road-patrol]').click();
    const planned = page.locator('[data-test=road-plan]');
    await planned.waitFor({ timeout: 10_000 });
    const plan = (await server.api('GET', `/api/plans/${await planned.getAttribute('data-plan')}`)).body;
    expect(plan.kind).toBe('corridor');
    // one preview at a time: the corridor's replaced the tour's figures and Assign, and the map draws the corridor alone
    expect(await page.locator('[data-test=junction-plan], [data-command=junction-assign]').count()).toBe(0);
    await waitFor(async () => (await planRoutesDrawn()).join() === plan.id, { what: 'only the corridor drawn', timeoutMs: 5_000, intervalMs: 100 });
    await page.locator('[data-command=road-assign]').click();
    expect(await page.locator('[data-test=confirm-message]').textContent()).toContain('走廊巡逻');
    await page.locator('[data-test=confirm-ok]').click();
    await page.locator(`[data-test=assign-results] tr[data-drone="${droneId}"][data-result=started]`).waitFor({ timeout: 20_000 });
    await waitFor(() => sim.drones[0]!.truth().armed, { what: 'the drone armed for the patrol', timeoutMs: 15_000, intervalMs: 100 });
    await browser.screenshot('console-traffic-actions-zh');
    await expectOneLanguage(page, 'zh-CN');
    await switchLanguage(page, 'en');
    // (by now the 5 s window may have passed without sightings: the road is free again, and logged so)
    expect(await listed.textContent()).toMatch(/^光谷大道（测试）(jammed|free)/);
    expect(await page.locator('[data-test=events] li[data-kind=traffic]').last().textContent()).toMatch(/光谷大道（测试） Traffic: free → jammed$/);
    await expectOneLanguage(page, 'en');
    await switchLanguage(page, 'zh-CN');

    // a slow answer for the road before is dropped: the avenue's corridor held back until the cross
    // street is chosen, then answered; only the cross street's corridor is ever shown
    await page.evaluate(() => {
      const seen: string[] = (window as unknown as { planIds: string[] }).planIds = [];
      new MutationObserver(() => {
        const id = document.querySelector('[data-test=road-plan]')?.getAttribute('data-plan');
        if (id && seen[seen.length - 1] !== id) seen.push(id);
      }).observe(document.querySelector('[data-test=traffic]')!, { subtree: true, childList: true, attributes: true });
    });
    let release = () => {};
    const held = new Promise<void>((resolve) => { release = resolve; });
    await page.route(`**/api/roads/${avenue.id}/patrol-plan`, async (route) => { await held; await route.continue(); });
    const asked = page.waitForRequest((r) => r.url().endsWith(`/api/roads/${avenue.id}/patrol-plan`));
    await page.locator('[data-command=road-patrol]').click();
    await asked;
    await page.locator(`[data-test=traffic-list] tr[data-road="${cross.id}"]`).click();
    const slow = page.waitForEvent('requestfinished', (r) => r.url().endsWith(`/api/roads/${avenue.id}/patrol-plan`));
    release();
    const slowPlan = (await (await (await slow).response())!.json()).id as string;
    await page.locator('[data-command=road-patrol]').click();
    const crossPlan = await page.locator('[data-test=road-plan]').getAttribute('data-plan', { timeout: 10_000 });
    expect(crossPlan).not.toBe(slowPlan);
    expect(await page.evaluate(() => (window as unknown as { planIds: string[] }).planIds)).toEqual([crossPlan]);
    await waitFor(async () => (await planRoutesDrawn()).join() === crossPlan, { what: 'only the cross street\'s corridor drawn', timeoutMs: 5_000, intervalMs: 100 });
    await page.unrouteAll();
    expect(offHost(browser.requests)).toEqual([]);
    // the guidance has finished playing before the server stops (a broadcast still playing outlives its store)
    await waitFor(async () => ['done', 'failed', 'stopped'].includes((await server.api('GET', `/api/broadcasts/${broadcastId}`)).body.state), { what: 'the guidance broadcast finished', timeoutMs: 15_000, intervalMs: 100 });
  }, 55_000);
});
