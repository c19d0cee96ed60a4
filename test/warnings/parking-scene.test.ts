/**
 * The whole scene of the expo, simulated: a car overstays in a temporary stopping lane; the lane's
 * camera reports it to the server; a drone is dispatched, hovers near it and plays the advisory;
 * the driver hears it and drives off; the camera sees the car leave; the case closes as complied
 * and the drone goes home. Nothing in the loop is scripted by the test: the simulator's world and
 * analytics drive it (speedup 10).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { EXPO_CAMERAS, EXPO_LANES, startSimFleet, type SimFleet } from '../../simulator/index.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { waitFor } from '../helpers/wait-for.ts';
import { stopAll } from '../helpers/stop-all.ts';

let server: TestServer | null = null;
let sim: SimFleet | null = null;
afterEach(async () => {
  await stopAll(sim, server);
  [sim, server] = [null, null];
});

describe('expo parking scene', () => {
  it('closes an overstay as complied after the simulated driver hears the advisory and leaves', async () => {
    server = await startTestServer({ EAGLE_ADVISORY_VERIFY_S: '30' });
    const lane = EXPO_LANES[0]!;
    expect((await server.api('POST', '/api/zones', { name: lane.name, kind: lane.kind, geometry: lane.geometry, maxDwellS: 60 })).status).toBe(201);
    const analytics = await server.api('POST', '/api/operators', { name: 'analytics (simulated)', role: 'operator' });
    sim = await startSimFleet({
      drones: 2, link: server.mavlink, speedup: 10, positionSettleMs: 1000, seed: 3, params: { FS_GCS_ENABLE: 0 },
      parking: {
        vehicles: [{ trackId: 'car-77', plate: '鄂A·T7777', lat: lane.center.lat, lon: lane.center.lon, arriveAtS: 15, stayS: 3000, leaveAfterAdvisoryS: 20 }],
        cameras: [EXPO_CAMERAS[0]!],
        ingest: { url: server.url, token: analytics.body.token },
      },
    });
    const opened = await waitFor(async () => (await server!.api('GET', '/api/advisories')).body.advisories[0], { what: 'an advisory case from the camera\'s sightings', timeoutMs: 30_000, intervalMs: 250 });
    expect(opened.trackId).toBe('car-77');
    const closed = await waitFor(async () => {
      const c = (await server!.api('GET', '/api/advisories')).body.advisories[0];
      return c && ['complied', 'escalated'].includes(c.state) ? c : null;
    }, { what: 'the case closed', timeoutMs: 60_000, intervalMs: 250 });
    expect(closed.state).toBe('complied');
    expect(closed.steps.map((s: any) => s.state)).toEqual(['detected', 'dispatched', 'on-scene', 'broadcasting', 'verifying', 'complied']);
    const heardAtS = sim.parking!.world.heardAtS('car-77');
    expect(heardAtS).not.toBeNull();
    expect(sim.parking!.analytics.counters.sendErrors).toBe(0);
    const droneIndex = sim.drones.findIndex((d) => sim!.speaker(d.index)!.records().length > 0);
    expect(sim.speaker(droneIndex)!.records().map((r) => r.lang)).toEqual(['zh-CN', 'en']);
    await waitFor(() => ['RTL', 'LAND'].includes(sim!.drones[droneIndex]!.truth().modeName) || !sim!.drones[droneIndex]!.truth().armed, { what: 'the drone sent home' });
  }, 120_000);
});
