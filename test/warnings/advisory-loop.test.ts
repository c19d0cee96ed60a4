/**
 * The parking-advisory loop end to end with the real server and the real simulator (speedup 3):
 * a car overstays in a temporary stopping lane → a drone is dispatched, hovers near it, and its
 * loudspeaker plays the advisory in zh-CN then English → the car leaves → the case closes as
 * complied and the drone goes home. A car that stays is escalated after N broadcasts; a speaker
 * fault escalates with its reason. Every drone action of the loop is audited.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startSimFleet, type SimFleet } from '../../simulator/index.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { waitFor } from '../helpers/wait-for.ts';
import { stopAll } from '../helpers/stop-all.ts';

const BASE = { lat: 30.4987, lon: 114.4123 };
const M = 1 / 111_320;
// A temporary stopping lane 120 m north-east of the base (approximate shape).
const LANE_CENTER = { lat: BASE.lat + 100 * M, lon: BASE.lon + 60 * M / Math.cos(0.532) };
const lane = () => {
  const dLat = 8 * M;
  const dLon = (20 * M) / Math.cos(0.532);
  const c = LANE_CENTER;
  return { type: 'Polygon', coordinates: [[[c.lon - dLon, c.lat - dLat], [c.lon + dLon, c.lat - dLat], [c.lon + dLon, c.lat + dLat], [c.lon - dLon, c.lat + dLat], [c.lon - dLon, c.lat - dLat]]] };
};

let server: TestServer | null = null;
let sim: SimFleet | null = null;
afterEach(async () => {
  await stopAll(sim, server);
  [sim, server] = [null, null];
});

async function setup(drones: number, env: Record<string, string> = {}) {
  server = await startTestServer({ EAGLE_ADVISORY_VERIFY_S: '8', EAGLE_ADVISORY_MAX_BROADCASTS: '2', ...env });
  sim = await startSimFleet({ drones, link: server.mavlink, speedup: 3, positionSettleMs: 500, seed: 21 });
  await waitFor(async () => { const l = (await server!.api('GET', '/api/drones')).body.drones; return l.length === drones && l.every((d: any) => d.position && d.components.some((c: any) => c.type === 'loudspeaker')); }, { what: 'drones with speakers', timeoutMs: 15_000 });
  await waitFor(async () => (await server!.api('GET', '/api/events?kind=statustext&limit=500')).body.events.filter((e: any) => /using GPS/.test(e.data.text)).length >= drones, { what: 'position estimates ready', timeoutMs: 15_000 });
  const zone = await server.api('POST', '/api/zones', { name: 'East exit temporary stop lane 东出口临时停车道', kind: 'temporary-stop', geometry: lane(), maxDwellS: 120 });
  expect(zone.status).toBe(201);
  return zone.body.id as string;
}

/** The analytics box reports the car in the lane from `fromS` seconds ago until now. */
async function carStays(trackId: string, fromS: number, where = LANE_CENTER) {
  const now = Date.now();
  const observations = [fromS, fromS / 2, 0].map((ago) => ({ trackId, lat: where.lat, lon: where.lon, at: new Date(now - ago * 1000).toISOString(), source: 'cam-east-3', confidence: 0.9 }));
  return server!.api('POST', '/api/observations', { observations });
}

async function caseWhere(pred: (c: any) => boolean, what: string, timeoutMs = 60_000) {
  return waitFor(async () => (await server!.api('GET', '/api/advisories')).body.advisories.find(pred), { what, timeoutMs, intervalMs: 200 });
}

describe('parking advisory loop', () => {
  it('dispatches a drone to an overstaying car, plays the advisory in zh-CN then English, and closes as complied when the car leaves', async () => {
    await setup(2);
    const posted = await carStays('鄂A12345', 200);
    expect(posted.status).toBe(202);
    expect(posted.body.opened).toHaveLength(1);
    const verifying = await caseWhere((c) => c.state === 'verifying', 'the case waiting for the car to leave after the broadcast');
    const speakerIndex = sim!.drones.findIndex((d) => sim!.speaker(d.index)?.records().length);
    const records = sim!.speaker(speakerIndex)!.records();
    expect(records.map((r) => [r.lang, r.outcome])).toEqual([['zh-CN', 'done'], ['en', 'done']]);
    expect(records[0]!.text).toContain('临时停车区');
    expect(records[1]!.text).toContain('temporary stopping area');
    // it spoke from near the car, at the hover height
    const pos = records[0]!.position!;
    expect(Math.hypot((pos.lat - LANE_CENTER.lat) / M, (pos.lon - LANE_CENTER.lon) * Math.cos(0.532) / M)).toBeLessThan(25);
    expect(pos.altitudeM).toBeGreaterThan(20);

    await server!.api('POST', '/api/observations', { observations: [{ trackId: '鄂A12345', lat: LANE_CENTER.lat + 60 * M, lon: LANE_CENTER.lon, at: new Date().toISOString(), source: 'cam-east-3' }] });
    const done = await caseWhere((c) => c.id === verifying.id && c.state === 'complied', 'the case closed as complied');
    expect(done.steps.map((s: any) => s.state)).toEqual(['detected', 'dispatched', 'on-scene', 'broadcasting', 'verifying', 'complied']);
    const droneIndex = sim!.drones.findIndex((d) => d.sysid === (sim!.drones[speakerIndex]!.sysid));
    await waitFor(() => sim!.drones[droneIndex]!.truth().modeName === 'RTL', { what: 'the drone released and sent home' });
    const audit = (await server!.api('GET', `/api/audit?droneId=${done.droneId}`)).body.entries.map((e: any) => [e.operator, e.action]);
    expect(audit).toEqual(expect.arrayContaining([['advisory-loop', 'advisory:fly'], ['advisory-loop', 'advisory:broadcast'], ['advisory-loop', 'advisory:return-home']]));
    const broadcasts = (await server!.api('GET', `/api/broadcasts?droneId=${done.droneId}`)).body.broadcasts;
    expect(broadcasts.map((b: any) => [b.lang, b.state])).toEqual(expect.arrayContaining([['zh-CN', 'done'], ['en', 'done']]));
  }, 120_000);

  it('escalates a car that stays after two broadcasts, and gives two overstays two drones', async () => {
    await setup(2);
    await carStays('鄂A00001', 200);
    await carStays('鄂A00002', 200, { lat: LANE_CENTER.lat, lon: LANE_CENTER.lon + 10 * M });
    const both = await waitFor(async () => {
      const list = (await server!.api('GET', '/api/advisories')).body.advisories;
      return list.length === 2 && list.every((c: any) => c.droneId) ? list : null;
    }, { what: 'two cases with a drone each', timeoutMs: 20_000 });
    expect(new Set(both.map((c: any) => c.droneId)).size).toBe(2);
    const escalated = await caseWhere((c) => c.trackId === '鄂A00001' && c.state === 'escalated', 'escalation after two broadcasts', 90_000);
    expect(escalated.broadcasts).toBe(2);
    expect(escalated.reason).toBe('the vehicle stayed after 2 broadcasts');
  }, 150_000);

  it('queues a second overstay while the only drone is busy, and dispatches it when the first case closes', async () => {
    await setup(1);
    await carStays('鄂A11111', 200);
    await caseWhere((c) => c.trackId === '鄂A11111' && c.state === 'verifying', 'the first case at the car', 30_000);
    await carStays('鄂A22222', 200, { lat: LANE_CENTER.lat, lon: LANE_CENTER.lon + 10 * M });
    const queued = await caseWhere((c) => c.trackId === '鄂A22222', 'the second case');
    expect(queued).toMatchObject({ state: 'detected', droneId: null });
    // the first car leaves: its case closes, the drone is released and takes the queued case
    await server!.api('POST', '/api/observations', { observations: [{ trackId: '鄂A11111', lat: LANE_CENTER.lat + 60 * M, lon: LANE_CENTER.lon, at: new Date().toISOString(), source: 'cam-east-3' }] });
    await caseWhere((c) => c.trackId === '鄂A11111' && c.state === 'complied', 'the first case complied');
    const second = await caseWhere((c) => c.trackId === '鄂A22222' && c.droneId, 'the queued case dispatched', 30_000);
    expect(second.steps.map((s: any) => s.state).slice(0, 2)).toEqual(['detected', 'dispatched']);
  }, 120_000);

  it('takes a drone off its patrol for the case and sends it back to the patrol item it left, not home', async () => {
    await setup(1);
    const [d] = (await server!.api('GET', '/api/drones')).body.drones;
    // a square patrol of 10 loops round the lane (approximate), 30 m up
    const sq = (n: number, e: number) => [BASE.lon + e * M / Math.cos(0.532), BASE.lat + n * M];
    const patrol = await server!.api('POST', '/api/plans', { kind: 'perimeter', base: BASE, altitudeM: 30, offsetM: 0, loops: 10, area: { type: 'Polygon', coordinates: [[sq(20, -60), sq(20, 160), sq(180, 160), sq(180, -60), sq(20, -60)]] } });
    expect(patrol.status).toBe(201);
    await waitFor(async () => (await server!.api('POST', `/api/plans/${patrol.body.id}/assign`, { droneIds: [d.id] })).body.assignments?.[0]?.result === 'started', { what: 'the patrol started', timeoutMs: 15_000, intervalMs: 500 });
    await waitFor(() => sim!.drones[0]!.truth().modeName === 'AUTO' && sim!.drones[0]!.truth().altitudeM > 25, { what: 'patrolling in AUTO', timeoutMs: 30_000 });
    await waitFor(async () => (await server!.api('GET', `/api/drones/${d.id}`)).body.mission.current >= 4, { what: 'a few patrol legs flown', timeoutMs: 40_000 });

    await carStays('鄂A55555', 200);
    const verifying = await caseWhere((c) => c.state === 'verifying', 'the patrolling drone at the car, after its broadcast');
    expect(verifying.droneId).toBe(d.id);
    await server!.api('POST', '/api/observations', { observations: [{ trackId: '鄂A55555', lat: LANE_CENTER.lat + 60 * M, lon: LANE_CENTER.lon, at: new Date().toISOString(), source: 'cam-east-3' }] });
    await caseWhere((c) => c.id === verifying.id && c.state === 'complied', 'the case closed as complied');

    const resumed = await waitFor(async () => (await server!.api('GET', `/api/audit?droneId=${d.id}`)).body.entries.find((e: any) => e.action === 'advisory:resume-patrol' && e.result?.ok), { what: 'the patrol resumed (audited)' });
    expect(resumed.operator).toBe('advisory-loop');
    await waitFor(() => sim!.drones[0]!.truth().modeName === 'AUTO', { what: 'back in AUTO on the patrol' });
    // it went back to the item it was flying when the case took it, and never home
    const paused = (await server!.api('GET', `/api/events?droneId=${d.id}&kind=mission-current&limit=500`)).body.events;
    expect(resumed.request.seq).toBeGreaterThanOrEqual(4);
    expect(paused.some((e: any) => e.data.seq === resumed.request.seq)).toBe(true);
    const audit = (await server!.api('GET', `/api/audit?droneId=${d.id}`)).body.entries.map((e: any) => e.action);
    expect(audit).not.toContain('advisory:return-home');
    expect(server!.patrols.get(d.id)).toMatchObject({ planId: patrol.body.id, pausedAtSeq: null });
  }, 150_000);

  it('escalates with the speaker\'s reason when the loudspeaker fails', async () => {
    await setup(1);
    sim!.injectFault(0, { kind: 'speaker-fault', mode: 'amplifier', durationS: 600 });
    await carStays('鄂A99999', 200);
    const failed = await caseWhere((c) => c.state === 'escalated', 'escalation after a speaker fault');
    expect(failed.reason).toMatch(/^broadcast failed: /);
    expect(failed.steps.map((s: any) => s.state)).toEqual(['detected', 'dispatched', 'on-scene', 'broadcasting', 'escalated']);
  }, 90_000);
});
