/**
 * The server and the real simulator over real UDP, the way a newcomer uses them: a simulated
 * ArduCopter refuses to arm before its position estimate settles (with its reason), then takes off,
 * flies to a point, comes home and lands through the REST API; missions round-trip.
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

const M_PER_DEG = 111_320;
function distanceM(a: { lat: number; lon: number }, b: { lat: number; lon: number }): number {
  return Math.hypot((a.lat - b.lat) * M_PER_DEG, (a.lon - b.lon) * M_PER_DEG * Math.cos((a.lat * Math.PI) / 180));
}

async function drones(): Promise<any[]> {
  return (await server!.api('GET', '/api/drones')).body.drones;
}

describe('server with the simulator', () => {
  it('refuses arming until the position estimate is ready, then flies takeoff → goto → rtl to a landing at home', async () => {
    server = await startTestServer();
    // speedup 3 keeps the server's 1 Hz heartbeat inside the simulator's 5 s GCS failsafe
    sim = await startSimFleet({ drones: 2, link: server.mavlink, speedup: 3, positionSettleMs: 6000, seed: 5 });
    const [d] = await waitFor(async () => { const list = await drones(); return list.length === 2 && list.every((x) => x.position) ? list : null; }, { what: 'two simulated drones with positions' });
    const cmd = (body: unknown) => server!.api('POST', `/api/drones/${d.id}/commands`, body);

    const early = await cmd({ type: 'arm' });
    expect(early.status).toBe(409);
    expect(early.body.error.details.mavResult).toBe('MAV_RESULT_FAILED');
    expect(early.body.error.details.reason).toMatch(/PreArm/);

    const takeoff = await waitFor(async () => { const r = await cmd({ type: 'takeoff', altitudeM: 25 }); return r.status === 200 ? r : null; }, { what: 'take-off accepted once the estimate settled', timeoutMs: 15_000, intervalMs: 500 });
    expect(takeoff.body.result).toBe('accepted');
    const truth = () => sim!.drones[0]!.truth();
    await waitFor(() => truth().altitudeM > 23, { what: 'climb to 25 m in the simulator', timeoutMs: 20_000 });

    const home = truth().home!;
    const target = { lat: home.lat + 150 / M_PER_DEG, lon: home.lon };
    expect((await cmd({ type: 'goto', ...target, altitudeM: 30 })).status).toBe(200);
    await waitFor(() => distanceM(truth(), target) < 3 && Math.abs(truth().altitudeM - 30) < 2, { what: 'arrival 150 m north', timeoutMs: 30_000 });
    const seen = (await server.api('GET', `/api/drones/${d.id}`)).body;
    expect(distanceM(seen.position, truth())).toBeLessThan(10);
    expect(seen.mode).toBe('GUIDED');

    expect((await cmd({ type: 'rtl' })).status).toBe(200);
    await waitFor(() => !truth().armed && truth().onGround, { what: 'landed and disarmed after RTL', timeoutMs: 60_000 });
    expect(distanceM(truth(), home)).toBeLessThan(3);
    const after = await waitFor(async () => { const x = (await server!.api('GET', `/api/drones/${d.id}`)).body; return !x.armed && x.landed ? x : null; }, { what: 'the server sees the landing' });
    expect(after.mode).toBe('RTL');
    const kinds = async () => (await server!.api('GET', `/api/events?droneId=${d.id}&limit=200`)).body.events.map((e: any) => e.kind) as string[];
    await waitFor(async () => (await kinds()).includes('disarmed'), { what: 'the disarm event in the store' });
    expect(await kinds()).toEqual(expect.arrayContaining(['drone-discovered', 'armed', 'airborne', 'mode-changed', 'landed', 'disarmed', 'statustext']));
  }, 120_000);

  it('uploads a mission to a simulated ArduCopter that asks with legacy MISSION_REQUEST, and downloads the same items', async () => {
    server = await startTestServer();
    sim = await startSimFleet({ drones: 1, link: server.mavlink, speedup: 1, legacyMissionRequests: true });
    const [d] = await waitFor(async () => { const list = await drones(); return list.length === 1 ? list : null; }, { what: 'a simulated drone' });
    const items = [
      { command: 'NAV_TAKEOFF', lat: 30.4987, lon: 114.4123, altitudeM: 30, params: [0, 0, 0, 0] },
      { command: 'NAV_WAYPOINT', lat: 30.4995, lon: 114.4131, altitudeM: 40, params: [2, 1, 0, 0] },
      { command: 'NAV_LOITER_TURNS', lat: 30.5, lon: 114.414, altitudeM: 40, params: [2, 0, 30, 0] },
      { command: 'DO_JUMP', params: [1, 2, 0, 0] },
      { command: 'NAV_RETURN_TO_LAUNCH', params: [0, 0, 0, 0] },
    ];
    expect((await server.api('PUT', `/api/drones/${d.id}/mission`, { items })).status).toBe(200);
    const down = await server.api('GET', `/api/drones/${d.id}/mission`);
    expect(down.status).toBe(200);
    expect(down.body.items.map((it: any) => it.command)).toEqual(items.map((it) => it.command));
    expect(down.body.items[3].params).toEqual([1, 2, 0, 0]);
    expect(down.body.items[1].lat).toBeCloseTo(30.4995, 7);
    expect((await server.api('DELETE', `/api/drones/${d.id}/mission`)).status).toBe(200);
    expect((await server.api('GET', `/api/drones/${d.id}/mission`)).body.items).toEqual([]);
  });
});
