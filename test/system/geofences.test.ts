/** Geofences are stored, listed, removed, and uploaded to a simulated drone, which then enforces them itself. */
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
const square = (c: { lat: number; lon: number }, halfDeg: number) => ({
  type: 'Polygon' as const,
  coordinates: [[[c.lon - halfDeg, c.lat - halfDeg], [c.lon + halfDeg, c.lat - halfDeg], [c.lon + halfDeg, c.lat + halfDeg], [c.lon - halfDeg, c.lat + halfDeg], [c.lon - halfDeg, c.lat - halfDeg]]],
});

describe('geofences', () => {
  it('are stored with clear 400s for bad shapes, listed, and deleted', async () => {
    server = await startTestServer();
    const area = await server.api('POST', '/api/geofences', { name: 'Optics Valley ops area', kind: 'operating-area', geometry: square(BASE, 0.01), ceilingM: 120 });
    expect(area.status).toBe(201);
    const open = await server.api('POST', '/api/geofences', { name: 'open ring', kind: 'no-fly', geometry: { type: 'Polygon', coordinates: [[[114.4, 30.5], [114.41, 30.5], [114.41, 30.51], [114.4, 30.51]]] } });
    expect(open.status).toBe(400);
    expect(open.body.error.message).toMatch(/closed/);
    const both = await server.api('POST', '/api/geofences', { name: 'x', kind: 'no-fly', geometry: square(BASE, 0.001), circle: { center: BASE, radiusM: 50 } });
    expect(both.status).toBe(400);
    expect((await server.api('GET', '/api/geofences')).body.geofences.map((g: any) => g.name)).toEqual(['Optics Valley ops area']);
    const lowered = await server.api('PUT', `/api/geofences/${area.body.id}`, { name: 'Optics Valley ops area', kind: 'operating-area', geometry: square(BASE, 0.01), ceilingM: 90 });
    expect(lowered.status).toBe(200);
    expect((await server.api('GET', `/api/geofences/${area.body.id}`)).body.ceilingM).toBe(90);
    expect((await server.api('PUT', '/api/geofences/gf_nope', { name: 'x', kind: 'no-fly', circle: { center: BASE, radiusM: 10 } })).status).toBe(404);
    expect((await server.api('DELETE', `/api/geofences/${area.body.id}`)).status).toBe(200);
    expect((await server.api('GET', `/api/geofences/${area.body.id}`)).status).toBe(404);
  });

  it('are uploaded to a drone as its FENCE list, and the drone then refuses a goto into a no-fly zone', async () => {
    server = await startTestServer();
    sim = await startSimFleet({ drones: 1, link: server.mavlink, speedup: 3, positionSettleMs: 1000 });
    const noFly = { lat: BASE.lat + 0.0015, lon: BASE.lon };
    await server.api('POST', '/api/geofences', { name: 'ops area', kind: 'operating-area', geometry: square(BASE, 0.01) });
    const stage = await server.api('POST', '/api/geofences', { name: 'stage (no-fly)', kind: 'no-fly', circle: { center: noFly, radiusM: 60 } });
    const [d] = await waitFor(async () => { const list = (await server!.api('GET', '/api/drones')).body.drones; return list.length ? list : null; }, { what: 'a drone' });
    const up = await server.api('POST', `/api/drones/${d.id}/fence`);
    expect(up.status).toBe(200);
    expect(up.body).toMatchObject({ count: 5, ceilingM: 120 }); // 4 vertices of the area + 1 circle
    expect(sim.drones[0]!.copter.params.get('FENCE_ENABLE')).toBe(1);
    expect(sim.drones[0]!.copter.params.get('FENCE_ALT_MAX')).toBe(120);
    const down = await server.api('GET', `/api/drones/${d.id}/mission?type=fence`);
    expect(down.body.items.map((i: any) => i.command)).toEqual([
      'NAV_FENCE_POLYGON_VERTEX_INCLUSION', 'NAV_FENCE_POLYGON_VERTEX_INCLUSION', 'NAV_FENCE_POLYGON_VERTEX_INCLUSION', 'NAV_FENCE_POLYGON_VERTEX_INCLUSION', 'NAV_FENCE_CIRCLE_EXCLUSION',
    ]);
    expect(down.body.items[4].params[0]).toBe(60);
    await waitFor(async () => (await server!.api('POST', `/api/drones/${d.id}/commands`, { type: 'takeoff', altitudeM: 20 })).status === 200, { what: 'take-off', timeoutMs: 15_000, intervalMs: 500 });
    await waitFor(async () => (await server!.api('GET', `/api/drones/${d.id}`)).body.position.altRelM > 10, { what: 'climb above 10 m', timeoutMs: 15_000 });
    // the server refuses it first, without sending anything
    const refused = await server.api('POST', `/api/drones/${d.id}/commands`, { type: 'goto', ...noFly, altitudeM: 20 });
    expect(refused.status).toBe(400);
    expect(refused.body.error.code).toBe('AIRSPACE_VIOLATION');
    // with the zone gone from the server, the drone still enforces the fence it was given
    expect((await server.api('DELETE', `/api/geofences/${stage.body.id}`)).status).toBe(200);
    const into = await server.api('POST', `/api/drones/${d.id}/commands`, { type: 'goto', ...noFly, altitudeM: 20 });
    expect(into.status).toBe(409);
    expect(into.body.error.code).toBe('COMMAND_DENIED');
    const audit = (await server.api('GET', `/api/audit?droneId=${d.id}`)).body.entries.map((e: any) => e.action);
    expect(audit).toEqual(expect.arrayContaining(['fence:upload', 'command:goto']));
  }, 60_000);
});
