/**
 * The console's words and roles in a real browser: a refused take-off shows the server's message
 * and the drone's reason; a lost link is an urgent event; a broadcast from the drone panel (a
 * template, then free text) is said by the simulated loudspeaker; the language switch changes every
 * visible string on every tab (no Chinese left in English, no English left in Chinese, besides data
 * such as call signs and the autopilot's own messages), the incidents, traffic and response-figures
 * tabs included; a viewer logs in with the token field and sees no command controls (no commands, no
 * loudspeaker, no planning, no overwatch, no incident report or close, no traffic guidance or patrol).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimFleet, type SimFleet } from '../../simulator/index.ts';
import { startTestServer, TEST_ADMIN_TOKEN, type TestServer } from '../helpers/server.ts';
import { waitFor } from '../helpers/wait-for.ts';
import { expectOneLanguage, offHost, openBrowser, requireChromium, switchLanguage, type Browser } from './browser.ts';

let server: TestServer;
let sim: SimFleet;
let browser: Browser;
let ids: string[] = [];

beforeAll(async () => {
  requireChromium();
  server = await startTestServer();
  // the position estimate never settles during the test: every arming is refused with its PreArm reason
  sim = await startSimFleet({ drones: 2, link: server.mavlink, speedup: 3, positionSettleMs: 600_000, seed: 4 });
  const drones = await waitFor(async () => { const r = await server.api('GET', '/api/drones'); return r.body.drones.length === 2 && r.body.drones.every((d: any) => d.position) ? r.body.drones : null; }, { what: 'two drones', timeoutMs: 10_000 });
  ids = sim.drones.map((s) => drones.find((d: any) => d.sysid === s.sysid).id);
  // a no-fly zone west of the base and a temporary stopping zone by the avenue, for the map layers
  const square = (lat: number, lon: number, dLat: number, dLon: number) => ({ type: 'Polygon', coordinates: [[[lon - dLon, lat - dLat], [lon + dLon, lat - dLat], [lon + dLon, lat + dLat], [lon - dLon, lat + dLat], [lon - dLon, lat - dLat]]] });
  expect((await server.api('POST', '/api/geofences', { name: '禁飞区（测试）', kind: 'no-fly', geometry: square(NO_FLY.lat, NO_FLY.lon, 0.0003, 0.0003) })).status).toBe(201);
  expect((await server.api('POST', '/api/zones', { name: '临时停车区（测试）', kind: 'temporary-stop', geometry: square(30.4993, 114.41325, 0.0003, 0.00005), maxDwellS: 120 })).status).toBe(201);
  // a road for the Traffic tab
  expect((await server.api('POST', '/api/roads', { name: '高新大道（测试）', geometry: { type: 'LineString', coordinates: [[114.4103, 30.4981], [114.4143, 30.4981]] }, freeFlowMps: 16.7 })).status).toBe(201);
  browser = await openBrowser();
}, 30_000);

const NO_FLY = { lat: 30.4996, lon: 114.4108 };
const CAR = { lat: 30.4993, lon: 114.41325 };

afterAll(async () => {
  await browser?.close();
  await sim?.close();
  await server?.close();
});

describe('console: languages and roles in Chromium', () => {
  it('shows a refused take-off with the server\'s message and the drone\'s reason, and a lost link as an urgent event', async () => {
    const { page } = browser;
    await page.goto(`${server.url}/?token=${TEST_ADMIN_TOKEN}&lang=zh-CN`);
    await page.waitForFunction(() => window.__eagle?.ready === true && window.__eagle.store.drones.size === 2, null, { timeout: 20_000 });
    await page.waitForFunction(([lon, lat]) => {
      const m = window.__eagle!.map!;
      return m.featuresAt(m.project(lon!, lat!), ['geofences-fill']).some((f) => f.kind === 'no-fly');
    }, [NO_FLY.lon, NO_FLY.lat], { timeout: 10_000 });
    await page.locator(`[data-test=fleet] tr[data-drone="${ids[0]}"]`).click();
    await page.locator('[data-test=altitude]').fill('25');
    await page.locator('[data-command=takeoff]').click();
    await page.locator('[data-test=confirm-ok]').click();
    const result = page.locator('[data-test=command-result].error');
    await result.waitFor({ timeout: 15_000 });
    const text = (await result.textContent())!;
    expect(text).toContain('起飞失败：无人机拒绝了指令');
    // the server's message and the drone's own reason, as the API gives them for the same command
    const direct = await server.api('POST', `/api/drones/${ids[0]}/commands`, { type: 'takeoff', altitudeM: 25 });
    expect(direct.status).toBe(409);
    expect(direct.body.error.details.reason).toBeTruthy();
    expect(text).toContain(`服务器信息：${direct.body.error.message}`);
    expect(text).toContain(`原因：${direct.body.error.details.reason}`);
    expect(sim.drones[0]!.truth().armed).toBe(false);

    // a car overstays in the stopping zone: the advisory case appears on the map where it was seen
    const now = Date.now();
    const seen = (agoS: number) => ({ trackId: '鄂A·12345', lat: CAR.lat, lon: CAR.lon, at: new Date(now - agoS * 1000).toISOString(), source: 'cam-1' });
    const obs = await server.api('POST', '/api/observations', { observations: [seen(400), seen(200), seen(1)] });
    expect(obs.status).toBe(202);
    expect(obs.body.opened.length).toBe(1);
    await page.waitForFunction(([lon, lat]) => {
      const m = window.__eagle!.map!;
      return m.featuresAt(m.project(lon!, lat!), ['advisories'], 3).length > 0;
    }, [CAR.lon, CAR.lat], { timeout: 10_000 });

    sim.injectFault(1, { kind: 'link-drop', durationS: 120 });
    await page.locator(`[data-test=fleet] tr[data-drone="${ids[1]}"][data-state=lost]`).waitFor({ timeout: 15_000 });
    await page.locator('[data-test=events] li.urgent[data-kind=link-lost]').waitFor({ timeout: 5_000 });

    // the fleet list sorts by state (most urgent first) and filters by what it shows
    await page.locator('[data-test=fleet-sort]').selectOption('state');
    await page.waitForFunction((id) => document.querySelector('[data-test=fleet] tbody tr')?.getAttribute('data-drone') === id, ids[1]);
    await page.locator('[data-test=fleet-filter]').fill('失联');
    await page.locator(`[data-test=fleet] tr[data-drone="${ids[0]}"]`).waitFor({ state: 'hidden' });
    expect(await page.locator('[data-test=fleet] tbody tr:not([hidden])').count()).toBe(1);
    expect(await page.locator('[data-test=fleet-count]').textContent()).toBe('显示 1/2 架');
    await page.locator('[data-test=fleet-filter]').fill('');
    await page.locator('[data-test=fleet-sort]').selectOption('callsign');
    await page.locator(`[data-test=fleet] tr[data-drone="${ids[0]}"]`).waitFor();
    expect(offHost(browser.requests)).toEqual([]);
  }, 40_000);

  it('broadcasts from the drone panel after a confirmation: a template in English, then free text in Chinese, said by the simulated loudspeaker', async () => {
    const { page } = browser;
    const speaker = sim.speaker(0)!;
    await page.locator('[data-test=broadcast-template]').selectOption('parking-advisory');
    await page.locator('[data-param=plate]').fill('鄂A·12345');
    await page.locator('[data-test=broadcast-lang]').selectOption('en');
    await page.locator('[data-test=broadcast-volume]').fill('60');
    expect(await page.locator('[data-test=broadcast-preview] q').textContent()).toContain('Would 鄂A·12345 please move on now');
    await page.locator('[data-command=broadcast]').click();
    expect(await page.locator('[data-test=confirm-message]').textContent()).toContain(ids[0]);
    expect(speaker.records()).toEqual([]); // nothing is said before the confirmation
    await page.locator('[data-test=confirm-ok]').click();
    await page.locator('[data-test=broadcast-result][data-state=done]').waitFor({ timeout: 30_000 });
    expect(await page.locator('[data-test=broadcast-result]').textContent()).toBe('喊话：完成');
    const [said] = speaker.records();
    expect(said).toMatchObject({ lang: 'en', volume: 60, repeat: 1, outcome: 'done' });
    expect(said!.text).toBe('Hello, this is a temporary stopping area, with a maximum stay of 3 minutes. Would 鄂A·12345 please move on now. Thank you.');

    await page.locator('[data-test=broadcast-template]').selectOption('*text');
    await page.locator('[data-test=broadcast-lang]').selectOption('zh-CN');
    await page.locator('[data-test=broadcast-text]').fill('请不要在此停留');
    await page.locator('[data-command=broadcast]').click();
    await page.locator('[data-test=confirm-ok]').click();
    await waitFor(() => speaker.records()[1]?.outcome === 'done', { what: 'the free text said', timeoutMs: 20_000, intervalMs: 100 });
    expect(speaker.records()[1]).toMatchObject({ text: '请不要在此停留', lang: 'zh-CN', volume: 60 });
    await page.locator('[data-test=broadcast-result][data-state=done]').waitFor({ timeout: 10_000 });
    expect(await page.locator('[data-test=events] li[data-kind=broadcast]').count()).toBeGreaterThan(0);
    await browser.screenshot('console-broadcast-zh');
  }, 60_000);

  it('switches every visible string between Chinese and English, on every tab', async () => {
    const { page } = browser;
    expect((await expectOneLanguage(page, 'zh-CN')).join(' ')).toContain('机队');
    await browser.screenshot('console-zh');

    await switchLanguage(page, 'en');
    const all = (await expectOneLanguage(page, 'en')).join(' ');
    expect(all).toContain('Fleet');
    expect(all).toContain('Take-off failed: the drone refused the command');
    expect(all).toContain('Link lost');
    expect(all).toContain('Broadcast: done');
    await browser.screenshot('console-en');

    // an incident no drone can answer here (arming is refused): its reason is the server's own words
    const reported = await server.api('POST', '/api/incidents', { lat: 30.5002, lon: 114.4131, kind: 'fight', priority: 3, note: '测试' });
    expect(reported.status).toBe(201);
    for (const tab of ['incidents', 'traffic', 'figures', 'planning', 'overwatch']) {
      await page.locator(`[data-tab=${tab}]`).click();
      await page.locator(`[data-test=${tab}]`).waitFor();
      if (tab === 'incidents') await page.locator(`[data-test=incident-list] li[data-incident="${reported.body.id}"]`).waitFor({ timeout: 5_000 });
      if (tab === 'traffic') await page.locator('[data-test=traffic-list] tr[data-level=free]').waitFor({ timeout: 5_000 });
      if (tab === 'figures') await page.locator('[data-test=figures-table] tr[data-kind=fight]').waitFor({ timeout: 5_000 });
      await expectOneLanguage(page, 'en');
      await switchLanguage(page, 'zh-CN');
      await expectOneLanguage(page, 'zh-CN');
      await switchLanguage(page, 'en');
    }
    await page.locator('[data-tab=drone]').click();
    await switchLanguage(page, 'zh-CN');
    await expectOneLanguage(page, 'zh-CN');
  }, 30_000);

  it('logs a viewer in with the token field and shows no command controls', async () => {
    const viewer = await server.api('POST', '/api/operators', { name: 'li.wei', role: 'viewer' });
    expect(viewer.status).toBe(201);
    const page = await browser.context.newPage(); // a new tab: no session token
    try {
      await page.goto(`${server.url}/`);
      await page.locator('#login-token').fill('not-a-token');
      await page.locator('[data-test=login-submit]').click();
      await page.locator('[data-test=login-message].error').waitFor({ timeout: 10_000 });
      expect(await page.locator('[data-test=login-message]').textContent()).toBe('令牌无效或已被撤销。');

      await page.locator('#login-token').fill(viewer.body.token);
      await page.locator('[data-test=login-submit]').click();
      await page.waitForFunction(() => window.__eagle?.ready === true && window.__eagle.store.drones.size === 2, null, { timeout: 20_000 });
      expect(await page.locator('[data-test=user]').getAttribute('data-role')).toBe('viewer');
      await page.locator(`[data-test=fleet] tr[data-drone="${ids[0]}"]`).click();
      await page.locator('[data-test=drone-panel] [data-test=viewer-note]').waitFor();
      await page.locator('[data-test=mission]').waitFor(); // the mission is shown, the loudspeaker is not
      expect(await page.locator('[data-command]').count()).toBe(0);
      expect(await page.locator('[data-test=broadcast]').count()).toBe(0);
      expect(await page.locator('[data-test=drone-panel] button, [data-test=drone-panel] input, [data-test=drone-panel] select').count()).toBe(0);
      await page.screenshot({ path: `${browser.artifacts}/console-viewer.png` });
      // planning: the stored plans only; overwatch: nothing to send
      await page.locator('[data-tab=planning]').click();
      await page.locator('[data-test=planning] [data-test=viewer-note]').waitFor();
      await page.locator('[data-test=plans-list] h3').waitFor();
      await page.locator('[data-tab=overwatch]').click();
      await page.locator('[data-test=overwatch] [data-test=viewer-note]').waitFor();
      expect(await page.locator('[data-test=overwatch] button, [data-test=overwatch] input').count()).toBe(0);
      // incidents: the list and the parking cases, no report or close; traffic: the roads, no guidance or patrol
      await page.locator('[data-tab=incidents]').click();
      await page.locator('[data-test=incidents] [data-test=viewer-note]').waitFor();
      await page.locator('[data-test=incident-list] li[data-incident]').first().waitFor({ timeout: 5_000 });
      await page.locator('[data-test=advisory-queue] li[data-advisory]').first().waitFor({ timeout: 5_000 });
      expect(await page.locator('[data-test=incidents] button, [data-test=incidents] select, [data-test=incidents] textarea').count()).toBe(0);
      await page.locator('[data-tab=traffic]').click();
      await page.locator('[data-test=traffic-list] tr[data-road]').first().click();
      await page.locator('[data-test=traffic] [data-test=viewer-note]').waitFor();
      expect(await page.locator('[data-test=traffic] button, [data-test=traffic] input, [data-test=traffic] select').count()).toBe(0);
      expect(await page.locator('[data-command]').count()).toBe(0);
    } finally {
      await page.close();
    }
    expect(offHost(browser.requests)).toEqual([]);
  }, 40_000);
});
