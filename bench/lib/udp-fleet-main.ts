/**
 * Child process for bench/stream.bench.ts: runs a UdpFleet beside the server (as the simulator
 * would). argv: HOST PORT VEHICLES. IPC: "stats" → { datagramsSent, commandsAcked }; "stop" → exits.
 */
import { UdpFleet } from './udp-fleet.ts';

const [host = '127.0.0.1', port = '14550', vehicles = '1000'] = process.argv.slice(2);
const fleet = await new UdpFleet({ server: { host, port: Number(port) }, vehicles: Number(vehicles), seed: 42 }).start();
process.send?.({ type: 'ready' });
process.on('message', async (msg: { cmd: string }) => {
  if (msg.cmd === 'stats') process.send?.({ type: 'stats', datagramsSent: fleet.datagramsSent, commandsAcked: fleet.commandsAcked, cpu: process.cpuUsage() });
  if (msg.cmd === 'stop') { await fleet.close(); process.exit(0); }
});
