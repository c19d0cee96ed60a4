/**
 * A signed UDP link (EAGLE_MAVLINK udp:HOST:PORT?signing=<key>) against scripted vehicles over real
 * UDP: signed vehicles work and everything the server sends them is signed; unsigned, tampered
 * and replayed frames are dropped and counted in /api/metrics; the timestamp survives a restart;
 * SETUP_SIGNING pushes a key.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { minimal } from 'mavlink-mappings';
import { mavlinkCrc } from '../../server/mavlink/crc.ts';
import { registry } from '../../server/mavlink/definitions.ts';
import { FrameEncoder } from '../../server/mavlink/frame-encoder.ts';
import { HEADER_V2 } from '../../server/mavlink/frame.ts';
import { TcpLink } from '../../server/mavlink/links/tcp-link.ts';
import { LinkSigner } from '../../server/mavlink/signing/link-signer.ts';
import { SignatureVerifier } from '../../server/mavlink/signing/signature-verifier.ts';
import { timestampFileFor } from '../../server/mavlink/signing/timestamp-store.ts';
import { signingTimestampAt } from '../../server/mavlink/signing/timestamp.ts';
import { systemClock } from '../../server/time/clock.ts';
import { ScriptedVehicle, type ScriptedVehicleOptions } from '../helpers/scripted-vehicle.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { waitFor } from '../helpers/wait-for.ts';

const KEY_HEX = 'a1b2c3d4e5f60718293a4b5c6d7e8f90112233445566778899aabbccddeeff00';
const KEY = Buffer.from(KEY_HEX, 'hex');
const SIGNED_LINK = `udp:127.0.0.1:0?signing=${KEY_HEX}`;

let server: TestServer | null = null;
const vehicles: ScriptedVehicle[] = [];
const dirs: string[] = [];

afterEach(async () => {
  for (const v of vehicles.splice(0)) await v.close();
  await server?.close();
  server = null;
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function setup(env: Record<string, string> = {}) {
  server = await startTestServer({ EAGLE_MAVLINK: SIGNED_LINK, ...env });
  return server;
}

async function vehicle(opts: Partial<ScriptedVehicleOptions> = {}) {
  const v = await new ScriptedVehicle({ server: server!.mavlink, ...opts }).start();
  vehicles.push(v);
  return v;
}

async function metrics() {
  return (await server!.api('GET', '/api/metrics')).body.links[0];
}

async function droneWhere(pred: (d: any) => boolean, what: string, timeoutMs = 5000) {
  return waitFor(async () => (await server!.api('GET', '/api/drones')).body.drones.find(pred), { what, timeoutMs });
}

describe('signed MAVLink link over real UDP', () => {
  it('discovers and commands a signed vehicle, and every frame the server sends it is signed with the link key', async () => {
    await setup();
    const v = await vehicle({ signingKey: KEY });
    const drone = await droneWhere((d) => d.position && d.home, 'the signed drone with telemetry');
    const res = await server!.api('POST', `/api/drones/${drone.id}/commands`, { type: 'takeoff', altitudeM: 10 });
    expect(res.status).toBe(200);
    expect(v.armed).toBe(true);
    await droneWhere((d) => d.id === drone.id && d.position.altRelM > 9, 'climb to 10 m');
    // heartbeats, stream requests and commands all verified on the vehicle; nothing unsigned or bad arrived
    expect(v.signedReceived).toBeGreaterThan(10);
    expect(v.received).toMatchObject({ unsigned: 0, badSignature: 0, replayed: 0 });
    const m = await metrics();
    expect(m).toMatchObject({ unsigned: 0, badSignature: 0, replayed: 0 });
    expect(m.framesIn).toBeGreaterThan(10);
  });

  it('never turns an unsigned vehicle into a drone, and counts its frames as unsigned', async () => {
    await setup();
    const unsigned = await vehicle({ sysid: 7, heartbeatMs: 50 });
    await waitFor(async () => (await metrics()).unsigned >= 20, { what: '20 unsigned frames counted' });
    expect((await server!.api('GET', '/api/drones')).body.drones).toEqual([]);
    expect((await metrics()).framesIn).toBe(0);
    // the server never learned the endpoint, so it never sent anything there
    expect(unsigned.received.ok + unsigned.received.unsigned).toBe(0);
  });

  it('drops and counts tampered and replayed frames while the honest stream goes on', async () => {
    await setup();
    const v = await vehicle({ signingKey: KEY });
    const drone = await droneWhere((d) => d.position, 'the signed drone');
    const before = await metrics();

    // replay: the same signed frame twice (sent back to back, before the next heartbeat is signed)
    const frame = v.heartbeatFrame();
    v.sendRaw(frame);
    v.sendRaw(frame);
    v.sendRaw(frame);

    // tamper: one payload byte flipped and the CRC fixed, so only the signature can tell
    const payloadFlipped = Buffer.from(v.heartbeatFrame());
    payloadFlipped[HEADER_V2 + 4]! ^= 0x01;
    const len = payloadFlipped[1]!;
    const crc = mavlinkCrc(payloadFlipped, 1, HEADER_V2 + len, registry.of(minimal.Heartbeat).crcExtra);
    payloadFlipped[HEADER_V2 + len] = crc & 0xff;
    payloadFlipped[HEADER_V2 + len + 1] = crc >>> 8;
    v.sendRaw(payloadFlipped);
    // tamper: one signature byte flipped
    const sigFlipped = Buffer.from(v.heartbeatFrame());
    sigFlipped[sigFlipped.length - 1]! ^= 0xff;
    v.sendRaw(sigFlipped);

    const after = await waitFor(async () => {
      const m = await metrics();
      return m.replayed - before.replayed >= 2 && m.badSignature - before.badSignature >= 2 ? m : null;
    }, { what: 'the replayed and tampered frames counted' });
    expect(after.replayed - before.replayed).toBe(2);
    expect(after.badSignature - before.badSignature).toBe(2);
    expect(after.unsigned).toBe(0);
    // the honest stream continues and the drone stays a quadrotor (the flipped type was never applied)
    const framesIn = after.framesIn;
    await waitFor(async () => (await metrics()).framesIn > framesIn + 5, { what: 'honest frames after the attack' });
    const d = (await server!.api('GET', `/api/drones/${drone.id}`)).body;
    expect(d).toMatchObject({ connected: true, vehicleType: 'quadrotor' });
  });

  it('keeps its signing timestamp across a restart: the file holds the last one and the next server starts above it', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'eagle-signing-restart-'));
    dirs.push(dataDir);
    await setup({ EAGLE_DATA: dataDir });
    const v = await vehicle({ signingKey: KEY });
    await droneWhere(() => true, 'the signed drone');
    await waitFor(() => v.signedReceived >= 3, { what: 'signed heartbeats from the server' });
    const signer = server!.signers.get('udp:127.0.0.1:0')!;
    await server!.close();
    server = null;
    const stored = JSON.parse(readFileSync(timestampFileFor(dataDir, 'udp:127.0.0.1:0'), 'utf8')).lastTimestamp;
    expect(stored).toBe(signer.lastTimestamp);

    await setup({ EAGLE_DATA: dataDir });
    const next = server!.signers.get('udp:127.0.0.1:0')!.nextTimestamp();
    expect(next).toBeGreaterThan(stored);
    expect(next).toBeGreaterThanOrEqual(signingTimestampAt(Date.now()) - 100_000);
  });

  it('pushes a key with SETUP_SIGNING, several times, says it is not acknowledged, and refuses while armed', async () => {
    await setup();
    const v = await vehicle({ signingKey: KEY });
    const drone = await droneWhere(() => true, 'the signed drone');
    const newKey = 'ff'.repeat(32);
    const res = await server!.api('POST', `/api/drones/${drone.id}/signing`, { key: newKey, initialTimestamp: 123_456_789 });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ result: 'sent', droneId: drone.id, sends: 3, acknowledged: false, initialTimestamp: 123_456_789 });
    expect(res.body.note).toMatch(/no acknowledgement/);
    await waitFor(() => v.signingSetups.length >= 3, { what: 'three SETUP_SIGNING messages at the vehicle' });
    expect(v.signingSetups.map((s) => s.key)).toEqual([newKey, newKey, newKey]);
    expect(v.signingSetups[0]!.initialTimestamp).toBe(123_456_789n);

    const bad = await server!.api('POST', `/api/drones/${drone.id}/signing`, { key: 'abc' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/key/);
    expect((await server!.api('POST', '/api/drones/NOPE/signing', { key: newKey })).status).toBe(404);

    // never in flight: a key change would cut the signed link
    expect((await server!.api('POST', `/api/drones/${drone.id}/commands`, { type: 'arm' })).status).toBe(200);
    await droneWhere((d) => d.armed, 'the drone armed');
    const armed = await server!.api('POST', `/api/drones/${drone.id}/signing`, { key: newKey });
    expect(armed.status).toBe(409);
    expect(armed.body.error.code).toBe('DRONE_BUSY');
    expect(v.signingSetups).toHaveLength(3);
  });

  it('applies the same gate on a signed TCP link (one byte stream, frames split across writes)', async () => {
    const signed = new FrameEncoder({ sysid: 1, compid: 1, signer: new LinkSigner({ key: KEY, clock: systemClock }) });
    const plain = new FrameEncoder({ sysid: 2, compid: 1 });
    const hb = { type: 2, autopilot: 3, mavlinkVersion: 3 };
    const good = signed.encode(minimal.Heartbeat, hb);
    const stream = Buffer.concat([good, plain.encode(minimal.Heartbeat, hb), good, signed.encode(minimal.Heartbeat, hb)]);
    const peer = net.createServer((socket) => {
      socket.write(stream.subarray(0, 20)); // a frame cut in two
      setTimeout(() => socket.write(stream.subarray(20)), 20);
    });
    await new Promise<void>((r) => peer.listen(0, '127.0.0.1', () => r()));
    const port = (peer.address() as net.AddressInfo).port;
    const link = new TcpLink({ id: `tcp:127.0.0.1:${port}`, host: '127.0.0.1', port, clock: systemClock, verifier: new SignatureVerifier({ key: KEY }) });
    const sysids: number[] = [];
    link.onFrame(({ frame }) => sysids.push(frame.sysid));
    try {
      await link.start();
      await waitFor(() => link.counters.framesIn + link.counters.unsigned + link.counters.replayed >= 4, { what: 'four frames through the TCP gate' });
      expect(sysids).toEqual([1, 1]);
      expect(link.counters).toMatchObject({ framesIn: 2, unsigned: 1, replayed: 1, badSignature: 0 });
    } finally {
      await link.close();
      await new Promise<void>((r) => peer.close(() => r()));
    }
  });
});
