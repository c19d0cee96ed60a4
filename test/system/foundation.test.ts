/**
 * The server against scripted vehicles over real UDP on 127.0.0.1: discovery, commands through
 * REST, mission transfer on a lossy link, link loss, garbage input.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ScriptedVehicle, type ScriptedVehicleOptions } from '../helpers/scripted-vehicle.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { waitFor } from '../helpers/wait-for.ts';

let server: TestServer | null = null;
const vehicles: ScriptedVehicle[] = [];

afterEach(async () => {
  for (const v of vehicles.splice(0)) await v.close();
  await server?.close();
  server = null;
});

async function setup(env: Record<string, string> = {}) {
  server = await startTestServer(env);
  return server;
}

async function vehicle(opts: Partial<ScriptedVehicleOptions> = {}) {
  const v = await new ScriptedVehicle({ server: server!.mavlink, ...opts }).start();
  vehicles.push(v);
  return v;
}

async function droneWhere(pred: (d: any) => boolean, what: string, timeoutMs = 5000) {
  return waitFor(async () => (await server!.api('GET', '/api/drones')).body.drones.find(pred), { what, timeoutMs });
}

describe('foundation over real UDP', () => {
  it('two vehicles with the same sysid on different sockets are two drones, each answered at its own address', async () => {
    await setup();
    const a = await vehicle({ sysid: 1 });
    const b = await vehicle({ sysid: 1, home: { lat: 30.51, lon: 114.42, altMslM: 30 } });
    const drones = await waitFor(async () => {
      const list = (await server!.api('GET', '/api/drones')).body.drones;
      return list.length === 2 && list.every((d: any) => d.position) ? list : null;
    }, { what: 'two drones with positions' });
    expect(drones.map((d: any) => d.sysid)).toEqual([1, 1]);
    expect(new Set(drones.map((d: any) => d.link.remote))).toEqual(new Set([`127.0.0.1:${a.port}`, `127.0.0.1:${b.port}`]));
    expect(drones.map((d: any) => d.position.lat).sort()).toEqual([30.4987, 30.51]);
    // the server asked each vehicle for its streams at its own address
    expect(a.commandsReceived).toContain(511);
    expect(b.commandsReceived).toContain(511);
    const one = await server!.api('GET', `/api/drones/${drones[0].id}`);
    expect(one.body).toMatchObject({ autopilot: 'ardupilot', vehicleType: 'quadrotor', mode: 'STABILIZE', connected: true, armed: false });
  });

  it('flies arm → takeoff → goto → rtl through the REST API', async () => {
    await setup();
    const v = await vehicle();
    const drone = await droneWhere((d) => d.position && d.home, 'a drone with position and home');
    const cmd = (body: unknown) => server!.api('POST', `/api/drones/${drone.id}/commands`, body);

    const takeoff = await cmd({ type: 'takeoff', altitudeM: 20 });
    expect(takeoff.status).toBe(200);
    expect(takeoff.body).toMatchObject({ result: 'accepted', command: 'takeoff' });
    expect(v.mode).toBe('GUIDED');
    expect(v.armed).toBe(true);
    await droneWhere((d) => d.id === drone.id && d.position.altRelM > 19 && !d.landed && d.armed, 'climb to 20 m');

    const target = { lat: 30.4995, lon: 114.4133 };
    expect((await cmd({ type: 'goto', ...target, altitudeM: 30 })).status).toBe(200);
    await droneWhere((d) => d.id === drone.id && Math.abs(d.position.lat - target.lat) < 2e-5 && Math.abs(d.position.lon - target.lon) < 2e-5 && d.position.altRelM > 29, 'arrival at the goto target', 10_000);

    expect((await cmd({ type: 'rtl' })).status).toBe(200);
    const home = await droneWhere((d) => d.id === drone.id && d.landed && !d.armed, 'landing at home after RTL', 15_000);
    expect(home.mode).toBe('RTL');
    expect(Math.abs(home.position.lat - 30.4987)).toBeLessThan(2e-5);
  });

  it('reports a refused arming as 409 COMMAND_DENIED with the MAV_RESULT and the vehicle\'s reason', async () => {
    await setup();
    await vehicle({ failures: ['DenyArm'] });
    const drone = await droneWhere((d) => d.position, 'a drone');
    const res = await server!.api('POST', `/api/drones/${drone.id}/commands`, { type: 'arm' });
    expect(res.status).toBe(409);
    expect(res.body.error).toMatchObject({ code: 'COMMAND_DENIED', details: { mavResult: 'MAV_RESULT_FAILED', reason: 'PreArm: Need Position Estimate' } });
    expect(res.body.error.message).toContain('Need Position Estimate');
  });

  it('answers 504 COMMAND_TIMEOUT when the vehicle never acknowledges, after resending', async () => {
    await setup();
    const v = await vehicle({ failures: ['IgnoreCommands'] });
    const drone = await droneWhere(() => true, 'a drone');
    v.commandsReceived.length = 0;
    const res = await server!.api('POST', `/api/drones/${drone.id}/commands`, { type: 'hold' });
    expect(res.status).toBe(504);
    expect(res.body.error).toMatchObject({ code: 'COMMAND_TIMEOUT', details: { attempts: 4 } });
    expect(v.commandsReceived.filter((c) => c === 176).length).toBe(4);
  });

  it('waits through MAV_RESULT_IN_PROGRESS for the final ACK', async () => {
    await setup();
    await vehicle({ failures: ['TakeoffInProgress'] });
    const drone = await droneWhere((d) => d.position, 'a drone');
    const res = await server!.api('POST', `/api/drones/${drone.id}/commands`, { type: 'takeoff', altitudeM: 10 });
    expect(res.status).toBe(200);
    expect(res.body.durationMs).toBeGreaterThanOrEqual(300);
  });

  it('falls back to REQUEST_DATA_STREAM when SET_MESSAGE_INTERVAL is unsupported, and telemetry flows', async () => {
    await setup();
    await vehicle({ failures: ['NoMessageInterval'] });
    const drone = await droneWhere((d) => d.position && d.battery.remainingPct === 87, 'telemetry after the fallback');
    expect(drone.gps).toEqual({ fixType: 3, satellites: 14 });
  });

  it('round-trips a mission (upload, download, compare) while the vehicle drops 10% of mission messages', async () => {
    await setup();
    const v = await vehicle({ dropMissionPct: 10, failures: ['LegacyMissionRequest'], seed: 3 });
    const drone = await droneWhere(() => true, 'a drone');
    const items = [
      { command: 'NAV_TAKEOFF', lat: 30.4987, lon: 114.4123, altitudeM: 30, params: [0, 0, 0, 0] },
      ...Array.from({ length: 30 }, (_, i) => ({ command: 'NAV_WAYPOINT', lat: 30.5 + i * 1e-4, lon: 114.41 + i * 2e-4, altitudeM: 40 + (i % 5), params: [i % 3, 2, 0, 0] })),
      { command: 'DO_JUMP', params: [1, 3, 0, 0] },
      { command: 'NAV_RETURN_TO_LAUNCH', params: [0, 0, 0, 0] },
    ];
    const up = await server!.api('PUT', `/api/drones/${drone.id}/mission`, { items });
    expect(up.status).toBe(200);
    expect(up.body).toEqual({ result: 'accepted', count: items.length });
    // ArduPilot keeps home as item 0 and DO_JUMP targets shift by one on the vehicle
    expect(v.missions[0]).toHaveLength(items.length + 1);
    expect(v.missions[0]![32]!.param1).toBe(2);
    const down = await server!.api('GET', `/api/drones/${drone.id}/mission`);
    expect(down.status).toBe(200);
    const expected = items.map((it) => ({
      command: it.command, params: it.params, frame: 'lat' in it ? 'GLOBAL_RELATIVE_ALT' : 'MISSION',
      ...('lat' in it ? { lat: it.lat, lon: it.lon, altitudeM: it.altitudeM } : {}),
    }));
    const round7 = (it: any) => ('lat' in it ? { ...it, lat: +it.lat.toFixed(7), lon: +it.lon.toFixed(7) } : it);
    expect(down.body.items.map(round7)).toEqual(expected.map(round7));
  });

  it('declares the link lost after the configured silence and regained on the next heartbeat', async () => {
    await setup({ EAGLE_LINK_LOST_MS: '800' });
    const v = await vehicle();
    const drone = await droneWhere((d) => d.position, 'a drone');
    v.silent = true;
    await droneWhere((d) => d.id === drone.id && !d.connected, 'link lost', 3000);
    v.silent = false;
    await droneWhere((d) => d.id === drone.id && d.connected, 'link regained', 3000);
  });

  it('survives 10,000 garbage datagrams without losing a healthy vehicle\'s telemetry', async () => {
    await setup();
    const v = await vehicle();
    const junk = await vehicle({ sysid: 9 });
    const drone = await droneWhere((d) => d.sysid === 1 && d.position, 'the healthy drone');
    let seed = 99;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) % 256);
    for (let i = 0; i < 10_000; i++) {
      const len = 1 + (i % 300);
      const bytes = Buffer.from(Array.from({ length: len }, rnd));
      if (i % 3 === 0) bytes[0] = 0xfd; // plausible start marker with garbage after it
      junk.sendRaw(bytes);
      if (i % 500 === 0) await new Promise((r) => setImmediate(r));
    }
    const before = (await server!.api('GET', `/api/drones/${drone.id}`)).body.link.framesIn;
    v.lat += 0.001;
    await droneWhere((d) => d.id === drone.id && d.link.framesIn > before + 10 && Math.abs(d.position.lat - v.lat) < 1e-6, 'fresh telemetry after the garbage');
    const metrics = (await server!.api('GET', '/api/metrics')).body;
    expect(metrics.links[0].badFrames + metrics.links[0].decode.junkBytes).toBeGreaterThan(1000);
    expect((await server!.api('GET', '/api/health')).body.status).toBe('ok');
  });

  it('answers bad input with 400 and a message that names the field', async () => {
    await setup();
    await vehicle();
    const drone = await droneWhere(() => true, 'a drone');
    const res = await server!.api('POST', `/api/drones/${drone.id}/commands`, { type: 'goto', lat: 95, lon: 114.4, altitudeM: 30 });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('BAD_REQUEST');
    expect(res.body.error.message).toMatch(/lat/);
    const notACommand = await server!.api('POST', `/api/drones/${drone.id}/commands`, { type: 'fly' });
    expect(notACommand.status).toBe(400);
    expect(notACommand.body.error.message).toMatch(/type/);
    const unknown = await server!.api('POST', '/api/drones/NOPE/commands', { type: 'arm' });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('DRONE_NOT_FOUND');
    const badMode = await server!.api('POST', `/api/drones/${drone.id}/commands`, { type: 'mode', mode: 'WARP' });
    expect(badMode.status).toBe(400);
    expect(badMode.body.error.code).toBe('UNKNOWN_MODE');
  });
});
