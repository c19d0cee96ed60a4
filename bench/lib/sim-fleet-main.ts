/**
 * Child process for bench/stream.bench.ts: the real simulator beside the server, as
 * `npm run sim -- --drones N --link udp:HOST:PORT --seed S` runs it (real time, speedup 1, default
 * position settle, every drone its own UDP socket; nothing is streamed until the server asks).
 * argv: HOST PORT DRONES [SEED]. IPC: "stats" → { datagramsSent, bytesSent, simMs, overruns,
 * airborne, cpu }; "stop" → closes the fleet and exits.
 */
import { startSimFleet } from '../../simulator/index.ts';

const [host = '127.0.0.1', port = '14550', drones = '1000', seed = '1'] = process.argv.slice(2);
const fleet = await startSimFleet({ drones: Number(drones), link: { host, port: Number(port) }, speedup: 1, seed: Number(seed) });

/** The UDP port of a drone is private to its endpoint; its counters are what we want here. */
function sent(): { datagrams: number; bytes: number } {
  let datagrams = 0;
  let bytes = 0;
  for (const d of fleet.drones) {
    const p = (d.endpoint as unknown as { port: { datagramsSent: number; bytesSent: number } }).port;
    datagrams += p.datagramsSent;
    bytes += p.bytesSent;
  }
  return { datagrams, bytes };
}

process.send?.({ type: 'ready' });
process.on('message', async (msg: { cmd: string }) => {
  if (msg.cmd === 'stats') {
    const s = sent();
    process.send?.({
      type: 'stats', datagramsSent: s.datagrams, bytesSent: s.bytes, simMs: fleet.world.elapsedMs, wallMs: performance.now(),
      overruns: fleet.world.stats.overruns, airborne: fleet.drones.filter((d) => !d.truth().onGround).length, cpu: process.cpuUsage(),
    });
  }
  if (msg.cmd === 'stop') { await fleet.close(); process.exit(0); }
});
