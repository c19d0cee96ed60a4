/**
 * Incident dispatch end to end with the real server and the real simulator (speedup 5; the GCS
 * failsafe is off because the server's heartbeat runs on the wall clock): the drone that arrives
 * first goes (not simply the nearest), its steps are timed against the simulated flight, an
 * overwatch drone stays on its station, the most urgent incident is served first, and a released
 * drone goes home.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startSimFleet, type SimFleet } from '../../simulator/index.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { waitFor } from '../helpers/wait-for.ts';
import { stopAll } from '../helpers/stop-all.ts';

const BASE = { lat: 30.4987, lon: 114.4123 };
const M = 1 / 111_320;
const COS = Math.cos(BASE.lat * Math.PI / 180);
const north = (m: number, eastM = 0) => ({ lat: BASE.lat + m * M, lon: BASE.lon + (eastM * M) / COS });
const metresBetween = (a: { lat: number; lon: number }, b: { lat: number; lon: number }) => Math.hypot((a.lat - b.lat) / M, ((a.lon - b.lon) * COS) / M);
const SPEEDUP = 5;

let server: TestServer | null = null;
let sim: SimFleet | null = null;
afterEach(async () => {
  await stopAll(sim, server);
  [sim, server] = [null, null];
});

async function setup(drones: number, sim_: Partial<Parameters<typeof startSimFleet>[0]> = {}) {
  server = await startTestServer({ EAGLE_INCIDENT_WATCH_S: '300' });
  sim = await startSimFleet({ drones, link: server.mavlink, speedup: SPEEDUP, positionSettleMs: 500, seed: 7, params: { FS_GCS_ENABLE: 0 }, ...sim_ });
  const list = await waitFor(async () => { const l = (await server!.api('GET', '/api/drones')).body.drones; return l.length === drones && l.every((d: any) => d.position && d.battery.remainingPct !== null) ? l : null; }, { what: 'drones with positions', timeoutMs: 15_000 });
  await waitFor(async () => (await server!.api('GET', '/api/events?kind=statustext&limit=500')).body.events.filter((e: any) => /using GPS/.test(e.data.text)).length >= drones, { what: 'position estimates ready', timeoutMs: 15_000 });
  return list.map((d: any) => d.id as string).sort();
}

const simIndexOf = (droneId: string) => sim!.drones.findIndex((d) => d.sysid === Number(droneId.replace(/\D/g, '')));

async function incident(id: string, pred: (i: any) => boolean, what: string, timeoutMs = 60_000) {
  return waitFor(async () => { const i = (await server!.api('GET', `/api/incidents/${id}`)).body; return pred(i) ? i : null; }, { what, timeoutMs, intervalMs: 100 });
}

describe('incident dispatch', () => {
  it('sends the farther drone already in the air because it arrives first, and times its steps against the simulated flight', async () => {
    const [ground, air] = await setup(2);
    // `air` climbs to 40 m and waits 100 m south of the base; `ground` stays on the pad
    expect((await server!.api('POST', `/api/drones/${air}/commands`, { type: 'takeoff', altitudeM: 40 })).status).toBe(200);
    const waitAt = north(-100);
    expect((await server!.api('POST', `/api/drones/${air}/commands`, { type: 'goto', ...waitAt, altitudeM: 40 })).status).toBe(200);
    await waitFor(async () => { const d = (await server!.api('GET', `/api/drones/${air}`)).body; return metresBetween(d.position, waitAt) < 5 && Math.abs(d.position.altRelM - 40) < 2; }, { what: 'the airborne drone waiting south of the base', timeoutMs: 40_000 });

    const scene = north(300);
    const ranking = (await server!.api('GET', `/api/dispatch/candidates?lat=${scene.lat}&lon=${scene.lon}`)).body.candidates;
    expect(ranking.map((c: any) => c.droneId)).toEqual([air, ground]);
    expect(ranking[0].distanceM).toBeGreaterThan(ranking[1].distanceM); // farther, yet first

    const reported = await server!.api('POST', '/api/incidents', { ...scene, kind: 'fight', priority: 1, note: '小吃摊打架 fight at a street-food stall' });
    expect(reported.status).toBe(201);
    expect(reported.body).toMatchObject({ state: 'airborne', droneId: air });
    expect(reported.body.steps.map((s: any) => s.state)).toEqual(['reported', 'dispatched', 'airborne']);
    expect((await server!.api('GET', `/api/drones/${air}`)).body.task).toEqual({ kind: 'incident', id: reported.body.id });

    // watch the simulated drone itself: when does it really get within 25 m of the scene at the watch height?
    const airIndex = simIndexOf(air);
    let truthArrivalMs: number | null = null;
    await waitFor(() => {
      const t = sim!.drones[airIndex]!.truth();
      if (metresBetween(t, scene) <= 25 && Math.abs(t.altitudeM - 40) < 5) truthArrivalMs = Date.now();
      return truthArrivalMs !== null;
    }, { what: 'the simulated drone over the scene', timeoutMs: 40_000, intervalMs: 20 });
    const onScene = await incident(reported.body.id, (i) => i.state === 'on-scene', 'on scene recorded');
    const onSceneAtMs = Date.parse(onScene.responders[0].onSceneAt);
    expect(Math.abs(onSceneAtMs - truthArrivalMs!)).toBeLessThan(1500);
    // the flight took about what the dispatcher expected (simulated seconds)
    const flightS = ((onSceneAtMs - Date.parse(onScene.responders[0].dispatchedAt)) / 1000) * SPEEDUP;
    expect(flightS).toBeGreaterThan(onScene.responders[0].etaS * 0.6);
    expect(flightS).toBeLessThan(onScene.responders[0].etaS * 1.6);
    expect(sim!.drones[simIndexOf(ground)]!.truth().armed).toBe(false);

    const closed = await server!.api('POST', `/api/incidents/${reported.body.id}/close`, { outcome: 'handed-to-ground-unit', note: '巡逻车已到 patrol car arrived' });
    expect(closed.status).toBe(200);
    expect(closed.body.state).toBe('released');
    expect(closed.body.steps.map((s: any) => s.state)).toEqual(['reported', 'dispatched', 'airborne', 'on-scene', 'released']);
    await waitFor(() => sim!.drones[airIndex]!.truth().modeName === 'RTL', { what: 'the released drone sent home' });
    expect((await server!.api('GET', `/api/drones/${air}`)).body.task).toBeNull();
    const again = await server!.api('POST', `/api/incidents/${reported.body.id}/close`, { outcome: 'resolved' });
    expect(again.status).toBe(409);
    const audit = (await server!.api('GET', `/api/audit?droneId=${air}`)).body.entries.map((e: any) => [e.operator, e.action]);
    expect(audit).toEqual(expect.arrayContaining([['incident-dispatch', 'incident:fly'], ['incident-dispatch', 'incident:return-home']]));
  }, 150_000);

  it('passes over the nearest drone when its battery is too low, and sends a farther one with enough', async () => {
    const [a, b] = await setup(2, { batteryPct: (i) => (i === 0 ? 30 : 100) });
    const low = sim!.drones[0]!.sysid === Number(a.replace(/\D/g, '')) ? a : b;
    const full = low === a ? b : a;
    // the low drone stands nearest the scene: move the full one 150 m south first
    await server!.api('POST', `/api/drones/${full}/commands`, { type: 'takeoff', altitudeM: 20 });
    await server!.api('POST', `/api/drones/${full}/commands`, { type: 'goto', ...north(-150), altitudeM: 20 });
    await waitFor(async () => metresBetween((await server!.api('GET', `/api/drones/${full}`)).body.position, north(-150)) < 5, { what: 'the full drone 150 m south', timeoutMs: 40_000 });
    await server!.api('POST', `/api/drones/${full}/commands`, { type: 'land' });
    await waitFor(async () => { const d = (await server!.api('GET', `/api/drones/${full}`)).body; return d.landed && !d.armed; }, { what: 'landed and disarmed again', timeoutMs: 40_000 });

    const scene = north(200);
    const ranking = (await server!.api('GET', `/api/dispatch/candidates?lat=${scene.lat}&lon=${scene.lon}`)).body;
    expect(ranking.rejected).toEqual([{ droneId: low, reason: expect.stringMatching(/^battery 3\d% < \d+% needed$/) }]);
    const reported = (await server!.api('POST', '/api/incidents', { ...scene, kind: 'lost-person', priority: 2 })).body;
    expect(reported.droneId).toBe(full);
    await incident(reported.id, (i) => i.state === 'on-scene', 'the full drone on scene');
    expect(sim!.drones[simIndexOf(low)]!.truth().armed).toBe(false);
  }, 150_000);

  it('sends another drone when the one on scene turns for home on its own battery failsafe, and leaves that failsafe alone', async () => {
    const [a, b] = await setup(2);
    const scene = north(200);
    const reported = (await server!.api('POST', '/api/incidents', { ...scene, kind: 'crowd', priority: 1 })).body;
    const first = reported.droneId as string;
    const second = first === a ? b : a;
    await incident(reported.id, (i) => i.state === 'on-scene', 'the first drone on scene');
    sim!.injectFault(simIndexOf(first), { kind: 'battery-fault' });
    const relieved = await incident(reported.id, (i) => i.responders.some((r: any) => r.droneId === second), 'a second drone sent', 40_000);
    expect(relieved.responders.map((r: any) => [r.droneId, r.state === 'lost'])).toEqual([[first, true], [second, false]]);
    expect(relieved.steps.find((s: any) => s.state === 'lost')).toMatchObject({ droneId: first, note: expect.stringMatching(/^left the scene \((RTL|LAND)\)$/) });
    const ranking = (await server!.api('GET', `/api/dispatch/candidates?lat=${scene.lat}&lon=${scene.lon}`)).body;
    expect(ranking.rejected.find((r: any) => r.droneId === first)?.reason).toMatch(/^going home or landing on its own \((RTL|LAND)\)$|^resting/);
    await incident(reported.id, (i) => i.responders.some((r: any) => r.droneId === second && r.state === 'on-scene'), 'the second drone on scene');
    // the server sent the first drone nothing after its failsafe: no go-to, no return-home, no resume
    const sent = (await server!.api('GET', `/api/audit?droneId=${first}`)).body.entries.map((e: any) => e.action);
    expect(sent).toEqual(['incident:fly']);
    expect(['RTL', 'LAND']).toContain(sim!.drones[simIndexOf(first)]!.truth().modeName);
  }, 120_000);

  it('leaves a responder a pilot takes on its way (LOITER) to the pilot: nothing more is sent, no next corner, no RTL; another drone goes', async () => {
    const [a, b] = await setup(2);
    // a no-fly block between the pad and the scene: the flight goes corner by corner
    const c = north(150);
    const h = 60 * M;
    const block = [[c.lon - h / COS, c.lat - h], [c.lon + h / COS, c.lat - h], [c.lon + h / COS, c.lat + h], [c.lon - h / COS, c.lat + h], [c.lon - h / COS, c.lat - h]];
    expect((await server!.api('POST', '/api/geofences', { name: 'stadium roof', kind: 'no-fly', geometry: { type: 'Polygon', coordinates: [block] } })).status).toBe(201);
    const scene = north(300);
    const reported = (await server!.api('POST', '/api/incidents', { ...scene, kind: 'fire', priority: 1 })).body;
    const first = reported.droneId as string;
    const second = first === a ? b : a;
    const i = simIndexOf(first);
    const pad = sim!.drones[i]!.truth();
    // half-way along its first leg (about 105 m to the block's south-west corner), in GUIDED, its first goto
    // acknowledged: the pilot switches to LOITER (an operator's mode command). Not near a corner: a switch
    // is seen with the next heartbeat, and a goto sent before it would switch the drone back
    await waitFor(() => { const t = sim!.drones[i]!.truth(); return t.modeName === 'GUIDED' && metresBetween(t, pad) > 30; }, { what: 'the first drone on its way', timeoutMs: 20_000, intervalMs: 20 });
    expect((await server!.api('POST', `/api/drones/${first}/commands`, { type: 'mode', mode: 'LOITER' })).status).toBe(200);
    const relieved = await incident(reported.id, (x) => x.responders.some((r: any) => r.droneId === second), 'a second drone sent', 20_000);
    expect(relieved.steps.find((s: any) => s.state === 'lost')).toMatchObject({ droneId: first, note: expect.stringMatching(/LOITER/) });
    await new Promise((r) => setTimeout(r, 1000)); // LOITER brakes to a stop
    const held = sim!.drones[i]!.truth();
    await new Promise((r) => setTimeout(r, 2000)); // 10 s simulated later: the pilot still has it, where it stopped
    const now = sim!.drones[i]!.truth();
    const sent = (await server!.api('GET', `/api/audit?droneId=${first}`)).body.entries.filter((e: any) => e.operator === 'incident-dispatch').map((e: any) => e.action);
    expect(sent).toEqual(['incident:fly']);
    expect(now.modeName).toBe('LOITER');
    expect(metresBetween(now, held)).toBeLessThan(5);
  }, 60_000);

  it('stops a flight when the incident is closed during take-off: the drone is sent home, never on to the scene', async () => {
    const [only] = await setup(1);
    const reported = (await server!.api('POST', '/api/incidents', { ...north(300), kind: 'fight', priority: 1 })).body;
    expect(reported.droneId).toBe(only);
    await waitFor(() => sim!.drones[0]!.truth().armed, { what: 'arming for take-off', timeoutMs: 20_000 });
    await server!.api('POST', `/api/incidents/${reported.id}/close`, { outcome: 'cancelled' });
    // whatever the take-off was doing when the incident closed, no go-to toward the scene follows
    await waitFor(async () => (await server!.api('GET', `/api/audit?droneId=${only}`)).body.entries.find((e: any) => e.action === 'incident:fly')?.result, { what: 'the flight finished', timeoutMs: 30_000 });
    const fly = (await server!.api('GET', `/api/audit?droneId=${only}`)).body.entries.find((e: any) => e.action === 'incident:fly');
    expect(fly.result).toMatchObject({ ok: false, code: 'DRONE_BUSY' });
    // a drone left hovering after take-off is sent home, and never went on toward the scene
    await waitFor(() => ['RTL', 'LAND'].includes(sim!.drones[0]!.truth().modeName) || !sim!.drones[0]!.truth().armed, { what: 'home, not hovering', timeoutMs: 20_000 });
    expect(metresBetween(sim!.drones[0]!.truth(), north(300))).toBeGreaterThan(250);
  }, 90_000);

  it('serves the most urgent waiting incident first when the only drone comes free', async () => {
    const [only] = await setup(1);
    const first = (await server!.api('POST', '/api/incidents', { ...north(150), kind: 'crash', priority: 3 })).body;
    expect(first.droneId).toBe(only);
    const minor = (await server!.api('POST', '/api/incidents', { ...north(100, 100), kind: 'traffic', priority: 4 })).body;
    const urgent = (await server!.api('POST', '/api/incidents', { ...north(100, -100), kind: 'fight', priority: 1 })).body;
    expect([minor.state, urgent.state]).toEqual(['reported', 'reported']);
    expect(urgent.reason).toMatch(/waiting for a drone/);
    await incident(first.id, (i) => i.state === 'on-scene', 'the first incident on scene');
    await server!.api('POST', `/api/incidents/${first.id}/close`, { outcome: 'resolved' });
    const served = await incident(urgent.id, (i) => i.droneId === only, 'the urgent incident given the drone', 20_000);
    expect(served.steps.map((s: any) => s.state).slice(0, 2)).toEqual(['reported', 'dispatched']);
    expect((await server!.api('GET', `/api/incidents/${minor.id}`)).body.state).toBe('reported');
    const open = (await server!.api('GET', '/api/incidents?status=open')).body.incidents.map((i: any) => i.id);
    expect(open.sort()).toEqual([minor.id, urgent.id].sort());
  }, 120_000);

  it('flies round a no-fly zone that lies between the drone and the scene, never entering it', async () => {
    await setup(1);
    // a 120 m wide no-fly block centred 150 m north of the base; the scene is 300 m north
    const c = north(150);
    const h = 60 * M;
    const block = [[c.lon - h / COS, c.lat - h], [c.lon + h / COS, c.lat - h], [c.lon + h / COS, c.lat + h], [c.lon - h / COS, c.lat + h], [c.lon - h / COS, c.lat - h]];
    expect((await server!.api('POST', '/api/geofences', { name: 'stadium roof', kind: 'no-fly', geometry: { type: 'Polygon', coordinates: [block] } })).status).toBe(201);
    const scene = north(300);
    const [cand] = (await server!.api('GET', `/api/dispatch/candidates?lat=${scene.lat}&lon=${scene.lon}`)).body.candidates;
    expect(cand.distanceM).toBeGreaterThan(310); // the way round, not the straight 300 m
    const reported = (await server!.api('POST', '/api/incidents', { ...scene, kind: 'fire', priority: 1 })).body;
    let inside = 0;
    let closestToCentreM = Infinity;
    await waitFor(async () => {
      const t = sim!.drones[0]!.truth();
      const dN = (t.lat - c.lat) / M;
      const dE = ((t.lon - c.lon) * COS) / M;
      if (Math.abs(dN) < 60 && Math.abs(dE) < 60 && t.altitudeM > 1) inside++;
      closestToCentreM = Math.min(closestToCentreM, Math.hypot(dN, dE));
      return (await server!.api('GET', `/api/incidents/${reported.id}`)).body.state === 'on-scene';
    }, { what: 'on scene after the detour', timeoutMs: 60_000, intervalMs: 50 });
    expect(inside).toBe(0);
    expect(closestToCentreM).toBeGreaterThan(60);
  }, 120_000);

  it('flies a released drone with no patrol home round the no-fly zone its straight way home crosses, then RTL: its track from the release until it has landed never enters the zone, and it lands at home', async () => {
    const [d] = await setup(1, { speedup: 10 });
    // a 100 m no-fly block centred 110 m north of the base; the scene is 230 m north, beyond it
    const c = north(110);
    const h = 50 * M;
    const block = [[c.lon - h / COS, c.lat - h], [c.lon + h / COS, c.lat - h], [c.lon + h / COS, c.lat + h], [c.lon - h / COS, c.lat + h], [c.lon - h / COS, c.lat - h]];
    expect((await server!.api('POST', '/api/geofences', { name: 'school yard', kind: 'no-fly', geometry: { type: 'Polygon', coordinates: [block] } })).status).toBe(201);
    const inBlock = (p: { lat: number; lon: number }) => Math.abs((p.lat - c.lat) / M) < 50 && Math.abs(((p.lon - c.lon) * COS) / M) < 50;
    const home = sim!.drones[0]!.truth();
    const scene = north(230);
    const reported = (await server!.api('POST', '/api/incidents', { ...scene, kind: 'fight', priority: 1 })).body;
    expect(reported.droneId).toBe(d);
    await incident(reported.id, (i) => i.state === 'on-scene', 'on scene beyond the block');
    const releasedAt = new Date().toISOString();
    expect((await server!.api('POST', `/api/incidents/${reported.id}/close`, { outcome: 'resolved' })).body.state).toBe('released');

    // the simulated drone itself, every 50 ms, from the release until it has landed and disarmed
    let inside = 0;
    let samples = 0;
    let sawRtl = false;
    await waitFor(() => {
      const t = sim!.drones[0]!.truth();
      samples++;
      if (inBlock(t) && t.altitudeM > 0.5) inside++;
      sawRtl ||= t.modeName === 'RTL';
      return sawRtl && !t.armed;
    }, { what: 'home and landed', timeoutMs: 40_000, intervalMs: 50 });
    expect(samples).toBeGreaterThan(100);
    expect(inside).toBe(0);
    expect(metresBetween(sim!.drones[0]!.truth(), home)).toBeLessThan(3);
    // the straight way home would have crossed the block
    expect(Array.from({ length: 101 }, (_, k) => ({ lat: scene.lat + (home.lat - scene.lat) * k / 100, lon: scene.lon + (home.lon - scene.lon) * k / 100 })).some(inBlock)).toBe(true);
    // and so says the server's own recorded track (1 Hz)
    const track = (await server!.api('GET', `/api/drones/${d}/track?from=${encodeURIComponent(releasedAt)}`)).body.points;
    expect(track.length).toBeGreaterThan(3);
    expect(track.filter((p: any) => inBlock(p) && p.altRelM > 0.5)).toEqual([]);

    const audit = (await server!.api('GET', `/api/audit?droneId=${d}`)).body.entries;
    expect(audit.find((e: any) => e.action === 'incident:transit-home')).toMatchObject({ operator: 'incident-dispatch', result: { ok: true }, request: { incidentId: reported.id, path: expect.any(Array) } });
    expect(audit.find((e: any) => e.action === 'incident:return-home')).toMatchObject({ result: { ok: true }, request: { incidentId: reported.id, way: 'round' } });
    expect((await server!.api('GET', '/api/events?kind=geofence-breach')).body.events).toEqual([]);
  }, 60_000);

  it('flies a patrol drone taken for an incident back round the no-fly zone its straight way to the paused patrol item crosses, and resumes the patrol at that item, not home', async () => {
    const [d] = await setup(1);
    // a 120 m no-fly block centred 250 m north; the patrol circles south of it, the scene is north of it
    const c = north(250);
    const h = 60 * M;
    const block = [[c.lon - h / COS, c.lat - h], [c.lon + h / COS, c.lat - h], [c.lon + h / COS, c.lat + h], [c.lon - h / COS, c.lat + h], [c.lon - h / COS, c.lat - h]];
    expect((await server!.api('POST', '/api/geofences', { name: 'hospital helipad', kind: 'no-fly', geometry: { type: 'Polygon', coordinates: [block] } })).status).toBe(201);
    const inBlock = (p: { lat: number; lon: number }) => Math.abs((p.lat - c.lat) / M) < 60 && Math.abs(((p.lon - c.lon) * COS) / M) < 60;
    const corner = (n: number, e: number) => { const p = north(n, e); return [p.lon, p.lat]; };
    const patrol = await server!.api('POST', '/api/plans', { kind: 'perimeter', base: BASE, altitudeM: 30, offsetM: 0, loops: 10, area: { type: 'Polygon', coordinates: [[corner(20, -80), corner(20, 80), corner(140, 80), corner(140, -80), corner(20, -80)]] } });
    expect(patrol.status).toBe(201);
    await waitFor(async () => (await server!.api('POST', `/api/plans/${patrol.body.id}/assign`, { droneIds: [d] })).body.assignments?.[0]?.result === 'started', { what: 'the patrol started', timeoutMs: 15_000, intervalMs: 500 });
    await waitFor(() => sim!.drones[0]!.truth().modeName === 'AUTO' && sim!.drones[0]!.truth().altitudeM > 25, { what: 'patrolling in AUTO', timeoutMs: 30_000 });
    await waitFor(async () => (await server!.api('GET', `/api/drones/${d}`)).body.mission.current >= 3, { what: 'a patrol leg flown', timeoutMs: 40_000 });

    const scene = north(420);
    const reported = (await server!.api('POST', '/api/incidents', { ...scene, kind: 'fight', priority: 1 })).body;
    expect(reported.droneId).toBe(d);
    await incident(reported.id, (i) => i.state === 'on-scene', 'the patrol drone on scene', 60_000);
    expect(server!.patrols.get(d)?.pausedAtSeq).toBeGreaterThanOrEqual(3);
    await server!.api('POST', `/api/incidents/${reported.id}/close`, { outcome: 'resolved' });

    // sample the simulated drone until it is in AUTO over the item it left (ArduPilot's home is
    // item 0, so the vehicle's seq n is the plan's item n - 1, or the next one with a position)
    let inside = 0;
    let samples = 0;
    let item: { lat: number; lon: number } | null = null;
    await waitFor(async () => {
      const t = sim!.drones[0]!.truth();
      samples++;
      if (inBlock(t) && t.altitudeM > 1) inside++;
      const audit = (await server!.api('GET', `/api/audit?droneId=${d}`)).body.entries;
      const resume = audit.find((e: any) => e.action === 'incident:resume-patrol' && e.result?.ok);
      if (!resume) return false;
      item ??= patrol.body.missionItems.slice(resume.request.seq - 1).find((i: any) => i.lat !== undefined);
      return t.modeName === 'AUTO' && metresBetween(t, item!) < 5;
    }, { what: 'back in AUTO at the paused patrol item', timeoutMs: 60_000, intervalMs: 50 });
    expect(samples).toBeGreaterThan(50);
    expect(inside).toBe(0);
    // the straight way back would have crossed the block
    const leg = Array.from({ length: 101 }, (_, k) => ({ lat: scene.lat + (item!.lat - scene.lat) * k / 100, lon: scene.lon + (item!.lon - scene.lon) * k / 100 }));
    expect(leg.some(inBlock)).toBe(true);

    const audit = (await server!.api('GET', `/api/audit?droneId=${d}`)).body.entries;
    const transit = audit.find((e: any) => e.action === 'incident:transit-to-patrol');
    expect(transit).toMatchObject({ operator: 'incident-dispatch', result: { ok: true }, request: { planId: patrol.body.id, seq: expect.any(Number) } });
    expect(transit.request.path.length).toBeGreaterThan(1);
    expect(audit.map((e: any) => e.action)).not.toContain('incident:return-home');
    expect(server!.patrols.get(d)).toMatchObject({ planId: patrol.body.id, pausedAtSeq: null });
    expect((await server!.api('GET', `/api/drones/${d}`)).body.task).toMatchObject({ kind: 'patrol' });
  }, 150_000);

  it('never pulls a drone off its overwatch station: another drone goes', async () => {
    const [watcher, spare] = await setup(2);
    const station = north(250);
    const venue = { type: 'Polygon', coordinates: [[[BASE.lon - 0.01, BASE.lat - 0.01], [BASE.lon + 0.01, BASE.lat - 0.01], [BASE.lon + 0.01, BASE.lat + 0.01], [BASE.lon - 0.01, BASE.lat + 0.01], [BASE.lon - 0.01, BASE.lat - 0.01]]] };
    const now = Date.now();
    const plan = (await server!.api('POST', '/api/plans', {
      kind: 'overwatch', venue, pois: [station], window: { start: new Date(now).toISOString(), end: new Date(now + 3600_000).toISOString() },
      bases: [BASE], altitudeM: 40, airframe: { cruiseMps: 10, enduranceS: 1500, swapS: 120 },
    })).body;
    expect(plan.stations).toHaveLength(1);
    expect((await server!.api('POST', `/api/plans/${plan.id}/run`, { droneIds: [watcher], startAt: 'now' })).status).toBe(201);
    await waitFor(async () => (await server!.api('GET', `/api/plans/${plan.id}/run`)).body.stations[0].holder === watcher, { what: 'the station held', timeoutMs: 60_000, intervalMs: 500 });

    const scene = { lat: plan.stations[0].lat + 30 * M, lon: plan.stations[0].lon };
    const ranking = (await server!.api('GET', `/api/dispatch/candidates?lat=${scene.lat}&lon=${scene.lon}`)).body;
    expect(ranking.rejected).toEqual([{ droneId: watcher, reason: 'holding an overwatch station' }]);
    const reported = (await server!.api('POST', '/api/incidents', { ...scene, kind: 'crowd', priority: 1 })).body;
    expect(reported.droneId).toBe(spare);
    await incident(reported.id, (i) => i.state === 'on-scene', 'the spare on scene');
    const run = (await server!.api('GET', `/api/plans/${plan.id}/run`)).body;
    expect(run.stations[0]).toMatchObject({ holder: watcher, covered: true });
  }, 150_000);
});
