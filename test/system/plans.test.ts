/**
 * Plans through the API against stored airspace: figures, AIRSPACE_VIOLATION with leg, zone and
 * depth, transits routed round a no-fly zone, and a plan assigned to a simulated drone that flies it.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startSimFleet, type SimFleet } from '../../simulator/index.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { waitFor } from '../helpers/wait-for.ts';
import { stopAll } from '../helpers/stop-all.ts';

let server: TestServer | null = null;
let sim: SimFleet | null = null;
afterEach(async () => {
  await stopAll(sim, server);
  [sim, server] = [null, null];
});

const BASE = { lat: 30.4987, lon: 114.4123 };
const M = 1 / 111_320;
const rect = (c: { lat: number; lon: number }, halfNorthM: number, halfEastM: number) => {
  const dLat = halfNorthM * M;
  const dLon = (halfEastM * M) / Math.cos((c.lat * Math.PI) / 180);
  return { type: 'Polygon' as const, coordinates: [[[c.lon - dLon, c.lat - dLat], [c.lon + dLon, c.lat - dLat], [c.lon + dLon, c.lat + dLat], [c.lon - dLon, c.lat + dLat], [c.lon - dLon, c.lat - dLat]]] };
};

describe('plans through the API', () => {
  it('plans a coverage patrol with figures, and refuses a corridor through a no-fly zone with the leg, zone and depth', async () => {
    server = await startTestServer();
    const area = { lat: BASE.lat + 300 * M, lon: BASE.lon };
    const coverage = await server.api('POST', '/api/plans', { kind: 'coverage', area: rect(area, 100, 150), altitudeM: 40, spacingM: 30, base: BASE });
    expect(coverage.status).toBe(201);
    expect(coverage.body).toMatchObject({ kind: 'coverage', route: { type: 'LineString' }, warnings: expect.any(Array) });
    expect(coverage.body.lengthM).toBeGreaterThan(1000);
    expect(coverage.body.durationS).toBeGreaterThan(0);
    expect(coverage.body.batteryPct).toBeGreaterThan(0);
    expect(coverage.body.missionItems[0].command).toBe('NAV_TAKEOFF');
    expect((await server.api('GET', `/api/plans/${coverage.body.id}`)).body.lengthM).toBe(coverage.body.lengthM);

    const stage = await server.api('POST', '/api/geofences', { name: 'stage', kind: 'no-fly', circle: { center: { lat: BASE.lat + 200 * M, lon: BASE.lon }, radiusM: 40 } });
    const corridor = await server.api('POST', '/api/plans', {
      kind: 'corridor', altitudeM: 30,
      path: { type: 'LineString', coordinates: [[BASE.lon, BASE.lat + 100 * M], [BASE.lon, BASE.lat + 300 * M]] },
    });
    expect(corridor.status).toBe(400);
    expect(corridor.body.error).toMatchObject({ code: 'AIRSPACE_VIOLATION', details: { zoneId: stage.body.id, kind: 'enters-no-fly', leg: expect.any(Number) } });
    expect(corridor.body.error.details.byM).toBeGreaterThan(30);
  });

  it('splits a coverage area among N drones into balanced parts, one sortie per drone', async () => {
    server = await startTestServer();
    const area = rect({ lat: BASE.lat + 400 * M, lon: BASE.lon }, 150, 200);
    const one = await server.api('POST', '/api/plans', { kind: 'coverage', area, altitudeM: 40, spacingM: 30, base: BASE });
    const shared = await server.api('POST', '/api/plans', { kind: 'coverage', area, altitudeM: 40, spacingM: 30, base: BASE, drones: 3 });
    expect(shared.status).toBe(201);
    expect(shared.body.sorties).toHaveLength(3);
    const lengths = shared.body.sorties.map((s: any) => s.lengthM);
    expect(Math.max(...lengths) / Math.min(...lengths)).toBeLessThan(1.5);
    // three drones finish sooner than one
    expect(shared.body.durationS).toBeLessThan(one.body.durationS * 0.6);
    for (const s of shared.body.sorties) expect(s.missionItems[0].command).toBe('NAV_TAKEOFF');
  });

  it('refuses a goto into a no-fly zone or above the ceiling before sending anything, and audits the refusal', async () => {
    server = await startTestServer();
    sim = await startSimFleet({ drones: 1, link: server.mavlink, speedup: 3, positionSettleMs: 500 });
    const [d] = await waitFor(async () => { const l = (await server!.api('GET', '/api/drones')).body.drones; return l.length && l[0].position ? l : null; }, { what: 'a drone' });
    const zone = await server.api('POST', '/api/geofences', { name: 'hospital', kind: 'no-fly', geometry: rect({ lat: BASE.lat + 150 * M, lon: BASE.lon }, 30, 30) });
    const into = await server.api('POST', `/api/drones/${d.id}/commands`, { type: 'goto', lat: BASE.lat + 300 * M, lon: BASE.lon, altitudeM: 30 });
    expect(into.status).toBe(400);
    expect(into.body.error).toMatchObject({ code: 'AIRSPACE_VIOLATION', details: { zoneId: zone.body.id, kind: 'enters-no-fly', leg: 0 } });
    const high = await server.api('POST', `/api/drones/${d.id}/commands`, { type: 'takeoff', altitudeM: 150 });
    expect(high.status).toBe(400);
    expect(high.body.error.details).toMatchObject({ kind: 'above-ceiling', byM: 30 });
    expect(sim.drones[0]!.truth().armed).toBe(false);
    const audit = (await server.api('GET', `/api/audit?droneId=${d.id}`)).body.entries;
    expect(audit.map((e: any) => [e.action, e.result.code])).toEqual([['command:takeoff', 'AIRSPACE_VIOLATION'], ['command:goto', 'AIRSPACE_VIOLATION']]);
  });

  it('assigns a tour to a simulated drone, which takes off in AUTO and works through it', async () => {
    server = await startTestServer();
    sim = await startSimFleet({ drones: 1, link: server.mavlink, speedup: 3, positionSettleMs: 500 });
    const [d] = await waitFor(async () => { const l = (await server!.api('GET', '/api/drones')).body.drones; return l.length && l[0].position ? l : null; }, { what: 'a drone' });
    const tour = await server.api('POST', '/api/plans', {
      kind: 'tour', altitudeM: 25, base: BASE,
      points: [{ lat: BASE.lat + 80 * M, lon: BASE.lon }, { lat: BASE.lat + 80 * M, lon: BASE.lon + 80 * M / Math.cos(0.532) }, { lat: BASE.lat, lon: BASE.lon + 80 * M / Math.cos(0.532) }],
    });
    expect(tour.status).toBe(201);
    const assigned = await waitFor(async () => {
      const r = await server!.api('POST', `/api/plans/${tour.body.id}/assign`, { droneIds: [d.id] });
      return r.body.assignments?.[0]?.result === 'started' ? r : null;
    }, { what: 'assignment started (after the position estimate settles)', timeoutMs: 15_000, intervalMs: 500 });
    expect(assigned.body.assignments[0]).toMatchObject({ droneId: d.id, part: 'route', result: 'started' });
    await waitFor(() => sim!.drones[0]!.truth().modeName === 'AUTO' && sim!.drones[0]!.truth().altitudeM > 20, { what: 'AUTO flight at altitude', timeoutMs: 30_000 });
    await waitFor(async () => (await server!.api('GET', `/api/plans/${tour.body.id}/status`)).body.drones[0].missionCurrent >= 3, { what: 'mission progress in the plan status', timeoutMs: 30_000 });
    const tooMany = await server.api('POST', `/api/plans/${tour.body.id}/assign`, { droneIds: [d.id, 'E99'] });
    expect(tooMany.status).toBe(404);
  }, 90_000);
});
