/**
 * The RTL height the way home is checked at is the vehicle's own, read from it over real UDP: a
 * simulated ArduCopter with RTL_ALT 3000 cm, sent home by the server after an incident at 10 m,
 * is checked (and audited) at 30 m read from the vehicle — not the 15 m otherwise assumed — and
 * its RTL then really climbs to about 30 m.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startSimFleet, type SimFleet } from '../../simulator/index.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { stopAll } from '../helpers/stop-all.ts';
import { waitFor } from '../helpers/wait-for.ts';

const M = 1 / 111_320;

let server: TestServer | null = null;
let sim: SimFleet | null = null;
afterEach(async () => {
  await stopAll(sim, server);
  [sim, server] = [null, null];
});

describe('the RTL height, read from the vehicle', () => {
  it('is the simulated ArduCopter\'s RTL_ALT (3000 cm → 30 m): the way home of a drone the server sends home is checked and audited at it, and its RTL climbs to it', async () => {
    server = await startTestServer({ EAGLE_INCIDENT_HOVER_M: '10', EAGLE_INCIDENT_WATCH_S: '300' });
    sim = await startSimFleet({ drones: 1, link: server.mavlink, speedup: 10, positionSettleMs: 500, seed: 3, params: { RTL_ALT: 3000, FS_GCS_ENABLE: 0 } });
    const [d] = await waitFor(async () => { const l = (await server!.api('GET', '/api/drones')).body.drones; return l.length === 1 && l[0].position ? l : null; }, { what: 'the drone with a position', timeoutMs: 10_000 });
    await waitFor(async () => (await server!.api('GET', '/api/events?kind=statustext&limit=100')).body.events.some((e: any) => /using GPS/.test(e.data.text)), { what: 'its position estimate ready', timeoutMs: 10_000 });

    const home = sim.drones[0]!.truth();
    const reported = (await server.api('POST', '/api/incidents', { lat: home.lat + 40 * M, lon: home.lon, kind: 'fight', priority: 1 })).body;
    expect(reported.droneId).toBe(d.id);
    await waitFor(async () => (await server!.api('GET', `/api/incidents/${reported.id}`)).body.state === 'on-scene', { what: 'on scene at 10 m', timeoutMs: 20_000, intervalMs: 100 });
    expect(sim.drones[0]!.truth().altitudeM).toBeLessThan(15);
    expect((await server.api('POST', `/api/incidents/${reported.id}/close`, { outcome: 'resolved' })).body.state).toBe('released');

    const audited = await waitFor(async () => (await server!.api('GET', `/api/audit?droneId=${d.id}`)).body.entries.find((e: any) => e.action === 'incident:return-home'), { what: 'the return home audited', timeoutMs: 5000 });
    // read from the vehicle as it was sent home (PARAM_REQUEST_READ RTL_ALT, in centimetres), and kept by its session
    expect(audited.request).toMatchObject({ incidentId: reported.id, way: 'straight', rtlAltitudeM: 30, rtlAltitudeFrom: 'vehicle' });
    expect(await server.fleet.get(d.id)!.returnAltitudeM()).toBe(30);
    // and that is what the vehicle flies: RTL climbs from 10 m to its RTL_ALT before it heads home
    let maxAltM = 0;
    await waitFor(() => { const t = sim!.drones[0]!.truth(); maxAltM = Math.max(maxAltM, t.altitudeM); return t.modeName === 'RTL' && maxAltM > 28; }, { what: 'the RTL climbing to 30 m', timeoutMs: 10_000, intervalMs: 20 });
    expect(maxAltM).toBeLessThan(32);
  }, 30_000);
});
