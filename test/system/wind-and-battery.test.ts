/**
 * What the incident dispatcher reads, end to end: the real simulator over real UDP to the real
 * server. The wind the server reports is the simulator's mean wind, as the direction it comes FROM;
 * a drone powered on with a 30 % pack says so while the others say 100 %.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startSimFleet, type SimFleet } from '../../simulator/index.ts';
import { startTestServer, TEST_ADMIN_TOKEN, type TestServer } from '../helpers/server.ts';
import { stopAll } from '../helpers/stop-all.ts';
import { TestStreamClient } from '../helpers/stream-client.ts';
import { waitFor } from '../helpers/wait-for.ts';

let server: TestServer | null = null;
let sim: SimFleet | null = null;
let client: TestStreamClient | null = null;
afterEach(async () => {
  client?.ws.close();
  await stopAll(sim, server);
  [sim, server, client] = [null, null, null];
});

async function drones(): Promise<any[]> {
  return (await server!.api('GET', '/api/drones')).body.drones;
}

/** Smallest angle between two bearings, degrees. */
const angleDiff = (a: number, b: number) => Math.abs(((a - b + 540) % 360) - 180);

describe('wind and battery from telemetry (server + simulator)', () => {
  it('reports the wind FROM the east when the simulated air moves west, through the API and the stream', async () => {
    server = await startTestServer();
    // WindConfig is the air's velocity: eastMps -3 moves the air west, i.e. a 3 m/s wind from 090
    sim = await startSimFleet({ drones: 2, link: server.mavlink, seed: 11, wind: { northMps: 0, eastMps: -3, gustStdMps: 0.2, gustTimeConstantS: 5 } });
    const list = await waitFor(async () => {
      const l = await drones();
      return l.length === 2 && l.every((d) => d.wind) ? l : null;
    }, { what: 'two drones with a wind estimate', timeoutMs: 10_000 });
    for (const d of list) {
      expect(Object.keys(d.wind).sort()).toEqual(['fromDeg', 'speedMps']);
      expect(Number.isInteger(d.wind.fromDeg)).toBe(true);
      expect(d.wind.fromDeg).toBeGreaterThanOrEqual(0);
      expect(d.wind.fromDeg).toBeLessThan(360);
      expect(Math.round(d.wind.speedMps * 10) / 10).toBe(d.wind.speedMps);
      expect(angleDiff(d.wind.fromDeg, 90), `drone ${d.id} from ${d.wind.fromDeg}°`).toBeLessThanOrEqual(15);
      expect(Math.abs(d.wind.speedMps - 3)).toBeLessThanOrEqual(0.8);
    }

    client = await TestStreamClient.open(server.url, { token: TEST_ADMIN_TOKEN });
    await waitFor(() => client!.ofType('snapshot').length > 0, { what: 'the stream snapshot' });
    const seen = client.ofType('snapshot')[0].drones;
    expect(seen).toHaveLength(2);
    for (const d of seen) expect(angleDiff(d.wind.fromDeg, 90)).toBeLessThanOrEqual(15);
  }, 20_000);

  it('a drone powered on at 30 % reports ~30 % through /api/drones while the others report 100 %', async () => {
    server = await startTestServer();
    sim = await startSimFleet({ drones: 3, link: server.mavlink, seed: 12, batteryPct: (i) => (i === 1 ? 30 : 100) });
    const list = await waitFor(async () => {
      const l = await drones();
      return l.length === 3 && l.every((d) => d.battery.remainingPct !== null && d.battery.voltageV !== null) ? l : null;
    }, { what: 'three drones with battery telemetry', timeoutMs: 10_000 });
    const bySysid = new Map(list.map((d) => [d.sysid, d]));
    expect(Math.abs(bySysid.get(2)!.battery.remainingPct - 30)).toBeLessThanOrEqual(1);
    expect(bySysid.get(2)!.battery.voltageV).toBeCloseTo(22.5, 0);
    for (const sysid of [1, 3]) {
      expect(bySysid.get(sysid)!.battery.remainingPct).toBe(100);
      expect(bySysid.get(sysid)!.battery.voltageV).toBeCloseTo(25.2, 0);
    }
  }, 20_000);
});
