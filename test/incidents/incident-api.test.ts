/** The incident routes without drones in the air: validation, roles, a scene no drone may fly to, the audit trail. */
import { afterEach, describe, expect, it } from 'vitest';
import { reportIncident, stepIncident, type Incident } from '../../server/incidents/incident.ts';
import { startSimFleet, type SimFleet } from '../../simulator/index.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { stopAll } from '../helpers/stop-all.ts';
import { waitFor } from '../helpers/wait-for.ts';

let server: TestServer | null = null;
let sim: SimFleet | null = null;
afterEach(async () => {
  await stopAll(sim, server);
  [sim, server] = [null, null];
});

const M = 1 / 111_320;
/** A past incident answered in `dispatchS` and on scene after `onSceneS` (null: never), stored as the service would have. */
function past(id: string, kind: string, reportedAt: string, dispatchS: number | null, onSceneS: number | null, where = SCENE): Incident {
  const t0 = Date.parse(reportedAt);
  let { next } = reportIncident({ id, kind, priority: 2, ...where, by: 'command-room', atMs: t0 });
  if (dispatchS !== null) ({ next } = stepIncident(next, { kind: 'droneAssigned', droneId: 'E01', etaS: 60, airborne: false, atMs: t0 + dispatchS * 1000 }));
  if (onSceneS !== null) ({ next } = stepIncident(next, { kind: 'droneOnScene', droneId: 'E01', atMs: t0 + onSceneS * 1000 }));
  ({ next } = stepIncident(next, { kind: 'close', outcome: 'resolved', by: 'op', atMs: t0 + 600_000 }));
  return next;
}

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

  it('gives median and 90th-percentile response times per kind against the ground unit, so a team sees the minutes saved', async () => {
    server = await startTestServer({ EAGLE_GROUND_UNIT_S: 'fight=240,*=180' });
    const day = new Date(Date.now() - 2 * 86_400_000).toISOString().slice(0, 10);
    const at = (hh: string) => `${day}T${hh}:00:00.000Z`;
    for (const i of [
      past('inc_1', 'fight', at('02'), 2, 60), past('inc_2', 'fight', at('03'), 4, 80), past('inc_3', 'fight', at('04'), 3, 100),
      past('inc_4', 'crash', at('05'), 1, 150), past('inc_5', 'crash', at('06'), null, null),
      past('inc_old', 'fight', new Date(Date.now() - 40 * 86_400_000).toISOString(), 1, 10),
    ]) server.store.incidents.save(i);
    const r = await server.api('GET', '/api/metrics/response?period=all');
    expect(r.status).toBe(200);
    const row = (kind: string) => r.body.rows.find((x: any) => x.kind === kind);
    // fights: on scene after 60, 80, 100 s → median 80, p90 96 (linear); ground unit 240 → 160 s saved
    expect(row('fight')).toEqual({ period: 'all', kind: 'fight', incidents: 3, reportToDispatch: { count: 3, medianS: 3, p90S: 3.8 }, reportToOnScene: { count: 3, medianS: 80, p90S: 96 }, groundUnitS: 240, savedS: 160 });
    // the never-dispatched crash counts as an incident but not in the times; crashes use the '*' figure
    expect(row('crash')).toMatchObject({ incidents: 2, reportToOnScene: { count: 1, medianS: 150, p90S: 150 }, groundUnitS: 180, savedS: 30 });
    expect(row('*')).toMatchObject({ incidents: 5, reportToOnScene: { count: 4, medianS: 90 } });
    const fightsOnly = await server.api('GET', '/api/metrics/response?period=day&kind=fight&days=60');
    expect(fightsOnly.body.rows.map((x: any) => [x.kind, x.incidents])).toEqual([['*', 1], ['fight', 1], ['*', 3], ['fight', 3]]);
    expect((await server.api('GET', '/api/metrics/response?period=month')).status).toBe(400);
  });

  it('suggests where the idle drones should wait from past incidents, with the expected time saved', async () => {
    server = await startTestServer();
    sim = await startSimFleet({ drones: 2, link: server.mavlink, speedup: 1, positionSettleMs: 300, seed: 5 });
    await waitFor(async () => (await server!.api('GET', '/api/drones')).body.drones.filter((d: any) => d.position).length === 2, { what: 'two drones with positions', timeoutMs: 15_000 });
    const base = (await server.api('GET', '/api/drones')).body.drones[0].position;
    // two clusters of past incidents, 800 m north-west and 800 m south-east of the base
    const west = { lat: base.lat + 560 * M, lon: base.lon - (560 * M) / Math.cos(0.532) };
    const east = { lat: base.lat - 560 * M, lon: base.lon + (560 * M) / Math.cos(0.532) };
    let n = 0;
    for (const c of [west, east]) for (let k = 0; k < 6; k++) server.store.incidents.save(past(`inc_${n++}`, 'fight', new Date(Date.now() - (k + 1) * 86_400_000).toISOString(), 2, 90, { lat: c.lat + (k - 3) * 20 * M, lon: c.lon }));
    const r = await server.api('GET', '/api/dispatch/prepositioning?days=28');
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ idleDrones: 2, incidentsUsed: 12 });
    // one drone to each cluster (wait points are on a 150 m grid: within about 110 m of the cluster)
    const to = (c: { lat: number; lon: number }) => r.body.suggestions.filter((s: any) => Math.hypot((s.lat - c.lat) / M, ((s.lon - c.lon) * Math.cos(0.532)) / M) < 110);
    expect([to(west).length, to(east).length]).toEqual([1, 1]);
    expect(r.body.suggestions.every((s: any) => s.moveM > 600)).toBe(true);
    // from the base, each cluster is 800 m away; waiting at each cluster saves most of that flight (10 m/s)
    expect(r.body.expected.improvementMeanS).toBeGreaterThan(60);
    expect(r.body.expected.suggestedMeanS).toBeLessThan(r.body.expected.currentMeanS);
  });
});
