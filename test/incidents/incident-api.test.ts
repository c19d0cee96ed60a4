/** The incident routes without drones in the air: validation, roles, a scene no drone may fly to, the audit trail. */
import { afterEach, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.ts';

let server: TestServer | null = null;
afterEach(async () => {
  await server?.close();
  server = null;
});

const SCENE = { lat: 30.5017, lon: 114.4123 };

describe('incident routes', () => {
  it('refuses bad reports with a message naming the field, and viewers, and unknown incidents', async () => {
    server = await startTestServer();
    const noKind = await server.api('POST', '/api/incidents', { ...SCENE, priority: 1 });
    expect(noKind.status).toBe(400);
    expect(noKind.body.error.message).toMatch(/kind/);
    const badPriority = await server.api('POST', '/api/incidents', { ...SCENE, kind: 'fight', priority: 9 });
    expect(badPriority.status).toBe(400);
    expect(badPriority.body.error.message).toMatch(/priority/);
    const viewer = (await server.api('POST', '/api/operators', { name: 'watcher', role: 'viewer' })).body;
    expect((await server.api('POST', '/api/incidents', { ...SCENE, kind: 'fight', priority: 1 }, viewer.token)).status).toBe(403);
    expect((await server.api('GET', '/api/incidents', undefined, viewer.token)).status).toBe(200);
    expect((await server.api('GET', '/api/incidents/inc_nope')).body.error.code).toBe('INCIDENT_NOT_FOUND');
    expect((await server.api('POST', '/api/incidents/inc_nope/close', { outcome: 'resolved' })).status).toBe(404);
    const badOutcome = await server.api('POST', '/api/incidents/inc_nope/close', { outcome: 'won' });
    expect(badOutcome.status).toBe(400);
  });

  it('records an incident no drone may fly to, says why, and audits who reported and closed it', async () => {
    server = await startTestServer();
    const d = 0.002;
    const zone = { name: 'hospital helipad', kind: 'no-fly', geometry: { type: 'Polygon', coordinates: [[[SCENE.lon - d, SCENE.lat - d], [SCENE.lon + d, SCENE.lat - d], [SCENE.lon + d, SCENE.lat + d], [SCENE.lon - d, SCENE.lat + d], [SCENE.lon - d, SCENE.lat - d]]] } };
    expect((await server.api('POST', '/api/geofences', zone)).status).toBe(201);
    const reported = await server.api('POST', '/api/incidents', { ...SCENE, kind: 'crash', priority: 2, note: 'two cars' });
    expect(reported.status).toBe(201);
    expect(reported.body).toMatchObject({ state: 'reported', droneId: null, reportedBy: 'admin' });
    expect(reported.body.reason).toMatch(/^no drone may fly there: .*no-fly/);
    const closed = await server.api('POST', `/api/incidents/${reported.body.id}/close`, { outcome: 'handed-to-ground-unit' });
    expect(closed.body).toMatchObject({ state: 'released', outcome: 'handed-to-ground-unit', closedBy: 'admin' });
    const audit = (await server.api('GET', '/api/audit?limit=10')).body.entries.map((e: any) => [e.operator, e.action, e.result.ok]);
    expect(audit).toEqual(expect.arrayContaining([['admin', 'incident:report', true], ['admin', 'incident:close', true]]));
  });
});
