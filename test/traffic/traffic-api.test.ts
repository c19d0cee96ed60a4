/**
 * The traffic routes against the real server (no drones): roads CRUD with its 4xx answers, roles,
 * sightings and segment counts through POST /api/observations, levels and their change events,
 * junctions, and a corridor patrol plan over a road.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startTestServer, TEST_ADMIN_TOKEN, type TestServer } from '../helpers/server.ts';
import { waitFor } from '../helpers/wait-for.ts';
import { TestStreamClient } from '../helpers/stream-client.ts';

const BASE = { lat: 30.4987, lon: 114.4123 };
const M_LAT = 1 / 111_195;
const M_LON = 1 / (111_195 * Math.cos((BASE.lat * Math.PI) / 180));
const at = (northM: number, eastM: number): [number, number] => [+(BASE.lon + eastM * M_LON).toFixed(7), +(BASE.lat + northM * M_LAT).toFixed(7)];
const ll = (northM: number, eastM: number) => { const [lon, lat] = at(northM, eastM); return { lat, lon }; };

const avenue = () => ({ name: '东西向主干道', geometry: { type: 'LineString', coordinates: [at(-60, -900), at(-62, -300), at(-60, 300), at(-58, 900)] }, freeFlowMps: 16.7, lanes: 4 });

let server: TestServer | null = null;
let stream: TestStreamClient | null = null;
afterEach(async () => {
  stream?.close();
  stream = null;
  await server?.close();
  server = null;
});

async function tokenFor(role: 'viewer' | 'operator'): Promise<string> {
  return (await server!.api('POST', '/api/operators', { name: `${role}-traffic`, role })).body.token;
}

describe('traffic API', () => {
  it('stores road segments (default direction both) and answers bad ones with 400 and what is wrong', async () => {
    server = await startTestServer();
    const created = await server.api('POST', '/api/roads', avenue());
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: '东西向主干道', direction: 'both', freeFlowMps: 16.7, lanes: 4 });
    expect(created.body.id).toMatch(/^rd_/);

    const bad = async (body: unknown, message: RegExp) => {
      const res = await server!.api('POST', '/api/roads', body);
      expect(res.status, JSON.stringify(body).slice(0, 80)).toBe(400);
      expect(res.body.error.code).toBe('BAD_REQUEST');
      expect(res.body.error.message).toMatch(message);
    };
    const { freeFlowMps: _f, ...noSpeed } = avenue();
    await bad(noSpeed, /body must have required property 'freeFlowMps'/);
    await bad({ ...avenue(), freeFlowMps: 0 }, /body\.freeFlowMps must be > 0/);
    await bad({ ...avenue(), geometry: { type: 'LineString', coordinates: [at(0, 0)] } }, /body\.geometry\.coordinates must NOT have fewer than 2 items/);
    await bad({ ...avenue(), geometry: { type: 'LineString', coordinates: Array.from({ length: 501 }, (_, i) => at(0, i)) } }, /must NOT have more than 500 items/);
    await bad({ ...avenue(), geometry: { type: 'Polygon', coordinates: [[at(0, 0), at(0, 10), at(10, 10), at(0, 0)]] } }, /body\.geometry\.type must be equal to constant/);
    await bad({ ...avenue(), geometry: { type: 'LineString', coordinates: [[200, 30], [114, 30]] } }, /body\.geometry\.coordinates\.0\.0 must be <= 180/);
    await bad({ ...avenue(), direction: 'sideways' }, /body\.direction/);
    await bad({ ...avenue(), lanes: 0 }, /body\.lanes must be >= 1/);
    await bad({ ...avenue(), colour: 'red' }, /must NOT have additional properties/);
    await bad({ ...avenue(), geometry: { type: 'LineString', coordinates: [at(0, 0), at(0, 3)] } }, /geometry: the road is 3\.0 m long; a segment must be at least 10 m/);

    const id = created.body.id;
    expect((await server.api('GET', '/api/roads')).body.roads.map((r: any) => r.id)).toEqual([id]);
    expect((await server.api('GET', `/api/roads/${id}`)).body.name).toBe('东西向主干道');
    const replaced = await server.api('PUT', `/api/roads/${id}`, { ...avenue(), name: 'East-west avenue', direction: 'forward', freeFlowMps: 13.9 });
    expect(replaced.status).toBe(200);
    expect(replaced.body).toMatchObject({ id, name: 'East-west avenue', direction: 'forward', freeFlowMps: 13.9, createdAt: created.body.createdAt });
    expect((await server.api('PUT', '/api/roads/rd_nope', avenue())).body.error).toMatchObject({ code: 'NOT_FOUND', message: 'no road rd_nope' });
    expect((await server.api('GET', '/api/roads/rd_nope')).status).toBe(404);
    expect((await server.api('DELETE', `/api/roads/${id}`)).body).toEqual({ result: 'deleted', id });
    expect((await server.api('DELETE', `/api/roads/${id}`)).status).toBe(404);
    expect((await server.api('GET', '/api/traffic')).body.segments).toEqual([]);
    const audit = (await server.api('GET', '/api/audit?limit=20')).body.entries.map((e: any) => e.action);
    expect(audit).toEqual(expect.arrayContaining(['road:create', 'road:update', 'road:delete']));
  });

  it('lets a viewer read roads and levels but not change them; sightings need an operator', async () => {
    server = await startTestServer();
    const viewer = await tokenFor('viewer');
    const operator = await tokenFor('operator');
    const id = (await server.api('POST', '/api/roads', avenue(), operator)).body.id;
    for (const path of ['/api/roads', `/api/roads/${id}`, '/api/traffic', '/api/traffic/events', '/api/traffic/junctions']) {
      expect((await server.api('GET', path, undefined, viewer)).status, path).toBe(200);
    }
    const refused = await server.api('POST', '/api/roads', avenue(), viewer);
    expect(refused.status).toBe(403);
    expect(refused.body.error.message).toMatch(/this needs the operator role; viewer-traffic is viewer/);
    expect((await server.api('PUT', `/api/roads/${id}`, avenue(), viewer)).status).toBe(403);
    expect((await server.api('DELETE', `/api/roads/${id}`, undefined, viewer)).status).toBe(403);
    expect((await server.api('POST', `/api/roads/${id}/patrol-plan`, { altitudeM: 40 }, viewer)).status).toBe(403);
    expect((await server.api('POST', `/api/roads/${id}/broadcasts`, { droneId: 'E01' }, viewer)).status).toBe(403);
    expect((await server.api('POST', '/api/observations', { segmentCounts: [{ roadId: id, at: new Date().toISOString(), vehicles: 3 }] }, viewer)).status).toBe(403);
    expect((await server.api('GET', '/api/traffic', undefined, null)).status).toBe(401);
  });

  it('places sightings with a speed on the road, takes segment counts, and reports a jam with one event per level change', async () => {
    server = await startTestServer({ EAGLE_TRAFFIC_WINDOW_S: '5', EAGLE_TRAFFIC_DWELL_S: '1' });
    const road = (await server.api('POST', '/api/roads', avenue())).body;
    // a parking zone by the avenue: cars standing in it are not traffic
    const zone = { type: 'Polygon', coordinates: [[at(-50, 200), at(-50, 420), at(-42, 420), at(-42, 200), at(-50, 200)]] };
    expect((await server.api('POST', '/api/zones', { name: 'lane B', kind: 'temporary-stop', geometry: zone, maxDwellS: 180 })).status).toBe(201);
    stream = await TestStreamClient.open(server.url, { token: TEST_ADMIN_TOKEN });

    const now = () => new Date().toISOString();
    const sight = (trackId: string, p: { lat: number; lon: number }, speedMps?: number, extra: Record<string, unknown> = {}) => ({ trackId, ...p, at: now(), source: 'cam-1', ...(speedMps !== undefined ? { speedMps } : {}), ...extra });
    const free = await server.api('POST', '/api/observations', {
      observations: [
        sight('car-1', ll(-57, 0), 16, { headingDeg: 90 }),
        sight('car-2', ll(-63, 100), 15.5, { headingDeg: 270 }),
        sight('car-3', ll(-60, 50), 14, { headingDeg: 0 }), // crossing northwards: not on the avenue
        sight('car-4', ll(-46, 300), 0), // standing in the parking zone
        sight('car-5', ll(-60, 60)), // no speed: parking only
        sight('car-6', ll(-61, 70), 15, { confidence: 0.2 }),
        sight('car-7', ll(200, 0), 15),
      ],
      segmentCounts: [{ roadId: 'rd_gone', at: now(), vehicles: 4 }],
    });
    expect(free.status).toBe(202);
    expect(free.body).toMatchObject({ accepted: 7, stale: 0, opened: [] });
    expect(free.body.traffic).toEqual({ matched: 2, unmatched: 2, ignored: 3, stale: 0, counts: 0, unknownRoads: ['rd_gone'] });
    const seg = await waitFor(async () => (await server!.api('GET', '/api/traffic')).body.segments.find((s: any) => s.samples === 2), { what: 'the segment with two sightings' });
    expect(seg).toMatchObject({ id: road.id, name: '东西向主干道', level: 'free', speedMps: 15.75, freeFlowMps: 16.7, observed: true, pending: null });

    // a jam: crawling sightings and a count of 700 vehicles on 1.8 km × 4 lanes ≈ 97 per km per lane
    const jam = async () => server!.api('POST', '/api/observations', {
      observations: [sight('car-8', ll(-60, 10), 1, { headingDeg: 90 }), sight('car-9', ll(-60, 20), 0.5, { headingDeg: 90 })],
      segmentCounts: [{ roadId: road.id, at: now(), vehicles: 700, meanSpeedMps: 1.2, source: 'loop-3' }],
    });
    const posted = await jam();
    expect(posted.body.traffic).toMatchObject({ matched: 2, counts: 1 });
    const timer = setInterval(() => { void jam(); }, 500);
    try {
      await waitFor(async () => (await server!.api('GET', '/api/traffic?level=jammed')).body.segments.length === 1, { what: 'the segment jammed', timeoutMs: 10_000, intervalMs: 200 });
    } finally {
      clearInterval(timer);
    }
    const jammed = (await server.api('GET', '/api/traffic')).body.segments[0];
    expect(jammed.level).toBe('jammed');
    expect(jammed.densityPerKm).toBeGreaterThan(70);
    expect(jammed.since).not.toBeNull();
    // nothing more seen: back to free once the window is empty and the dwell passed
    await waitFor(async () => (await server!.api('GET', '/api/traffic')).body.segments[0].level === 'free', { what: 'back to free without data', timeoutMs: 12_000, intervalMs: 200 });
    const events = await waitFor(async () => { const e = (await server!.api('GET', `/api/traffic/events?roadId=${road.id}`)).body.events; return e.length >= 2 ? e : null; }, { what: 'stored level changes' });
    expect(events.map((e: any) => [e.previous, e.level, e.reason])).toEqual([['jammed', 'free', 'no-data'], ['free', 'jammed', 'observed']]);
    expect((await server.api('GET', '/api/traffic/events?limit=1')).body.events).toHaveLength(1);
    const streamed = stream.events('traffic');
    expect(streamed.map((e) => [e.roadId, e.previous, e.level])).toEqual([[road.id, 'free', 'jammed'], [road.id, 'jammed', 'free']]);
    expect(streamed[0]).toMatchObject({ kind: 'traffic', name: '东西向主干道', reason: 'observed' });
    expect(typeof streamed[0].speedMps).toBe('number');
  });

  it('refuses an empty batch with a message, and keeps the parking answer for plain sightings', async () => {
    server = await startTestServer();
    const empty = await server.api('POST', '/api/observations', { observations: [] });
    expect(empty.status).toBe(400);
    expect(empty.body.error.message).toBe('body: a batch needs at least one entry in observations or segmentCounts');
    const badCount = await server.api('POST', '/api/observations', { segmentCounts: [{ roadId: 'x', at: 'yesterday', vehicles: 3 }] });
    expect(badCount.status).toBe(400);
    expect(badCount.body.error.message).toMatch(/body\.segmentCounts\.0\.at must match format "date-time"/);
    const plain = await server.api('POST', '/api/observations', { observations: [{ trackId: 'a', lat: 30.5, lon: 114.4, at: new Date().toISOString(), source: 'cam' }] });
    expect(plain.status).toBe(202);
    expect(plain.body).toMatchObject({ accepted: 1, stale: 0, opened: [], traffic: { matched: 0, ignored: 1 } });
  });

  it('lists junctions, plans a corridor patrol over a road (airspace checked), and refuses broadcasts for unknown roads or drones', async () => {
    server = await startTestServer();
    const ew = (await server.api('POST', '/api/roads', avenue())).body;
    const ns = (await server.api('POST', '/api/roads', { name: '南北向主干道', geometry: { type: 'LineString', coordinates: [at(-800, 80), at(-300, 82), at(100, 80), at(800, 84)] }, freeFlowMps: 16.7 })).body;
    const junctions = (await server.api('GET', '/api/traffic/junctions')).body.junctions;
    expect(junctions).toHaveLength(1);
    expect(junctions[0].roadIds).toEqual([ew.id, ns.id].sort());

    const planned = await server.api('POST', `/api/roads/${ew.id}/patrol-plan`, { altitudeM: 40, offsetM: 10, speedMps: 8 });
    expect(planned.status).toBe(201);
    expect(planned.body).toMatchObject({ kind: 'corridor', createdBy: 'admin' });
    expect(planned.body.lengthM).toBeGreaterThan(3000); // there and back along 1.8 km
    expect(planned.body.missionItems.length).toBeGreaterThan(2);
    expect((await server.api('GET', `/api/plans/${planned.body.id}`)).body.id).toBe(planned.body.id);
    expect((await server.api('POST', `/api/roads/${ew.id}/patrol-plan`, { altitudeM: 40, path: { type: 'LineString', coordinates: [] } })).status).toBe(400);
    expect((await server.api('POST', '/api/roads/rd_nope/patrol-plan', { altitudeM: 40 })).status).toBe(404);
    // a no-fly zone over part of the avenue
    const nfz = { type: 'Polygon', coordinates: [[at(-100, -50), at(-100, 50), at(-20, 50), at(-20, -50), at(-100, -50)]] };
    expect((await server.api('POST', '/api/geofences', { name: 'hospital', kind: 'no-fly', geometry: nfz })).status).toBe(201);
    const violation = await server.api('POST', `/api/roads/${ew.id}/patrol-plan`, { altitudeM: 40 });
    expect(violation.status).toBe(400);
    expect(violation.body.error.code).toBe('AIRSPACE_VIOLATION');

    const noRoad = await server.api('POST', '/api/roads/rd_nope/broadcasts', { droneId: 'E01' });
    expect(noRoad.body.error).toMatchObject({ code: 'NOT_FOUND', message: 'no road rd_nope' });
    const noDrone = await server.api('POST', `/api/roads/${ew.id}/broadcasts`, { droneId: 'E42' });
    expect(noDrone.status).toBe(404);
    expect(noDrone.body.error.code).toBe('DRONE_NOT_FOUND');
    expect((await server.api('POST', `/api/roads/${ew.id}/broadcasts`, { droneId: 'E01', lang: 'fr' })).status).toBe(400);
  });
});
