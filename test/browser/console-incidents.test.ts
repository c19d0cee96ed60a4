/**
 * Incidents and response figures in a real browser against the real server and simulator: an
 * operator reports an incident by clicking the map (the dispatcher's candidates for the point shown
 * before the confirmation; Escape cancels the pick); the list shows it dispatched, then on scene once the simulated drone has
 * really flown there, the map has the incident where it was clicked and the event log an urgent
 * alert; closing it (confirmed) releases it. Seeded past incidents give the response-figures table
 * its medians and the time saved against the ground unit; pre-positioning draws its wait points.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reportIncident, stepIncident, type Incident } from '../../server/incidents/incident.ts';
import { startSimFleet, type SimFleet } from '../../simulator/index.ts';
import { stopAll } from '../helpers/stop-all.ts';
import { startTestServer, TEST_ADMIN_TOKEN, type TestServer } from '../helpers/server.ts';
import { waitFor } from '../helpers/wait-for.ts';
import { clickMap, closestColor, expectOneLanguage, hex, offHost, offset, openBrowser, pagePoints, requireChromium, switchLanguage, type Browser } from './browser.ts';
import { DEMO_BASE } from './load.ts';

const URGENT_RING = hex('#ff1744'); // console/src/map/layers.ts: an urgent incident's halo
const SCENE = offset(DEMO_BASE, 110, 70);

let server: TestServer;
let sim: SimFleet;
let browser: Browser;
let ids: string[] = [];

/** A past incident dispatched after `dispatchS` and on scene after `onSceneS`, closed, as the service stores it. */
function past(id: string, kind: string, reportedAt: string, dispatchS: number, onSceneS: number): Incident {
  const t0 = Date.parse(reportedAt);
  let { next } = reportIncident({ id, kind, priority: 2, ...offset(DEMO_BASE, 300, -200), by: 'command-room', atMs: t0 });
  ({ next } = stepIncident(next, { kind: 'droneAssigned', droneId: 'E01', etaS: 60, airborne: false, atMs: t0 + dispatchS * 1000 }));
  ({ next } = stepIncident(next, { kind: 'droneOnScene', droneId: 'E01', atMs: t0 + onSceneS * 1000 }));
  ({ next } = stepIncident(next, { kind: 'close', outcome: 'resolved', by: 'op', atMs: t0 + 600_000 }));
  return next;
}

beforeAll(async () => {
  requireChromium();
  server = await startTestServer({ EAGLE_GROUND_UNIT_S: 'fight=240,*=180' });
  sim = await startSimFleet({ drones: 2, link: server.mavlink, speedup: 5, positionSettleMs: 500, seed: 8, params: { FS_GCS_ENABLE: 0 } });
  const drones = await waitFor(async () => { const r = await server.api('GET', '/api/drones'); return r.body.drones.length === 2 && r.body.drones.every((d: any) => d.position) ? r.body.drones : null; }, { what: 'two drones', timeoutMs: 10_000 });
  // the position estimates are ready (a drone that cannot arm yet would be replaced, and the test would wait longer)
  await waitFor(async () => (await server.api('GET', '/api/events?kind=statustext&limit=500')).body.events.filter((e: any) => /using GPS/.test(e.data.text)).length >= 2, { what: 'position estimates ready', timeoutMs: 15_000 });
  ids = sim.drones.map((s) => drones.find((d: any) => d.sysid === s.sysid).id);
  browser = await openBrowser();
}, 30_000);

afterAll(async () => {
  await browser?.close();
  await stopAll(sim, server);
});

describe('console: incidents and response figures in Chromium', () => {
  it('reports an incident clicked on the map after showing the candidates; the drone flies there; closing it releases it', async () => {
    const { page } = browser;
    await page.emulateMedia({ reducedMotion: 'reduce' });
    await page.goto(`${server.url}/?token=${TEST_ADMIN_TOKEN}&lang=zh-CN`);
    await page.waitForFunction(() => window.__eagle?.ready === true && window.__eagle.store.drones.size === 2, null, { timeout: 20_000 });
    await page.locator('[data-tab=incidents]').click();
    await page.locator('[data-test=incident-list]').waitFor();

    // Escape cancels the pick: the hint goes, the report button is back, a later map click reports nothing
    await page.locator('[data-command=incident-report]').click();
    await page.locator('[data-test=incident-pick-hint]').waitFor();
    await page.keyboard.press('Escape');
    await page.locator('[data-test=incident-pick-hint]').waitFor({ state: 'detached', timeout: 2_000 });
    await page.locator('[data-command=incident-report]').waitFor({ timeout: 2_000 });
    await clickMap(page, [SCENE]);
    await page.evaluate(() => window.__eagle!.map!.idle());
    expect(await page.locator('[data-test=incident-where], [data-test=incident-candidates]').count()).toBe(0);
    expect((await pagePoints(page, [SCENE], ['report-point'], 12))[0]!.features).toEqual([]);
    expect((await server.api('GET', '/api/incidents')).body.incidents).toEqual([]);

    await page.locator('[data-command=incident-report]').click();
    await page.locator('[data-test=incident-pick-hint]').waitFor();
    // the candidates the server answered the page with (two drones side by side at the base swap places
    // in the ranking as their GPS noise and wind estimates move: a second request may rank them otherwise)
    const answered = page.waitForResponse((r) => r.url().includes('/api/dispatch/candidates'));
    await clickMap(page, [SCENE]);

    // the dispatcher's candidates for the clicked point, as the server ranks them
    await page.locator('[data-test=incident-candidates] li[data-drone]').first().waitFor({ timeout: 10_000 });
    const where = (await page.locator('[data-test=incident-where]').textContent())!;
    const [lat, lon] = where.replace(/^[^\d]*/, '').split(',').map(Number);
    expect(Math.abs(lat! - SCENE.lat) * 111_320).toBeLessThan(3);
    expect(Math.abs(lon! - SCENE.lon) * 96_000).toBeLessThan(3);
    const response = await answered;
    const asked = new URL(response.url());
    expect(Math.abs(Number(asked.searchParams.get('lat')) - lat!)).toBeLessThan(1e-5); // the point shown, to its 5 decimals
    expect(Math.abs(Number(asked.searchParams.get('lon')) - lon!)).toBeLessThan(1e-5);
    const ranked = await response.json();
    const now = (await server.api('GET', `/api/dispatch/candidates?lat=${lat}&lon=${lon}`)).body;
    expect(new Set(ranked.candidates.map((c: any) => c.droneId))).toEqual(new Set(now.candidates.map((c: any) => c.droneId)));
    const shown = await page.locator('[data-test=incident-candidates] ol li').evaluateAll((els) => els.map((e) => e.getAttribute('data-drone')));
    expect(shown).toEqual(ranked.candidates.map((c: any) => c.droneId).slice(0, 5));
    expect(await page.locator('[data-test=incident-candidates] ol li').first().textContent()).toMatch(/预计 .*秒.* 到达/);

    await page.locator('[data-test=incident-kind]').selectOption('crowd');
    await page.locator('[data-test=incident-priority]').selectOption('1');
    await page.locator('[data-test=incident-note]').fill('出口处人群拥挤');
    await page.locator('[data-command=incident-submit]').click();
    expect(await page.locator('[data-test=confirm-message]').textContent()).toContain('人群聚集');
    expect((await server.api('GET', '/api/incidents')).body.incidents).toEqual([]); // nothing before the confirmation
    await page.locator('[data-test=confirm-ok]').click();

    const item = page.locator('[data-test=incident-list] li[data-incident]').first();
    await item.waitFor({ timeout: 10_000 });
    const incidentId = (await item.getAttribute('data-incident'))!;
    const row = page.locator(`[data-test=incident-list] li[data-incident="${incidentId}"]`);
    await row.locator('[data-step=dispatched].done').waitFor({ timeout: 10_000 });
    expect(await row.locator('.case-head').textContent()).toContain('人群聚集');
    expect(await row.locator('.case-head').textContent()).toContain('1 级');
    // an urgent new incident alerts the event log
    await page.locator('[data-test=events] li.urgent[data-kind=incident]').waitFor({ timeout: 5_000 });

    // the map: the incident where it was clicked, urgent (priority 1), with its halo in the pixels
    await page.waitForFunction(([lon, lat, id]) => {
      const m = window.__eagle!.map!;
      return m.featuresAt(m.project(lon as number, lat as number), ['incidents'], 4).some((f) => f.id === id && f.urgent === true);
    }, [lon, lat, incidentId] as const, { timeout: 10_000 });

    // on scene: the simulated drone is really there, and the list says so with the time it took
    await row.locator('[data-step=on-scene].done').waitFor({ timeout: 45_000 });
    expect(await row.getAttribute('data-state')).toBe('on-scene');
    const incident = (await server.api('GET', `/api/incidents/${incidentId}`)).body;
    const responder = sim.drones[ids.indexOf(incident.droneId)]!.truth();
    expect(Math.hypot((responder.lat - lat!) * 111_320, (responder.lon - lon!) * 96_000)).toBeLessThan(30);
    expect(await row.locator('[data-test=incident-drone]').textContent()).toContain(incident.droneId);
    // the fleet list shows the responder on task (state and task columns), from the stream
    const fleetRow = page.locator(`tr[data-drone="${incident.droneId}"]`);
    await page.waitForFunction((id) => document.querySelector(`tr[data-drone="${id}"]`)?.getAttribute('data-state') === 'onTask', incident.droneId, { timeout: 10_000 });
    expect(await fleetRow.locator('[data-test=task]').textContent()).toBe('警情');
    expect(await fleetRow.locator('[data-test=state]').textContent()).toBe('执行任务');
    expect(await row.locator('[data-test=incident-elapsed]').textContent()).toMatch(/^报警→到场：\d+ 秒|^报警→到场：\d+ 分 \d+ 秒/);
    await page.evaluate(() => window.__eagle!.map!.idle());
    const [at] = await pagePoints(page, [{ lon: lon!, lat: lat! }]);
    const png = await browser.screenshot('console-incidents-zh');
    expect(await closestColor(page, png, at!.x, at!.y, 14, URGENT_RING), 'the urgent halo drawn at the scene').toBeLessThan(40);
    await expectOneLanguage(page, 'zh-CN');

    // close it, with an outcome and a confirmation: released
    await row.locator('[data-test=incident-outcome]').selectOption('handed-to-ground-unit');
    await row.locator('[data-command=incident-close]').click();
    await page.locator('[data-test=confirm-ok]').click();
    await page.locator(`[data-test=incident-list] li[data-incident="${incidentId}"][data-state=released]`).waitFor({ timeout: 10_000 });
    expect((await server.api('GET', `/api/incidents/${incidentId}`)).body).toMatchObject({ state: 'released', outcome: 'handed-to-ground-unit', closedBy: 'admin' });
    await page.locator(`[data-test=incident-list] li[data-incident="${incidentId}"] [data-step=released].done`).waitFor();
    expect(await page.locator('[data-command=incident-close]').count()).toBe(0);
    expect(offHost(browser.requests)).toEqual([]);
  }, 60_000);

  it('shows the response figures of seeded incidents (medians, 90th percentiles, time saved) and draws the pre-positioning', async () => {
    const { page } = browser;
    const day = new Date(Date.now() - 2 * 86_400_000).toISOString().slice(0, 10);
    const at = (hh: string) => `${day}T${hh}:00:00.000Z`;
    for (const i of [past('inc_f1', 'fight', at('02'), 2, 60), past('inc_f2', 'fight', at('03'), 4, 80), past('inc_f3', 'fight', at('04'), 3, 100), past('inc_c1', 'crash', at('05'), 1, 150)]) server.store.incidents.save(i);
    await page.locator('[data-tab=figures]').click();
    await page.locator('[data-test=figures-reload]').click();
    const fight = page.locator('[data-test=figures-table] tr[data-kind=fight]');
    await fight.waitFor({ timeout: 10_000 });
    // fights on scene after 60, 80, 100 s: median 80 s, p90 96 s; dispatched after 2–4 s; the ground unit takes 240 s
    expect(await fight.locator('[data-test=fig-scene]').textContent()).toBe('1 分 20 秒 / 1 分 36 秒');
    expect(await fight.locator('[data-test=fig-dispatch]').textContent()).toBe('3 秒 / 4 秒');
    expect(await fight.locator('[data-test=fig-saved]').textContent()).toBe('快 2 分 40 秒');
    expect(await page.locator('[data-test=figures-table] tr[data-kind=crash] [data-test=fig-scene]').textContent()).toBe('2 分 30 秒 / 2 分 30 秒');
    expect(await page.locator('[data-test=figures-table] tr[data-kind=crash] [data-test=fig-saved]').textContent()).toBe('快 30 秒');

    // pre-positioning: the suggestions the server gives are drawn where it puts them, with the expected gain
    const answer = page.waitForResponse((r) => r.url().includes('/api/dispatch/prepositioning'));
    await page.locator('[data-test=preposition-fetch]').click();
    const pre = await (await answer).json();
    await page.locator('[data-test=preposition-result]').waitFor({ timeout: 10_000 });
    if (pre.suggestions.length > 0) {
      const minutes = (s: number) => (s / 60).toFixed(1);
      expect(await page.locator('[data-test=preposition-expected]').textContent()).toBe(`平均到场时间 ${minutes(pre.expected.currentMeanS)} 分钟 → ${minutes(pre.expected.suggestedMeanS)} 分钟`);
      const s = pre.suggestions[0];
      await page.evaluate(([w, so, e, n]) => window.__eagle!.map!.fitBounds([[w!, so!], [e!, n!]], 17), [Math.min(s.lon, DEMO_BASE.lon) - 0.002, Math.min(s.lat, DEMO_BASE.lat) - 0.002, Math.max(s.lon, DEMO_BASE.lon) + 0.002, Math.max(s.lat, DEMO_BASE.lat) + 0.002]);
      await page.evaluate(() => window.__eagle!.map!.idle());
      await waitFor(async () => (await pagePoints(page, [{ lon: s.lon, lat: s.lat }], ['preposition-point'], 4))[0]!.features.length > 0, { what: 'the wait point on the map', timeoutMs: 5_000, intervalMs: 100 });
    } else {
      expect(await page.locator('[data-test=preposition-result]').textContent()).toContain('没有空闲无人机');
    }
    await browser.screenshot('console-figures-zh');
    await expectOneLanguage(page, 'zh-CN');
    await switchLanguage(page, 'en');
    await fight.waitFor();
    expect(await fight.locator('[data-test=fig-saved]').textContent()).toBe('2 min 40 s faster');
    await expectOneLanguage(page, 'en');
    await page.locator('[data-tab=incidents]').click();
    await expectOneLanguage(page, 'en');
    await browser.screenshot('console-incidents-en');
    await switchLanguage(page, 'zh-CN');
  }, 40_000);
});
