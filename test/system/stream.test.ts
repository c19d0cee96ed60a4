/**
 * /api/stream against the real server: scripted vehicles (and a UDP fleet for load) over real UDP,
 * real `ws` clients over real TCP.
 */
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { UdpFleet } from '../../bench/lib/udp-fleet.ts';
import type { StartOptions } from '../../server/main.ts';
import { ScriptedVehicle, type ScriptedVehicleOptions } from '../helpers/scripted-vehicle.ts';
import { startTestServer, TEST_ADMIN_TOKEN, type TestServer } from '../helpers/server.ts';
import { TestStreamClient } from '../helpers/stream-client.ts';
import { waitFor } from '../helpers/wait-for.ts';

let server: TestServer | null = null;
const vehicles: ScriptedVehicle[] = [];
const clients: TestStreamClient[] = [];
const fleets: UdpFleet[] = [];
const rawSockets: net.Socket[] = [];

afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  for (const s of rawSockets.splice(0)) s.destroy();
  for (const v of vehicles.splice(0)) await v.close();
  for (const f of fleets.splice(0)) await f.close();
  await server?.close();
  server = null;
});

async function setup(env: Record<string, string> = {}, opts: Omit<StartOptions, 'logger'> = {}) {
  server = await startTestServer(env, opts);
  return server;
}

async function vehicle(opts: Partial<ScriptedVehicleOptions> = {}) {
  const v = await new ScriptedVehicle({ server: server!.mavlink, ...opts }).start();
  vehicles.push(v);
  return v;
}

async function connect(opts: { token?: string; headers?: Record<string, string> } = { token: TEST_ADMIN_TOKEN }) {
  const c = await TestStreamClient.open(server!.url, opts);
  clients.push(c);
  return c;
}

async function droneWhere(pred: (d: any) => boolean, what: string, timeoutMs = 5000) {
  return waitFor(async () => (await server!.api('GET', '/api/drones')).body.drones.find(pred), { what, timeoutMs });
}

const metrics = async () => (await server!.api('GET', '/api/metrics')).body.stream;

describe('/api/stream', () => {
  it('sends a snapshot first, then telemetry deltas with only changed fields, then events', async () => {
    await setup();
    await vehicle();
    const drone = await droneWhere((d) => d.position && d.home, 'a drone with position and home');
    const c = await connect();
    await waitFor(() => c.messages.length > 0, { what: 'the first message' });
    expect(c.messages[0].type).toBe('snapshot');
    expect(c.messages[0].drones.map((d: any) => d.id)).toEqual([drone.id]);
    expect(c.messages[0].drones[0]).toMatchObject({ id: drone.id, sysid: 1, autopilot: 'ardupilot', vehicleType: 'quadrotor', armed: false });

    const takeoff = await server!.api('POST', `/api/drones/${drone.id}/commands`, { type: 'takeoff', altitudeM: 15 });
    expect(takeoff.status).toBe(200);
    await waitFor(() => c.updatesOf(drone.id).some((u) => u.position?.altRelM > 5), { what: 'climbing positions in telemetry' });
    const updates = c.updatesOf(drone.id);
    // deltas: an id and a few fields, never the whole drone
    const fieldCount = Object.keys(c.messages[0].drones[0]).length;
    expect(updates.every((u) => Object.keys(u).length - 1 < fieldCount)).toBe(true);
    expect(updates.filter((u) => 'position' in u).every((u) => !('sysid' in u) && !('autopilot' in u))).toBe(true);
    for (const m of c.ofType('telemetry')) expect(typeof m.t).toBe('number');
    // arming and the mode change arrive as events, and as fields in telemetry
    await waitFor(() => c.events('armed').length === 1 && c.events('mode-changed').some((e) => e.to === 'GUIDED'), { what: 'armed and mode-changed events' });
    expect(c.events('armed')[0]).toMatchObject({ droneId: drone.id });
    expect(c.updatesOf(drone.id).some((u) => u.armed === true)).toBe(true);
    expect(c.model().get(drone.id)).toMatchObject({ armed: true, mode: 'GUIDED' });
  });

  it('gives a client that reconnects mid-flight a snapshot consistent with REST /api/drones', async () => {
    await setup();
    const v = await vehicle();
    const drone = await droneWhere((d) => d.position && d.home, 'a drone');
    expect((await server!.api('POST', `/api/drones/${drone.id}/commands`, { type: 'takeoff', altitudeM: 20 })).status).toBe(200);
    const first = await connect();
    expect((await server!.api('POST', `/api/drones/${drone.id}/commands`, { type: 'goto', lat: 30.5, lon: 114.414, altitudeM: 30 })).status).toBe(200);
    await waitFor(() => first.updatesOf(drone.id).length > 5, { what: 'telemetry while flying' });
    first.close();

    const again = await connect();
    await waitFor(() => again.messages.length > 0, { what: 'the snapshot' });
    const rest = (await server!.api('GET', '/api/drones')).body.drones;
    const snap = again.messages[0];
    expect(snap.type).toBe('snapshot');
    expect(snap.drones.map((d: any) => d.id)).toEqual(rest.map((d: any) => d.id));
    const s = snap.drones[0];
    const r = rest[0];
    // the same drone in the same flight phase: the fields that do not move with every frame are equal
    for (const k of ['id', 'sysid', 'compid', 'callsign', 'autopilot', 'vehicleType', 'connected', 'armed', 'mode', 'landed', 'home', 'mission', 'components']) expect(s[k], k).toEqual(r[k]);
    // and the moving ones are within what the vehicle travels between the two reads (25 m/s)
    const metres = (a: any, b: any) => Math.hypot((a.lat - b.lat) * 111_320, (a.lon - b.lon) * 111_320 * Math.cos((a.lat * Math.PI) / 180));
    expect(metres(s.position, r.position)).toBeLessThan(25);
    expect(s.position.lat).not.toBe(30.4987); // mid-flight, not parked
    // snapshot + deltas keep matching REST while it flies
    await new Promise((res) => setTimeout(res, 600));
    const model = again.model().get(drone.id);
    const now = (await server!.api('GET', `/api/drones/${drone.id}`)).body;
    expect(metres(model.position, now.position)).toBeLessThan(25);
    expect(Math.abs(model.position.altRelM - now.position.altRelM)).toBeLessThan(3);
    expect(model.mode).toBe(now.mode);
    expect(v.armed).toBe(true);
  });

  it('forwards fleet events: link lost and regained, mode changes, command results', async () => {
    await setup({ EAGLE_LINK_LOST_MS: '800' });
    const v = await vehicle();
    const drone = await droneWhere((d) => d.position, 'a drone');
    const c = await connect();
    v.silent = true;
    const lost = await waitFor(() => c.events('link-lost')[0], { what: 'a link-lost event', timeoutMs: 3000 });
    expect(lost).toMatchObject({ kind: 'link-lost', droneId: drone.id });
    expect(typeof lost.at).toBe('string');
    await waitFor(() => c.model().get(drone.id)?.connected === false, { what: 'connected: false in telemetry' });
    v.silent = false;
    await waitFor(() => c.events('link-regained').length === 1, { what: 'a link-regained event', timeoutMs: 3000 });
    await waitFor(() => c.model().get(drone.id)?.connected === true, { what: 'connected: true in telemetry' });
    expect((await server!.api('POST', `/api/drones/${drone.id}/commands`, { type: 'mode', mode: 'LOITER' })).status).toBe(200);
    const mode = await waitFor(() => c.events('mode-changed').find((e) => e.to === 'LOITER'), { what: 'mode-changed to LOITER' });
    expect(mode).toMatchObject({ droneId: drone.id, from: 'STABILIZE' });
    const result = await waitFor(() => c.events('command-result').find((e) => e.command === 'mode'), { what: 'the command-result event' });
    expect(result).toMatchObject({ droneId: drone.id, result: 'accepted' });
  });

  it('subscribes by drone ids and a lower rate, and by bounding box', async () => {
    await setup();
    await vehicle({ sysid: 1 });
    await vehicle({ sysid: 2, home: { lat: 31.2, lon: 121.5, altMslM: 10 } });
    const drones = await waitFor(async () => {
      const list = (await server!.api('GET', '/api/drones')).body.drones;
      return list.length === 2 && list.every((d: any) => d.position) ? list : null;
    }, { what: 'two drones' });
    const far = drones.find((d: any) => d.sysid === 2);
    const byId = await connect();
    byId.send({ type: 'subscribe', droneIds: [far.id], maxHz: 2 });
    await waitFor(() => byId.ofType('snapshot').length === 2, { what: 'the snapshot after subscribing' });
    expect(byId.ofType('subscribed')[0].subscription).toEqual({ droneIds: [far.id], bbox: null, maxHz: 2 });
    expect(byId.ofType('snapshot')[1].drones.map((d: any) => d.id)).toEqual([far.id]);

    const byBox = await connect();
    byBox.send({ type: 'subscribe', bbox: [114.3, 30.4, 114.5, 30.6] });
    await waitFor(() => byBox.ofType('snapshot').length === 2, { what: 'the box snapshot' });
    expect(byBox.ofType('snapshot')[1].drones.map((d: any) => d.sysid)).toEqual([1]);

    const bad = await connect();
    bad.send({ type: 'subscribe', bbox: 'everywhere' });
    bad.send({ type: 'fly' });
    await waitFor(() => bad.ofType('error').length === 2, { what: 'two errors' });
    expect(bad.ofType('error').map((m) => m.error.code)).toEqual(['BAD_SUBSCRIPTION', 'UNKNOWN_TYPE']);

    await new Promise((r) => setTimeout(r, 1500));
    const after = (c: TestStreamClient) => c.messages.slice(c.messages.findIndex((m) => m.type === 'subscribed')).filter((m) => m.type === 'telemetry');
    const ids = new Set(after(byId).flatMap((m) => m.drones.map((d: any) => d.id)));
    expect([...ids]).toEqual([far.id]);
    const boxIds = new Set(after(byBox).flatMap((m) => m.drones.map((d: any) => d.id)));
    expect(boxIds.has(far.id)).toBe(false);
    const times = after(byId).map((m) => m.t);
    for (let i = 2; i < times.length; i++) expect(times[i] - times[i - 2]).toBeGreaterThanOrEqual(1000); // ≤ 2 per second
  });

  it('bounds a client that stops reading, then closes it with 4008 "too slow", while a fast client keeps its rate', async () => {
    const maxBufferedBytes = 128 * 1024;
    await setup({}, { stream: { maxBufferedBytes, slowCloseAfterMs: 2000, closeGraceMs: 20_000 } });
    const fleet = await new UdpFleet({ server: server!.mavlink, vehicles: 250, rates: { positionHz: 10, attitudeHz: 10 } }).start();
    fleets.push(fleet);
    await waitFor(async () => (await server!.api('GET', '/api/health')).body.drones === 250, { what: '250 drones', timeoutMs: 10_000 });
    const fast = await connect();
    const slow = await connect();
    await waitFor(() => slow.messages.length > 0, { what: 'the slow client\'s snapshot' });
    (slow.ws as any)._socket.pause(); // stops reading: its socket fills, then the server's buffer
    const pausedAt = Date.now();
    const slowId = (await metrics()).perClient.at(-1).id;

    let peak = 0;
    let skippedWhileBehind = 0;
    const fastFramesAt: number[] = [];
    await waitFor(async () => {
      const m = await metrics();
      const me = m.perClient.find((p: any) => p.id === slowId);
      if (me) { peak = Math.max(peak, me.bufferedBytes); skippedWhileBehind = me.telemetrySkipped; }
      return m.clientsClosedSlow === 1;
    }, { what: 'the slow client closed as too slow', timeoutMs: 25_000, intervalMs: 50 });
    // bounded: the limit plus at most one frame (250 drones) above it, however long it stalls
    expect(peak).toBeGreaterThan(0);
    expect(peak).toBeLessThan(maxBufferedBytes + 250 * 1024);
    expect(skippedWhileBehind).toBeGreaterThan(40); // > 2 s of 25 ms ticks skipped, not queued

    // meanwhile the fast client kept its rate: frames every tick or two, each drone ≤ 10 per second
    const lastSecond = fast.ofType('telemetry').filter((m) => m.t > Date.now() - 1500 && m.t <= Date.now() - 500);
    fastFramesAt.push(...lastSecond.map((m) => m.t));
    expect(fastFramesAt.length).toBeGreaterThan(15);
    const perDrone = new Map<string, number>();
    for (const m of lastSecond) for (const d of m.drones) perDrone.set(d.id, (perDrone.get(d.id) ?? 0) + 1);
    expect(perDrone.size).toBe(250);
    expect(Math.max(...perDrone.values())).toBeLessThanOrEqual(10);
    expect(Math.min(...perDrone.values())).toBeGreaterThanOrEqual(5);

    // the stalled client, reading again, finds the close frame after the buffered data
    (slow.ws as any)._socket.resume();
    await waitFor(() => slow.closed, { what: 'the close at the slow client', timeoutMs: 10_000 });
    expect(slow.closed).toEqual({ code: 4008, reason: 'too slow' });
    expect(fast.closed).toBeNull();
    expect((await metrics()).clients).toBe(1);
  });

  it('reaps a client that stops answering pings', async () => {
    await setup({}, { stream: { pingIntervalMs: 150 } });
    const socket = net.connect(Number(new URL(server!.url).port), '127.0.0.1');
    rawSockets.push(socket);
    let text = '';
    socket.on('data', (b) => { text += b.toString('latin1'); }); // reads everything, answers nothing
    socket.write(`GET /api/stream?token=${TEST_ADMIN_TOKEN} HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n`);
    await waitFor(() => text.startsWith('HTTP/1.1 101'), { what: 'the upgrade' });
    const ended = new Promise<void>((r) => socket.once('close', () => r()));
    await waitFor(async () => (await metrics()).clientsReapedDead === 1, { what: 'the dead client reaped', timeoutMs: 3000 });
    await ended;
    expect((await metrics()).clients).toBe(0);
  });

  it('refuses the upgrade with 401 without a valid operator token (the real authenticator)', async () => {
    await setup();
    await expect(connect({})).rejects.toThrow('401');
    await expect(connect({ token: 'not-a-token' })).rejects.toThrow('401');
    const ok = await connect({ headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` } });
    await waitFor(() => ok.messages.length > 0, { what: 'the snapshot' });
    expect((await metrics()).perClient[0].role).toBe('admin');
  });

  it('refuses the upgrade with 401 when the authenticator says no; takes ?token= and Authorization: Bearer', async () => {
    const seen: Array<string | undefined> = [];
    await setup({}, {
      authenticate: async (token) => { seen.push(token); return token === 'sesame' ? { operatorId: 'op-1', role: 'viewer' } : null; },
    });
    await expect(connect({})).rejects.toThrow('401');
    await expect(connect({ token: 'wrong' })).rejects.toThrow('401');
    const byQuery = await connect({ token: 'sesame' });
    const byHeader = await connect({ headers: { authorization: 'Bearer sesame' } });
    await waitFor(() => byQuery.messages.length > 0 && byHeader.messages.length > 0, { what: 'snapshots' });
    expect(seen).toEqual([undefined, 'wrong', 'sesame', 'sesame']);
    const m = await metrics();
    expect(m.upgradesRejected).toBe(2);
    expect(m.perClient.map((p: any) => p.operatorId)).toEqual(['op-1', 'op-1']);
  });
});
