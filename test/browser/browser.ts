/**
 * Headless Chromium (Debian's /usr/bin/chromium, never a downloaded browser) through playwright-core,
 * with the flags of MACHINE.md and a fresh profile; every request the page makes is recorded.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM = process.env.EAGLE_CHROMIUM ?? '/usr/bin/chromium';
export const ARTIFACTS = join(import.meta.dirname, '../../test-artifacts');

const ARGS = [
  '--use-angle=swiftshader', '--use-gl=angle', '--enable-unsafe-swiftshader', '--ignore-gpu-blocklist', '--disable-quic',
  '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-sandbox', '--disable-dev-shm-usage',
];

/** Fails (never skips) when the browser is not installed. */
export function requireChromium(): void {
  if (!existsSync(CHROMIUM)) throw new Error('Chromium is missing: apt-get install -y chromium');
}

export interface Browser {
  context: BrowserContext;
  page: Page;
  /** Every URL the page asked for (documents, scripts, workers, fetches, WebSockets). */
  requests: string[];
  /** Console errors and uncaught page errors. */
  errors: string[];
  /** Where screenshots go (test-artifacts/). */
  artifacts: string;
  screenshot(name: string): Promise<Buffer>;
  close(): Promise<void>;
}

export async function openBrowser(opts: { locale?: string; viewport?: { width: number; height: number } } = {}): Promise<Browser> {
  requireChromium();
  const profile = mkdtempSync(join(tmpdir(), 'eagle-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM, headless: true, args: ARGS, viewport: opts.viewport ?? { width: 1440, height: 900 }, locale: opts.locale ?? 'zh-CN',
  });
  const requests: string[] = [];
  const errors: string[] = [];
  context.on('request', (req) => { requests.push(req.url()); });
  const seen = new WeakSet<Page>();
  const watch = (p: Page) => { if (seen.has(p)) return; seen.add(p); p.on('websocket', (ws) => { requests.push(ws.url()); }); p.on('console', (msg) => { if (msg.type() === 'error') errors.push(msg.text()); }); };
  context.on('page', watch);
  context.on('weberror', (err) => { errors.push(String(err.error())); });
  const page = context.pages()[0] ?? await context.newPage();
  watch(page);
  mkdirSync(ARTIFACTS, { recursive: true });
  return {
    context, page, requests, errors, artifacts: ARTIFACTS,
    screenshot: (name) => page.screenshot({ path: join(ARTIFACTS, `${name}.png`) }),
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Requests that left 127.0.0.1 (data:/blob: URLs stay in the page). */
export function offHost(requests: string[]): string[] {
  return requests.filter((u) => {
    if (u.startsWith('data:') || u.startsWith('blob:') || u === 'about:blank') return false;
    try { return new URL(u).hostname !== '127.0.0.1'; } catch { return true; }
  });
}

/**
 * How close the screenshot comes to `rgb` within `radius` CSS pixels of (x, y): the smallest colour
 * distance (0 = that exact colour is drawn there). The PNG is decoded by the page itself.
 */
export async function closestColor(page: Page, png: Buffer, x: number, y: number, radius: number, rgb: [number, number, number]): Promise<number> {
  return (await closestColors(page, png, [{ x, y }], radius, rgb))[0]!;
}

/** closestColor at many points of one screenshot (decoded once). */
export async function closestColors(page: Page, png: Buffer, points: Array<{ x: number; y: number }>, radius: number, rgb: [number, number, number]): Promise<number[]> {
  return page.evaluate(async ({ b64, points, radius, rgb }) => {
    const img = new Image();
    img.src = `data:image/png;base64,${b64}`;
    await img.decode();
    const c = document.createElement('canvas');
    c.width = img.width; c.height = img.height;
    const g = c.getContext('2d')!;
    g.drawImage(img, 0, 0);
    return points.map(({ x, y }) => {
      const x0 = Math.round(x - radius), y0 = Math.round(y - radius), size = 2 * radius + 1;
      const d = g.getImageData(x0, y0, size, size).data;
      let best = Infinity;
      for (let i = 0; i < d.length; i += 4) best = Math.min(best, Math.hypot(d[i]! - rgb[0], d[i + 1]! - rgb[1], d[i + 2]! - rgb[2]));
      return best;
    });
  }, { b64: png.toString('base64'), points, radius, rgb });
}

export function hex(rgb: string): [number, number, number] {
  const n = parseInt(rgb.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}


/**
 * Every visible string of the page: text nodes of displayed elements, and title/placeholder
 * attributes — without data shown as is (`.raw`: call signs, operator names, the autopilot's and
 * the server's own messages) and text marked as another language (`[lang]`: the language switch,
 * the words a loudspeaker will say).
 */
export async function visibleStrings(page: Page): Promise<string[]> {
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
/** Written so in Chinese too. */
const LATIN_ALLOWED = new Set(['RTK', 'Esc']);

/** Nothing of the other language on the screen: no Chinese in English, no English word in Chinese. Returns the strings. */
export async function expectOneLanguage(page: Page, lang: 'zh-CN' | 'en'): Promise<string[]> {
  const strings = await visibleStrings(page);
  if (lang === 'en') {
    const chinese = strings.filter((s) => CJK.test(s));
    if (chinese.length) throw new Error(`Chinese left on the English screen: ${JSON.stringify(chinese)}`);
  } else {
    const latin = strings.filter((s) => (s.match(LATIN_WORD) ?? []).some((w) => !LATIN_ALLOWED.has(w)));
    if (latin.length) throw new Error(`English words on the Chinese screen: ${JSON.stringify(latin)}`);
  }
  return strings;
}

/** Switch the console's language with its top-bar button. */
export async function switchLanguage(page: Page, lang: 'zh-CN' | 'en'): Promise<void> {
  if (await page.evaluate(() => document.documentElement.lang) === lang) return;
  await page.locator('[data-test=lang-switch]').click();
  await page.waitForFunction((lang) => document.documentElement.lang === lang, lang);
}

/** Where the page draws a lon/lat, in page pixels. */
export async function pagePoint(page: Page, lon: number, lat: number): Promise<{ x: number; y: number }> {
  return (await pagePoints(page, [{ lon, lat }]))[0]!;
}

/** Where the page draws these points, in page pixels, and which features of `layers` it rendered within `radiusPx` of each. */
export async function pagePoints(page: Page, points: Array<{ lon: number; lat: number }>, layers: string[] = [], radiusPx = 3): Promise<Array<{ x: number; y: number; features: Array<Record<string, unknown>> }>> {
  return page.evaluate(({ points, layers, radiusPx }) => {
    const map = window.__eagle!.map!;
    const box = document.getElementById('map')!.getBoundingClientRect();
    return points.map(({ lon, lat }) => {
      const p = map.project(lon, lat);
      return { x: box.left + p.x, y: box.top + p.y, features: layers.length ? map.featuresAt(p, layers, radiusPx) : [] };
    });
  }, { points, layers, radiusPx });
}

const M_PER_DEG = 111_320;
/** A point `north`/`east` metres from `from`. */
export function offset(from: { lat: number; lon: number }, northM: number, eastM: number): { lat: number; lon: number } {
  return { lat: from.lat + northM / M_PER_DEG, lon: from.lon + eastM / (M_PER_DEG * Math.cos((from.lat * Math.PI) / 180)) };
}

/** Click these points on the map, one after the other (a drawing tool's vertices). */
export async function clickMap(page: Page, points: Array<{ lat: number; lon: number }>): Promise<void> {
  for (const p of points) {
    const at = await pagePoint(page, p.lon, p.lat);
    await page.mouse.click(at.x, at.y);
    await page.waitForTimeout(120); // two clicks in a row are not a double-click
  }
}

/** Scroll the fleet list so this drone's row is rendered (the list only renders the rows in view). */
export async function showFleetRow(page: Page, droneId: string): Promise<void> {
  await page.waitForFunction((id) => window.__eagle?.fleet?.reveal(id) === true, droneId, { timeout: 5_000 });
}
