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

export async function openBrowser(opts: { locale?: string } = {}): Promise<Browser> {
  requireChromium();
  const profile = mkdtempSync(join(tmpdir(), 'eagle-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM, headless: true, args: ARGS, viewport: { width: 1440, height: 900 }, locale: opts.locale ?? 'zh-CN',
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
  return page.evaluate(async ({ b64, x, y, radius, rgb }) => {
    const img = new Image();
    img.src = `data:image/png;base64,${b64}`;
    await img.decode();
    const c = document.createElement('canvas');
    c.width = img.width; c.height = img.height;
    const g = c.getContext('2d')!;
    g.drawImage(img, 0, 0);
    const x0 = Math.round(x - radius), y0 = Math.round(y - radius), size = 2 * radius + 1;
    const d = g.getImageData(x0, y0, size, size).data;
    let best = Infinity;
    for (let i = 0; i < d.length; i += 4) best = Math.min(best, Math.hypot(d[i]! - rgb[0], d[i + 1]! - rgb[1], d[i + 2]! - rgb[2]));
    return best;
  }, { b64: png.toString('base64'), x, y, radius, rgb });
}

export function hex(rgb: string): [number, number, number] {
  const n = parseInt(rgb.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

