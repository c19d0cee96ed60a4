/**
 * The console's own cost per stream update, measured in the page: N synthetic moving drones are fed
 * to the page's store (a snapshot, then one telemetry frame of N deltas per animation frame), so only
 * the console's work counts — applying the deltas to the store, then building the map data and
 * handing it over (setData) with the labels, as window.__eagle.stats times it. Not the server, not
 * the simulator, not the rasteriser. Used by console-load.test.ts and bench/console.bench.ts.
 */
import type { Page } from 'playwright-core';

export interface LoadOptions {
  drones: number;
  frames: number;
  /** Map zoom while measuring (labels from 16, trails decimated under 15, none under 13). */
  zoom: number;
}

export interface LoadResult {
  drones: number;
  frames: number;
  zoom: number;
  /** Map updates during the frames (at most one per frame). */
  updates: number;
  /** Per frame: applying the telemetry frame to the store, ms. */
  applyMs: number[];
  /** Per frame: building the map data, setData, labels (0 when the frame pushed nothing), ms. */
  mapMs: number[];
  /** Per frame: apply + map — the console's cost of one update. */
  updateMs: number[];
  panelMsPerFrame: number;
  maxPanelMs: number;
  /** The fleet list's first render after the snapshot of N drones, ms (null: none within the settling frames). */
  firstListMs: number | null;
  /** Labels shown and trail points pushed at the end. */
  labels: number;
  trailPoints: number;
  /** Times the trails were handed to the map during the frames (at most every 500 ms). */
  trailPushes: number;
  featuresInView: number;
  /**
   * Everything the page's main thread did during the frames, per frame (Chromium's TaskDuration):
   * the console's work, the map library's (copying data for its worker, rendering), garbage
   * collection, style and layout, and this harness's building of the deltas.
   */
  mainThreadMsPerFrame: number;
}

export const DEMO_BASE = { lat: 30.4987, lon: 114.4123 };

/** Put the map at `zoom` over the base, at once (reduced motion: no animation). */
export async function setZoom(page: Page, zoom: number): Promise<void> {
  await page.emulateMedia({ reducedMotion: 'reduce' });
  await page.evaluate(([lat, lon, zoom]) => {
    const d = 0.0001;
    window.__eagle!.map!.fitBounds([[lon! - d, lat! - d], [lon! + d, lat! + d]], zoom);
  }, [DEMO_BASE.lat, DEMO_BASE.lon, zoom]);
  await page.waitForFunction((zoom) => Math.abs(window.__eagle!.map!.zoom() - zoom) < 0.01, zoom);
}

export async function measureConsoleLoad(page: Page, o: LoadOptions): Promise<LoadResult> {
  await setZoom(page, o.zoom);
  // tsx (the bench) compiles with esbuild's keepNames, which wraps the page function's inner
  // functions in __name(): give the page one
  await page.evaluate('globalThis.__name ??= (f) => f');
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  const taskS = async () => (await cdp.send('Performance.getMetrics')).metrics.find((m) => m.name === 'TaskDuration')?.value ?? NaN;
  const args = { N: o.drones, FRAMES: o.frames, zoom: o.zoom, base: DEMO_BASE };
  const firstListMs = await page.evaluate(async ({ N, base }) => {
    const e = window.__eagle!;
    const nextFrame = () => new Promise((r) => requestAnimationFrame(() => r(null)));
    const lat = (i: number) => base.lat + (Math.floor(i / 40) - Math.floor(N / 80)) * 0.0002;
    const lon = (i: number) => base.lon + ((i % 40) - 20) * 0.0002;
    const drone = (i: number) => ({
      id: `S${i}`, sysid: (i % 250) + 1, compid: 1, callsign: `S${String(i).padStart(4, '0')}`, autopilot: 'ardupilot', vehicleType: 'quadrotor',
      connected: true, armed: true, mode: 'GUIDED', landed: false, systemStatus: 'ACTIVE',
      position: { lat: lat(i), lon: lon(i), altMslM: 60, altRelM: 37 },
      home: null, headingDeg: 0, groundSpeedMps: 5, climbMps: 0, attitude: null,
      battery: { remainingPct: 80, voltageV: 24, currentA: 10 }, gps: { fixType: 3, satellites: 14 }, mission: { current: 0, count: 0 },
      link: { id: 'udp', remote: '127.0.0.1:1', packetLossPct: 0, framesIn: 1 }, components: [], statusText: null, lastHeartbeatAt: new Date().toISOString(),
    });
    const listRenders = e.stats.fleetList.renders;
    e.store.apply({ type: 'snapshot', drones: Array.from({ length: N }, (_, i) => drone(i)) as never });
    let firstListMs: number | null = null;
    for (let k = 0; k < 10; k++) {
      await nextFrame();
      if (firstListMs === null && e.stats.fleetList.renders > listRenders) firstListMs = e.stats.fleetList.lastMs;
    }
    return firstListMs;
  }, args);
  const task0 = await taskS();
  const r = await page.evaluate(async ({ N, FRAMES, zoom, base }) => {
    const e = window.__eagle!;
    const nextFrame = () => new Promise((r) => requestAnimationFrame(() => r(null)));
    // the grid of the snapshot above, moving north a metre per frame
    const lat = (i: number, f: number) => base.lat + (Math.floor(i / 40) - Math.floor(N / 80)) * 0.0002 + f * 0.00001;
    const lon = (i: number) => base.lon + ((i % 40) - 20) * 0.0002;
    const before = { ...e.stats };
    const applyMs: number[] = [];
    const mapMs: number[] = [];
    for (let f = 1; f <= FRAMES; f++) {
      const deltas = Array.from({ length: N }, (_, i) => ({
        id: `S${i}`, headingDeg: (f * 9) % 360, position: { lat: lat(i, f), lon: lon(i), altMslM: 60, altRelM: 37 },
        battery: { remainingPct: 80 - f * 0.05, voltageV: 24, currentA: 10 },
      }));
      const updates = e.stats.mapUpdates;
      const t0 = performance.now();
      e.store.apply({ type: 'telemetry', t: Date.now(), drones: deltas as never });
      applyMs.push(performance.now() - t0);
      await nextFrame();
      mapMs.push(e.stats.mapUpdates > updates ? e.stats.lastMapUpdateMs : 0);
    }
    await nextFrame();
    const frames = e.stats.frames - before.frames;
    return {
      drones: N, frames: FRAMES, zoom, updates: e.stats.mapUpdates - before.mapUpdates,
      applyMs, mapMs, updateMs: applyMs.map((a, i) => a + mapMs[i]!),
      panelMsPerFrame: (e.stats.totalPanelMs - before.totalPanelMs) / frames, maxPanelMs: e.stats.maxPanelMs,
      labels: e.labels.shown, trailPoints: e.stats.trailPoints, trailPushes: e.stats.trailPushes - before.trailPushes,
    };
  }, args);
  const mainThreadMsPerFrame = ((await taskS()) - task0) * 1000 / (o.frames + 1);
  await cdp.detach();
  const featuresInView = await page.evaluate(() => window.__eagle!.map!.featuresAt({ x: 0, y: 0 }, ['drones'], 5000).length);
  return { ...r, firstListMs, mainThreadMsPerFrame, featuresInView };
}

/** The q-quantile of values (nearest rank). */
export function quantile(values: number[], q: number): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))] ?? NaN;
}
