/**
 * Traffic monitoring end to end with the real server and the real simulator over UDP, at speedup:
 * the demo's east–west avenue is stored as a road; the simulated world drives traffic along it and
 * a jam builds, holds and clears on a schedule; a drone hovers over the jam's stretch and its
 * detector reports the vehicles it sees (speed, heading) to POST /api/observations. The traffic
 * service runs on the simulator's clock, so every time below is simulated time. The jam is
 * reported within a bounded time after it forms, cleared within a bounded time after it clears,
 * and the levels go monotonically up, then monotonically down (no flicker). A traffic-guidance
 * broadcast from the hovering drone is aimed at the slow traffic and audited.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { DroneEvent } from '../../server/fleet/events.ts';
import { EXPO_JAM_STRETCH, EXPO_ROADS, startSimFleet, type SimFleet } from '../../simulator/index.ts';
import { LocalFrame } from '../../simulator/geo.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { waitFor } from '../helpers/wait-for.ts';
import { stopAll } from '../helpers/stop-all.ts';

const SPEEDUP = 20;
/** The jam's schedule, simulated seconds after the simulator starts. */
const JAM = { ...EXPO_JAM_STRETCH, startS: 120, buildS: 30, holdS: 120, clearS: 30 };
const CLEARED_S = JAM.startS + JAM.buildS + JAM.holdS + JAM.clearS;
/** Bounds (simulated s): the 60 s window and 20 s dwell, plus the build-up or the queue's discharge, plus slack. */
const DETECTED_WITHIN_S = 150;
const CLEARED_WITHIN_S = 150;
const RANK = { free: 0, slow: 1, congested: 2, jammed: 3 } as const;

let server: TestServer | null = null;
let sim: SimFleet | null = null;
afterEach(async () => {
  await stopAll(sim, server);
  [sim, server] = [null, null];
});

describe('traffic monitoring with the simulator', () => {
  it('reports a simulated jam within a bounded time after it forms and clears it after it clears, with no flicker', async () => {
    server = await startTestServer();
    const avenue = EXPO_ROADS.find((r) => r.key === 'ew-avenue')!;
    const created = await server.api('POST', '/api/roads', { name: avenue.name, geometry: avenue.geometry, direction: avenue.direction, freeFlowMps: avenue.freeFlowMps, lanes: avenue.lanes });
    expect(created.status).toBe(201);
    const roadId: string = created.body.id;
    const analytics = await server.api('POST', '/api/operators', { name: 'analytics (simulated)', role: 'operator' });
    const events: DroneEvent[] = [];
    server.fleet.onEvent((e) => { if (e.kind === 'traffic') events.push(e); });

    sim = await startSimFleet({
      drones: 1, link: server.mavlink, speedup: SPEEDUP, positionSettleMs: 500, seed: 4, params: { FS_GCS_ENABLE: 0 },
      traffic: {
        roads: [{ id: roadId, coordinates: avenue.geometry.coordinates, direction: avenue.direction, freeFlowMps: avenue.freeFlowMps, lanes: avenue.lanes }],
        jams: [{ roadId, ...JAM }],
        ingest: { url: server.url, token: analytics.body.token },
      },
    });
    server.traffic.useClock(sim.world.clock);
    const traffic = sim.traffic!;
    const simS = () => (sim!.nowMs() - traffic.startMs) / 1000;
    const simSAt = (iso: string) => (Date.parse(iso) - traffic.startMs) / 1000;

    // a drone over the middle of the jam's stretch, 40 m up (its camera sees about 70 m of road)
    const spot = traffic.world.jamCenter(traffic.world.jams[0]!);
    const droneId = await waitFor(async () => {
      const d = (await server!.api('GET', '/api/drones')).body.drones[0];
      return d?.position ? d.id as string : null;
    }, { what: 'the drone', timeoutMs: 15_000 });
    await waitFor(async () => (await server!.api('GET', '/api/events?kind=statustext&limit=100')).body.events.some((e: any) => /using GPS/.test(e.data.text)), { what: 'position estimate ready', timeoutMs: 15_000 });
    expect((await server.api('POST', `/api/drones/${droneId}/commands`, { type: 'takeoff', altitudeM: 40 })).status).toBe(200);
    await waitFor(() => sim!.drones[0]!.truth().altitudeM > 30, { what: 'the drone climbing', timeoutMs: 15_000 });
    expect((await server.api('POST', `/api/drones/${droneId}/commands`, { type: 'goto', lat: spot.lat, lon: spot.lon, altitudeM: 40 })).status).toBe(200);
    const frame = new LocalFrame(spot);
    await waitFor(() => { const t = sim!.drones[0]!.truth(); const ne = frame.toNorthEast(t); return Math.hypot(ne.northM, ne.eastM) < 8 && t.altitudeM > 35; }, { what: 'the drone over the stretch', timeoutMs: 15_000 });
    const onStationS = simS();
    expect(onStationS, 'the drone is on station before the jam forms').toBeLessThan(JAM.startS - 20);

    // before the jam: traffic seen, and free
    const seenFree = await waitFor(async () => { const s = (await server!.api('GET', '/api/traffic')).body.segments[0]; return s.observed && s.samples >= 3 ? s : null; }, { what: 'free traffic seen', timeoutMs: 10_000, intervalMs: 100 });
    expect(seenFree.level).toBe('free');
    expect(seenFree.speedRatio).toBeGreaterThan(0.8);
    expect(simS()).toBeLessThan(JAM.startS);

    // the jam forms: jammed within the bound
    const jammed = await waitFor(() => events.find((e) => e.level === 'jammed'), { what: 'the segment jammed', timeoutMs: ((JAM.startS + DETECTED_WITHIN_S) / SPEEDUP) * 1000 + 5000, intervalMs: 100 });
    const detectedAfterS = simSAt(jammed.at) - JAM.startS;
    expect(detectedAfterS).toBeGreaterThan(0);
    expect(detectedAfterS).toBeLessThanOrEqual(DETECTED_WITHIN_S);
    expect(jammed.roadId).toBe(roadId);
    expect(jammed.speedMps as number).toBeLessThan(0.15 * avenue.freeFlowMps);

    // while it holds, the traffic team speaks to it from the drone overhead
    expect(traffic.world.phase(traffic.world.jams[0]!, simS())).toMatch(/building|holding/);
    const spoken = await server.api('POST', `/api/roads/${roadId}/broadcasts`, { droneId, lang: 'en', params: { road: 'the east-west avenue' } });
    expect(spoken.status).toBe(202);
    expect(spoken.body).toMatchObject({ droneId, roadId, level: 'jammed', target: { onSlowTraffic: true } });
    expect(spoken.body.text).toBe('Congestion on the east-west avenue. Please slow down and take the signed detour.');
    const heard = await waitFor(() => sim!.speaker(0)!.records().find((r) => r.outcome === 'done'), { what: 'the broadcast played', timeoutMs: 10_000 });
    expect(heard.text).toContain('Congestion on the east-west avenue');
    const audit = (await server.api('GET', `/api/audit?droneId=${droneId}`)).body.entries.find((e: any) => e.action === 'broadcast');
    expect(audit.request).toMatchObject({ roadId, template: 'traffic-guidance', lang: 'en' });
    expect(audit.result).toEqual({ ok: true });

    // it clears: free within the bound
    const freed = await waitFor(() => { const i = events.indexOf(jammed); return events.slice(i + 1).find((e) => e.level === 'free'); }, { what: 'the segment free again', timeoutMs: ((CLEARED_S + CLEARED_WITHIN_S - simS()) / SPEEDUP) * 1000 + 5000, intervalMs: 100 });
    const clearedAfterS = simSAt(freed.at) - CLEARED_S;
    expect(clearedAfterS).toBeGreaterThan(0);
    expect(clearedAfterS).toBeLessThanOrEqual(CLEARED_WITHIN_S);
    expect(freed.reason).toBe('observed');

    // no flicker: every change follows the one before, up to jammed once, then down to free
    const levels = events.map((e) => e.level as keyof typeof RANK);
    events.forEach((e, i) => { if (i > 0) expect(e.previous).toBe(events[i - 1]!.level); });
    expect(events[0]!.previous).toBe('free');
    const peak = levels.indexOf('jammed');
    expect(levels.filter((l) => l === 'jammed')).toHaveLength(1);
    for (let i = 1; i <= peak; i++) expect(RANK[levels[i]!]).toBeGreaterThan(RANK[levels[i - 1]!]);
    for (let i = peak + 1; i < levels.length; i++) expect(RANK[levels[i]!]).toBeLessThan(RANK[levels[i - 1]!]);
    expect(levels.at(-1)).toBe('free');
    // the same history is stored
    const stored = await waitFor(async () => { const e = (await server!.api('GET', `/api/traffic/events?roadId=${roadId}`)).body.events; return e.length === events.length ? e : null; }, { what: 'the stored changes' });
    expect(stored.map((e: any) => e.level).reverse()).toEqual(levels);
    expect(traffic.analytics.counters.sendErrors).toBe(0);
    console.log(`traffic e2e: drone on station at ${onStationS.toFixed(0)} s; jammed ${detectedAfterS.toFixed(0)} s after the jam began to form, free ${clearedAfterS.toFixed(0)} s after it cleared; levels free → ${levels.join(' → ')}`);
  }, 60_000);
});
