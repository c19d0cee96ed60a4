/** The run routes without drones in the air: roles, refusals, and a run stopped through DELETE. */
import { afterEach, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.ts';

let server: TestServer | null = null;
afterEach(async () => {
  await server?.close();
  server = null;
});

const BASE = { lat: 30.4987, lon: 114.4123 };
const M = 111_320;
const venue = { type: 'Polygon' as const, coordinates: [[[BASE.lon - 0.01, BASE.lat - 0.01], [BASE.lon + 0.01, BASE.lat - 0.01], [BASE.lon + 0.01, BASE.lat + 0.01], [BASE.lon - 0.01, BASE.lat + 0.01], [BASE.lon - 0.01, BASE.lat - 0.01]]] };
const overwatch = {
  kind: 'overwatch', venue, pois: [{ lat: BASE.lat + 300 / M, lon: BASE.lon }], window: { start: '2026-12-31T18:00:00Z', end: '2026-12-31T19:00:00Z' },
  bases: [BASE], altitudeM: 40, airframe: { cruiseMps: 10, enduranceS: 1500, swapS: 120 },
};

describe('overwatch run routes', () => {
  it('refuses unknown plans, other kinds, unknown drones and viewers; GET and DELETE need a run', async () => {
    server = await startTestServer();
    const plan = (await server.api('POST', '/api/plans', overwatch)).body;
    const tour = (await server.api('POST', '/api/plans', { kind: 'tour', altitudeM: 30, base: BASE, points: [{ lat: BASE.lat + 100 / M, lon: BASE.lon }, { lat: BASE.lat + 100 / M, lon: BASE.lon + 100 / M }] })).body;
    expect(tour.id).toEqual(expect.any(String));

    expect((await server.api('POST', '/api/plans/nope/run', { droneIds: ['E01'] })).body.error.code).toBe('PLAN_NOT_FOUND');
    const wrongKind = await server.api('POST', `/api/plans/${tour.id}/run`, { droneIds: ['E01'] });
    expect(wrongKind.status).toBe(400);
    expect(wrongKind.body.error.message).toMatch(/only overwatch plans run/);
    const noDrone = await server.api('POST', `/api/plans/${plan.id}/run`, { droneIds: ['E99'] });
    expect(noDrone.status).toBe(404);
    expect(noDrone.body.error.code).toBe('DRONE_NOT_FOUND');
    expect((await server.api('POST', `/api/plans/${plan.id}/run`, { droneIds: [] })).status).toBe(400);
    expect((await server.api('POST', `/api/plans/${plan.id}/run`, { droneIds: ['E01'], startAt: 'soon' })).status).toBe(404); // the drone is checked first

    expect((await server.api('GET', `/api/plans/${plan.id}/run`)).status).toBe(404);
    expect((await server.api('DELETE', `/api/plans/${plan.id}/run`)).status).toBe(404);

    const viewer = (await server.api('POST', '/api/operators', { name: 'watcher', role: 'viewer' })).body;
    expect((await server.api('POST', `/api/plans/${plan.id}/run`, { droneIds: ['E01'] }, viewer.token)).status).toBe(403);
    expect((await server.api('DELETE', `/api/plans/${plan.id}/run`, undefined, viewer.token)).status).toBe(403);
    expect((await server.api('GET', `/api/plans/${plan.id}/run`, undefined, viewer.token)).status).toBe(404);

    const audit = (await server.api('GET', '/api/audit?limit=50')).body.entries as any[];
    // refusals inside the route are audited (unknown plan and bad bodies are refused before it)
    expect(audit.filter((e) => e.action === 'plan:run').map((e) => [e.result.ok, e.result.code])).toEqual([[false, 'DRONE_NOT_FOUND'], [false, 'DRONE_NOT_FOUND'], [false, 'BAD_REQUEST']]);
    expect(server.routeRoles).toEqual(expect.arrayContaining([
      expect.objectContaining({ method: 'POST', url: '/api/plans/:id/run', role: 'operator' }),
      expect.objectContaining({ method: 'GET', url: '/api/plans/:id/run', role: 'viewer' }),
      expect.objectContaining({ method: 'DELETE', url: '/api/plans/:id/run', role: 'operator' }),
    ]));
  });
});
