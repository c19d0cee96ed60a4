/**
 * The console's words and roles in a real browser: a refused take-off shows the server's message
 * and the drone's reason; a lost link is an urgent event; the language switch changes every visible
 * string (no Chinese left in English, no English left in Chinese, besides data such as call signs
 * and the autopilot's own messages); a viewer logs in with the token field and sees no command controls.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startSimFleet, type SimFleet } from '../../simulator/index.ts';
import { startTestServer, TEST_ADMIN_TOKEN, type TestServer } from '../helpers/server.ts';
import { waitFor } from '../helpers/wait-for.ts';
import { offHost, openBrowser, requireChromium, type Browser } from './browser.ts';

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
  browser = await openBrowser();
}, 30_000);

const NO_FLY = { lat: 30.4996, lon: 114.4108 };
const CAR = { lat: 30.4993, lon: 114.41325 };

afterAll(async () => {
  await browser?.close();
  await sim?.close();
  await server?.close();
});

/**
 * Every visible string of the page: text nodes of displayed elements, and title/placeholder
 * attributes — without data shown as is (`.raw`: call signs, operator names, the autopilot's and
 * the server's own messages) and text marked as another language (`[lang]`: the language switch).
 */
async function visibleStrings(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const out: string[] = [];
    const skip = (el: Element | null): boolean => {
      for (let e = el; e && e !== document.documentElement; e = e.parentElement) {
        if (e.classList.contains('raw') || e.hasAttribute('lang') || e.tagName === 'SCRIPT' || e.tagName === 'STYLE') return true;
        if (e instanceof HTMLElement && (e.hidden || getComputedStyle(e).display === 'none' || getComputedStyle(e).visibility === 'hidden')) return true;
      }
      return false;
    };
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const text = n.textContent?.trim();
      if (text && !skip(n.parentElement)) out.push(text);
    }
    for (const el of document.querySelectorAll('[title], [placeholder]')) {
      if (skip(el)) continue;
      for (const a of ['title', 'placeholder']) { const v = el.getAttribute(a)?.trim(); if (v) out.push(v); }
    }
    out.push(document.title);
    return out;
  });
}

const CJK = /[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]/;
const LATIN_WORD = /[A-Za-z]+/g;
const LATIN_ALLOWED = new Set(['RTK']); // as written in Chinese too

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

  it('switches every visible string between Chinese and English', async () => {
    const { page } = browser;
    const zhStrings = async () => {
      const strings = await visibleStrings(page);
      const latin = strings.flatMap((s) => s.match(LATIN_WORD) ?? []).filter((w) => !LATIN_ALLOWED.has(w));
      expect(latin, `English words on the Chinese screen: ${JSON.stringify(strings.filter((s) => LATIN_WORD.test(s)))}`).toEqual([]);
      expect(strings.join(' ')).toContain('机队');
    };
    await zhStrings();
    await browser.screenshot('console-zh');

    await page.locator('[data-test=lang-switch]').click();
    await page.waitForFunction(() => document.documentElement.lang === 'en');
    const en = await visibleStrings(page);
    expect(en.filter((s) => CJK.test(s)), 'Chinese left on the English screen').toEqual([]);
    const all = en.join(' ');
    expect(all).toContain('Fleet');
    expect(all).toContain('Take-off failed: the drone refused the command');
    expect(all).toContain('Link lost');
    await browser.screenshot('console-en');

    await page.locator('[data-test=lang-switch]').click();
    await page.waitForFunction(() => document.documentElement.lang === 'zh-CN');
    await zhStrings();
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
      await page.locator('[data-test=viewer-note]').waitFor();
      expect(await page.locator('[data-command]').count()).toBe(0);
      expect(await page.locator('[data-test=drone-panel] button, [data-test=drone-panel] input').count()).toBe(0);
      await page.screenshot({ path: `${browser.artifacts}/console-viewer.png` });
    } finally {
      await page.close();
    }
    expect(offHost(browser.requests)).toEqual([]);
  }, 40_000);
});
