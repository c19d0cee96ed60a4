/**
 * Planning in a real browser against the real server and simulator: a coverage area drawn on the
 * map (click per corner, Finish) is previewed — the route is in the map's rendered features and in
 * the screenshot's pixels where the server's plan says, its figures are shown — then assigned to a
 * drone after a confirmation: the simulated drone holds the mission and flies it in AUTO, and its
 * drone panel draws the mission with the current item highlighted. A corridor drawn through a no-fly
 * zone (double-click ends it; Escape on the map drops a drawing, Escape in a field does not) is
 * refused with the leg and the zone, translated. No mixed languages.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MissionType } from '../../simulator/autopilot/mission-item.ts';
import { startSimFleet, type SimFleet } from '../../simulator/index.ts';
import { stopAll } from '../helpers/stop-all.ts';
import { startTestServer, TEST_ADMIN_TOKEN, type TestServer } from '../helpers/server.ts';
import { waitFor } from '../helpers/wait-for.ts';
import { clickMap, closestColor, closestColors, expectOneLanguage, hex, offHost, offset, openBrowser, pagePoint, pagePoints, requireChromium, switchLanguage, type Browser } from './browser.ts';
import { DEMO_BASE } from './load.ts';

const ROUTE = hex('#6a1b9a'); // console/src/map/layers.ts: plan-route
const NO_FLY = offset(DEMO_BASE, 0, -150);
const ZONE_NAME = '禁飞区（测试）';

let server: TestServer;
let sim: SimFleet;
let browser: Browser;
let ids: string[] = [];

beforeAll(async () => {
  requireChromium();
  server = await startTestServer();
  sim = await startSimFleet({ drones: 2, link: server.mavlink, speedup: 3, positionSettleMs: 1500, seed: 7 });
  const drones = await waitFor(async () => { const r = await server.api('GET', '/api/drones'); return r.body.drones.length === 2 && r.body.drones.every((d: any) => d.position) ? r.body.drones : null; }, { what: 'two drones', timeoutMs: 10_000 });
  ids = sim.drones.map((s) => drones.find((d: any) => d.sysid === s.sysid).id);
  const c = (n: number, e: number) => { const p = offset(NO_FLY, n, e); return [p.lon, p.lat]; };
  const square = { type: 'Polygon', coordinates: [[c(-40, -40), c(-40, 40), c(40, 40), c(40, -40), c(-40, -40)]] };
  expect((await server.api('POST', '/api/geofences', { name: ZONE_NAME, kind: 'no-fly', geometry: square })).status).toBe(201);
  browser = await openBrowser();
}, 30_000);

afterAll(async () => {
  await browser?.close();
  await stopAll(sim, server);
});

/** The base, the area north of it and the no-fly zone west of it in view (at once: reduced motion). */
async function showScene(): Promise<void> {
  const sw = offset(DEMO_BASE, -40, -260);
  const ne = offset(DEMO_BASE, 170, 60);
  await browser.page.evaluate(([w, s, e, n]) => window.__eagle!.map!.fitBounds([[w!, s!], [e!, n!]], 18), [sw.lon, sw.lat, ne.lon, ne.lat]);
}

describe('console: planning in Chromium', () => {
  it('previews a coverage area drawn on the map: the route on the map where the plan says, and its figures', async () => {
    const { page } = browser;
    await page.emulateMedia({ reducedMotion: 'reduce' });
    await page.goto(`${server.url}/?token=${TEST_ADMIN_TOKEN}&lang=zh-CN`);
    await page.waitForFunction(() => window.__eagle?.ready === true && window.__eagle.store.drones.size === 2 && window.__eagle.store.zoneNames.size === 1, null, { timeout: 20_000 });
    await showScene();
    await page.locator('[data-tab=planning]').click();
    await page.locator('[data-test=plan-kind]').selectOption('coverage');
    await page.locator('[data-command=plan-draw]').click();
    await page.locator('[data-test=plan-shape].hint').waitFor();
    await clickMap(page, [offset(DEMO_BASE, 60, -80), offset(DEMO_BASE, 60, 20), offset(DEMO_BASE, 150, 20), offset(DEMO_BASE, 150, -80)]);
    await page.locator('[data-command=plan-draw-finish]:not([disabled])').click();
    expect(await page.locator('[data-test=plan-shape]').textContent()).toBe('已绘制区域：4 个角点');
    await page.locator('[data-test=plan-altitude]').fill('30');
    await page.locator('[data-test=plan-option]').fill('25');
    await page.locator('[data-command=plan-preview]').click();
    await page.locator('[data-test=plan-figures]').waitFor({ timeout: 10_000 });

    const planId = (await page.locator('[data-test=plan-result]').getAttribute('data-plan'))!;
    const plan = (await server.api('GET', `/api/plans/${planId}`)).body;
    expect(plan).toMatchObject({ kind: 'coverage', spacingM: 25 });
    expect(plan.missionItems.find((i: any) => i.command === 'NAV_WAYPOINT').altitudeM).toBe(30);
    const figure = (key: string) => page.locator(`[data-figure=${key}]`).textContent();
    expect(await figure('length')).toBe(plan.lengthM >= 1000 ? `${(plan.lengthM / 1000).toFixed(1)} 千米` : `${Math.round(plan.lengthM)} 米`);
    expect(await figure('battery')).toBe(`${Math.round(plan.batteryPct)}%`);
    expect(await figure('duration')).toMatch(/^\d+ 分 \d+ 秒$/);
    expect(await figure('sorties')).toBe('1');

    // the route is drawn where the plan's route runs: rendered features and purple pixels at the middle of its legs
    await page.evaluate(() => window.__eagle!.map!.idle());
    const coords: number[][] = plan.route.coordinates;
    const mids = coords.slice(1).map((p, i) => ({ lon: (p[0]! + coords[i]![0]!) / 2, lat: (p[1]! + coords[i]![1]!) / 2 }));
    const png = await browser.screenshot('console-planning-zh');
    const at = await pagePoints(page, mids, ['plan-route']);
    expect(at.filter((p) => p.features.length === 0), 'legs without a rendered route').toEqual([]);
    const colours = await closestColors(page, png, at, 3, ROUTE);
    expect(colours.filter((d) => d >= 40), 'legs not drawn in the route colour').toEqual([]);
    const away = await pagePoint(page, offset(DEMO_BASE, 100, 45).lon, offset(DEMO_BASE, 100, 45).lat);
    expect(await closestColor(page, png, away.x, away.y, 3, ROUTE), 'no route outside the area').toBeGreaterThan(80);
    // the plan is in the stored plans list, and its route can be shown as a layer
    await page.locator(`input[data-plan="${planId}"]`).check();
    await page.waitForFunction(([lon, lat]) => { const map = window.__eagle!.map!; return map.featuresAt(map.project(lon!, lat!), ['plans-line'], 3).length > 0; }, [mids[1]!.lon, mids[1]!.lat], { timeout: 5_000 });

    await expectOneLanguage(page, 'zh-CN');
    await switchLanguage(page, 'en');
    expect((await expectOneLanguage(page, 'en')).join(' ')).toContain('Battery needed');
    await browser.screenshot('console-planning-en');
    await switchLanguage(page, 'zh-CN');
  }, 45_000);

  it('assigns the plan to a drone after a confirmation: the simulated drone flies it in AUTO, and its panel draws the mission', async () => {
    const { page } = browser;
    const target = sim.drones[0]!;
    await page.locator(`[data-test=assign-drones] input[data-drone="${ids[0]}"]`).check();
    await page.locator('[data-command=plan-assign]').click();
    expect(await page.locator('[data-test=confirm-message]').textContent()).toContain(ids[0]);
    expect(target.copter.missions.items(MissionType.MISSION).length).toBeLessThanOrEqual(1); // only home before the confirmation
    await page.locator('[data-test=confirm-ok]').click();
    await page.locator(`[data-test=assign-results] tr[data-drone="${ids[0]}"][data-result=started]`).waitFor({ timeout: 20_000 });
    const planId = (await page.locator('[data-test=plan-result]').getAttribute('data-plan'))!;
    const plan = (await server.api('GET', `/api/plans/${planId}`)).body;
    expect(target.copter.missions.items(MissionType.MISSION).length).toBe(plan.missionItems.length + 1); // and home
    await waitFor(() => target.truth().modeName === 'AUTO' && target.truth().altitudeM > 5, { what: 'the simulated drone flies the mission', timeoutMs: 20_000, intervalMs: 100 });

    // its panel downloads the mission and draws it, the item it flies to highlighted
    await page.locator(`[data-test=fleet] tr[data-drone="${ids[0]}"]`).click();
    await page.locator('[data-test=mission-current]').waitFor({ timeout: 15_000 });
    expect(await page.locator('[data-test=mission-status]').textContent()).toBe(`共 ${plan.missionItems.length} 项，已在地图上显示`);
    const current = Number(await page.locator('[data-test=mission-current]').getAttribute('data-index'));
    expect(current).toBeGreaterThan(0);
    const wp = plan.missionItems.find((i: any) => i.command === 'NAV_WAYPOINT');
    await page.waitForFunction(([lon, lat]) => { const map = window.__eagle!.map!; return map.featuresAt(map.project(lon!, lat!), ['mission-waypoints'], 6).length > 0; }, [wp.lon, wp.lat], { timeout: 10_000 });
    await page.waitForFunction(() => window.__eagle!.map!.featuresAt({ x: 0, y: 0 }, ['mission-waypoints'], 5000).some((f) => f.current === true), null, { timeout: 15_000 });
    await page.evaluate(() => window.__eagle!.map!.idle());
    await browser.screenshot('console-mission-zh');
    await expectOneLanguage(page, 'zh-CN');
  }, 50_000);

  it('refuses a corridor drawn through a no-fly zone: the leg and the zone, translated, and the route in red', async () => {
    const { page } = browser;
    await page.locator('[data-tab=planning]').click();
    await showScene();
    await page.locator('[data-test=plan-kind]').selectOption('corridor');
    // Escape drops a drawing
    await page.locator('[data-command=plan-draw]').click();
    await clickMap(page, [offset(NO_FLY, 0, -70)]);
    await page.waitForFunction(() => window.__eagle!.map!.featuresAt({ x: 0, y: 0 }, ['draft-vertex'], 5000).length === 1);
    // ... but not an Escape in a field or a select (the operator is editing it): the drawing goes on
    await page.locator('[data-test=plan-altitude]').press('Escape');
    await page.locator('[data-test=plan-kind]').press('Escape');
    expect(await page.locator('[data-command=plan-draw-cancel]').count(), 'still drawing').toBe(1);
    await page.locator('[data-test=map] canvas').first().focus();
    await page.keyboard.press('Escape');
    await page.locator('[data-command=plan-draw]').waitFor();
    expect(await page.locator('[data-test=plan-shape]').textContent()).toBe('尚未绘制');
    await page.waitForFunction(() => window.__eagle!.map!.featuresAt({ x: 0, y: 0 }, ['draft-vertex'], 5000).length === 0);
    // a corridor across the zone, ended with a double-click
    await page.locator('[data-command=plan-draw]').click();
    const from = offset(NO_FLY, 0, -70);
    const to = offset(NO_FLY, 0, 70);
    await clickMap(page, [from]);
    const end = await pagePoint(page, to.lon, to.lat);
    await page.mouse.dblclick(end.x, end.y);
    await page.locator('[data-test=plan-shape]:not(.hint)').waitFor();
    expect(await page.locator('[data-test=plan-shape]').textContent()).toBe('已绘制路线：2 个点');
    await page.locator('[data-command=plan-preview]').click();
    const error = page.locator('[data-test=error][data-code=AIRSPACE_VIOLATION]');
    await error.waitFor({ timeout: 10_000 });
    const text = (await error.textContent())!;
    expect(text).toContain('预览失败：航线或目标进入禁飞区或超出作业区');
    expect(text).toMatch(/第 \d+ 段航线进入禁飞区 \d+ 米：/);
    expect(text).toContain(ZONE_NAME);
    const leg = Number(await page.locator('[data-test=violation]').getAttribute('data-leg'));
    expect(leg).toBeGreaterThan(0);
    await page.waitForFunction(() => window.__eagle!.map!.featuresAt({ x: 0, y: 0 }, ['plan-violation'], 5000).length === 1, null, { timeout: 5_000 });
    await expectOneLanguage(page, 'zh-CN');
    await switchLanguage(page, 'en');
    expect((await expectOneLanguage(page, 'en')).join(' ')).toMatch(/Leg \d+ enters a no-fly zone by \d+ m:/);
    await switchLanguage(page, 'zh-CN');
    expect(offHost(browser.requests)).toEqual([]);
    // the refused preview is the one failed request the page logs
    expect(browser.errors.filter((e) => !e.includes('status of 400'))).toEqual([]);
  }, 30_000);
});
