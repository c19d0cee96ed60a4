/** A TCP link connects out (as to an ArduPilot SITL on 5760), survives junk, and reconnects with backoff. */
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { common, minimal } from 'mavlink-mappings';
import { StreamDecoder } from '../../server/mavlink/frame-decoder.ts';
import { FrameEncoder } from '../../server/mavlink/frame-encoder.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { waitFor } from '../helpers/wait-for.ts';

let server: TestServer | null = null;
let vehicle: net.Server | null = null;
afterEach(async () => {
  await server?.close();
  server = null;
  await new Promise<void>((r) => (vehicle ? vehicle.close(() => r()) : r()));
  vehicle = null;
});

/** A TCP "autopilot": heartbeats every 100 ms to whoever connects; counts GCS heartbeats it receives. */
function tcpVehicle() {
  const sockets: net.Socket[] = [];
  const stats = { connections: 0, gcsHeartbeats: 0, refused: 0, refuse: false };
  const enc = new FrameEncoder({ sysid: 42, compid: 1 });
  const srv = net.createServer((socket) => {
    if (stats.refuse) { stats.refused++; socket.destroy(); return; }
    stats.connections++;
    sockets.push(socket);
    const dec = new StreamDecoder((f) => { if (f.msgid === 0 && f.sysid === 255) stats.gcsHeartbeats++; });
    socket.on('data', (d) => dec.push(d));
    socket.on('error', () => {});
    const timer = setInterval(() => {
      socket.write(enc.encode(minimal.Heartbeat, { type: 2, autopilot: 12, baseMode: 0 as minimal.MavModeFlag, customMode: (4 << 16) | (3 << 24), systemStatus: 3, mavlinkVersion: 3 }));
      socket.write(enc.encode(common.GlobalPositionInt, { lat: 305_000_000, lon: 1_144_000_000, relativeAlt: 0 }));
    }, 100);
    socket.on('close', () => clearInterval(timer));
  });
  return { srv, sockets, stats };
}

describe('TCP link', () => {
  it('connects out, finds a PX4 vehicle, bounds junk, and reconnects after the connection drops', async () => {
    const v = tcpVehicle();
    vehicle = v.srv;
    await new Promise<void>((r) => v.srv.listen(0, '127.0.0.1', () => r()));
    const port = (v.srv.address() as net.AddressInfo).port;
    server = await startTestServer({ EAGLE_MAVLINK: `udp:127.0.0.1:0,tcp:127.0.0.1:${port}`, EAGLE_LINK_LOST_MS: '1000' });
    const drone = await waitFor(async () => (await server!.api('GET', '/api/drones')).body.drones[0], { what: 'the TCP vehicle as a drone' });
    expect(drone).toMatchObject({ sysid: 42, autopilot: 'px4', mode: 'LOITER', link: { id: `tcp:127.0.0.1:${port}` } });
    await waitFor(() => v.stats.gcsHeartbeats >= 1, { what: 'GCS heartbeat over TCP' });

    v.sockets[0]!.write(Buffer.alloc(4 * 1024 * 1024, 0x42)); // 4 MiB without a start marker
    await waitFor(async () => (await server!.api('GET', '/api/metrics')).body.links[1].decode.junkBytes >= 4 * 1024 * 1024, { what: 'junk counted' });
    expect(process.memoryUsage().rss).toBeLessThan(1024 * 1024 * 1024);

    v.stats.refuse = true; // the vehicle goes away: connections are refused for a while
    v.sockets[0]!.destroy();
    await waitFor(async () => !(await server!.api('GET', `/api/drones/${drone.id}`)).body.connected, { what: 'link lost', timeoutMs: 4000 });
    await waitFor(() => v.stats.refused >= 2, { what: 'reconnection attempts with backoff', timeoutMs: 6000 });
    v.stats.refuse = false;
    await waitFor(() => v.stats.connections >= 2, { what: 'reconnection', timeoutMs: 8000 });
    await waitFor(async () => (await server!.api('GET', `/api/drones/${drone.id}`)).body.connected, { what: 'link regained' });
  });
});
